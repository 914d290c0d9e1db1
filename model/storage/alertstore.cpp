// SPDX-License-Identifier: MIT
#include "alertstore.h"

#include "database.h"
#include "domain/event.h"
#include "statement.h"

#include <set>

namespace dscope::model::alertstore {

namespace {

Triage readTriage(Statement& st, int firstColumn)
{
    Triage t;
    t.state = parseTriageState(st.columnView(firstColumn)).value_or(TriageState::New);
    t.reason = st.columnText(firstColumn + 1);
    t.analyst = st.columnText(firstColumn + 2);
    t.utcMs = st.columnIsNull(firstColumn + 3) ? 0 : st.columnInt(firstColumn + 3);
    return t;
}

bool addHistory(Database& db, int64_t alertId, int64_t utcMs, const std::string& analyst, const std::string& change)
{
    Statement st(db, "INSERT INTO alert_history(alert_id, at_ms, analyst, change) VALUES(?,?,?,?)");
    st.bind(1, alertId);
    st.bind(2, utcMs);
    st.bindTextOrNull(3, analyst);
    st.bindText(4, change);
    return st.exec();
}

/// Binds an alert's stored columns in the order merge's and storeImported's statements name them: rule set
/// version, severity, host, source (GUID, PID, image), target (GUID, PID, image), first, last, count, explanation,
/// updated. Texts are bound without a copy: `a` outlives the statement's step.
void bindAlertColumns(Statement& st, const Alert& a, int ruleSetVersion, int64_t nowMs)
{
    st.bind(1, int64_t(ruleSetVersion));
    st.bindText(2, severityName(a.severity));
    st.bindTextOrNull(3, a.host);
    st.bindTextOrNull(4, a.source.guid);
    st.bindIntOrNull(5, a.source.pid < 0 ? kNoValue : a.source.pid);
    st.bindTextOrNull(6, a.source.image);
    st.bindTextOrNull(7, a.target.guid);
    st.bindIntOrNull(8, a.target.pid < 0 ? kNoValue : a.target.pid);
    st.bindTextOrNull(9, a.target.image);
    st.bind(10, a.firstUtcMs);
    st.bind(11, a.lastUtcMs);
    st.bind(12, a.count);
    st.bindText(13, a.explanation);
    st.bind(14, nowMs);
}

} // namespace

bool merge(Database& db, AlertSet& set, const std::vector<std::string>& rulesRun, int ruleSetVersion, int64_t nowMs,
           std::string& error)
{
    Transaction tx(db);
    if (!tx.isOpen()) {
        error = "cannot lock the case to store the alerts: " + db.lastError();
        return false;
    }
    Statement find(db, "SELECT id, raised_ms, triage, triage_reason, triage_by, triage_ms FROM alerts WHERE identity=?");
    Statement update(db, "UPDATE alerts SET rule_set_version=?, severity=?, host=?, source_guid=?, source_pid=?, "
                         "source_image=?, target_guid=?, target_pid=?, target_image=?, first_ms=?, last_ms=?, count=?, "
                         "explanation=?, updated_ms=?, stale=0, origin=NULL WHERE id=?");
    Statement insert(db, "INSERT INTO alerts(rule_set_version, severity, host, source_guid, source_pid, source_image, "
                         "target_guid, target_pid, target_image, first_ms, last_ms, count, explanation, updated_ms, "
                         "identity, rule_id, raised_ms) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    std::set<int64_t> raised;
    for (Alert& a : set.alerts) {
        const std::string identity = alertIdentity(a);
        find.bindText(1, identity);
        const bool known = find.next();
        int64_t id = 0;
        if (known) {
            id = find.columnInt(0);
            a.raisedUtcMs = find.columnInt(1);
            a.triage = readTriage(find, 2);
        }
        find.reset();
        Statement& st = known ? update : insert;
        bindAlertColumns(st, a, ruleSetVersion, nowMs);
        if (known) {
            st.bind(15, id);
        } else {
            st.bindText(15, identity);
            st.bindText(16, a.ruleId);
            st.bind(17, nowMs);
            a.raisedUtcMs = nowMs;
            a.triage = Triage{};
        }
        if (!st.exec()) {
            error = "cannot store alert " + a.ruleId + ": " + db.lastError();
            return false;
        }
        a.caseId = known ? id : db.lastInsertRowId();
        raised.insert(a.caseId);
    }
    // The alerts of the rules that ran and did not raise them again this time.
    set.staleAlerts = 0;
    // Imported alerts are not this run's to judge: their events may not be in the case at all.
    Statement ofRule(db, "SELECT id FROM alerts WHERE rule_id=? AND origin IS NULL");
    Statement markStale(db, "UPDATE alerts SET stale=1 WHERE id=?");
    for (const std::string& rule : rulesRun) {
        ofRule.bindText(1, rule);
        std::vector<int64_t> ids;
        while (ofRule.next())
            ids.push_back(ofRule.columnInt(0));
        ofRule.reset();
        for (int64_t id : ids) {
            if (raised.count(id))
                continue;
            markStale.bind(1, id);
            if (!markStale.exec()) {
                error = "cannot mark the alerts no longer raised: " + db.lastError();
                return false;
            }
            ++set.staleAlerts;
        }
    }
    if (!tx.commit()) {
        error = "cannot store the alerts: " + db.lastError();
        return false;
    }
    return true;
}

bool setTriage(Database& db, int64_t alertId, const Triage& triage, std::string& error)
{
    if (triageNeedsReason(triage.state) && triage.reason.find_first_not_of(" \t\r\n") == std::string::npos) {
        error = std::string("a reason is needed to mark an alert ") + triageStateName(triage.state);
        return false;
    }
    Transaction tx(db);
    Statement st(db, "UPDATE alerts SET triage=?, triage_reason=?, triage_by=?, triage_ms=? WHERE id=?");
    st.bindText(1, triageStateName(triage.state));
    st.bindTextOrNull(2, triage.reason);
    st.bindTextOrNull(3, triage.analyst);
    st.bind(4, triage.utcMs);
    st.bind(5, alertId);
    std::string change = std::string("triage: ") + triageStateName(triage.state);
    if (!triage.reason.empty())
        change += " (" + triage.reason + ")";
    if (!tx.isOpen() || !st.exec() || db.changes() != 1 || !addHistory(db, alertId, triage.utcMs, triage.analyst, change)
        || !tx.commit()) {
        error = db.lastError().empty() ? "no stored alert " + std::to_string(alertId)
                                       : "cannot store the triage: " + db.lastError();
        return false;
    }
    return true;
}

bool setChecklistItem(Database& db, int64_t alertId, const ChecklistItemState& state, std::string& error)
{
    Transaction tx(db);
    Statement st(db, "INSERT INTO checklist_state(alert_id, item, done, analyst, at_ms, note) VALUES(?,?,?,?,?,?) "
                     "ON CONFLICT(alert_id, item) DO UPDATE SET done=excluded.done, analyst=excluded.analyst, "
                     "at_ms=excluded.at_ms, note=excluded.note");
    st.bind(1, alertId);
    st.bindText(2, state.item);
    st.bind(3, int64_t(state.done ? 1 : 0));
    st.bindTextOrNull(4, state.analyst);
    st.bind(5, state.utcMs);
    st.bindTextOrNull(6, state.note);
    const std::string change = "checklist: " + state.item + (state.done ? " done" : " not done")
                               + (state.note.empty() ? std::string() : " - " + state.note);
    if (!tx.isOpen() || !st.exec() || !addHistory(db, alertId, state.utcMs, state.analyst, change) || !tx.commit()) {
        error = "cannot store the checklist item: " + db.lastError();
        return false;
    }
    return true;
}

std::vector<ChecklistItemState> checklistState(Database& db, int64_t alertId)
{
    std::vector<ChecklistItemState> out;
    Statement st(db, "SELECT item, done, analyst, at_ms, note FROM checklist_state WHERE alert_id=? ORDER BY item");
    st.bind(1, alertId);
    while (st.next())
        out.push_back({st.columnText(0), st.columnInt(1) != 0, st.columnText(2), st.columnInt(3), st.columnText(4)});
    return out;
}

std::vector<HistoryEntry> history(Database& db, int64_t alertId)
{
    std::vector<HistoryEntry> out;
    Statement st(db, "SELECT at_ms, analyst, change FROM alert_history WHERE alert_id=? ORDER BY at_ms, rowid");
    st.bind(1, alertId);
    while (st.next())
        out.push_back({st.columnInt(0), st.columnText(1), st.columnText(2)});
    return out;
}

namespace {

/// Stored alerts matching a fixed condition (written here, never from a log), oldest first; without evidence.
std::vector<Alert> storedAlerts(Database& db, const char* condition)
{
    std::vector<Alert> out;
    Statement st(db, std::string("SELECT id, triage, triage_reason, triage_by, triage_ms, rule_id, severity, host, source_guid, "
                                 "source_pid, source_image, target_guid, target_pid, target_image, first_ms, last_ms, count, "
                                 "explanation, raised_ms, origin FROM alerts WHERE ")
                         + condition + " ORDER BY first_ms, id");
    while (st.next()) {
        Alert a;
        a.caseId = st.columnInt(0);
        a.triage = readTriage(st, 1);
        a.ruleId = st.columnText(5);
        a.severity = parseSeverity(st.columnView(6)).value_or(Severity::Medium);
        a.host = st.columnText(7);
        a.source = {st.columnText(8), st.columnIsNull(9) ? -1 : st.columnInt(9), st.columnText(10)};
        a.target = {st.columnText(11), st.columnIsNull(12) ? -1 : st.columnInt(12), st.columnText(13)};
        a.firstUtcMs = st.columnInt(14);
        a.lastUtcMs = st.columnInt(15);
        a.count = st.columnInt(16);
        a.explanation = st.columnText(17);
        a.raisedUtcMs = st.columnInt(18);
        a.origin = st.columnText(19);
        out.push_back(std::move(a));
    }
    return out;
}

} // namespace

std::vector<Alert> staleAlerts(Database& db) { return storedAlerts(db, "stale=1"); }

std::vector<Alert> importedAlerts(Database& db) { return storedAlerts(db, "origin IS NOT NULL AND stale=0"); }

bool storeImported(Database& db, std::vector<Alert>& alerts, int ruleSetVersion, int64_t nowMs, int64_t& added,
                   std::string& error)
{
    added = 0;
    Statement find(db, "SELECT id, origin FROM alerts WHERE identity=?");
    Statement widen(db, "UPDATE alerts SET first_ms=min(first_ms, ?), last_ms=max(last_ms, ?), count=max(count, ?), "
                        "updated_ms=? WHERE id=?");
    Statement insert(db, "INSERT INTO alerts(rule_set_version, severity, host, source_guid, source_pid, source_image, "
                         "target_guid, target_pid, target_image, first_ms, last_ms, count, explanation, updated_ms, "
                         "identity, rule_id, raised_ms, origin) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    for (Alert& a : alerts) {
        // Bound without a copy (SQLITE_STATIC): the texts live until the statements have run.
        const std::string identity = alertIdentity(a);
        const std::string origin = a.origin.empty() ? std::string("imported") : a.origin;
        find.bindText(1, identity);
        const bool known = find.next();
        const int64_t id = known ? find.columnInt(0) : 0;
        const bool fromOutside = known && !find.columnIsNull(1);
        find.reset();
        bool ok = true;
        if (known && fromOutside) {
            widen.bind(1, a.firstUtcMs);
            widen.bind(2, a.lastUtcMs);
            widen.bind(3, a.count);
            widen.bind(4, nowMs);
            widen.bind(5, id);
            ok = widen.exec();
        } else if (!known) {
            bindAlertColumns(insert, a, ruleSetVersion, nowMs);
            insert.bindText(15, identity);
            insert.bindText(16, a.ruleId);
            insert.bind(17, nowMs);
            insert.bindText(18, origin);
            ok = insert.exec();
            if (ok) {
                ++added;
                a.raisedUtcMs = nowMs;
            }
        }
        if (!ok) {
            error = "cannot store imported alert " + a.ruleId + ": " + db.lastError();
            return false;
        }
        a.caseId = known ? id : db.lastInsertRowId();
    }
    return true;
}

std::vector<std::pair<int64_t, Triage>> triageById(Database& db)
{
    std::vector<std::pair<int64_t, Triage>> out;
    Statement st(db, "SELECT id, triage, triage_reason, triage_by, triage_ms FROM alerts ORDER BY id");
    while (st.next())
        out.emplace_back(st.columnInt(0), readTriage(st, 1));
    return out;
}

} // namespace dscope::model::alertstore
