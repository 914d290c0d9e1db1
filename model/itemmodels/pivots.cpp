// SPDX-License-Identifier: MIT
#include "pivots.h"

#include "domain/normalize.h"
#include "storage/database.h"
#include "storage/statement.h"

namespace dscope::model {

namespace {

constexpr int64_t kHour = 3600 * 1000;
constexpr int64_t kDay = 24 * kHour;

/// The user the case records for a process: its Sysmon 1 or Security 4688 first, else any event that names one.
std::string userOf(Database& db, const AlertProcess& p)
{
    if (p.guid.empty())
        return {};
    Statement st(db, "SELECT user_name FROM events WHERE subject_guid=? AND user_name IS NOT NULL AND user_name<>'' "
                     "ORDER BY event_id IN (1, 4688) DESC LIMIT 1");
    st.bindText(1, p.guid);
    return st.next() ? st.columnText(0) : std::string();
}

/// The parent GUID of a process, from its creation event.
std::string parentOf(Database& db, const AlertProcess& p)
{
    if (p.guid.empty())
        return {};
    Statement st(db, "SELECT parent_guid FROM events WHERE subject_guid=? AND event_id IN (1, 4688) "
                     "AND parent_guid IS NOT NULL LIMIT 1");
    st.bindText(1, p.guid);
    return st.next() ? st.columnText(0) : std::string();
}

std::string window(int64_t fromMs, int64_t toMs)
{
    return "from " + normalize::isoUtc(fromMs) + (toMs == kNoValue ? " on" : " to " + normalize::isoUtc(toMs));
}

} // namespace

bool resolvePivot(Database& db, const std::string& pivot, const Alert& alert, Pivot& out, std::string& error)
{
    out = Pivot{};
    EventFilter& f = out.filter;
    f.host = alert.host;
    const std::string on = alert.host.empty() ? std::string("every host") : alert.host;
    if (pivot == "user-activity") {
        f.fromMs = alert.firstUtcMs - kHour;
        f.toMs = alert.lastUtcMs + kDay;
        f.user = userOf(db, alert.source);
        if (f.user.empty()) {
            // Without the user, the source process's own events are the closest the case can show.
            out.caveat = "the case names no user for the source process; showing the source's own events instead";
            if (!alert.source.guid.empty())
                f.processGuids = {alert.source.guid};
        }
        out.description = "The same user's other activity on " + on + ": "
                          + (f.user.empty() ? alert.source.image : f.user) + ", " + window(f.fromMs, f.toMs);
    } else if (pivot == "lsass-handles") {
        f.fromMs = alert.firstUtcMs - kHour;
        f.toMs = alert.lastUtcMs + kDay;
        f.eventIds = {10, 4656, 4663};
        f.text = "lsass.exe";
        out.description = "Handles to lsass.exe on " + on + ", " + window(f.fromMs, f.toMs);
    } else if (pivot == "persistence") {
        f.fromMs = alert.firstUtcMs - kHour;
        f.eventIds = {7045, 4697, 4698, 4702, 12, 13, 14, 19, 20, 21};
        out.description = "Services, scheduled tasks, registry run and service keys and WMI subscriptions on " + on
                          + ", " + window(f.fromMs, kNoValue);
    } else if (pivot == "remote-access") {
        f.fromMs = alert.firstUtcMs - kHour;
        f.eventIds = {4624, 4625, 4648, 4672, 3, 4104};
        out.description = "Logons, network connections and PowerShell remoting on " + on + ", "
                          + window(f.fromMs, kNoValue);
    } else if (pivot == "later-threads") {
        f.fromMs = alert.firstUtcMs;
        f.eventIds = {8, 10};
        if (alert.target.guid.empty())
            out.caveat = "the target process has no GUID in this telemetry; showing every remote thread and handle";
        else
            f.processGuids = {alert.target.guid};
        out.description = "Remote threads and process handles of " + alert.target.image + " on " + on + ", "
                          + window(f.fromMs, kNoValue);
    } else if (pivot == "parent-activity") {
        f.fromMs = alert.firstUtcMs;
        if (!alert.source.guid.empty())
            f.processGuids.push_back(alert.source.guid);
        const std::string parent = parentOf(db, alert.target);
        if (!parent.empty() && parent != alert.source.guid)
            f.processGuids.push_back(parent);
        if (parent.empty())
            out.caveat = "the case has no creation event for the target, so its parent is unknown; showing the source";
        if (f.processGuids.empty())
            out.caveat = "neither process has a GUID in this telemetry; showing the host";
        out.description = "What " + alert.source.image + " and the target's parent did on " + on + ", "
                          + window(f.fromMs, kNoValue);
    } else if (pivot == "txf-activity") {
        f.fromMs = alert.firstUtcMs - kHour;
        f.toMs = alert.lastUtcMs + kHour;
        f.eventIds = {4985, 4656};
        out.description = "Transactions and transacted handles on " + on + ", " + window(f.fromMs, f.toMs);
    } else {
        error = "no such pivot: " + pivot;
        return false;
    }
    return true;
}

} // namespace dscope::model
