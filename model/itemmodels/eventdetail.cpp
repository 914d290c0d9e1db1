// SPDX-License-Identifier: MIT
#include "eventdetail.h"

#include "domain/accessmask.h"
#include "domain/event.h"
#include "evtx/evtxrecordrenderer.h"
#include "domain/normalize.h"
#include "storage/database.h"
#include "storage/eventrecord.h"
#include "storage/rawevent.h"
#include "storage/statement.h"

#include <QXmlStreamReader>
#include <QXmlStreamWriter>

namespace dscope::model {

namespace {

struct Field {
    EventField field;
    const char* label;
    enum Kind { Text, Int, Hex, Time } kind;
};

// Order is the reading order in the pane: when and where, who acted, on whom, then event-specific values.
constexpr Field kFields[] = {
    {EventField::UtcMs, "UTC time", Field::Time},
    {EventField::Host, "Host", Field::Text},
    {EventField::Channel, "Channel", Field::Text},
    {EventField::Provider, "Provider", Field::Text},
    {EventField::EventId, "Event ID", Field::Int},
    {EventField::RecordId, "Record ID", Field::Int},
    {EventField::Position, "Position in input", Field::Int},
    {EventField::SubjectGuid, "Process GUID", Field::Text},
    {EventField::SubjectPid, "Process ID", Field::Int},
    {EventField::SubjectImage, "Image", Field::Text},
    {EventField::CommandLine, "Command line", Field::Text},
    {EventField::User, "User", Field::Text},
    {EventField::ParentGuid, "Parent GUID", Field::Text},
    {EventField::ParentPid, "Parent PID", Field::Int},
    {EventField::ParentImage, "Parent image", Field::Text},
    {EventField::TargetGuid, "Target GUID", Field::Text},
    {EventField::TargetPid, "Target PID", Field::Int},
    {EventField::TargetImage, "Target image", Field::Text},
    {EventField::GrantedAccess, "Granted access", Field::Hex},
    {EventField::CallTrace, "Call trace", Field::Text},
    {EventField::StartAddress, "Start address", Field::Text},
    {EventField::StartModule, "Start module", Field::Text},
    {EventField::StartFunction, "Start function", Field::Text},
    {EventField::TargetFilename, "Target file / object", Field::Text},
    {EventField::TransactionId, "Transaction ID", Field::Text},
    {EventField::TransactionState, "Transaction state", Field::Text},
    {EventField::Hashes, "Hashes", Field::Text},
    {EventField::Detail, "Detail", Field::Text},
};

QString qs(std::string_view v) { return QString::fromUtf8(v.data(), qsizetype(v.size())); }

} // namespace

EventDetail loadEventDetail(Database& db, int64_t id)
{
    EventDetail d;
    d.id = id;
    EventReader reader(db, EventFields::all(), "id = ?1");
    if (!reader.isValid()) {
        d.error = QString::fromStdString(reader.error());
        return d;
    }
    reader.statement().bind(1, id);
    EventRecord r;
    if (!reader.next(r)) {
        d.error = QStringLiteral("event %1 is not in the case").arg(id);
        return d;
    }
    d.eventId = r.eventId;
    d.channel = qs(r.channel);
    {
        Statement input(db, "SELECT path FROM inputs WHERE id = ?1");
        input.bind(1, r.inputId);
        if (input.next())
            d.inputPath = qs(input.columnView(0));
    }
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
    for (const Field& f : kFields) {
        QString value;
        if (isIntegerField(f.field)) {
            const int64_t v = r.integer(f.field);
            if (f.field == EventField::UtcMs ? v == kNoValue : v < 0)
                continue;
            switch (f.kind) {
            case Field::Hex:
                d.grantedAccess = v;
                value = QString::fromStdString(access::hex(uint32_t(v)));
                break;
            case Field::Time: value = QString::fromStdString(normalize::isoUtc(v)); break;
            default: value = QString::number(v); break;
            }
        } else {
            value = qs(r.text(f.field));
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
