// SPDX-License-Identifier: MIT
#include "timelineexport.h"

#include "domain/accessmask.h"
#include "domain/normalize.h"
#include "itemmodels/eventnames.h"
#include "itemmodels/eventrow.h"
#include "storage/database.h"
#include "storage/eventrecord.h"
#include "storage/statement.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <map>

namespace dscope::model {

namespace {

/// The columns after message, datetime, timestamp_desc and timestamp, in this order (CSV header and JSON keys).
const char* const kColumns[] = {"event_id", "event_name", "computer_name", "channel", "provider", "record_number",
                                "source_file", "source_position", "process_image", "process_id", "process_guid",
                                "target_image", "target_id", "target_guid", "parent_image", "parent_id", "parent_guid",
                                "command_line", "user", "granted_access", "call_trace", "start_address",
                                "start_module", "target_filename", "transaction_id", "transaction_state", "detail",
                                "tag"};

std::string csvField(const std::string& value)
{
    // A leading = + - @ (or tab, carriage return) makes a spreadsheet evaluate the cell: keep it text.
    std::string v = value;
    if (!v.empty() && (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r'))
        v.insert(v.begin(), '\'');
    std::string out = "\"";
    for (char c : v) {
        if (c == '"')
            out += '"';
        out += c;
    }
    return out + '"';
}

std::string microsIso(int64_t ms)
{
    // Timesketch reads ISO 8601 with an offset; normalize::isoUtc writes milliseconds and 'Z'.
    std::string iso = normalize::isoUtc(ms);
    if (!iso.empty() && iso.back() == 'Z')
        iso.pop_back();
    return iso + "+00:00";
}

} // namespace

bool exportTimesketchTimeline(Database& db, const TimelineOptions& options,
                              const std::function<bool(const std::string&)>& write, int64_t& rows, std::string& error)
{
    rows = 0;
    std::map<int64_t, std::string> inputs;
    {
        Statement st(db, "SELECT id, path FROM inputs");
        while (st.next())
            inputs[st.columnInt(0)] = st.columnText(1);
    }
    // The condition is written here; every value is bound.
    std::string where = "utc_ms IS NOT NULL";
    if (!options.host.empty())
        where += " AND host = ?1";
    if (options.fromMs != kNoValue)
        where += " AND utc_ms >= ?2";
    if (options.toMs != kNoValue)
        where += " AND utc_ms <= ?3";
    if (!options.eventIds.empty())
        where += " AND id IN (SELECT value FROM json_each(?4))";
    std::string idList = "["; // bound without a copy: it lives as long as the reader
    for (size_t i = 0; i < options.eventIds.size(); ++i)
        idList += (i ? "," : "") + std::to_string(options.eventIds[i]);
    idList += "]";
    EventReader reader(db, EventFields::all(), where, "utc_ms, id");
    if (!reader.isValid()) {
        error = reader.error();
        return false;
    }
    if (!options.host.empty())
        reader.statement().bindText(1, options.host);
    if (options.fromMs != kNoValue)
        reader.statement().bind(2, options.fromMs);
    if (options.toMs != kNoValue)
        reader.statement().bind(3, options.toMs);
    if (!options.eventIds.empty())
        reader.statement().bindText(4, idList);
    const bool csv = options.format == TimelineOptions::Format::Csv;
    std::string chunk;
    if (csv) {
        chunk = "message,datetime,timestamp_desc,timestamp";
        for (const char* c : kColumns)
            chunk += std::string(",") + c;
        chunk += "\n";
    }
    EventRecord r;
    while (reader.next(r)) {
        const std::string name(eventName(r.eventId, r.channel));
        const std::string summary = eventSummary(r).toStdString();
        const std::string process = eventProcessLabel(r.subjectImage, r.subjectPid).toStdString();
        const std::string target = eventProcessLabel(r.targetImage, r.targetPid).toStdString();
        std::string message = "[" + std::to_string(r.eventId) + (name.empty() ? "" : " " + name) + "] " + process;
        if (!target.empty())
            message += " -> " + target;
        if (!summary.empty())
            message += ": " + summary;
        const auto input = inputs.find(r.inputId);
        auto num = [](int64_t v) { return v < 0 ? std::string() : std::to_string(v); };
        const std::string values[] = {
            std::to_string(r.eventId), name, r.host, r.channel, r.provider, num(r.recordId),
            input == inputs.end() ? std::string() : input->second, num(r.position), r.subjectImage, num(r.subjectPid),
            r.subjectGuid, r.targetImage, num(r.targetPid), r.targetGuid, r.parentImage, num(r.parentPid), r.parentGuid,
            r.commandLine, r.user, r.grantedAccess < 0 ? std::string() : access::hex(uint32_t(r.grantedAccess)),
            r.callTrace, r.startAddress, r.startModule, r.targetFilename, r.transactionId, r.transactionState, r.detail,
            options.tag};
        static_assert(std::size(values) == std::size(kColumns));
        const std::string desc = name.empty() ? std::string("Event time") : name;
        if (csv) {
            chunk += csvField(message) + "," + csvField(microsIso(r.utcMs)) + "," + csvField(desc) + ","
                     + std::to_string(r.utcMs * 1000);
            for (const std::string& v : values)
                chunk += "," + csvField(v);
            chunk += "\n";
        } else {
            QJsonObject o{{QStringLiteral("message"), QString::fromStdString(message)},
                          {QStringLiteral("datetime"), QString::fromStdString(microsIso(r.utcMs))},
                          {QStringLiteral("timestamp_desc"), QString::fromStdString(desc)},
                          {QStringLiteral("timestamp"), qint64(r.utcMs * 1000)}};
            for (size_t i = 0; i < std::size(kColumns); ++i)
                if (!values[i].empty())
                    o.insert(QLatin1String(kColumns[i]), QString::fromStdString(values[i]));
            chunk += QJsonDocument(o).toJson(QJsonDocument::Compact).toStdString();
            chunk += "\n";
        }
        ++rows;
        if (chunk.size() > (1 << 20)) {
            if (!write(chunk)) {
                error = "the write failed";
                return false;
            }
            chunk.clear();
        }
    }
    if (!reader.error().empty()) {
        error = reader.error();
        return false;
    }
    if (!chunk.empty() && !write(chunk)) {
        error = "the write failed";
        return false;
    }
    return true;
}

} // namespace dscope::model
