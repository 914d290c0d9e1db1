// SPDX-License-Identifier: MIT
// MainWindow, continued: Tools > Export rules and the Alerts page's "Export this rule": the rules in Spark SQL, Sigma,
// SPL, EQL or KQL, previewed, copied or saved.
#include "mainwindow.h"

#include "alertspage.h"
#include "ruleexportcontroller.h"
#include "ruleexportdialog.h"

#include <QMessageBox>
#include <QStatusBar>

namespace dscope::app {

void MainWindow::exportRules(const QString& ruleId)
{
    QString error;
    if (m_ruleExport->exportableRules().empty() && !m_ruleExport->load(error)) {
        QMessageBox::warning(this, tr("Export rules"), tr("The rules do not load: %1").arg(error));
        return;
    }
    const auto rules = m_ruleExport->exportableRules();
    QStringList checked;
    if (!ruleId.isEmpty())
        checked << ruleId;
    else
        for (const auto& r : rules)
            checked << r.first;
    views::RuleExportDialog dialog(rules, checked, this);
    auto refresh = [this, &dialog] {
        QString note;
        const QString text = m_ruleExport->exportText(dialog.chosenRules(), dialog.format(), dialog.fields(), &note);
        dialog.setPreview(text, note);
    };
    connect(&dialog, &views::RuleExportDialog::previewRequested, &dialog, refresh);
    connect(&dialog, &views::RuleExportDialog::saveRequested, this, [this, &dialog](const QString& folder) {
        m_ruleExport->save(dialog.chosenRules(), dialog.format(), dialog.fields(), folder);
    });
    refresh();
    dialog.exec();
}

void MainWindow::attachRuleExport()
{
    connect(m_ruleExport, &RuleExportController::saved, this, [this](int files, const QString& folder) {
        statusBar()->showMessage(tr("%n rule file(s) saved in %1", nullptr, files).arg(folder), 8000);
    });
    connect(m_ruleExport, &RuleExportController::failed, this,
            [this](const QString& error) { QMessageBox::warning(this, tr("Export rules"), error); });
}

} // namespace dscope::app
