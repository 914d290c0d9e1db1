// SPDX-License-Identifier: MIT
#pragma once
// The writer's event_summary must always equal what the events table holds: the same counts and time bounds per
// input, host, channel and event id. Returns the first difference, or an empty string when they agree.
#include "storage/database.h"
#include "storage/statement.h"

#include <map>
#include <string>
#include <tuple>

namespace dscope::testing {

inline std::string eventSummaryMismatch(model::Database& db)
{
    using Key = std::tuple<int64_t, std::string, std::string, int64_t>;
    using Counts = std::tuple<int64_t, int64_t, int64_t>;
    auto read = [&](const char* sql) {
        std::map<Key, Counts> rows;
        model::Statement st(db, sql);
        while (st.next())
            rows[{st.columnInt(0), st.columnText(1), st.columnText(2), st.columnInt(3)}] = {
                st.columnInt(4), st.columnIsNull(5) ? -1 : st.columnInt(5), st.columnIsNull(6) ? -1 : st.columnInt(6)};
        return rows;
    };
    const auto fromEvents = read("SELECT input_id, coalesce(host, ''), coalesce(channel, ''), coalesce(event_id, -1), "
                                 "count(*), min(utc_ms), max(utc_ms) FROM events GROUP BY 1, 2, 3, 4");
    const auto summary = read("SELECT input_id, host, channel, event_id, events, first_ms, last_ms FROM event_summary");
    if (fromEvents.empty() && db.scalar("SELECT count(*) FROM events") > 0)
        return "cannot read the events: " + db.lastError();
    for (const auto& [key, counts] : fromEvents) {
        auto it = summary.find(key);
        const std::string where = "input " + std::to_string(std::get<0>(key)) + " host '" + std::get<1>(key)
                                  + "' channel '" + std::get<2>(key) + "' event " + std::to_string(std::get<3>(key));
        if (it == summary.end())
            return where + ": in the events, not in the summary";
        if (it->second != counts)
            return where + ": the summary says " + std::to_string(std::get<0>(it->second)) + " events, the table "
                   + std::to_string(std::get<0>(counts));
    }
    if (summary.size() != fromEvents.size())
        return "the summary has " + std::to_string(summary.size() - fromEvents.size()) + " rows of no event";
    return {};
}

} // namespace dscope::testing
