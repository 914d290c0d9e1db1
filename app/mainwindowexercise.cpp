// SPDX-License-Identifier: MIT
// MainWindow, continued: exercises (Help > Start an exercise): the case without its alerts, the trainee's
// accusations, the score, then the alerts revealed.
#include "mainwindow.h"

#include "alertworkcontroller.h"
#include "casecontroller.h"
#include "demo/demogenerator.h"
#include "detectioncontroller.h"
#include "eventspage.h"
#include "exercisecontroller.h"
#include "exercisepanel.h"
#include "itemmodels/eventtablemodel.h"
#include "processtree/processtreemodel.h"
#include "processtree/processtreepage.h"

#include <QDateTime>
#include <QDockWidget>
#include <QInputDialog>
#include <QMessageBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>

namespace dscope::app {

void MainWindow::attachExercise()
{
    m_exerciseDock->setObjectName(QStringLiteral("exercise"));
    m_exerciseDock->setWidget(m_exercisePanel);
    addDockWidget(Qt::RightDockWidgetArea, m_exerciseDock);
    m_exerciseDock->hide();
    connect(m_exercise, &ExerciseController::failed, this, [this](const QString& error) {
        QMessageBox::warning(this, tr("Exercise"), error);
    });
    connect(m_exercise, &ExerciseController::ready, this, [this](const QString& casePath) {
        m_alertsHidden = true;
        m_tabs->setTabVisible(AlertsPageIndex, false);
        if (!openCase(casePath)) {
            m_alertsHidden = false;
            m_tabs->setTabVisible(AlertsPageIndex, true);
            return;
        }
        const model::Exercise* e = model::findExercise(m_exercise->exercise().toStdString());
        m_exercisePanel->begin(tr("Exercise: %1").arg(m_exercise->exercise()),
                               e ? QString::fromStdString(e->description) : QString());
        m_exerciseDock->show();
        m_tourDock->hide(); // the tour shows alerts the exercise hides
        statusBar()->clearMessage();
        showPage(ProcessTreePageIndex);
        m_exercise->start();
    });
    connect(m_exercisePanel, &views::ExercisePanel::accuseRequested, this, [this] {
        // The process selected on the page shown: a node of the tree, or the subject of an event.
        if (m_tabs->currentIndex() == ProcessTreePageIndex) {
            const int node = m_processTree->currentNode();
            const auto tree = m_processTree->treeModel()->tree();
            if (node >= 0 && tree) {
                const auto& n = tree->nodes[size_t(node)];
                m_exercisePanel->accuse({n.host.toStdString(), n.guid.toStdString()},
                                        tr("%1 (%2) on %3").arg(m_processTree->treeModel()->nodeLabel(node), n.guid, n.host));
                return;
            }
        } else if (m_tabs->currentIndex() == EventsPageIndex) {
            const QModelIndex current = m_events->table()->currentIndex();
            const QString guid = current.data(model::EventSubjectGuidRole).toString();
            if (!guid.isEmpty()) {
                const QString host = current.data(model::EventHostRole).toString();
                m_exercisePanel->accuse({host.toStdString(), guid.toStdString()},
                                        tr("%1 (%2) on %3").arg(current.siblingAtColumn(3).data().toString(), guid, host));
                return;
            }
        }
        statusBar()->showMessage(tr("Select a process in the Process tree, or an event of it in the Events page, first"), 5000);
    });
    // Submit: what was accused in the panel, and every process tagged "malicious" (or one of whose events is), read
    // from the case off the GUI thread.
    connect(m_exercisePanel, &views::ExercisePanel::submitted, this, [this] {
        if (m_exercise->isActive()) {
            m_exerciseSubmitting = true;
            m_alertWork->loadTaggedProcesses(QStringLiteral("malicious"));
        }
    });
    connect(m_alertWork, &AlertWorkController::taggedProcessesLoaded, this,
            [this](const QString& tag, const std::vector<model::annotationstore::TaggedProcess>& tagged) {
                if (!m_exerciseSubmitting || tag != QLatin1String("malicious") || !m_exercise->isActive())
                    return;
                m_exerciseSubmitting = false;
                for (const auto& p : tagged)
                    m_exercisePanel->accuse({p.host, p.guid}, tr("%1 (tagged malicious)").arg(QString::fromStdString(p.subject)));
                m_exercisePanel->showResult(m_exercise->submit(m_exercisePanel->accused()));
            });
    connect(m_alertWork, &AlertWorkController::failed, this, [this] {
        if (m_exerciseSubmitting && m_exercise->isActive()) { // the tags could not be read: the panel's list counts
            m_exerciseSubmitting = false;
            m_exercisePanel->showResult(m_exercise->submit(m_exercisePanel->accused()));
        }
    });
    connect(m_exercisePanel, &views::ExercisePanel::revealRequested, this, [this] {
        m_exercise->end();
        m_alertsHidden = false;
        m_tabs->setTabVisible(AlertsPageIndex, true);
        if (m_case->isOpen())
            m_detection->run(m_case->path());
        showPage(AlertsPageIndex);
    });
}

void MainWindow::chooseExercise()
{
    QStringList items;
    for (const model::Exercise& e : model::exercises())
        items << QString::fromStdString(e.name + ": " + e.description);
    bool ok = false;
    const QString choice = QInputDialog::getItem(this, tr("Start an exercise"),
                                                 tr("The exercise's case is simulated: a working day on several hosts, with "
                                                    "an attack hidden in it. Its alerts stay hidden until you submit."),
                                                 items, 0, false, &ok);
    if (!ok)
        return;
    // A new seed each time: another day, the same story; the seed is in the case's name to replay an attempt.
    startExercise(choice.section(QLatin1Char(':'), 0, 0), quint64(QDateTime::currentMSecsSinceEpoch() % 100000));
}

void MainWindow::startExercise(const QString& name, quint64 seed)
{
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation) + QStringLiteral("/exercises");
    statusBar()->showMessage(tr("Preparing the exercise %1\u2026").arg(name));
    m_exercise->prepare(name, seed, folder);
}

} // namespace dscope::app
