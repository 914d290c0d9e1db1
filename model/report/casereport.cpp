// SPDX-License-Identifier: MIT
#include "casereport.h"

#include "processtree/processtreebuilder.h"
#include "storage/database.h"

#include <QString>

#include <set>

namespace dscope::model {

namespace {

constexpr size_t kAncestors = 3;   // lines above each process of the alert: enough to see how it was started
constexpr size_t kChildren = 8;    // children of the target listed; the rest are counted

ReportProcess reportProcess(const ProcessNode& n, int depth, std::string role)
{
    ReportProcess p;
    p.depth = depth;
    p.image = n.image.toStdString();
    p.pid = n.pid;
    p.guid = n.guid.toStdString();
    p.user = n.user.toStdString();
    p.commandLine = n.commandLine.toStdString();
    p.startUtcMs = n.hasStart ? n.startUtcMs : 0;
    p.role = std::move(role);
    return p;
}

/// The source's chain (its last ancestors down to it), then the target's: below the source's when they share a
/// shown ancestor (a process that started the process it injects into), else as a chain of its own; then the
/// target's first children.
std::vector<ReportProcess> treeExcerpt(const ProcessTree& tree, const Alert& a)
{
    std::vector<ReportProcess> out;
    const QString host = QString::fromStdString(a.host);
    auto find = [&](const AlertProcess& p) {
        return p.guid.empty() ? tree.findByPid(host, p.pid, a.firstUtcMs) : tree.findByGuid(host, QString::fromStdString(p.guid));
    };
    const int source = find(a.source), target = find(a.target);
    const std::vector<int> sourcePath = source >= 0 ? tree.pathTo(source) : std::vector<int>{};
    const std::vector<int> targetPath = target >= 0 ? tree.pathTo(target) : std::vector<int>{};
    auto role = [&](int node) { return node == source ? "source" : node == target ? "target" : ""; };
    const size_t sourceFrom = sourcePath.size() > kAncestors + 1 ? sourcePath.size() - kAncestors - 1 : 0;
    for (size_t i = sourceFrom; i < sourcePath.size(); ++i)
        out.push_back(reportProcess(tree.nodes[size_t(sourcePath[i])], int(i - sourceFrom), role(sourcePath[i])));
    size_t shared = 0;
    while (shared < sourcePath.size() && shared < targetPath.size() && sourcePath[shared] == targetPath[shared])
        ++shared;
    if (shared > sourceFrom) { // the chains meet in what is shown: the target's continues below the meeting point
        for (size_t i = shared; i < targetPath.size(); ++i)
            out.push_back(reportProcess(tree.nodes[size_t(targetPath[i])], int(i - sourceFrom), role(targetPath[i])));
    } else {
        const size_t targetFrom = targetPath.size() > kAncestors + 1 ? targetPath.size() - kAncestors - 1 : 0;
        for (size_t i = targetFrom; i < targetPath.size(); ++i)
            out.push_back(reportProcess(tree.nodes[size_t(targetPath[i])], int(i - targetFrom), role(targetPath[i])));
    }
    if (target >= 0 && target != source) {
        const ProcessNode& t = tree.nodes[size_t(target)];
        const int depth = out.back().depth + 1;
        for (size_t i = 0; i < std::min(kChildren, t.children.size()); ++i)
            out.push_back(reportProcess(tree.nodes[size_t(t.children[i])], depth, "child of the target"));
        if (t.children.size() > kChildren) {
            ReportProcess more;
            more.depth = depth;
            more.image = "(" + std::to_string(t.children.size() - kChildren) + " more children)";
            out.push_back(std::move(more));
        }
    }
    return out;
}

} // namespace

const char* reportAlertsName(ReportAlerts a)
{
    switch (a) {
    case ReportAlerts::All: return "All alerts";
    case ReportAlerts::Open: return "Open alerts (new, in progress)";
    case ReportAlerts::TruePositives: return "True positives";
    }
    return "All alerts";
}

bool buildCaseReport(Database& db, const AlertSet& alerts, std::shared_ptr<const Checklists> checklists,
                     const ReportOptions& options, CaseReport& out, std::string& error)
{
    out = CaseReport{};
    out.options = options;
    out.checklists = std::move(checklists);
    out.blindSpots = alerts.blindSpots;
    out.eventsScanned = alerts.eventsScanned;
    out.alertsInCase = int64_t(alerts.alerts.size());
    if (!loadCaseInfo(db, out.info, error))
        return false;
    const QString host = QString::fromStdString(options.host);
    // One tree for every alert: the same identity rules as the Process tree page (GUIDs, PID reuse, 4688).
    std::string treeError;
    const ProcessTreePtr tree = buildProcessTree(db, &alerts, treeError);
    // Every annotation once, with what it is on; the alerts pick theirs from it below.
    std::vector<ReportNote> notes;
    for (ReportNote& n : annotationstore::searchDescribed(db, {}))
        if (host.isEmpty() || QString::fromStdString(n.host).compare(host, Qt::CaseInsensitive) == 0)
            notes.push_back(std::move(n));
    out.notes = notes;
    for (Alert& a : alertstore::staleAlerts(db))
        if (host.isEmpty() || QString::fromStdString(a.host).compare(host, Qt::CaseInsensitive) == 0)
            out.staleAlerts.push_back(std::move(a));
    for (const Alert& a : alerts.alerts) {
        if (!host.isEmpty() && QString::fromStdString(a.host).compare(host, Qt::CaseInsensitive) != 0)
            continue;
        if (options.alerts == ReportAlerts::Open && !triageIsOpen(a.triage.state))
            continue;
        if (options.alerts == ReportAlerts::TruePositives && a.triage.state != TriageState::TruePositive)
            continue;
        ReportedAlert r;
        r.alert = a;
        if (a.caseId > 0) {
            r.checklist = alertstore::checklistState(db, a.caseId);
            r.history = alertstore::history(db, a.caseId);
        }
        if (tree)
            r.tree = treeExcerpt(*tree, a);
        std::set<std::string> evidence;
        for (const auto& e : a.evidence)
            evidence.insert(std::to_string(e.eventRowId));
        for (const ReportNote& n : notes) {
            const Annotation& an = n.annotation;
            const bool mine = (an.kind == Annotation::Kind::Alert && a.caseId > 0 && an.ref == std::to_string(a.caseId))
                              || (an.kind == Annotation::Kind::Event && evidence.count(an.ref))
                              || (an.kind == Annotation::Kind::Process
                                  && ((!a.source.guid.empty() && an.ref == processRef(a.host, a.source.guid))
                                      || (!a.target.guid.empty() && an.ref == processRef(a.host, a.target.guid))));
            if (mine)
                r.notes.push_back(n);
        }
        out.alerts.push_back(std::move(r));
    }
    return true;
}

} // namespace dscope::model
