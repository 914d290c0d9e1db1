// SPDX-License-Identifier: MIT
#pragma once

#include "casereport.h"

#include <string>
#include <string_view>
#include <vector>

namespace dscope::model {

/**
 * The case report as one self-contained HTML file: styles inline, the evidence timelines as inline SVG, no script,
 * no external resource, readable offline. Every string that came from a log or an analyst is escaped for HTML and
 * for Markdown (see escapeText), so nothing in a log can add an element, an attribute, a link or a script. Times
 * are UTC and say so.
 */
std::string renderHtmlReport(const CaseReport& report);

/// The report's body in sections (the case summary, the alert overview in pieces, one per alert), each a fragment
/// of the body; renderHtmlReport() is their concatenation in htmlReportDocument(). The PDF lays each section out on
/// its own, which keeps a report of a thousand alerts linear in time.
std::vector<std::string> renderHtmlReportSections(const CaseReport& report);
/// A whole HTML document (head, styles) around a body fragment.
std::string htmlReportDocument(const CaseReport& report, std::string_view body);

/// Text as HTML character data that no HTML parser and no Markdown renderer reads as markup: & < > " ' and the
/// Markdown punctuation [ ] ( ) ` * _ ! # | become character references. Invalid UTF-8 is replaced.
std::string escapeText(std::string_view text);

} // namespace dscope::model
