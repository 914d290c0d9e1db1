// SPDX-License-Identifier: MIT
// MainWindow, continued: the live demonstration (Help > Live demonstration): a new case, a JSON-lines listener on
// the loopback interface, and the simulated day sent into it at the instructor's pace, alerts appearing as it goes.
#include "mainwindow.h"

#include "casecontroller.h"
#include "exercisecontroller.h"
#include "livecontroller.h"
#include "livedemocontroller.h"
#include "livedemodialog.h"
#include "liveservice.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QMessageBox>
#include <QStandardPaths>
#include <QDockWidget>
#include <QStatusBar>
#include <QTabWidget>

namespace dscope::app {

void MainWindow::attachLiveDemo()
{
    connect(m_liveDemo, &LiveDemoController::progress, this, [this](qint64 sent, qint64 total) {
        const QLocale locale;
        statusBar()->showMessage(tr("Live demonstration: %1 of %2 simulated events sent")
                                     .arg(locale.toString(sent), locale.toString(total)));
    });
    connect(m_liveDemo, &LiveDemoController::finished, this, [this](qint64 sent, const QString& error, bool cancelled) {
        const QLocale locale;
        if (cancelled)
            statusBar()->showMessage(tr("Live demonstration stopped after %1 events").arg(locale.toString(sent)), 10000);
        else if (!error.isEmpty())
            statusBar()->showMessage(tr("Live demonstration stopped after %1 events: %2").arg(locale.toString(sent), error));
        else
            statusBar()->showMessage(tr("Live demonstration: all %1 events sent; still listening (File > Stop listening)")
                                         .arg(locale.toString(sent)));
    });
    // Listening stopped from the live panel or the File menu: the feed it was for stops too.
    connect(m_live, &LiveController::stopped, m_liveDemo, &LiveDemoController::cancel);
}

void MainWindow::chooseLiveDemonstration()
{
    if (m_live->isRunning()
        && QMessageBox::question(this, tr("Live demonstration"),
                                 tr("The workbench is listening for live feeds into %1. Stop listening and start the "
                                    "demonstration in a case of its own?")
                                     .arg(m_case->path()))
               != QMessageBox::Yes)
        return;
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation);
    const QString suggested = QDir(folder).filePath(
        QStringLiteral("live-demonstration-%1.dscase").arg(QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmm"))));
    views::LiveDemoDialog dialog(suggested, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    QString path = dialog.casePath();
    if (!path.endsWith(QLatin1String(".dscase")))
        path += QLatin1String(".dscase");
    if (QFile::exists(path)
        && QMessageBox::question(this, tr("Live demonstration"), tr("%1 exists. Replace it?").arg(path)) != QMessageBox::Yes)
        return;
    QString error;
    if (!startLiveDemonstration(path, dialog.rate(), dialog.seed(), error))
        QMessageBox::warning(this, tr("Live demonstration"), error);
}

bool MainWindow::startLiveDemonstration(const QString& casePath, double rate, quint64 seed, QString& error)
{
    m_liveDemo->cancel();
    m_live->stop();
    // The demonstration shows the alerts as they come: an exercise under way ends, the tour steps aside.
    if (m_exercise->isActive() || m_alertsHidden) {
        m_exercise->end();
        m_alertsHidden = false;
        m_tabs->setTabVisible(AlertsPageIndex, true);
        m_exerciseDock->hide();
    }
    m_tourDock->hide();
    QDir().mkpath(QFileInfo(casePath).absolutePath());
    for (const QString& suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
        if (QFile::exists(casePath + suffix) && !QFile::remove(casePath + suffix)) {
            error = tr("cannot replace %1").arg(casePath + suffix);
            return false;
        }
    if (!CaseController::createCase(casePath, error) || !openCase(casePath))
        return false;
    ListenSpec spec;
    spec.kind = ListenSpec::Kind::JsonlTcp;
    spec.port = 0; // any free port: the demonstration's sender is told which
    if (!startListening({spec}, error))
        return false;
    LiveDemoController::Options options;
    options.port = m_live->boundPort(int(ListenSpec::Kind::JsonlTcp));
    options.rate = rate;
    options.demo.seed = seed;
    m_liveDemo->start(options);
    showPage(AlertsPageIndex);
    return true;
}

} // namespace dscope::app
