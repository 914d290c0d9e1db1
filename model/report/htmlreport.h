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
 * are UTC and say so. The content is model::reportdoc's, which the PDF paints too.
 */
std::string renderHtmlReport(const CaseReport& report);

/// Text as HTML character data that no HTML parser and no Markdown renderer reads as markup: & < > " ' and the
/// Markdown punctuation [ ] ( ) ` * _ ! # | become character references. Invalid UTF-8 is replaced.
std::string escapeText(std::string_view text);

} // namespace dscope::model
