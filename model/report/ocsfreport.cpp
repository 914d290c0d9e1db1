// SPDX-License-Identifier: MIT
#include "ocsfreport.h"

#include "domain/accessmask.h"
#include "domain/text.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace dscope::model {

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

/// OCSF severity_id: 1 Informational, 2 Low, 3 Medium, 4 High, 5 Critical.
int severityId(Severity s)
{
    switch (s) {
    case Severity::Low: return 2;
    case Severity::Medium: return 3;
    case Severity::High: return 4;
    case Severity::Critical: return 5;
    }
    return 0;
}

/// OCSF finding status_id: 1 New, 2 In Progress, 3 Suppressed (benign or false positive), 4 Resolved.
std::pair<int, const char*> status(TriageState t)
{
    switch (t) {
    case TriageState::New: return {1, "New"};
    case TriageState::InProgress: return {2, "In Progress"};
    case TriageState::TruePositive: return {2, "In Progress"}; // confirmed, still being handled
    case TriageState::Benign:
    case TriageState::FalsePositive: return {3, "Suppressed"};
    }
    return {1, "New"};
}

QJsonObject process(const AlertProcess& p)
{
    QJsonObject o;
    if (!p.guid.empty())
        o.insert(QStringLiteral("uid"), qs(p.guid));
    if (p.pid >= 0)
        o.insert(QStringLiteral("pid"), qint64(p.pid));
    if (!p.image.empty()) {
        QJsonObject file;
        file.insert(QStringLiteral("path"), qs(p.image));
        file.insert(QStringLiteral("name"), qs(std::string(baseName(p.image))));
        file.insert(QStringLiteral("type_id"), 1); // regular file
        o.insert(QStringLiteral("file"), file);
        o.insert(QStringLiteral("name"), file.value(QStringLiteral("name")));
    }
    return o;
}

QJsonObject observable(const QString& name, int typeId, const QString& value)
{
    return {{QStringLiteral("name"), name}, {QStringLiteral("type_id"), typeId}, {QStringLiteral("value"), value}};
}

