// SPDX-License-Identifier: MIT
#pragma once

#include "domain/alert.h"
#include "report/casereport.h"

#include <QObject>
#include <QStringList>
#include <QThreadPool>

namespace dscope::app {

/// What the Export report dialog asks for.
struct ReportRequest {
    model::ReportOptions options;
    QString htmlPath, pdfPath, jsonPath; ///< empty: that format is not written
};

/**
 * Builds case reports for the workbench off the GUI thread: a preview (the HTML) and the export to HTML, PDF and
 * OCSF JSON, from the alert snapshot the Alerts page shows, with the triage, checklists and history the case holds
 * now. A request for another case or a newer preview drops the older result.
 */
class ReportController : public QObject
{
    Q_OBJECT
public:
    explicit ReportController(QObject* parent = nullptr);
    ~ReportController() override;

    void setCase(const QString& casePath);
    void setAlerts(model::AlertSetPtr alerts) { m_alerts = std::move(alerts); }
    void preview(const model::ReportOptions& options);
    void exportReport(const ReportRequest& request);

Q_SIGNALS:
    void previewReady(const QString& html, int alerts);
    /// Each file written ("wrote report.pdf: 12 pages"), and what failed.
    void exported(const QStringList& written, const QString& error);
    void failed(const QString& message);

private:
    QThreadPool m_pool;
    QString m_casePath;
    model::AlertSetPtr m_alerts;
    quint64 m_token = 0;
};

} // namespace dscope::app
