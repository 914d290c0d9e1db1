// SPDX-License-Identifier: MIT
#pragma once

#include "report/casereport.h"

#include <QString>
#include <QStringList>

namespace dscope::views {

/**
 * Writes a case report in the formats whose path is not empty: HTML, PDF, OCSF JSON. Each file is written whole or
 * not at all (a temporary file beside it, renamed at the end). `written` says what was written ("r.pdf (PDF,
 * 12 page(s))"); false with `error` naming the file when one failed (the others are still attempted). The one
 * writer of the command line's `report` and the workbench's Export report. Needs a QGuiApplication for the PDF.
 */
bool writeReportFiles(const model::CaseReport& report, const QString& htmlPath, const QString& pdfPath,
                      const QString& jsonPath, QStringList& written, QString& error);

} // namespace dscope::views
