// SPDX-License-Identifier: MIT
#include "exportreportdialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace dscope::views {

ExportReportDialog::ExportReportDialog(const QString& caseName, const QStringList& hosts,
                                       const QString& defaultBasePath, QWidget* parent)
    : QDialog(parent)
    , m_caseName(caseName)
    , m_host(new QComboBox(this))
    , m_alerts(new QComboBox(this))
    , m_html(new QCheckBox(tr("&HTML (one self-contained file)"), this))
    , m_pdf(new QCheckBox(tr("&PDF"), this))
    , m_json(new QCheckBox(tr("OCSF &JSON (for a SIEM or case tool)"), this))
    , m_base(new QLineEdit(defaultBasePath, this))
    , m_preview(new QTextBrowser(this))
    , m_status(new QLabel(this))
{
    setWindowTitle(tr("Export report \u2014 %1").arg(caseName));
    m_host->addItem(tr("Every host"), QString());
    for (const QString& h : hosts)
        m_host->addItem(h, h);
    m_alerts->addItem(QLatin1String(model::reportAlertsName(model::ReportAlerts::All)), int(model::ReportAlerts::All));
    m_alerts->addItem(QLatin1String(model::reportAlertsName(model::ReportAlerts::Open)), int(model::ReportAlerts::Open));
    m_alerts->addItem(QLatin1String(model::reportAlertsName(model::ReportAlerts::TruePositives)),
                      int(model::ReportAlerts::TruePositives));
    m_html->setChecked(true);
    m_pdf->setChecked(true);
    m_json->setChecked(true);
    m_preview->setOpenLinks(false);
    m_preview->setOpenExternalLinks(false);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* browse = new QPushButton(tr("&Browse\u2026"), this);
    auto* where = new QHBoxLayout;
    where->addWidget(m_base, 1);
    where->addWidget(browse);
    auto* formats = new QVBoxLayout;
    formats->addWidget(m_html);
    formats->addWidget(m_pdf);
    formats->addWidget(m_json);
    auto* form = new QFormLayout;
    form->addRow(tr("Host:"), m_host);
    form->addRow(tr("Alerts:"), m_alerts);
    form->addRow(tr("Formats:"), formats);
    form->addRow(tr("Save as:"), where);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton* exportButton = buttons->addButton(tr("&Export"), QDialogButtonBox::AcceptRole);
    exportButton->setDefault(true);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(new QLabel(tr("Preview (as the HTML report shows it):"), this));
    layout->addWidget(m_preview, 1);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
    resize(980, 760);

    connect(browse, &QPushButton::clicked, this, [this] {
        const QString chosen = QFileDialog::getSaveFileName(this, tr("Save the report as"), m_base->text(),
                                                            tr("Report (*.html *.pdf *.json)"));
        if (!chosen.isEmpty())
            m_base->setText(chosen.section(QLatin1Char('.'), 0, chosen.contains(QLatin1Char('.')) ? -2 : -1));
    });
    connect(m_host, &QComboBox::currentIndexChanged, this, &ExportReportDialog::requestPreview);
    connect(m_alerts, &QComboBox::currentIndexChanged, this, &ExportReportDialog::requestPreview);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(exportButton, &QPushButton::clicked, this, [this] {
        if (htmlPath().isEmpty() && pdfPath().isEmpty() && jsonPath().isEmpty()) {
            m_status->setText(tr("Choose at least one format and where to save it."));
            return;
        }
        m_status->setText(tr("Writing the report\u2026"));
        Q_EMIT exportRequested();
    });
}

void ExportReportDialog::requestPreview()
{
    m_status->setText(tr("Building the preview\u2026"));
    Q_EMIT previewRequested(options());
}

model::ReportOptions ExportReportDialog::options() const
{
    model::ReportOptions o;
    o.caseName = m_caseName.toStdString();
    o.host = m_host->currentData().toString().toStdString();
    o.alerts = model::ReportAlerts(m_alerts->currentData().toInt());
    return o;
}

QString ExportReportDialog::path(const char* suffix, const QCheckBox* box) const
{
    const QString base = m_base->text().trimmed();
    return box->isChecked() && !base.isEmpty() ? base + QLatin1String(suffix) : QString();
}

QString ExportReportDialog::htmlPath() const { return path(".html", m_html); }
QString ExportReportDialog::pdfPath() const { return path(".pdf", m_pdf); }
QString ExportReportDialog::jsonPath() const { return path(".json", m_json); }

void ExportReportDialog::showPreview(const QString& html, int alerts)
{
    m_preview->setHtml(html);
    m_status->setText(tr("%n alert(s) in this report.", nullptr, alerts));
}

void ExportReportDialog::showResult(const QStringList& written, const QString& error)
{
    QString text = written.isEmpty() ? QString() : tr("Wrote %1.").arg(written.join(QStringLiteral(", ")));
    if (!error.isEmpty())
        text += (text.isEmpty() ? QString() : QStringLiteral(" ")) + tr("Failed: %1").arg(error);
    m_status->setText(text);
}

} // namespace dscope::views
