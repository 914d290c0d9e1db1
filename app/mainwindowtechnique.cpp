// SPDX-License-Identifier: MIT
// MainWindow, continued: the Technique page and its comparison of the draft analytic with R1 on the open case.
#include "mainwindow.h"

#include "alertspage.h"
#include "casecontroller.h"
#include "draftcomparisoncontroller.h"
#include "scope/investigationscope.h"
#include "techniquepage.h"

namespace dscope::app {

void MainWindow::attachTechnique()
{
    connect(m_alerts, &views::AlertsPage::techniqueRequested, this, [this] { showPage(TechniquePageIndex); });
    connect(m_scope, &model::InvestigationScope::caseChanged, m_technique, [this](const QString& path) {
        m_technique->setCaseOpen(!path.isEmpty());
        m_technique->showComparison({});
    });
    connect(m_technique, &views::TechniquePage::comparisonRequested, this, [this] {
        if (m_case->isOpen())
            m_draftComparison->run(m_case->path());
    });
    connect(m_draftComparison, &DraftComparisonController::finished, m_technique, &views::TechniquePage::showComparison);
}

} // namespace dscope::app