QJsonObject finding(const ReportedAlert& r, const CaseReport& report)
{
    const Alert& a = r.alert;
    QJsonObject f;
    f.insert(QStringLiteral("class_uid"), 2004);
    f.insert(QStringLiteral("class_name"), QStringLiteral("Detection Finding"));
    f.insert(QStringLiteral("category_uid"), 2);
    f.insert(QStringLiteral("category_name"), QStringLiteral("Findings"));
    f.insert(QStringLiteral("activity_id"), 1);
    f.insert(QStringLiteral("activity_name"), QStringLiteral("Create"));
    f.insert(QStringLiteral("type_uid"), 200401);
    f.insert(QStringLiteral("time"), qint64(a.raisedUtcMs > 0 ? a.raisedUtcMs : report.options.generatedUtcMs));
    f.insert(QStringLiteral("start_time"), qint64(a.firstUtcMs));
    f.insert(QStringLiteral("end_time"), qint64(a.lastUtcMs));
    f.insert(QStringLiteral("severity_id"), severityId(a.severity));
    f.insert(QStringLiteral("severity"), QString::fromLatin1(severityName(a.severity)).replace(0, 1, QChar::fromLatin1(severityName(a.severity)[0]).toUpper()));
    const auto [statusId, statusName] = status(a.triage.state);
    f.insert(QStringLiteral("status_id"), statusId);
    f.insert(QStringLiteral("status"), QLatin1String(statusName));
    f.insert(QStringLiteral("is_alert"), true);
    f.insert(QStringLiteral("message"), qs(a.ruleId + " " + a.ruleName + " on " + a.host));

    QJsonObject product{{QStringLiteral("name"), QStringLiteral("Doppelscope")},
                        {QStringLiteral("vendor_name"), QStringLiteral("Doppelscope")},
                        {QStringLiteral("version"), qs(report.options.generator)}};
    f.insert(QStringLiteral("metadata"), QJsonObject{{QStringLiteral("version"), QStringLiteral("1.3.0")},
                                                     {QStringLiteral("product"), product},
                                                     {QStringLiteral("uid"), QString::number(a.caseId)}});

    QJsonObject technique{{QStringLiteral("uid"), qs(a.technique)}};
    QJsonObject attack{{QStringLiteral("technique"), technique},
                       {QStringLiteral("version"), QStringLiteral("ATT&CK")}};
    QJsonObject analytic{{QStringLiteral("uid"), qs(a.ruleId)},
                         {QStringLiteral("name"), qs(a.ruleName)},
                         {QStringLiteral("type_id"), 1}, // rule
                         {QStringLiteral("type"), QStringLiteral("Rule")},
                         {QStringLiteral("version"), QString::number(report.options.ruleSetVersion)}};
    QJsonObject info{{QStringLiteral("uid"), QStringLiteral("doppelscope-%1-%2").arg(qs(report.options.caseName)).arg(a.caseId)},
                     {QStringLiteral("title"), qs(a.ruleName)},
                     {QStringLiteral("desc"), qs(a.explanation)},
                     {QStringLiteral("analytic"), analytic},
                     {QStringLiteral("attacks"), QJsonArray{attack}},
                     {QStringLiteral("first_seen_time"), qint64(a.firstUtcMs)},
                     {QStringLiteral("last_seen_time"), qint64(a.lastUtcMs)},
                     {QStringLiteral("related_events_count"), qint64(a.count)}};
    QJsonArray related;
    QJsonArray evidences;
    for (const auto& e : a.evidence) {
        related.append(QJsonObject{{QStringLiteral("uid"), QString::number(e.eventRowId)},
                                   {QStringLiteral("type_uid"), qint64(e.eventId)},
                                   {QStringLiteral("time"), qint64(e.utcMs)},
                                   {QStringLiteral("product_uid"), qs(e.inputPath)},
                                   {QStringLiteral("desc"), qs(e.role)}});
    }
    info.insert(QStringLiteral("related_events"), related);
    f.insert(QStringLiteral("finding_info"), info);

    QJsonObject evidence{{QStringLiteral("process"), process(a.target)},
                         {QStringLiteral("actor"), QJsonObject{{QStringLiteral("process"), process(a.source)}}}};
    QJsonArray masks;
    for (const auto& m : a.masks)
        masks.append(QJsonObject{{QStringLiteral("value"), qs(access::hex(uint32_t(m.value)))},
                                 {QStringLiteral("object"), QLatin1String(access::objectTypeName(m.objectType))},
                                 {QStringLiteral("rights"), qs(m.summary)}});
    if (!masks.isEmpty())
        evidence.insert(QStringLiteral("data"), QJsonObject{{QStringLiteral("access_masks"), masks}});
    evidences.append(evidence);
    f.insert(QStringLiteral("evidences"), evidences);
    f.insert(QStringLiteral("device"), QJsonObject{{QStringLiteral("hostname"), qs(a.host)},
                                                   {QStringLiteral("type_id"), 0}});

    QJsonArray observables;
    observables.append(observable(QStringLiteral("device.hostname"), 1, qs(a.host)));
    if (!a.source.image.empty())
        observables.append(observable(QStringLiteral("evidences[0].actor.process.file.path"), 7, qs(a.source.image)));
    if (!a.target.image.empty())
        observables.append(observable(QStringLiteral("evidences[0].process.file.path"), 7, qs(a.target.image)));
    if (!a.source.guid.empty())
        observables.append(observable(QStringLiteral("evidences[0].actor.process.uid"), 99, qs(a.source.guid)));
    if (!a.target.guid.empty())
        observables.append(observable(QStringLiteral("evidences[0].process.uid"), 99, qs(a.target.guid)));
    for (const auto& in : report.info.inputs)
        for (const auto& e : a.evidence)
            if (e.inputPath == in.path || in.path.ends_with("/" + e.inputPath)) {
                observables.append(observable(QStringLiteral("input.sha256"), 8, qs(in.sha256)));
                break;
            }
    f.insert(QStringLiteral("observables"), observables);

    QJsonArray notes;
    if (a.triage.utcMs > 0)
        notes.append(QJsonObject{{QStringLiteral("desc"), qs(std::string(triageStateName(a.triage.state))
                                                             + (a.triage.reason.empty() ? "" : ": " + a.triage.reason))},
                                 {QStringLiteral("user"), QJsonObject{{QStringLiteral("name"), qs(a.triage.analyst)}}},
                                 {QStringLiteral("create_time"), qint64(a.triage.utcMs)}});
    for (const auto& h : r.history)
        notes.append(QJsonObject{{QStringLiteral("desc"), qs(h.change)},
                                 {QStringLiteral("user"), QJsonObject{{QStringLiteral("name"), qs(h.analyst)}}},
                                 {QStringLiteral("create_time"), qint64(h.utcMs)}});
    // The analysts' notes on the alert, its processes and its evidence; their tags as the finding's labels.
    QJsonArray labels;
    for (const ReportNote& n : r.notes) {
        notes.append(QJsonObject{{QStringLiteral("desc"), qs(n.subject + ": " + n.annotation.note)},
                                 {QStringLiteral("user"), QJsonObject{{QStringLiteral("name"), qs(n.annotation.analyst)}}},
                                 {QStringLiteral("create_time"), qint64(n.annotation.utcMs)}});
        for (const auto& tag : n.annotation.tags)
            if (!labels.contains(qs(tag)))
                labels.append(qs(tag));
    }
    if (!notes.isEmpty())
        f.insert(QStringLiteral("notes"), notes);
    if (!labels.isEmpty()) {
        QJsonObject metadata = f.value(QStringLiteral("metadata")).toObject();
        metadata.insert(QStringLiteral("labels"), labels);
        f.insert(QStringLiteral("metadata"), metadata);
    }
    // What OCSF has no place for: the triage word itself and the checklist state.
    QJsonArray checklist;
    for (const auto& c : r.checklist)
        checklist.append(QJsonObject{{QStringLiteral("item"), qs(c.item)},
                                     {QStringLiteral("done"), c.done},
                                     {QStringLiteral("note"), qs(c.note)},
                                     {QStringLiteral("analyst"), qs(c.analyst)},
                                     {QStringLiteral("time"), qint64(c.utcMs)}});
    f.insert(QStringLiteral("unmapped"), QJsonObject{{QStringLiteral("triage"), QLatin1String(triageStateName(a.triage.state))},
                                                     {QStringLiteral("checklist"), checklist}});
    return f;
}

} // namespace

