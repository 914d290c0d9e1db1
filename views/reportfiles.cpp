// SPDX-License-Identifier: MIT
#include "reportfiles.h"

#include "pdfreport.h"
#include "report/htmlreport.h"
#include "report/ocsfreport.h"

#include <QCoreApplication>
#include <QFile>
#include <QSaveFile>

namespace dscope::views {

namespace {

bool writeWhole(const QString& path, const std::string& bytes, QString& error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes.data(), qint64(bytes.size())) != qint64(bytes.size())
        || !file.commit()) {
        error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace

bool writeReportFiles(const model::CaseReport& report, const QString& htmlPath, const QString& pdfPath,
                      const QString& jsonPath, QStringList& written, QString& error)
{
    bool ok = true;
    if (!htmlPath.isEmpty()) {
        const std::string html = model::renderHtmlReport(report);
        if (writeWhole(htmlPath, html, error))
            written << QStringLiteral("%1 (HTML, %2 alert(s), %3 bytes)").arg(htmlPath).arg(report.alerts.size()).arg(html.size());
        else
            ok = false;
    }
    if (!jsonPath.isEmpty()) {
        const std::string json = model::renderOcsfReport(report);
        if (writeWhole(jsonPath, json, error))
            written << QStringLiteral("%1 (OCSF JSON, %2 finding(s), %3 bytes)").arg(jsonPath).arg(report.alerts.size()).arg(json.size());
        else
            ok = false;
    }
    if (!pdfPath.isEmpty()) {
        const QString part = pdfPath + QStringLiteral(".part");
        int pages = 0;
        QString pdfError;
        if (writePdfReport(report, part, &pages, pdfError)
            && (!QFile::exists(pdfPath) || QFile::remove(pdfPath)) && QFile::rename(part, pdfPath)) {
            written << QStringLiteral("%1 (PDF, %2 page(s))").arg(pdfPath).arg(pages);
        } else {
            QFile::remove(part);
            error = pdfError.isEmpty() ? QStringLiteral("cannot write %1").arg(pdfPath) : pdfError;
            ok = false;
        }
    }
    return ok;
}

} // namespace dscope::views
