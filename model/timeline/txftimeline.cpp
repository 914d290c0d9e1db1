// SPDX-License-Identifier: MIT
#include "txftimeline.h"

#include "domain/accessmask.h"
#include "domain/text.h"
#include "storage/database.h"
#include "storage/eventrecord.h"
#include "storage/statement.h"

#include <QStringList>

#include <algorithm>
#include <map>
#include <set>

namespace dscope::model {

namespace {

constexpr int64_t kAlertMarginMs = 60 * 1000;
constexpr size_t kMaxMarkers = 20000; // a chart with more points than pixels shows nothing more

// What a marker needs of an event.
constexpr EventFields kMarkerFields = {
    EventField::UtcMs, EventField::EventId, EventField::Channel, EventField::Provider, EventField::SubjectGuid,
    EventField::SubjectPid, EventField::SubjectImage, EventField::TargetGuid, EventField::TargetPid,
    EventField::TargetImage, EventField::TargetFilename, EventField::TransactionId, EventField::TransactionState,
    EventField::GrantedAccess, EventField::Detail};

bool isNullGuid(const std::string& g)
{
    return g.empty() || g.find_first_not_of("0-") == std::string::npos;
}

QString qs(const std::string& s) { return QString::fromStdString(s); }

QString processName(const std::string& image, int64_t pid)
{
    const QString name = image.empty() ? QStringLiteral("<unknown>") : baseName(qs(image));
    return pid >= 0 ? QStringLiteral("%1 (%2)").arg(name).arg(pid) : name;
}

bool kindFor(const EventRecord& r, MarkerKind& kind)
{
    const int64_t eventId = r.eventId;
    switch (eventId) {
    case 4985: kind = MarkerKind::TxState; return true;
    case 4656: kind = MarkerKind::TxHandle; return !isNullGuid(r.transactionId); // only handles inside a transaction
    case 4688: kind = MarkerKind::ProcessCreate; return true;
    default: break;
    }
    if (!r.isSysmon())
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

QString markerText(const EventRecord& r)
{
    const QString access = r.grantedAccess >= 0 ? QString::fromStdString(access::hex(uint32_t(r.grantedAccess)))
                                                : QStringLiteral("?");
    switch (r.eventId) {
    case 4985:
        return QStringLiteral("4985 transaction {%1} changed state to %2").arg(qs(r.transactionId), qs(r.transactionState));
    case 4656:
        return QStringLiteral("4656 %1 opened %2 inside transaction {%3}, access %4")
            .arg(processName(r.subjectImage, r.subjectPid), qs(r.targetFilename), qs(r.transactionId), access);
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
    case 11: return QStringLiteral("11 file created: %1").arg(qs(r.targetFilename));
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
    const EventFields fields = {EventField::ParentGuid, EventField::ParentPid, EventField::ParentImage,
                                EventField::SubjectImage, EventField::SubjectPid, EventField::SubjectGuid};
    std::unique_ptr<EventReader> reader;
    if (!p.guid.empty()) {
        reader = std::make_unique<EventReader>(db, fields, "subject_guid=?1 AND event_id=1 AND host=?2 COLLATE NOCASE",
                                               std::string_view(), 1);
        reader->statement().bindText(1, p.guid);
        reader->statement().bindText(2, p.host);
    } else {
        reader = std::make_unique<EventReader>(db, fields,
                                               "event_id IN (1, 4688) AND subject_pid=?1 AND utc_ms<=?2 "
                                               "AND host=?3 COLLATE NOCASE",
                                               "utc_ms DESC", 1);
        reader->statement().bind(1, p.pid);
        reader->statement().bind(2, beforeMs);
        reader->statement().bindText(3, p.host);
    }
    EventRecord r;
    if (!reader->next(r))
        return false;
    parent.host = p.host;
    parent.guid = isNullGuid(r.parentGuid) ? std::string() : r.parentGuid;
    parent.pid = r.parentPid;
    parent.image = r.parentImage;
    if (p.image.empty())
        p.image = r.subjectImage;
    if (p.pid < 0)
        p.pid = r.subjectPid;
    if (p.guid.empty() && !isNullGuid(r.subjectGuid))
        p.guid = r.subjectGuid;
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
    EventReader first(db, {EventField::Host, EventField::SubjectPid, EventField::SubjectImage, EventField::UtcMs,
                           EventField::SubjectGuid},
                      "event_id=4985 OR (event_id=4656 AND transaction_id IS NOT NULL "
                      "AND transaction_id<>'00000000-0000-0000-0000-000000000000')",
                      "utc_ms", 1);
    if (!first.isValid()) {
        error = first.error();
        return r;
    }
    EventRecord e;
    if (!first.next(e))
        return r;
    TimelineProcess loader{e.host, e.subjectGuid, e.subjectPid, e.subjectImage, "loader"};
    const int64_t t = e.utcMs;
    r.title = QStringLiteral("TxF activity of %1").arg(processName(loader.image, loader.pid));
    r.fromMs = t - kAlertMarginMs;
    r.toMs = t + 2 * kAlertMarginMs;
    if (loader.guid.empty() && loader.pid >= 0) {
        // Security events carry only the PID; Sysmon events of the same process around then give the GUID.
        EventReader g(db, {EventField::SubjectGuid},
                      "subject_pid=?1 AND host=?2 COLLATE NOCASE AND subject_guid IS NOT NULL "
                      "AND utc_ms BETWEEN ?3 AND ?4",
                      std::string_view(), 1);
        g.statement().bind(1, loader.pid);
        g.statement().bindText(2, loader.host);
        g.statement().bind(3, r.fromMs);
        g.statement().bind(4, r.toMs);
        if (g.next(e))
            loader.guid = e.subjectGuid;
    }
    r.processes.push_back(loader);
    EventReader kids(db, {EventField::SubjectGuid, EventField::SubjectPid, EventField::SubjectImage},
                     "event_id IN (1, 4688) AND utc_ms BETWEEN ?1 AND ?2 AND parent_pid=?3 AND host=?4 COLLATE NOCASE",
                     "utc_ms");
    kids.statement().bind(1, t);
    kids.statement().bind(2, r.toMs);
    kids.statement().bind(3, loader.pid);
    kids.statement().bindText(4, loader.host);
    while (r.processes.size() < 8 && kids.next(e))
        r.processes.push_back({loader.host, e.subjectGuid, e.subjectPid, e.subjectImage, "new process"});
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
            parent.role = "parent of " + std::string(baseName(p.image));
            lanes.push_back(parent);
        }
    }
    for (const auto& p : lanes)
        t->lanes.push_back({p, QStringLiteral("%1 - %2").arg(processName(p.image, p.pid), qs(p.role))});

    std::map<int64_t, EventRecord> rows; // by events.id: the same event reached from two lanes is one marker
    constexpr int64_t kMaxRowsPerLane = 50000;
    for (const auto& p : lanes) {
        EventRecord r;
        if (!p.guid.empty()) {
            EventReader byGuid(db, kMarkerFields,
                               "(subject_guid=?1 OR target_guid=?1) AND utc_ms BETWEEN ?2 AND ?3 AND host=?4 COLLATE NOCASE",
                               std::string_view(), kMaxRowsPerLane);
            byGuid.statement().bindText(1, p.guid);
            byGuid.statement().bind(2, request.fromMs);
            byGuid.statement().bind(3, request.toMs);
            byGuid.statement().bindText(4, p.host);
            while (byGuid.next(r))
                rows.emplace(r.id, r);
        }
        if (p.pid >= 0) {
            // Security events name processes by PID only; the window keeps a reused PID out.
            EventReader byPid(db, kMarkerFields,
                              "event_id IN (1, 3, 7, 8, 10, 11, 25, 4656, 4688, 4985) AND utc_ms BETWEEN ?1 AND ?2 "
                              "AND (subject_pid=?3 OR target_pid=?3) AND host=?4 COLLATE NOCASE",
                              std::string_view(), kMaxRowsPerLane);
            if (!byPid.isValid()) {
                error = byPid.error();
                return nullptr;
            }
            byPid.statement().bind(1, request.fromMs);
            byPid.statement().bind(2, request.toMs);
            byPid.statement().bind(3, p.pid);
            byPid.statement().bindText(4, p.host);
            while (byPid.next(r)) {
                // A GUID-bearing event of another process that reused the PID is not this lane's.
                const std::string& guid = r.subjectPid == p.pid ? r.subjectGuid : r.targetGuid;
                if (!p.guid.empty() && !isNullGuid(guid) && guid != p.guid)
                    continue;
                rows.emplace(r.id, r);
            }
        }
    }
    for (const auto& [id, r] : rows) {
        MarkerKind kind;
        if (!kindFor(r, kind))
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
