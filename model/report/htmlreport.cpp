// SPDX-License-Identifier: MIT
#include "htmlreport.h"

#include "reportdocument.h"

#include "domain/normalize.h"

#include <QString>

#include <algorithm>

namespace dscope::model {

namespace {

std::string esc(std::string_view s) { return escapeText(s); }
std::string num(int64_t n) { return std::to_string(n); }


const char* kStyle = R"css(
body{font-family:"DejaVu Sans",Arial,sans-serif;font-size:10.5pt;color:#1b1f24;margin:24px;max-width:1100px}
h1{font-size:18pt;margin:0 0 4px}h2{font-size:14pt;border-bottom:2px solid #1d3557;padding-bottom:3px;margin-top:28px}
h3{font-size:12pt;margin:22px 0 6px}.meta{color:#555}.simulated{background:#fff3cd;border:1px solid #e0b000;padding:6px}
table{border-collapse:collapse;margin:6px 0 10px;width:100%}th,td{border:1px solid #c8ced6;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#eef2f6}td.n{text-align:right;font-variant-numeric:tabular-nums}.mono{font-family:"DejaVu Sans Mono",monospace;font-size:9.5pt;word-break:break-all}
.badge{padding:1px 6px;border-radius:3px;font-weight:bold;white-space:nowrap}.alert{border-left:4px solid #1d3557;padding-left:12px;margin:18px 0;page-break-inside:auto}
.explain{white-space:pre-wrap}.done{color:#2b8a3e;font-weight:bold}.todo{color:#868e96}ul.tree{margin:4px 0 4px 0}
.blind li{margin:2px 0}.small{font-size:9pt;color:#555}td.t{white-space:nowrap}
)css";

using namespace reportdoc;

std::string severityStyle()
{
    std::string css;
    for (Severity s : {Severity::Low, Severity::Medium, Severity::High, Severity::Critical}) {
        const auto [background, foreground] = badgeColours(s);
        css += ".sev-" + std::string(severityName(s)) + "{color:" + foreground + ";background:" + background + "}";
    }
    return css + "\n";
}

std::string spanHtml(const Span& span)
{
    // Newlines inside a span (a command line under its process) become line breaks.
    std::string text = esc(span.text);
    for (size_t at = text.find('\n'); at != std::string::npos; at = text.find('\n', at))
        text.replace(at, 1, "<br>");
    switch (span.style) {
    case Span::Style::Plain: return text;
    case Span::Style::Bold: return "<b>" + text + "</b>";
    case Span::Style::Mono: return "<span class=\"mono\">" + text + "</span>";
    case Span::Style::Small: return "<span class=\"small mono\">" + text + "</span>";
    case Span::Style::Done: return "<span class=\"done\">" + text + "</span>";
    case Span::Style::Todo: return "<span class=\"todo\">" + text + "</span>";
    case Span::Style::Badge: return "<span class=\"badge sev-" + std::string(severityName(span.severity)) + "\">" + text + "</span>";
    }
    return text;
}

std::string lineHtml(const Line& line)
{
    std::string out;
    for (const Span& span : line)
        out += spanHtml(span);
    return out;
}

std::string timelineSvg(const Timeline& t)
{
    const int width = 760, left = 20, right = 20, axis = 40;
    auto x = [&](double at) { return num(left + int(at * (width - left - right))); };
    const auto& palette = timelinePalette();
    std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + num(width) + "\" height=\"86\" viewBox=\"0 0 "
                      + num(width) + " 86\" role=\"img\"><title>Evidence timeline</title>"
                      + "<line x1=\"" + num(left) + "\" y1=\"" + num(axis) + "\" x2=\"" + num(width - right) + "\" y2=\""
                      + num(axis) + "\" stroke=\"#888\" stroke-width=\"1\"/>";
    for (const auto& m : t.marks)
        svg += "<circle cx=\"" + x(m.x) + "\" cy=\"" + num(axis) + "\" r=\"6\" fill=\"" + palette[size_t(m.colour)]
               + "\" fill-opacity=\"0.8\"/>";
    svg += "<text x=\"" + num(left) + "\" y=\"" + num(axis + 22) + "\" font-size=\"10\" fill=\"#444\">" + esc(t.fromText)
           + "</text><text x=\"" + num(width - right) + "\" y=\"" + num(axis + 22)
           + "\" font-size=\"10\" fill=\"#444\" text-anchor=\"end\">" + esc(t.toText) + "</text>";
    int legendX = left;
    for (const auto& [role, c] : t.legend) {
        svg += "<circle cx=\"" + num(legendX + 5) + "\" cy=\"12\" r=\"5\" fill=\"" + palette[size_t(c)] + "\"/><text x=\""
               + num(legendX + 14) + "\" y=\"16\" font-size=\"11\">" + esc(role) + "</text>";
        legendX += 24 + int(role.size()) * 7;
    }
    return svg + "</svg>";
}

std::string listHtml(const std::vector<ListItem>& items, const char* cls)
{
    std::string out;
    int depth = -1;
    for (const ListItem& item : items) {
        const int d = std::max(0, item.depth);
        if (d > depth) {
            for (; depth < d; ++depth)
                out += depth < 0 ? std::string("<ul class=\"") + cls + "\">" : std::string("<ul>");
        } else {
            for (; depth > d; --depth)
                out += "</li></ul>";
            out += "</li>";
        }
        out += "<li>" + lineHtml(item.text);
    }
    for (; depth >= 0; --depth)
        out += "</li></ul>";
    return out;
}

std::string tableHtml(const Block& b)
{
    std::string out = "<table>";
    if (!b.keyValue) {
        out += "<tr>";
        for (const Column& c : b.columns)
            out += "<th>" + esc(c.header) + "</th>";
        out += "</tr>";
    }
    for (const auto& row : b.rows) {
        out += "<tr>";
        for (size_t i = 0; i < row.size() && i < b.columns.size(); ++i) {
            const Column& c = b.columns[i];
            if (b.keyValue && i == 0) {
                out += "<th>" + lineHtml(row[i]) + "</th>";
                continue;
            }
            std::string cls = c.numeric ? "n" : c.nowrap ? "t" : "";
            if (c.mono)
                cls += cls.empty() ? "mono" : " mono";
            out += (cls.empty() ? std::string("<td>") : "<td class=\"" + cls + "\">") + lineHtml(row[i]) + "</td>";
        }
        out += "</tr>";
    }
    return out + "</table>";
}

std::string blockHtml(const Block& b)
{
    switch (b.kind) {
    case Block::Kind::Title: return "<h1>" + lineHtml(b.text) + "</h1>";
    case Block::Kind::Heading: return "<h2>" + lineHtml(b.text) + "</h2>";
    case Block::Kind::Subheading: return "<h3>" + lineHtml(b.text) + "</h3>";
    case Block::Kind::Paragraph: return "<p>" + lineHtml(b.text) + "</p>";
    case Block::Kind::Meta: return "<p class=\"meta\">" + lineHtml(b.text) + "</p>";
    case Block::Kind::Warning: return "<p class=\"simulated\">" + lineHtml(b.text) + "</p>";
    case Block::Kind::Explanation: return "<p class=\"explain\">" + lineHtml(b.text) + "</p>";
    case Block::Kind::Small: return "<p class=\"small\">" + lineHtml(b.text) + "</p>";
    case Block::Kind::List: return listHtml(b.items, "tree");
    case Block::Kind::Table: return tableHtml(b);
    case Block::Kind::Timeline: return timelineSvg(b.timeline);
    case Block::Kind::AlertStart: return "<div class=\"alert\" id=\"" + esc(b.anchor) + "\">";
    case Block::Kind::AlertEnd: return "</div>";
    }
    return {};
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

std::string renderHtmlReport(const CaseReport& r)
{
    std::string body;
    for (const Section& section : buildReportDocument(r))
        for (const Block& b : section)
            body += blockHtml(b);
    return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
           "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src "
           "'unsafe-inline'; img-src data:\"><title>Case report: "
           + esc(r.options.caseName) + "</title><style>" + kStyle + severityStyle() + "</style></head><body>" + body
           + "</body></html>\n";
}

} // namespace dscope::model
