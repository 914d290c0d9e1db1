// SPDX-License-Identifier: MIT
#include "eventdetail.h"

#include "domain/event.h"
#include "evtx/evtxrecordrenderer.h"
#include "domain/normalize.h"
#include "storage/database.h"
#include "storage/rawevent.h"
#include "storage/statement.h"

#include <QXmlStreamReader>
#include <QXmlStreamWriter>

namespace dscope::model {

namespace {

struct Field {
    const char* column;
    const char* label;
    enum Kind { Text, Int, Hex, Time } kind;
};

// Order is the reading order in the pane: when and where, who acted, on whom, then event-specific values.
constexpr Field kFields[] = {
    {"utc_ms", "UTC time", Field::Time},
    {"host", "Host", Field::Text},
    {"channel", "Channel", Field::Text},
    {"provider", "Provider", Field::Text},
    {"event_id", "Event ID", Field::Int},
    {"record_id", "Record ID", Field::Int},
    {"position", "Position in input", Field::Int},
    {"subject_guid", "Process GUID", Field::Text},
    {"subject_pid", "Process ID", Field::Int},
    {"subject_image", "Image", Field::Text},
    {"command_line", "Command line", Field::Text},
    {"user_name", "User", Field::Text},
    {"parent_guid", "Parent GUID", Field::Text},
    {"parent_pid", "Parent PID", Field::Int},
    {"parent_image", "Parent image", Field::Text},
    {"target_guid", "Target GUID", Field::Text},
    {"target_pid", "Target PID", Field::Int},
    {"target_image", "Target image", Field::Text},
    {"granted_access", "Granted access", Field::Hex},
    {"call_trace", "Call trace", Field::Text},
    {"start_address", "Start address", Field::Text},
    {"start_module", "Start module", Field::Text},
    {"start_function", "Start function", Field::Text},
    {"target_filename", "Target file / object", Field::Text},
    {"transaction_id", "Transaction ID", Field::Text},
    {"transaction_state", "Transaction state", Field::Text},
    {"hashes", "Hashes", Field::Text},
    {"detail", "Detail", Field::Text},
};

std::string selectSql()
{
    std::string sql = "SELECT e.id, e.event_id, e.channel, i.path, NULL, NULL";
    for (const Field& f : kFields) {
        sql += ", e.";
        sql += f.column;
    }
    sql += " FROM events e LEFT JOIN inputs i ON i.id = e.input_id "
           "WHERE e.id = ?";
    return sql;
}

QString qs(std::string_view v) { return QString::fromUtf8(v.data(), qsizetype(v.size())); }

} // namespace

EventDetail loadEventDetail(Database& db, int64_t id)
{
    EventDetail d;
    d.id = id;
    Statement st(db, selectSql());
    if (!st.isValid()) {
        d.error = QString::fromStdString(db.lastError());
        return d;
    }
    st.bind(1, id);
    if (!st.next()) {
        d.error = QStringLiteral("event %1 is not in the case").arg(id);
        return d;
    }
    d.eventId = st.columnInt(1);
    d.channel = qs(st.columnView(2));
    d.inputPath = qs(st.columnView(3));
    // The original text is stored compressed in its own table; the storage layer decodes it.
    RawEvent raw;
    std::string rawError;
    const evtx::EvtxRecordRenderer evtxRecords;
    if (loadRawEvent(db, id, &evtxRecords, raw, rawError)) {
        d.rawFormat = int(raw.format);
        d.raw = QByteArray(raw.data.data(), qsizetype(raw.data.size()));
        if (raw.format == RawFormat::Xml)
            d.raw = indentXmlForReading(d.raw); // the native reader renders an event on one line
    } else if (!rawError.empty()) {
        d.rawError = QString::fromStdString(rawError);
    }
    for (int i = 0; i < int(std::size(kFields)); ++i) {
        const int col = 6 + i;
        if (st.columnIsNull(col))
            continue;
        const Field& f = kFields[i];
        QString value;
        switch (f.kind) {
        case Field::Text: value = qs(st.columnView(col)); break;
        case Field::Int: value = QString::number(st.columnInt(col)); break;
        case Field::Hex:
            d.grantedAccess = st.columnInt(col);
            value = QStringLiteral("0x%1").arg(QString::number(st.columnInt(col), 16));
            break;
        case Field::Time: value = QString::fromStdString(normalize::isoUtc(st.columnInt(col))); break;
        }
        if (!value.isEmpty())
            d.fields.append({QString::fromLatin1(f.label), value});
    }
    if (!d.inputPath.isEmpty())
        d.fields.append({QStringLiteral("Input file"), d.inputPath});
    return d;
}

QByteArray indentXmlForReading(const QByteArray& xml)
{
    QXmlStreamReader reader(xml);
    reader.setNamespaceProcessing(false); // keep the names and xmlns attributes as written
    QByteArray out;
    out.reserve(xml.size() + xml.size() / 4);
    QXmlStreamWriter writer(&out);
    writer.setAutoFormatting(true);
    writer.setAutoFormattingIndent(2);
    bool started = false;
    while (!reader.atEnd()) {
        reader.readNext();
        if (reader.tokenType() == QXmlStreamReader::StartDocument || reader.tokenType() == QXmlStreamReader::EndDocument)
            continue; // no XML declaration is added, none is kept
        if (reader.isWhitespace() && reader.text().contains(QLatin1Char('\n')))
            continue; // layout between elements: the writer lays them out anew
        if (reader.tokenType() == QXmlStreamReader::StartElement)
            started = true;
        if (!reader.hasError())
            writer.writeCurrentToken(reader);
    }
    if (reader.hasError() || !started)
        return xml;
    if (out.startsWith('\n'))
        out.remove(0, 1);
    return out;
}

} // namespace dscope::model
