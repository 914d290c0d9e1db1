// SPDX-License-Identifier: MIT
#include "txftimeline.h"

#include "storage/database.h"
#include "storage/statement.h"

#include <QStringList>

#include <algorithm>
#include <map>
#include <set>

namespace dscope::model {

namespace {

constexpr int64_t kAlertMarginMs = 60 * 1000;
constexpr size_t kMaxMarkers = 20000; // a chart with more points than pixels shows nothing more

const char* kEventColumns = "id, utc_ms, event_id, subject_guid, subject_pid, subject_image, target_guid, "
                            "target_pid, target_image, target_filename, transaction_id, transaction_state, "
                            "granted_access, detail, channel";

bool isNullGuid(const std::string& g)
{
    return g.empty() || g.find_first_not_of("0-") == std::string::npos;
}

QString qs(const std::string& s) { return QString::fromStdString(s); }

QString fileName(const std::string& path)
{
    const QString p = qs(path);
    const qsizetype slash = std::max(p.lastIndexOf(QLatin1Char('\\')), p.lastIndexOf(QLatin1Char('/')));
    return slash < 0 ? p : p.mid(slash + 1);
}

QString processName(const std::string& image, int64_t pid)
{
    const QString name = image.empty() ? QStringLiteral("<unknown>") : fileName(image);
    return pid >= 0 ? QStringLiteral("%1 (%2)").arg(name).arg(pid) : name;
}

bool kindFor(int64_t eventId, const std::string& channel, const std::string& txn, MarkerKind& kind)
{
    const bool sysmon = channel.find("Sysmon") != std::string::npos || channel.find("sysmon") != std::string::npos;
    switch (eventId) {
    case 4985: kind = MarkerKind::TxState; return true;
    case 4656: kind = MarkerKind::TxHandle; return !isNullGuid(txn); // only handles opened inside a transaction
    case 4688: kind = MarkerKind::ProcessCreate; return true;
    default: break;
    }
    if (!sysmon)
        return false;
    switch (eventId) {
    case 1: kind = MarkerKind::ProcessCreate; return true;
    case 3: kind = MarkerKind::Network; return true;
    case 7: kind = MarkerKind::ImageLoad; return true;
    case 8: kind = MarkerKind::RemoteThread; return true;
    case 10: kind = MarkerKind::ProcessAccess; return true;
    case 11: kind = MarkerKind::FileCreate; return true;
    case 25: kind = MarkerKind::Tampering; return true;
    default: return false;
    }
}

struct Row {
    int64_t id = 0, utcMs = 0, eventId = 0, subjectPid = -1, targetPid = -1, access = -1;
    std::string subjectGuid, subjectImage, targetGuid, targetImage, file, txn, state, detail, channel;
};

Row readRow(const Statement& st)
{
    auto intOr = [&st](int c) { return st.columnIsNull(c) ? int64_t(-1) : st.columnInt(c); };
    Row r;
    r.id = st.columnInt(0);
    r.utcMs = st.columnInt(1);
    r.eventId = st.columnInt(2);
    r.subjectGuid = st.columnText(3);
    r.subjectPid = intOr(4);
    r.subjectImage = st.columnText(5);
    r.targetGuid = st.columnText(6);
    r.targetPid = intOr(7);
    r.targetImage = st.columnText(8);
    r.file = st.columnText(9);
    r.txn = st.columnText(10);
    r.state = st.columnText(11);
    r.access = intOr(12);
    r.detail = st.columnText(13);
    r.channel = st.columnText(14);
    return r;
}

QString markerText(const Row& r)
{
    const QString access = r.access >= 0 ? QStringLiteral("0x%1").arg(r.access, 0, 16) : QStringLiteral("?");
    switch (r.eventId) {
    case 4985:
        return QStringLiteral("4985 transaction {%1} changed state to %2").arg(qs(r.txn), qs(r.state));
    case 4656:
        return QStringLiteral("4656 %1 opened %2 inside transaction {%3}, access %4")
            .arg(processName(r.subjectImage, r.subjectPid), qs(r.file), qs(r.txn), access);
    case 1:
    case 4688: return QStringLiteral("%1 process created: %2").arg(r.eventId).arg(qs(r.subjectImage));
    case 3: return QStringLiteral("3 network connection by %1").arg(processName(r.subjectImage, r.subjectPid));
    case 7: return QStringLiteral("7 image load in %1").arg(processName(r.subjectImage, r.subjectPid));
    case 8:
        return QStringLiteral("8 %1 started a thread in %2")
            .arg(processName(r.subjectImage, r.subjectPid), processName(r.targetImage, r.targetPid));
    case 10:
        return QStringLiteral("10 %1 opened %2 with %3")
            .arg(processName(r.subjectImage, r.subjectPid), processName(r.targetImage, r.targetPid), access);
    case 11: return QStringLiteral("11 file created: %1").arg(qs(r.file));
    case 25:
        return QStringLiteral("25 process tampering in %1: %2")
            .arg(processName(r.subjectImage, r.subjectPid), qs(r.detail));
    default: return QString::number(r.eventId);
    }
}

bool laneMatches(const TimelineProcess& p, const std::string& guid, int64_t pid)
{
    if (!p.guid.empty() && !isNullGuid(guid))
        return p.guid == guid;
    return p.pid >= 0 && pid == p.pid;
}

/// The creation event of a process: its parent and, for PID-only requests, its GUID and image.
bool findCreation(Database& db, TimelineProcess& p, int64_t beforeMs, TimelineProcess& parent)
{
    std::unique_ptr<Statement> st;
    if (!p.guid.empty()) {
        st = std::make_unique<Statement>(db, "SELECT parent_guid, parent_pid, parent_image, subject_image, "
                                             "subject_pid FROM events WHERE subject_guid=? AND event_id=1 "
                                             "AND host=? COLLATE NOCASE LIMIT 1");
        st->bindText(1, p.guid);
        st->bindText(2, p.host);
    } else {
        st = std::make_unique<Statement>(db, "SELECT parent_guid, parent_pid, parent_image, subject_image, "
                                             "subject_pid, subject_guid FROM events WHERE event_id IN (1, 4688) "
                                             "AND subject_pid=? AND utc_ms<=? AND host=? COLLATE NOCASE "
                                             "ORDER BY utc_ms DESC LIMIT 1");
        st->bind(1, p.pid);
        st->bind(2, beforeMs);
        st->bindText(3, p.host);
    }
    if (!st->next())
        return false;
    parent.host = p.host;
    parent.guid = isNullGuid(st->columnText(0)) ? std::string() : st->columnText(0);
    parent.pid = st->columnIsNull(1) ? -1 : st->columnInt(1);
    parent.image = st->columnText(2);
    if (p.image.empty())
        p.image = st->columnText(3);
    if (p.pid < 0 && !st->columnIsNull(4))
        p.pid = st->columnInt(4);
    if (p.guid.empty() && st->columnCount() > 5 && !isNullGuid(st->columnText(5)))
        p.guid = st->columnText(5);
    return parent.pid >= 0 || !parent.guid.empty();
}

bool sameProcess(const TimelineProcess& a, const TimelineProcess& b)
{
    if (!a.guid.empty() && !b.guid.empty())
        return a.guid == b.guid;
    return a.pid >= 0 && a.pid == b.pid;
}

void evaluateSteps(TxfTimeline& t, const std::string& newProcessRole)
{
    std::map<QString, std::vector<const TimelineMarker*>> byTransaction;
    int handles = 0, fileCreates = 0, tampering = 0;
    const TimelineMarker* creation = nullptr;
    const TimelineMarker* anyCreation = nullptr;
    for (const auto& m : t.markers) {
        switch (m.kind) {
        case MarkerKind::TxState: byTransaction[m.text.section(QLatin1Char('{'), 1).section(QLatin1Char('}'), 0, 0)]
                                      .push_back(&m);
            break;
        case MarkerKind::TxHandle: ++handles; break;
        case MarkerKind::FileCreate: ++fileCreates; break;
        case MarkerKind::Tampering: ++tampering; break;
        case MarkerKind::ProcessCreate:
            if (!anyCreation)
                anyCreation = &m;
            if (!creation && t.lanes[size_t(m.lane)].process.role == newProcessRole)
                creation = &m;
            break;
        default: break;
        }
    }
    using V = DoppelStep::Visibility;
    int states = 0;
    const std::vector<const TimelineMarker*>* rolled = nullptr;
    for (const auto& [id, list] : byTransaction) {
        states += int(list.size());
        if (list.size() >= 2 && !rolled)
            rolled = &list;
    }
    t.steps.push_back({QStringLiteral("1. Create a transaction (CreateTransaction)"),
                       states ? V::Shown : V::NotInCase,
                       states ? QStringLiteral("Security 4985 x%1 (KTM transaction state changes)").arg(states)
                              : QStringLiteral("No Security 4985 for these processes in this case")});
    t.steps.push_back(
        {QStringLiteral("2. Write the file inside it (CreateFileTransacted, WriteFile)"),
         handles ? V::Shown : V::NotInCase,
         handles ? QStringLiteral("Security 4656 x%1 with a TransactionId").arg(handles)
         : fileCreates
             ? QStringLiteral("Sysmon 11 shows a file create, but not that it was inside a transaction (no 4656 "
                              "with a TransactionId: needs a file-system SACL)")
             : QStringLiteral("No 4656 with a TransactionId (needs object access auditing and a file-system SACL)")});
    t.steps.push_back({QStringLiteral("3. Create an image section from it (NtCreateSection)"), V::NeverLogged,
                       QStringLiteral("Neither Windows auditing nor Sysmon logs section creation")});
    QString rollEvidence;
    if (rolled) {
        QStringList codes;
        for (const auto* m : *rolled)
            codes << m->text.section(QLatin1String("state to "), 1);
        rollEvidence = QStringLiteral("Later 4985 state change of the same transaction (states %1); the end of the "
                                      "transaction is visible, the codes are shown as logged")
                           .arg(codes.join(QStringLiteral(" -> ")));
    }
    t.steps.push_back({QStringLiteral("4. Roll the transaction back (RollbackTransaction)"),
                       rolled ? V::Shown : V::NotInCase,
                       rolled ? rollEvidence
                       : states ? QStringLiteral("Only one 4985 per transaction: its end is not in the log")
                                : QStringLiteral("No Security 4985 in this case")});
    const TimelineMarker* shownCreation = creation ? creation : anyCreation;
    t.steps.push_back(
        {QStringLiteral("5. Create the process from the section (NtCreateProcessEx)"),
         shownCreation ? V::Shown : V::NotInCase,
         shownCreation ? QStringLiteral("%1 (logged when its first thread is inserted)").arg(shownCreation->text)
                       : QStringLiteral("No Sysmon 1 or Security 4688 for the new process in this case")});
    t.steps.push_back({QStringLiteral("   Tampering flagged (Sysmon 25)"), tampering ? V::Shown : V::NotInCase,
                       tampering ? QStringLiteral("Sysmon 25 x%1").arg(tampering)
                                 : QStringLiteral("No Sysmon 25 (needs Sysmon 13+ with ProcessTampering enabled)")});
    t.steps.push_back({QStringLiteral("6. Start its first thread (NtCreateThreadEx)"), V::NeverLogged,
                       QStringLiteral("Sysmon 8 is not raised for the first thread of a new process")});
}

} // namespace

QString markerKindName(MarkerKind kind)
{
    switch (kind) {
    case MarkerKind::TxState: return QStringLiteral("Transaction state (4985)");
    case MarkerKind::TxHandle: return QStringLiteral("Handle in transaction (4656)");
    case MarkerKind::FileCreate: return QStringLiteral("File create (11)");
    case MarkerKind::ProcessCreate: return QStringLiteral("Process create (1, 4688)");
    case MarkerKind::ProcessAccess: return QStringLiteral("Process access (10)");
    case MarkerKind::RemoteThread: return QStringLiteral("Remote thread (8)");
    case MarkerKind::Tampering: return QStringLiteral("Tampering (25)");
    case MarkerKind::ImageLoad: return QStringLiteral("Image load (7)");
    case MarkerKind::Network: return QStringLiteral("Network (3)");
    default: return {};
    }
}

TimelineRequest timelineRequestForAlert(const Alert& alert)
{
    TimelineRequest r;
    const bool doppel = alert.technique == "T1055.013";
    r.title = QStringLiteral("%1 %2").arg(qs(alert.ruleId), qs(alert.ruleName));
    auto add = [&](const AlertProcess& p, const char* role) {
        if (p.guid.empty() && p.pid < 0)
            return;
        r.processes.push_back({alert.host, p.guid, p.pid, p.image, role});
    };
    add(alert.source, doppel ? "loader" : "source");
    add(alert.target, doppel ? "new process" : "target");
    r.newProcessRole = doppel ? "new process" : "target";
    int64_t first = alert.firstUtcMs, last = std::max(alert.lastUtcMs, alert.firstUtcMs);
    for (const auto& e : alert.evidence) {
        if (e.utcMs) {
            first = std::min(first, e.utcMs);
            last = std::max(last, e.utcMs);
        }
    }
    r.fromMs = first - kAlertMarginMs;
    r.toMs = last + kAlertMarginMs;
    return r;
}

TimelineRequest timelineRequestForTxf(Database& db, std::string& error)
{
    TimelineRequest r;
    Statement first(db, "SELECT host, subject_pid, subject_image, utc_ms, subject_guid FROM events "
                        "WHERE event_id=4985 OR (event_id=4656 AND transaction_id IS NOT NULL "
                        "AND transaction_id<>'00000000-0000-0000-0000-000000000000') ORDER BY utc_ms LIMIT 1");
    if (!first.isValid()) {
        error = db.lastError();
        return r;
    }
    if (!first.next())
        return r;
    TimelineProcess loader{first.columnText(0), first.columnText(4), first.columnIsNull(1) ? -1 : first.columnInt(1),
                           first.columnText(2), "loader"};
    const int64_t t = first.columnInt(3);
    r.title = QStringLiteral("TxF activity of %1").arg(processName(loader.image, loader.pid));
    r.fromMs = t - kAlertMarginMs;
    r.toMs = t + 2 * kAlertMarginMs;
    if (loader.guid.empty() && loader.pid >= 0) {
        // Security events carry only the PID; Sysmon events of the same process around then give the GUID.
        Statement g(db, "SELECT subject_guid FROM events WHERE subject_pid=? AND host=? COLLATE NOCASE "
                        "AND subject_guid IS NOT NULL AND utc_ms BETWEEN ? AND ? LIMIT 1");
        g.bind(1, loader.pid);
        g.bindText(2, loader.host);
        g.bind(3, r.fromMs);
        g.bind(4, r.toMs);
        if (g.next())
            loader.guid = g.columnText(0);
    }
    r.processes.push_back(loader);
    Statement kids(db, "SELECT subject_guid, subject_pid, subject_image FROM events WHERE event_id IN (1, 4688) "
                       "AND utc_ms BETWEEN ? AND ? AND parent_pid=? AND host=? COLLATE NOCASE ORDER BY utc_ms");
    kids.bind(1, t);
    kids.bind(2, r.toMs);
    kids.bind(3, loader.pid);
    kids.bindText(4, loader.host);
    while (kids.next() && r.processes.size() < 8) {
        r.processes.push_back({loader.host, kids.columnText(0), kids.columnIsNull(1) ? -1 : kids.columnInt(1),
                               kids.columnText(2), "new process"});
    }
    return r;
}

TxfTimelinePtr buildTxfTimeline(Database& db, const TimelineRequest& request, std::string& error)
{
    auto t = std::make_shared<TxfTimeline>();
    t->title = request.title;
    // Lanes: the requested processes, then their parents (one each, no duplicates).
    std::vector<TimelineProcess> lanes;
    for (TimelineProcess p : request.processes) {
        TimelineProcess parent;
        const bool hasParent = findCreation(db, p, request.toMs, parent);
        if (std::none_of(lanes.begin(), lanes.end(), [&](const auto& l) { return sameProcess(l, p); }))
            lanes.push_back(p);
        if (hasParent && std::none_of(lanes.begin(), lanes.end(), [&](const auto& l) { return sameProcess(l, parent); })
            && std::none_of(request.processes.begin(), request.processes.end(),
                            [&](const auto& l) { return sameProcess(l, parent); })) {
            parent.role = "parent of " + fileName(p.image).toStdString();
            lanes.push_back(parent);
        }
    }
    for (const auto& p : lanes)
        t->lanes.push_back({p, QStringLiteral("%1 - %2").arg(processName(p.image, p.pid), qs(p.role))});

    std::map<int64_t, Row> rows; // by events.id: the same event reached from two lanes is one marker
    const std::string byGuid = std::string("SELECT ") + kEventColumns
                               + " FROM events WHERE (subject_guid=? OR target_guid=?) AND utc_ms BETWEEN ? AND ? "
                                 "AND host=? COLLATE NOCASE LIMIT 50000";
    // Security events name processes by PID only; the window keeps a reused PID out.
    const std::string byPid = std::string("SELECT ") + kEventColumns
                              + " FROM events WHERE event_id IN (1, 3, 7, 8, 10, 11, 25, 4656, 4688, 4985) "
                                "AND utc_ms BETWEEN ? AND ? AND (subject_pid=? OR target_pid=?) "
                                "AND host=? COLLATE NOCASE LIMIT 50000";
    for (const auto& p : lanes) {
        if (!p.guid.empty()) {
            Statement st(db, byGuid);
            st.bindText(1, p.guid);
            st.bindText(2, p.guid);
            st.bind(3, request.fromMs);
            st.bind(4, request.toMs);
            st.bindText(5, p.host);
            while (st.next())
                rows.emplace(st.columnInt(0), readRow(st));
        }
        if (p.pid >= 0) {
            Statement st(db, byPid);
            st.bind(1, request.fromMs);
            st.bind(2, request.toMs);
            st.bind(3, p.pid);
            st.bind(4, p.pid);
            st.bindText(5, p.host);
            if (!st.isValid()) {
                error = db.lastError();
                return nullptr;
            }
            while (st.next()) {
                Row r = readRow(st);
                // A GUID-bearing event of another process that reused the PID is not this lane's.
                const std::string& guid = r.subjectPid == p.pid ? r.subjectGuid : r.targetGuid;
                if (!p.guid.empty() && !isNullGuid(guid) && guid != p.guid)
                    continue;
                rows.emplace(r.id, std::move(r));
            }
        }
    }
    for (const auto& [id, r] : rows) {
        MarkerKind kind;
        if (!kindFor(r.eventId, r.channel, r.txn, kind))
            continue;
        int lane = -1;
        for (size_t i = 0; i < lanes.size() && lane < 0; ++i) {
            if (laneMatches(lanes[i], r.subjectGuid, r.subjectPid))
                lane = int(i);
        }
        for (size_t i = 0; i < lanes.size() && lane < 0; ++i) {
            if (laneMatches(lanes[i], r.targetGuid, r.targetPid))
                lane = int(i);
        }
        if (lane < 0)
            continue;
        if (t->markers.size() >= kMaxMarkers) {
            t->truncated = true;
            break;
        }
        t->markers.push_back({r.id, r.utcMs, r.eventId, lane, kind, markerText(r)});
    }
    std::stable_sort(t->markers.begin(), t->markers.end(),
                     [](const auto& a, const auto& b) { return a.utcMs < b.utcMs; });
    if (t->markers.empty()) {
        t->minMs = request.fromMs;
        t->maxMs = request.toMs;
    } else {
        t->minMs = t->markers.front().utcMs;
        t->maxMs = t->markers.back().utcMs;
    }
    evaluateSteps(*t, request.newProcessRole);
    return t;
}

} // namespace dscope::model
