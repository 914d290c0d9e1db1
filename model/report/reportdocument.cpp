// SPDX-License-Identifier: MIT
#include "reportdocument.h"

#include "domain/accessmask.h"
#include "domain/normalize.h"
#include "domain/text.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

#include <algorithm>
#include <map>

namespace dscope::model::reportdoc {

namespace {

using Style = Span::Style;

std::string num(int64_t n) { return std::to_string(n); }
std::string time(int64_t ms) { return ms > 0 ? normalize::isoUtc(ms) : std::string("-"); }
Span plain(std::string t) { return {std::move(t), Style::Plain}; }
Span bold(std::string t) { return {std::move(t), Style::Bold}; }
Span mono(std::string t) { return {std::move(t), Style::Mono}; }
Span small(std::string t) { return {std::move(t), Style::Small}; }
Span badge(Severity s) { return {severityName(s), Style::Badge, s}; }

Block textBlock(Block::Kind kind, Line text)
{
    Block b;
    b.kind = kind;
    b.text = std::move(text);
    return b;
}

Block table(std::vector<Column> columns)
{
    Block b;
    b.kind = Block::Kind::Table;
    b.columns = std::move(columns);
    return b;
}

Line processLine(const AlertProcess& p)
{
    Line out{mono(p.image.empty() ? std::string("(no image)") : p.image)};
    if (p.pid >= 0)
        out.push_back(plain(" PID " + num(p.pid)));
    if (!p.guid.empty())
        out.push_back(small(" {" + p.guid + "}"));
    return out;
}

Timeline timelineOf(const Alert& a)
{
    Timeline t;
    int64_t from = a.evidence.front().utcMs, to = from;
    for (const auto& e : a.evidence) {
        from = std::min(from, e.utcMs);
        to = std::max(to, e.utcMs);
    }
    std::map<std::string, int> colour;
    for (const auto& e : a.evidence) {
        auto [it, added] = colour.try_emplace(e.role, int(colour.size() % timelinePalette().size()));
        if (added)
            t.legend.emplace_back(e.role, it->second);
        t.marks.push_back({to == from ? 0.5 : double(e.utcMs - from) / double(to - from), it->second});
    }
    t.fromText = time(from);
    t.toText = time(to);
    return t;
}

void addInputs(Section& s, const CaseInfo& info)
{
    Block t = table({{"Input", false, true}, {"Format"}, {"Events", true}, {"Skipped", true}, {"Status"},
                     {"SHA-256", false, true}});
    Block reasons;
    reasons.kind = Block::Kind::List;
    for (const auto& in : info.inputs) {
        t.rows.push_back({{mono(in.path)}, {plain(in.format + (in.layout.empty() ? std::string() : " [" + in.layout + "]"))},
                          {plain(num(in.events))}, {plain(num(in.skipped))}, {plain(inputStatusName(in.status))},
                          {small(in.sha256)}});
        const QJsonArray issues = QJsonDocument::fromJson(QByteArray::fromStdString(in.errorsJson)).array();
        for (qsizetype i = 0; i < std::min<qsizetype>(issues.size(), 5); ++i) {
            const QJsonObject o = issues.at(i).toObject();
            const qint64 position = o.value(QLatin1String("position")).toInteger(-1);
            reasons.items.push_back({0, {mono(in.path), plain((position >= 0 ? " at " + num(position) : std::string()) + ": "
                                                              + o.value(QLatin1String("message")).toString().toStdString())}});
        }
        if (issues.size() > 5)
            reasons.items.push_back({0, {mono(in.path), plain(": " + num(issues.size() - 5) + " more")}});
    }
    s.push_back(std::move(t));
    if (!reasons.items.empty()) {
        s.push_back(textBlock(Block::Kind::Paragraph, {plain("What was skipped or damaged, and why (first reasons per input):")}));
        s.push_back(std::move(reasons));
    }
}

Line noteLine(const ReportNote& n, bool withSubject)
{
    const Annotation& a = n.annotation;
    Line line;
    if (withSubject)
        line.push_back(bold(n.subject + ": "));
    if (a.bookmark)
        line.push_back(plain("[bookmarked] "));
    if (!a.tags.empty()) {
        std::string tags;
        for (const auto& tag : a.tags)
            tags += (tags.empty() ? "#" : " #") + tag;
        line.push_back(mono(tags + " "));
    }
    line.push_back(plain(a.note));
    line.push_back(small(" (" + a.analyst + ", " + time(a.utcMs) + ")"));
    return line;
}

void addChecklist(Section& s, const ReportedAlert& r, const Checklists* lists)
{
    const Checklist* list = lists ? lists->find(r.alert.checklistKey) : nullptr;
    if (!list) {
        s.push_back(textBlock(Block::Kind::Paragraph, {{"No response checklist is known for this alert.", Style::Todo}}));
        return;
    }
    s.push_back(textBlock(Block::Kind::Paragraph, {bold("Response checklist:"), plain(" " + list->title)}));
    Block t = table({{""}, {"Step"}, {"Where"}, {"Note"}, {"Done by"}});
    for (const ChecklistItem& step : list->items) {
        const auto state = std::find_if(r.checklist.begin(), r.checklist.end(), [&](const auto& st) { return st.item == step.id; });
        const bool known = state != r.checklist.end();
        const bool done = known && state->done;
        t.rows.push_back({{done ? Span{"\u2713", Style::Done} : Span{"\u2610", Style::Todo}}, {plain(step.text)},
                          {plain(step.where == ChecklistItem::Where::LiveHost ? "live host" : "case")},
                          {plain(known ? state->note : std::string())},
                          {plain(known && state->utcMs > 0 ? state->analyst + ", " + time(state->utcMs) : std::string())}});
    }
    s.push_back(std::move(t));
}

Section alertSection(const ReportedAlert& r, size_t index, const Checklists* lists)
{
    const Alert& a = r.alert;
    Section s;
    Block start;
    start.kind = Block::Kind::AlertStart;
    start.anchor = "alert-" + num(int64_t(index + 1));
    s.push_back(std::move(start));
    s.push_back(textBlock(Block::Kind::Subheading,
                          {plain(num(int64_t(index + 1)) + ". " + a.ruleId + " " + a.ruleName + " "), badge(a.severity)}));
    s.push_back(textBlock(Block::Kind::Paragraph,
                          {plain("Technique "), bold(a.technique), plain(" on host "), bold(a.host),
                           plain(", from " + time(a.firstUtcMs) + " to " + time(a.lastUtcMs) + ", " + num(a.count) + " event(s).")}));
    Line triage{bold("Triage:"), plain(std::string(" ") + triageStateName(a.triage.state))};
    if (a.triage.utcMs > 0)
        triage.push_back(plain(", recorded by " + a.triage.analyst + " at " + time(a.triage.utcMs)));
    if (!a.triage.reason.empty())
        triage.push_back(plain(". Reason: " + a.triage.reason));
    s.push_back(textBlock(Block::Kind::Paragraph, std::move(triage)));

    Block tree;
    tree.kind = Block::Kind::List;
    if (r.tree.empty()) {
        // Not in the case's process tree (no creation or access event names them): the alert's own view of them.
        Line source = processLine(a.source), target = processLine(a.target);
        source.push_back(plain(" (source)"));
        target.push_back(plain(" (target)"));
        tree.items = {{0, std::move(source)}, {1, std::move(target)}};
    } else {
        s.push_back(textBlock(Block::Kind::Paragraph, {bold("Process tree excerpt")}));
        for (const ReportProcess& p : r.tree) {
            Line line = processLine({p.guid, p.pid, p.image});
            if (p.startUtcMs > 0)
                line.push_back(small(" started " + time(p.startUtcMs)));
            if (!p.user.empty())
                line.push_back(small(" as " + p.user));
            if (!p.role.empty())
                line.push_back(bold(" (" + p.role + ")"));
            if (!p.commandLine.empty() && !p.role.empty())
                line.push_back(small("\n" + p.commandLine));
            tree.items.push_back({p.depth, std::move(line)});
        }
    }
    s.push_back(std::move(tree));
    s.push_back(textBlock(Block::Kind::Explanation, {plain(a.explanation)}));
    if (!a.evidence.empty()) {
        Block picture;
        picture.kind = Block::Kind::Timeline;
        picture.timeline = timelineOf(a);
        s.push_back(std::move(picture));
        Block t = table({{"Role"}, {"Time (UTC)", false, false, true}, {"Event", true}, {"Record", true}, {"Input", false, true}});
        for (const auto& e : a.evidence)
            t.rows.push_back({{plain(e.role)}, {plain(time(e.utcMs))}, {plain(num(e.eventId))},
                              {plain(e.recordId >= 0 ? num(e.recordId) : "pos " + num(e.position))},
                              {mono(std::string(baseName(e.inputPath)))}}); // the full path is in the inputs table
        s.push_back(std::move(t));
        if (int64_t(a.evidence.size()) < a.count)
            s.push_back(textBlock(Block::Kind::Small, {plain("The first " + num(int64_t(a.evidence.size())) + " of "
                                                             + num(a.count) + " events are listed.")}));
    }
    if (!a.masks.empty()) {
        Block t = table({{"Access mask", false, true}, {"Object"}, {"Rights", false, true}});
        for (const auto& m : a.masks)
            t.rows.push_back({{mono(access::hex(uint32_t(m.value)))}, {plain(access::objectTypeName(m.objectType))}, {mono(m.summary)}});
        s.push_back(std::move(t));
    }
    addChecklist(s, r, lists);
    if (!r.notes.empty()) {
        s.push_back(textBlock(Block::Kind::Paragraph, {bold("Notes and tags")}));
        Block notes;
        notes.kind = Block::Kind::List;
        for (const ReportNote& n : r.notes)
            notes.items.push_back({0, noteLine(n, true)});
        s.push_back(std::move(notes));
    }
    if (!r.history.empty()) {
        s.push_back(textBlock(Block::Kind::Paragraph, {bold("History")}));
        Block t = table({{"When (UTC)", false, false, true}, {"Who"}, {"What"}});
        for (const auto& h : r.history)
            t.rows.push_back({{plain(time(h.utcMs))}, {plain(h.analyst)}, {plain(h.change)}});
        s.push_back(std::move(t));
    }
    s.push_back(textBlock(Block::Kind::AlertEnd, {}));
    return s;
}

Section summarySection(const CaseReport& r)
{
    const CaseInfo& info = r.info;
    Section s;
    s.push_back(textBlock(Block::Kind::Title, {plain("Case report: " + r.options.caseName)}));
    s.push_back(textBlock(Block::Kind::Meta,
                          {plain("Written by " + r.options.generator + " at " + time(r.options.generatedUtcMs)
                                 + ". Rule set version " + num(r.options.ruleSetVersion)
                                 + ". All times are UTC. Every value taken from a log or typed by an analyst is shown as text.")}));
    bool simulated = false;
    for (const auto& h : info.hosts)
        simulated = simulated || QString::fromStdString(h.key).endsWith(QLatin1String(".invalid"));
    if (simulated)
        s.push_back(textBlock(Block::Kind::Warning,
                              {plain("This case holds simulated events (hosts under the reserved .invalid domain): "
                                     "written for training, not recorded on any machine.")}));
    s.push_back(textBlock(Block::Kind::Heading, {plain("Case summary")}));
    Block summary = table({{""}, {""}});
    summary.keyValue = true;
    std::string hosts;
    for (size_t i = 0; i < info.hosts.size(); ++i)
        hosts += (i ? ", " : "") + info.hosts[i].key + " (" + num(info.hosts[i].events) + ")";
    summary.rows = {
        {{plain("Events")}, {plain(num(info.events))}},
        {{plain("Time range")}, {plain(info.events ? time(info.firstUtcMs) + " to " + time(info.lastUtcMs) : std::string("-"))}},
        {{plain("Hosts")}, {plain(hosts)}},
        {{plain("Alerts in this report")},
         {plain(num(int64_t(r.alerts.size())) + " of " + num(r.alertsInCase) + " (" + reportAlertsName(r.options.alerts)
                + (r.options.host.empty() ? std::string(", every host") : ", host " + r.options.host) + ")")}},
    };
    s.push_back(std::move(summary));
    s.push_back(textBlock(Block::Kind::Subheading, {plain("Inputs")}));
    addInputs(s, info);
    s.push_back(textBlock(Block::Kind::Subheading, {plain("Blind spots")}));
    if (r.blindSpots.empty()) {
        s.push_back(textBlock(Block::Kind::Paragraph, {plain("None reported: the telemetry every rule needs is present.")}));
    } else {
        Block list;
        list.kind = Block::Kind::List;
        for (const auto& b : r.blindSpots)
            list.items.push_back({0, b.ruleId.empty() ? Line{plain(b.message)} : Line{bold(b.ruleId + ": "), plain(b.message)}});
        s.push_back(std::move(list));
    }
    return s;
}

} // namespace

const std::vector<const char*>& timelinePalette()
{
    static const std::vector<const char*> palette{"#1d3557", "#e63946", "#2a9d8f", "#f4a261", "#6a4c93", "#8d99ae"};
    return palette;
}

std::pair<const char*, const char*> badgeColours(Severity s)
{
    switch (s) {
    case Severity::Critical: return {"#b3261e", "#ffffff"};
    case Severity::High: return {"#d9480f", "#ffffff"};
    case Severity::Medium: return {"#ffd43b", "#1b1f24"};
    case Severity::Low: break;
    }
    return {"#dee2e6", "#1b1f24"};
}

std::vector<Section> buildReportDocument(const CaseReport& r)
{
    std::vector<Section> sections;
    sections.push_back(summarySection(r));
    if (r.alerts.empty()) {
        sections.push_back({textBlock(Block::Kind::Heading, {plain("Alerts by severity")}),
                            textBlock(Block::Kind::Paragraph, {plain("No alert matches this report's choice.")})});
    } else {
        Section overview{textBlock(Block::Kind::Heading, {plain("Alerts by severity")})};
        Block t = table({{"#", true}, {"Severity"}, {"Triage"}, {"Rule"}, {"Host"}, {"Source \u2192 target", false, true},
                         {"First (UTC)", false, false, true}, {"Count", true}});
        for (size_t i = 0; i < r.alerts.size(); ++i) {
            const Alert& a = r.alerts[i].alert;
            t.rows.push_back({{plain(num(int64_t(i + 1)))}, {badge(a.severity)}, {plain(triageStateName(a.triage.state))},
                              {plain(a.ruleId + " " + a.ruleName)}, {plain(a.host)},
                              {mono(a.source.image + " \u2192 " + a.target.image)}, {plain(time(a.firstUtcMs))},
                              {plain(num(a.count))}});
        }
        overview.push_back(std::move(t));
        sections.push_back(std::move(overview));
        for (size_t i = 0; i < r.alerts.size(); ++i)
            sections.push_back(alertSection(r.alerts[i], i, r.checklists.get()));
    }
    if (!r.staleAlerts.empty()) {
        // Kept in the case with their triage: a decision on an alert a later run does not raise stays visible.
        Section stale{textBlock(Block::Kind::Heading, {plain("Alerts no longer raised")}),
                      textBlock(Block::Kind::Paragraph,
                                {plain("Earlier detection runs raised these alerts; the last run of their rule did not "
                                       "(a newer rule version, or different data). They stay in the case with what "
                                       "analysts recorded on them.")})};
        Block t = table({{"Alert", true}, {"Rule"}, {"Host"}, {"Source \u2192 target", false, true},
                         {"First (UTC)", false, false, true}, {"Triage"}});
        for (const Alert& a : r.staleAlerts)
            t.rows.push_back({{plain(num(a.caseId))}, {plain(a.ruleId)}, {plain(a.host)},
                              {mono(a.source.image + " \u2192 " + a.target.image)}, {plain(time(a.firstUtcMs))},
                              {plain(std::string(triageStateName(a.triage.state))
                                     + (a.triage.reason.empty() ? std::string() : ": " + a.triage.reason))}});
        stale.push_back(std::move(t));
        sections.push_back(std::move(stale));
    }
    Section notes{textBlock(Block::Kind::Heading, {plain("Notes, tags and bookmarks")})};
    if (r.notes.empty()) {
        notes.push_back(textBlock(Block::Kind::Paragraph, {plain("No analyst has written a note, a tag or a bookmark in this case.")}));
    } else {
        Block list;
        list.kind = Block::Kind::List;
        for (const ReportNote& n : r.notes)
            list.items.push_back({0, noteLine(n, true)});
        notes.push_back(std::move(list));
    }
    notes.push_back(textBlock(Block::Kind::Small, {plain("End of report: " + r.options.caseName + ".")}));
    sections.push_back(std::move(notes));
    return sections;
}

} // namespace dscope::model::reportdoc