std::string renderOcsfReport(const CaseReport& report)
{
    QJsonObject header;
    header.insert(QStringLiteral("name"), qs(report.options.caseName));
    header.insert(QStringLiteral("generator"), qs(report.options.generator));
    header.insert(QStringLiteral("generated_time"), qint64(report.options.generatedUtcMs));
    header.insert(QStringLiteral("rule_set_version"), report.options.ruleSetVersion);
    header.insert(QStringLiteral("events"), qint64(report.info.events));
    header.insert(QStringLiteral("first_time"), qint64(report.info.firstUtcMs));
    header.insert(QStringLiteral("last_time"), qint64(report.info.lastUtcMs));
    header.insert(QStringLiteral("alerts_in_case"), qint64(report.alertsInCase));
    header.insert(QStringLiteral("alerts_reported"), qint64(report.alerts.size()));
    header.insert(QStringLiteral("selection"), QLatin1String(reportAlertsName(report.options.alerts)));
    if (!report.options.host.empty())
        header.insert(QStringLiteral("host"), qs(report.options.host));
    QJsonArray inputs;
    for (const auto& in : report.info.inputs)
        inputs.append(QJsonObject{{QStringLiteral("path"), qs(in.path)},
                                  {QStringLiteral("sha256"), qs(in.sha256)},
                                  {QStringLiteral("format"), qs(in.format)},
                                  {QStringLiteral("layout"), qs(in.layout)},
                                  {QStringLiteral("events"), qint64(in.events)},
                                  {QStringLiteral("skipped"), qint64(in.skipped)},
                                  {QStringLiteral("status"), QLatin1String(inputStatusName(in.status))}});
    header.insert(QStringLiteral("inputs"), inputs);
    QJsonArray blind;
    for (const auto& b : report.blindSpots)
        blind.append(QJsonObject{{QStringLiteral("rule"), qs(b.ruleId)}, {QStringLiteral("message"), qs(b.message)}});
    header.insert(QStringLiteral("blind_spots"), blind);
    QJsonArray annotations;
    for (const ReportNote& n : report.notes) {
        QJsonArray tags;
        for (const auto& t : n.annotation.tags)
            tags.append(qs(t));
        annotations.append(QJsonObject{{QStringLiteral("on"), QLatin1String(annotationKindName(n.annotation.kind))},
                                       {QStringLiteral("ref"), qs(n.annotation.ref)},
                                       {QStringLiteral("subject"), qs(n.subject)},
                                       {QStringLiteral("note"), qs(n.annotation.note)},
                                       {QStringLiteral("tags"), tags},
                                       {QStringLiteral("bookmark"), n.annotation.bookmark},
                                       {QStringLiteral("analyst"), qs(n.annotation.analyst)},
                                       {QStringLiteral("time"), qint64(n.annotation.utcMs)}});
    }
    header.insert(QStringLiteral("annotations"), annotations);
    QJsonArray stale;
    for (const Alert& a : report.staleAlerts)
        stale.append(QJsonObject{{QStringLiteral("alert"), qint64(a.caseId)},
                                 {QStringLiteral("rule"), qs(a.ruleId)},
                                 {QStringLiteral("host"), qs(a.host)},
                                 {QStringLiteral("triage"), QLatin1String(triageStateName(a.triage.state))},
                                 {QStringLiteral("reason"), qs(a.triage.reason)}});
    header.insert(QStringLiteral("alerts_no_longer_raised"), stale);
    QJsonArray findings;
    for (const auto& r : report.alerts)
        findings.append(finding(r, report));
    const QJsonObject root{{QStringLiteral("case"), header}, {QStringLiteral("findings"), findings}};
    return QJsonDocument(root).toJson(QJsonDocument::Indented).toStdString();
}

} // namespace dscope::model
