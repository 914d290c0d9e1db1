// SPDX-License-Identifier: MIT
#pragma once

#include "report/casereport.h"

#include <QString>

namespace dscope::views {

/**
 * Prints a case report to a PDF with Qt's own PDF writer (no external converter): A4, the case name at the top and
 * "page N of M" at the bottom of every page. It paints the blocks of model::reportdoc (the content the HTML report
 * shows) itself: text is laid out line by line and tables row by row, repeating their header on a new page, and the
 * evidence timelines are drawn. Qt's rich-text engine took 28 s for a thousand alerts; painting takes a tenth.
 * A string longer than the PDF can sensibly show (a 100 KB command line) is cut with a note saying so; the HTML and
 * JSON reports hold it whole. Needs a QGuiApplication. Returns false with error on a failed write.
 */
bool writePdfReport(const model::CaseReport& report, const QString& path, int* pages, QString& error);

} // namespace dscope::views
