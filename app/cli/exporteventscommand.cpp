// SPDX-License-Identifier: MIT
// `doppelscope export-events --case C.dscase --format jsonl [--fields raw|ecs|ossem] [--out FILE]`: the case's
// normalized events as JSON lines under the field names a team's Spark tables or SIEM use, so that the exported rules
// (export-rules) run on them as they run on the team's own data.
#include "clicontext.h"

#include "export/fieldmap.h"
#include "storage/database.h"
#include "storage/statement.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace dscope::app {

namespace {

using detection::FieldSet;

/// Sets a value at a dotted name, creating the nested objects ECS uses ("host.name" -> {"host": {"name": ...}}).
void setPath(QJsonObject& o, const std::string& name, const QJsonValue& value, bool nested)
{
    const size_t dot = name.find('.');
    if (!nested || dot == std::string::npos || name[0] == '@') {
        o.insert(QString::fromStdString(name), value);
        return;
    }
    const QString head = QString::fromStdString(name.substr(0, dot));
    QJsonObject inner = o.value(head).toObject();
    setPath(inner, name.substr(dot + 1), value, nested);
    o.insert(head, inner);
}

/// A GUID as Sysmon writes it: braces, upper case.
QString sysmonGuid(const std::string& g)
{
    return QLatin1Char('{') + QString::fromStdString(g).toUpper() + QLatin1Char('}');
}

} // namespace

int runExportEvents(const QStringList& args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Export the case's events as JSON lines."));
    p.addOption({QStringLiteral("case"), QStringLiteral("The case."), QStringLiteral("file")});
    p.addOption({QStringLiteral("format"), QStringLiteral("jsonl (the only format)."), QStringLiteral("format"), QStringLiteral("jsonl")});
    p.addOption({QStringLiteral("fields"), QStringLiteral("raw (Sysmon's names), ecs (Winlogbeat) or ossem."), QStringLiteral("set"),
                 QStringLiteral("raw")});
    p.addOption({QStringLiteral("out"), QStringLiteral("Output file (default: standard output)."), QStringLiteral("file")});
    p.process(QStringList{QStringLiteral("doppelscope export-events")} + args);
    FieldSet fields = FieldSet::Raw;
    if (!p.isSet(QStringLiteral("case")) || p.value(QStringLiteral("format")) != QLatin1String("jsonl")
        || !detection::parseFieldSet(p.value(QStringLiteral("fields")).toStdString(), fields)) {
        err() << "usage: doppelscope export-events --case C.dscase --format jsonl [--fields raw|ecs|ossem] [--out FILE]\n";
        return ExitUsage;
    }
    model::Database db;
    if (!db.open(p.value(QStringLiteral("case")).toStdString(), model::Database::Mode::ReadOnly)) {
        err() << "error: " << p.value(QStringLiteral("case")) << ": " << QString::fromStdString(db.lastError()) << '\n';
        return ExitFailure;
    }
    QSaveFile file(p.isSet(QStringLiteral("out")) ? p.value(QStringLiteral("out")) : QString());
    QFile stdoutFile;
    QIODevice* sink = nullptr;
    if (p.isSet(QStringLiteral("out"))) {
        if (!file.open(QIODevice::WriteOnly)) {
            err() << "error: cannot write " << p.value(QStringLiteral("out")) << ": " << file.errorString() << '\n';
            return ExitFailure;
        }
        sink = &file;
    } else {
        stdoutFile.open(stdout, QIODevice::WriteOnly);
        sink = &stdoutFile;
    }
    const detection::CommonFields& common = detection::commonFields(fields);
    const bool nested = fields == FieldSet::Ecs;
    // The normalized columns and the field each one is under.
    static const char* const kColumns[] = {"subject_guid", "subject_pid", "subject_image", "target_guid", "target_pid",
                                           "target_image", "parent_guid", "parent_pid", "parent_image", "granted_access",
                                           "call_trace", "start_address", "start_module", "start_function", "command_line",
                                           "target_filename", "transaction_id", "detail"};
    static const char* const kFields[] = {"subjectGuid", "subjectPid", "subjectImage", "targetGuid", "targetPid",
                                          "targetImage", "parentGuid", "parentPid", "parentImage", "grantedAccess",
                                          "callTrace", "startAddress", "startModule", "startFunction", "commandLine",
                                          "targetFilename", "transactionId", "detail"};
    std::string sql = "SELECT id, host, utc_ms, channel, event_id, record_id";
    for (const char* c : kColumns)
        sql += std::string(", ") + c;
    sql += " FROM events ORDER BY utc_ms, id";
    model::Statement st(db, sql);
    int64_t written = 0;
    while (st.next()) {
        QJsonObject o;
        const std::string channel = st.columnText(3);
        const std::string log = channel == "Security" ? "security"
                                : QString::fromStdString(channel).contains(QLatin1String("sysmon"), Qt::CaseInsensitive) ? "sysmon"
                                                                                                                        : "other";
        const int eventId = int(st.columnInt(4));
        setPath(o, common.host, QString::fromStdString(st.columnText(1)), nested);
        setPath(o, common.channel, QString::fromStdString(channel), nested);
        if (fields == FieldSet::Ecs)
            setPath(o, common.eventId, QString::number(eventId), nested); // ECS keeps event.code as text
        else
            setPath(o, common.eventId, eventId, nested);
        const QDateTime utc = QDateTime::fromMSecsSinceEpoch(st.columnInt(2), Qt::UTC);
        setPath(o, common.time,
                fields == FieldSet::Ecs ? utc.toString(Qt::ISODateWithMs) : utc.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz")),
                nested);
        if (!st.columnIsNull(5))
            setPath(o, fields == FieldSet::Ecs ? "winlog.record_id" : fields == FieldSet::Ossem ? "record_number" : "EventRecordID",
                    qint64(st.columnInt(5)), nested);
        for (size_t i = 0; i < std::size(kColumns); ++i) {
            const std::string name = detection::fieldName(fields, log, eventId, kFields[i]);
            if (name.empty())
                continue;
            const int col = int(6 + i);
            QJsonValue value; // null when the event has none: every row of an event id carries its fields
            if (!st.columnIsNull(col)) {
                const std::string field = kFields[i];
                if (field == "grantedAccess")
                    value = QStringLiteral("0x%1").arg(qulonglong(st.columnInt(col)), 0, 16);
                else if (field.size() > 4 && field.compare(field.size() - 4, 4, "Guid") == 0)
                    value = fields == FieldSet::Raw ? sysmonGuid(st.columnText(col)) : QString::fromStdString(st.columnText(col));
                else if (field.size() > 3 && field.compare(field.size() - 3, 3, "Pid") == 0)
                    value = qint64(st.columnInt(col));
                else
                    value = QString::fromStdString(st.columnText(col));
            }
            setPath(o, name, value, nested);
        }
        if (sink->write(QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n') < 0) {
            err() << "error: writing the events failed: " << sink->errorString() << '\n';
            return ExitFailure;
        }
        ++written;
    }
    if (st.failed()) {
        err() << "error: reading the events failed: " << QString::fromStdString(db.lastError()) << '\n';
        return ExitFailure;
    }
    if (p.isSet(QStringLiteral("out")) && !file.commit()) {
        err() << "error: cannot write " << p.value(QStringLiteral("out")) << ": " << file.errorString() << '\n';
        return ExitFailure;
    }
    err() << "exported " << written << " events (" << detection::fieldSetName(fields) << " fields)\n";
    return ExitOk;
}

} // namespace dscope::app
