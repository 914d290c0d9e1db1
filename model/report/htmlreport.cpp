// SPDX-License-Identifier: MIT
#include "htmlreport.h"

#include "domain/accessmask.h"
#include "domain/normalize.h"
#include "domain/text.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

#include <algorithm>
#include <map>

namespace dscope::model {

namespace {

std::string esc(std::string_view s) { return escapeText(s); }
std::string num(int64_t n) { return std::to_string(n); }
std::string time(int64_t ms) { return ms > 0 ? normalize::isoUtc(ms) : std::string("-"); }


const char* kStyle = R"css(
body{font-family:"DejaVu Sans",Arial,sans-serif;font-size:10.5pt;color:#1b1f24;margin:24px;max-width:1100px}
h1{font-size:18pt;margin:0 0 4px}h2{font-size:14pt;border-bottom:2px solid #1d3557;padding-bottom:3px;margin-top:28px}
h3{font-size:12pt;margin:22px 0 6px}.meta{color:#555}.simulated{background:#fff3cd;border:1px solid #e0b000;padding:6px}
table{border-collapse:collapse;margin:6px 0 10px;width:100%}th,td{border:1px solid #c8ced6;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#eef2f6}td.n{text-align:right;font-variant-numeric:tabular-nums}.mono{font-family:"DejaVu Sans Mono",monospace;font-size:9.5pt;word-break:break-all}
.sev-critical{color:#fff;background:#b3261e}.sev-high{color:#fff;background:#d9480f}.sev-medium{background:#ffd43b}.sev-low{background:#dee2e6}
.badge{padding:1px 6px;border-radius:3px;font-weight:bold;white-space:nowrap}.alert{border-left:4px solid #1d3557;padding-left:12px;margin:18px 0;page-break-inside:auto}
.explain{white-space:pre-wrap}.done{color:#2b8a3e;font-weight:bold}.todo{color:#868e96}ul.tree{margin:4px 0 4px 0}
.blind li{margin:2px 0}.small{font-size:9pt;color:#555}td.t{white-space:nowrap}
)css";

std::string severityBadge(Severity s)
{
    const std::string name = severityName(s);
    return "<span class=\"badge sev-" + name + "\">" + name + "</span>";
}

std::string processLine(const AlertProcess& p)
{
    std::string out = "<span class=\"mono\">" + esc(p.image.empty() ? std::string("(no image)") : p.image) + "</span>";
    if (p.pid >= 0)
        out += " PID " + num(p.pid);
    if (!p.guid.empty())
        out += " <span class=\"small mono\">{" + esc(p.guid) + "}</span>";
    return out;
}

/// The evidence along a time axis: one marker per event, coloured by its role in the chain.
std::string timelineSvg(const Alert& a)
{
    if (a.evidence.empty())
        return {};
    int64_t from = a.evidence.front().utcMs, to = from;
    for (const auto& e : a.evidence) {
        from = std::min(from, e.utcMs);
        to = std::max(to, e.utcMs);
    }
    static const char* palette[] = {"#1d3557", "#e63946", "#2a9d8f", "#f4a261", "#6a4c93", "#8d99ae"};
    std::map<std::string, const char*> colour;
    for (const auto& e : a.evidence)
        if (!colour.count(e.role))
            colour[e.role] = palette[colour.size() % std::size(palette)];
    const int width = 760, left = 20, right = 20, axis = 40;
    auto x = [&](int64_t ms) {
        return to == from ? width / 2 : left + int(double(ms - from) / double(to - from) * (width - left - right));
    };
    std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(width) + "\" height=\"86\" viewBox=\"0 0 "
                      + num(width) + " 86\" role=\"img\"><title>Evidence timeline</title>"
                      + "<line x1=\"" + num(left) + "\" y1=\"" + num(axis) + "\" x2=\"" + num(width - right) + "\" y2=\""
                      + num(axis) + "\" stroke=\"#888\" stroke-width=\"1\"/>";
    for (const auto& e : a.evidence)
        svg += "<circle cx=\"" + num(x(e.utcMs)) + "\" cy=\"" + num(axis) + "\" r=\"6\" fill=\"" + colour[e.role]
               + "\" fill-opacity=\"0.8\"/>";
    svg += "<text x=\"" + num(left) + "\" y=\"" + num(axis + 22) + "\" font-size=\"10\" fill=\"#444\">" + esc(time(from))
           + "</text><text x=\"" + num(width - right) + "\" y=\"" + num(axis + 22)
           + "\" font-size=\"10\" fill=\"#444\" text-anchor=\"end\">" + esc(time(to)) + "</text>";
    int legendX = left;
    for (const auto& [role, c] : colour) {
        svg += "<circle cx=\"" + num(legendX + 5) + "\" cy=\"12\" r=\"5\" fill=\"" + c + "\"/><text x=\""
               + num(legendX + 14) + "\" y=\"16\" font-size=\"11\">" + esc(role) + "</text>";
        legendX += 24 + int(role.size()) * 7;
    }
    return svg + "</svg>";
}

std::string inputsSection(const CaseInfo& info)
{
    std::string out = "<table><tr><th>Input</th><th>Format</th><th>Events</th><th>Skipped</th><th>Status</th>"
                      "<th>SHA-256</th></tr>";
    std::string reasons;
    for (const auto& in : info.inputs) {
        out += "<tr><td class=\"mono\">" + esc(in.path) + "</td><td>" + esc(in.format)
               + (in.layout.empty() ? std::string() : " [" + esc(in.layout) + "]") + "</td><td class=\"n\">"
               + num(in.events) + "</td><td class=\"n\">" + num(in.skipped) + "</td><td>" + inputStatusName(in.status)
               + "</td><td class=\"mono small\">" + esc(in.sha256) + "</td></tr>";
        const QJsonArray issues = QJsonDocument::fromJson(QByteArray::fromStdString(in.errorsJson)).array();
        for (qsizetype i = 0; i < std::min<qsizetype>(issues.size(), 5); ++i) {
            const QJsonObject o = issues.at(i).toObject();
            const qint64 position = o.value(QLatin1String("position")).toInteger(-1);
            reasons += "<li><span class=\"mono\">" + esc(in.path) + "</span>"
                       + (position >= 0 ? " at " + num(position) : std::string()) + ": "
                       + esc(o.value(QLatin1String("message")).toString().toStdString()) + "</li>";
        }
        if (issues.size() > 5)
            reasons += "<li>" + esc(in.path) + ": " + num(issues.size() - 5) + " more</li>";
    }
    out += "</table>";
    if (!reasons.empty())
        out += "<p>What was skipped or damaged, and why (first reasons per input):</p><ul>" + reasons + "</ul>";
    return out;
}

std::string checklistSection(const ReportedAlert& r, const Checklists* lists)
{
    const Checklist* list = lists ? lists->find(r.alert.checklistKey) : nullptr;
    if (!list)
        return "<p class=\"todo\">No response checklist is known for this alert.</p>";
    std::string out = "<p><b>Response checklist:</b> " + esc(list->title) + "</p><table><tr><th></th><th>Step</th>"
                      "<th>Where</th><th>Note</th><th>Done by</th></tr>";
    for (const ChecklistItem& step : list->items) {
        const auto state = std::find_if(r.checklist.begin(), r.checklist.end(),
                                        [&](const auto& s) { return s.item == step.id; });
        const bool done = state != r.checklist.end() && state->done;
        out += std::string("<tr><td>") + (done ? "<span class=\"done\">&#10003;</span>" : "<span class=\"todo\">&#9744;</span>")
               + "</td><td>" + esc(step.text) + "</td><td>"
               + (step.where == ChecklistItem::Where::LiveHost ? "live host" : "case") + "</td><td>"
               + (state != r.checklist.end() ? esc(state->note) : std::string()) + "</td><td>"
               + (state != r.checklist.end() && state->utcMs > 0 ? esc(state->analyst) + ", " + time(state->utcMs)
                                                                  : std::string())
               + "</td></tr>";
    }
    return out + "</table>";
}

std::string alertSection(const ReportedAlert& r, size_t index, const Checklists* lists)
{
    const Alert& a = r.alert;
    std::string out = "<div class=\"alert\" id=\"alert-" + num(int64_t(index + 1)) + "\"><h3>" + num(int64_t(index + 1))
                      + ". " + esc(a.ruleId) + " " + esc(a.ruleName) + " " + severityBadge(a.severity) + "</h3>";
    out += "<p>Technique <b>" + esc(a.technique) + "</b> on host <b>" + esc(a.host) + "</b>, from " + time(a.firstUtcMs)
           + " to " + time(a.lastUtcMs) + ", " + num(a.count) + " event(s).</p>";
    out += "<p><b>Triage:</b> " + std::string(triageStateName(a.triage.state));
    if (a.triage.utcMs > 0)
        out += ", recorded by " + esc(a.triage.analyst) + " at " + time(a.triage.utcMs);
    if (!a.triage.reason.empty())
        out += ". Reason: " + esc(a.triage.reason);
    out += "</p>";
    out += "<ul class=\"tree\"><li>" + processLine(a.source) + " (source)<ul><li>" + processLine(a.target)
           + " (target)</li></ul></li></ul>";
    out += "<p class=\"explain\">" + esc(a.explanation) + "</p>";
    out += timelineSvg(a);
    if (!a.evidence.empty()) {
        out += "<table><tr><th>Role</th><th>Time (UTC)</th><th>Event</th><th>Record</th><th>Input</th></tr>";
        for (const auto& e : a.evidence)
            out += "<tr><td>" + esc(e.role) + "</td><td class=\"t\">" + time(e.utcMs) + "</td><td class=\"n\">"
                   + num(e.eventId) + "</td><td class=\"n\">" + (e.recordId >= 0 ? num(e.recordId) : "pos " + num(e.position))
                   + "</td><td class=\"mono\">" + esc(baseName(e.inputPath)) /* the full path is in the inputs table */ + "</td></tr>";
        out += "</table>";
        if (int64_t(a.evidence.size()) < a.count)
            out += "<p class=\"small\">The first " + num(int64_t(a.evidence.size())) + " of " + num(a.count)
                   + " events are listed.</p>";
    }
    if (!a.masks.empty()) {
        out += "<table><tr><th>Access mask</th><th>Object</th><th>Rights</th></tr>";
        for (const auto& m : a.masks)
            out += "<tr><td class=\"mono\">" + esc(access::hex(uint32_t(m.value))) + "</td><td>"
                   + access::objectTypeName(m.objectType) + "</td><td class=\"mono\">" + esc(m.summary) + "</td></tr>";
        out += "</table>";
    }
    out += checklistSection(r, lists);
    if (!r.history.empty()) {
        out += "<p><b>History</b></p><table><tr><th>When (UTC)</th><th>Who</th><th>What</th></tr>";
        for (const auto& h : r.history)
            out += "<tr><td>" + time(h.utcMs) + "</td><td>" + esc(h.analyst) + "</td><td>" + esc(h.change) + "</td></tr>";
        out += "</table>";
    }
    return out + "</div>";
}

} // namespace

std::string escapeText(std::string_view text)
{
    // Through QString: invalid UTF-8 becomes U+FFFD instead of reaching the page as broken bytes.
    const QByteArray utf8 = QString::fromUtf8(text.data(), qsizetype(text.size())).toUtf8();
    std::string out;
    out.reserve(size_t(utf8.size()) + 16);
    for (char c : utf8) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        case '[': out += "&#91;"; break;
        case ']': out += "&#93;"; break;
        case '(': out += "&#40;"; break;
        case ')': out += "&#41;"; break;
        case '`': out += "&#96;"; break;
        case '*': out += "&#42;"; break;
        case '_': out += "&#95;"; break;
        case '!': out += "&#33;"; break;
        case '#': out += "&#35;"; break;
        case '|': out += "&#124;"; break;
        default:
            // Control characters other than tab and newline are not text: show a replacement mark.
            if (uint8_t(c) < 0x20 && c != '\t' && c != '\n')
                out += "&#65533;";
            else
                out += c;
        }
    }
    return out;
}

std::vector<std::string> renderHtmlReportSections(const CaseReport& r)
{
    const CaseInfo& info = r.info;
    std::vector<std::string> sections;
    std::string html = "<h1>Case report: " + esc(r.options.caseName) + "</h1>";
    html += "<p class=\"meta\">Written by " + esc(r.options.generator) + " at " + time(r.options.generatedUtcMs)
            + ". Rule set version " + num(r.options.ruleSetVersion) + ". All times are UTC. Every value taken from a "
            "log or typed by an analyst is shown as text.</p>";
    bool simulated = false;
    for (const auto& h : info.hosts)
        simulated = simulated || QString::fromStdString(h.key).endsWith(QLatin1String(".invalid"));
    if (simulated)
        html += "<p class=\"simulated\">This case holds simulated events (hosts under the reserved .invalid domain): "
                "written for training, not recorded on any machine.</p>";

    html += "<h2>Case summary</h2><table><tr><th>Events</th><td class=\"n\">" + num(info.events)
            + "</td></tr><tr><th>Time range</th><td>" + (info.events ? time(info.firstUtcMs) + " to " + time(info.lastUtcMs)
                                                                    : std::string("-"))
            + "</td></tr><tr><th>Hosts</th><td>";
    for (size_t i = 0; i < info.hosts.size(); ++i)
        html += (i ? ", " : "") + esc(info.hosts[i].key) + " (" + num(info.hosts[i].events) + ")";
    html += "</td></tr><tr><th>Alerts in this report</th><td>" + num(int64_t(r.alerts.size())) + " of "
            + num(r.alertsInCase) + " (" + reportAlertsName(r.options.alerts)
            + (r.options.host.empty() ? std::string(", every host") : ", host " + esc(r.options.host)) + ")</td></tr></table>";
    html += "<h3>Inputs</h3>" + inputsSection(info);
    html += "<h3>Blind spots</h3>";
    if (r.blindSpots.empty()) {
        html += "<p>None reported: the telemetry every rule needs is present.</p>";
    } else {
        html += "<ul class=\"blind\">";
        for (const auto& b : r.blindSpots)
            html += "<li>" + (b.ruleId.empty() ? std::string() : "<b>" + esc(b.ruleId) + "</b>: ") + esc(b.message) + "</li>";
        html += "</ul>";
    }
    sections.push_back(std::move(html));

    if (r.alerts.empty()) {
        sections.push_back("<h2>Alerts by severity</h2><p>No alert matches this report's choice.</p>");
    } else {
        // The overview table in pieces of 40 rows: each piece lays out on its own (see writePdfReport).
        constexpr size_t kRows = 40;
        for (size_t first = 0; first < r.alerts.size(); first += kRows) {
            html = first == 0 ? "<h2>Alerts by severity</h2>" : std::string();
            html += "<table><tr><th>#</th><th>Severity</th><th>Triage</th><th>Rule</th><th>Host</th>"
                    "<th>Source &#8594; target</th><th>First (UTC)</th><th>Count</th></tr>";
            for (size_t i = first; i < std::min(r.alerts.size(), first + kRows); ++i) {
                const Alert& a = r.alerts[i].alert;
                html += "<tr><td class=\"n\">" + num(int64_t(i + 1)) + "</td><td>" + severityBadge(a.severity) + "</td><td>"
                        + triageStateName(a.triage.state) + "</td><td>" + esc(a.ruleId) + " " + esc(a.ruleName) + "</td><td>"
                        + esc(a.host) + "</td><td class=\"mono\">" + esc(a.source.image) + " &#8594; " + esc(a.target.image)
                        + "</td><td>" + time(a.firstUtcMs) + "</td><td class=\"n\">" + num(a.count) + "</td></tr>";
            }
            sections.push_back(html + "</table>");
        }
        for (size_t i = 0; i < r.alerts.size(); ++i)
            sections.push_back(alertSection(r.alerts[i], i, r.checklists.get()));
    }
    sections.push_back("<p class=\"small\">End of report: " + esc(r.options.caseName) + ".</p>");
    return sections;
}

std::string htmlReportDocument(const CaseReport& r, std::string_view body)
{
    return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
           "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
           "'unsafe-inline'; img-src data:\"><title>Case report: "
           + esc(r.options.caseName) + "</title><style>" + kStyle + "</style></head><body>" + std::string(body)
           + "</body></html>\n";
}

std::string renderHtmlReport(const CaseReport& r)
{
    std::string body;
    for (const std::string& section : renderHtmlReportSections(r))
        body += section;
    return htmlReportDocument(r, body);
}

} // namespace dscope::model
