// SPDX-License-Identifier: MIT
// MainWindow, continued: the guided tour on the demo case (Help > Guided tour).
#include "mainwindow.h"

#include "alertspage.h"
#include "casecontroller.h"
#include "democase.h"
#include "detailpane.h"
#include "detectioncontroller.h"
#include "eventspage.h"
#include "itemmodels/alertlistmodel.h"
#include "processtree/processtreepage.h"
#include "scope/investigationscope.h"
#include "timeline/timelinepage.h"
#include "tourpanel.h"

#include <QCoreApplication>
#include <QDockWidget>
#include <QFutureWatcher>
#include <QStatusBar>
#include <QtConcurrent/QtConcurrentRun>
#include <QMessageBox>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>

#include <cstdio>
#include <utility>

namespace dscope::app {

void MainWindow::attachTour()
{
    m_tourDock->setObjectName(QStringLiteral("tour"));
    m_tourDock->setWidget(m_tourPanel);
    addDockWidget(Qt::RightDockWidgetArea, m_tourDock);
    m_tourDock->hide();
    connect(m_tourPanel, &views::TourPanel::stepShown, this, [this](int, const QString& focus) { applyTourStep(focus); });
    connect(m_tourPanel, &views::TourPanel::closed, m_tourDock, &QWidget::hide);
    // A step shown before detection finished selects its alert once the alerts are in.
    connect(m_detection, &DetectionController::runFinished, this, [this] {
        if (m_tourDock->isVisible() && m_tourPanel->step() >= 0)
            applyTourStep(m_tourPanel->focusOf(m_tourPanel->step()));
    });
}

void MainWindow::offerTour()
{
    m_tourDock->show();
    m_tourPanel->setStep(0);
}

void MainWindow::startTour() { openDemoCase(true); }

void MainWindow::openDemoCase(bool withTour)
{
    // The first time, the working day is generated and imported (about half a second): not on this thread.
    if (findChild<QObject*>(QStringLiteral("demoPreparation")))
        return; // already under way
    statusBar()->showMessage(tr("Preparing the demo case\u2026"));
    auto* watcher = new QFutureWatcher<std::pair<QString, QString>>(this);
    watcher->setObjectName(QStringLiteral("demoPreparation"));
    connect(watcher, &QFutureWatcher<std::pair<QString, QString>>::finished, this, [this, watcher, withTour] {
        const auto [demo, error] = watcher->result();
        watcher->setObjectName(QString());
        watcher->deleteLater();
        statusBar()->clearMessage();
        if (demo.isEmpty()) {
            if (m_exitOnDemoFailure) {
                std::fprintf(stderr, "error: the demo case: %s\n", qPrintable(error));
                QCoreApplication::exit(3);
                return;
            }
            QMessageBox::warning(this, tr("Demo case"), error);
            return;
        }
        if ((!m_case->isOpen() || m_case->path() != demo) && !openCase(demo))
            return;
        if (withTour)
            offerTour();
    });
    watcher->setFuture(QtConcurrent::run([] {
        QString error;
        QString demo = prepareDemoCase(error);
        return std::make_pair(demo, error);
    }));
}

void MainWindow::applyTourStep(const QString& focus)
{
    const auto alerts = m_scope->alerts();
    if (!alerts)
        return; // detection is still running: runFinished applies the step again
    // The chain's R4 alert (a process created from a section), else the worst alert the case has.
    int index = -1;
    for (size_t i = 0; i < alerts->alerts.size() && index < 0; ++i)
        if (alerts->alerts[i].ruleId == "R4")
            index = int(i);
    if (index < 0 && !alerts->alerts.empty())
        index = 0;
    if (index < 0)
        return;
    const model::Alert& alert = alerts->alerts[size_t(index)];
    const auto selectInList = [this, index] {
        const QAbstractItemModel* list = m_alerts->table()->model();
        for (int row = 0; row < list->rowCount(); ++row)
            if (list->index(row, 0).data(model::AlertListModel::AlertIndexRole).toInt() == index) {
                m_alerts->selectAlert(row);
                return;
            }
    };
    if (focus == QLatin1String("processtree")) {
        showPage(ProcessTreePageIndex);
        m_processTree->revealAlert(index);
    } else if (focus == QLatin1String("timeline")) {
        showPage(TimelinePageIndex);
        m_timeline->selectProcess(QString::fromStdString(alert.host), QString::fromStdString(alert.target.guid));
    } else if (focus == QLatin1String("mask")) {
        showPage(EventsPageIndex);
        for (const auto& e : alert.evidence)
            if (e.eventId == 10) {
                m_events->goToEvent(e.eventRowId);
                break;
            }
        // The mask tab opens once the event's detail has loaded (it is enabled then): tried for up to 3 s.
        auto* retry = new QTimer(this);
        retry->setInterval(100);
        connect(retry, &QTimer::timeout, this, [this, retry, tries = 0]() mutable {
            auto* tabs = m_events->detailPane()->findChild<QTabWidget*>();
            const bool ready = tabs && tabs->count() > 2 && tabs->isTabEnabled(2);
            if (ready && m_tourPanel->focusOf(m_tourPanel->step()) == QLatin1String("mask"))
                tabs->setCurrentIndex(2);
            if (ready || ++tries >= 30)
                retry->deleteLater();
        });
        retry->start();
    } else {
        showPage(AlertsPageIndex);
        selectInList();
    }
}

} // namespace dscope::app
