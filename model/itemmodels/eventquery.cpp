// SPDX-License-Identifier: MIT
#include "eventquery.h"

namespace dscope::model {

bool EventFilter::isEmpty() const
{
    return eventIds.empty() && host.empty() && processGuids.empty() && user.empty() && text.empty() && fromMs == kNoValue
           && toMs == kNoValue && inputId == kNoValue;
}

std::string escapeLike(const std::string& text)
{
    std::string out;
    out.reserve(text.size() + 2);
    for (char c : text) {
        if (c == '%' || c == '_' || c == '\\')
            out += '\\';
        out += c;
    }
    return out;
}

SqlQuery buildIdQuery(const EventFilter& f, const EventSort& sort)
{
    SqlQuery q;
    std::vector<std::string> where;
    if (!f.eventIds.empty()) {
        std::string in = "event_id IN (";
        for (size_t i = 0; i < f.eventIds.size(); ++i) {
            in += i ? ",?" : "?";
            q.params.emplace_back(f.eventIds[i]);
        }
        where.push_back(in + ")");
    }
    if (!f.host.empty()) {
        where.push_back("host = ?");
        q.params.emplace_back(f.host);
    }
    if (f.inputId != kNoValue) {
        where.push_back("input_id = ?");
        q.params.emplace_back(f.inputId);
    }
    if (!f.processGuids.empty()) {
        // Indexed equality tests OR-ed: SQLite answers this with a multi-index OR plan.
        std::string any = "(";
        for (size_t g = 0; g < f.processGuids.size(); ++g) {
            any += g ? " OR " : "";
            any += "subject_guid = ? OR target_guid = ? OR parent_guid = ?";
            for (int i = 0; i < 3; ++i)
                q.params.emplace_back(f.processGuids[g]);
        }
        where.push_back(any + ")");
    }
    if (!f.user.empty()) {
        where.push_back("user_name = ? COLLATE NOCASE");
        q.params.emplace_back(f.user);
    }
    if (!f.text.empty()) {
        static const char* cols[] = {"subject_image", "target_image", "command_line", "target_filename",
                                     "detail",        "user_name",    "call_trace",   "host"};
        std::string any = "(";
        const std::string pattern = "%" + escapeLike(f.text) + "%";
        for (size_t i = 0; i < std::size(cols); ++i) {
            if (i)
                any += " OR ";
            any += cols[i];
            any += " LIKE ? ESCAPE '\\'";
            q.params.emplace_back(pattern);
        }
        where.push_back(any + ")");
    }
    if (f.fromMs != kNoValue) {
        where.push_back("utc_ms >= ?");
        q.params.emplace_back(f.fromMs);
    }
    if (f.toMs != kNoValue) {
        where.push_back("utc_ms <= ?");
        q.params.emplace_back(f.toMs);
    }

    q.sql = "SELECT id FROM events";
    for (size_t i = 0; i < where.size(); ++i) {
        q.sql += i ? " AND " : " WHERE ";
        q.sql += where[i];
    }
    const char* dir = sort.descending ? " DESC" : "";
    std::string key;
    switch (sort.column) {
    case EventColHost: key = "host"; break;
    case EventColEventId: key = "event_id"; break;
    case EventColSubject: key = "subject_image"; break;
    case EventColTarget: key = "target_image"; break;
    case EventColSummary: key = "coalesce(command_line, target_filename, start_function, detail)"; break;
    default: break;
    }
    q.sql += " ORDER BY ";
    if (!key.empty()) {
        q.sql += key;
        q.sql += dir;
        q.sql += ", ";
    }
    // (utc_ms, id) is the events_time index, so the default order needs no sort step at all.
    q.sql += "utc_ms";
    q.sql += dir;
    q.sql += ", id";
    q.sql += dir;
    return q;
}

} // namespace dscope::model
