// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QStringList>

namespace dscope::views {

/**
 * Prints a report to a PDF with Qt's own PDF writer (no external converter): A4, the case name at the top and
 * "page N of M" at the bottom of every page. `sections` are whole HTML documents (model::renderHtmlReportSections
 * in model::htmlReportDocument), each laid out on its own and poured onto the pages where the previous one ended,
 * cut between lines of text. One document of a thousand alerts took Qt's text
 * layout 50 s; sections keep it linear. Qt's rich text engine draws the tables and text; inline SVG is not drawn.
 * Needs a QGuiApplication. Returns false with error on a failed write.
 */
bool writePdfReport(const QStringList& sections, const QString& caseName, const QString& path, int* pages,
                    QString& error);

} // namespace dscope::views
