// SPDX-License-Identifier: MIT
#pragma once

#include "report/casereport.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QTextBrowser;

namespace dscope::views {

/**
 * File > Export report: which alerts (every host or one, all, open or true positives), which formats (HTML, PDF,
 * OCSF JSON) and where, with a preview of the HTML as the report will hold it. It asks; the owner builds the
 * report off the GUI thread and hands back the preview and the result.
 */
class ExportReportDialog : public QDialog
{
    Q_OBJECT
public:
    ExportReportDialog(const QString& caseName, const QStringList& hosts, const QString& defaultBasePath,
                       QWidget* parent = nullptr);

    model::ReportOptions options() const;
    /// The chosen files: "<base>.html", ".pdf", ".json" for the ticked formats; empty for the others.
    QString htmlPath() const;
    QString pdfPath() const;
    QString jsonPath() const;

    void showPreview(const QString& html, int alerts);
    void showResult(const QStringList& written, const QString& error);

Q_SIGNALS:
    void previewRequested(const dscope::model::ReportOptions& options);
    void exportRequested();

private:
    void requestPreview();
    QString path(const char* suffix, const QCheckBox* box) const;

    QString m_caseName;
    QComboBox* m_host;
    QComboBox* m_alerts;
    QCheckBox* m_html;
    QCheckBox* m_pdf;
    QCheckBox* m_json;
    QLineEdit* m_base;
    QTextBrowser* m_preview;
    QLabel* m_status;
};

} // namespace dscope::views
