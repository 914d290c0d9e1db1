// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

namespace dscope::views {

/**
 * Prints a report's HTML to a PDF with Qt's own PDF writer (no external converter): A4, the case name at the top
 * and "page N of M" at the bottom of every page. Qt's rich text engine draws the tables and text; the inline SVG
 * timelines of the HTML report are not drawn. Needs a QGuiApplication. Returns false with error on a failed write.
 */
bool writePdfReport(const QString& html, const QString& caseName, const QString& path, int* pages, QString& error);

} // namespace dscope::views
