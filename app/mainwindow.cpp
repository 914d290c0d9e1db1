// SPDX-License-Identifier: MIT
#include "mainwindow.h"

#include "alertspage.h"
#include "alertworkcontroller.h"
#include "alertworkpanel.h"
#include "exportreportdialog.h"
#include "reportcontroller.h"
#include "casecontroller.h"
#include "casestatusbar.h"
#include "caseinputsdialog.h"
#include "democase.h"
#include "detectioncontroller.h"
#include "eventspage.h"
#include "importcontroller.h"
#include "importdialog.h"
#include "maskcalculatordialog.h"
#include "livecontroller.h"
#include "livedemocontroller.h"
#include "ruleexportcontroller.h"
#include "livestatuspanel.h"
#include "notespage.h"
#include "techniquepage.h"
#include "draftcomparisoncontroller.h"
#include "exercisecontroller.h"
#include "exercisepanel.h"
#include "tourpanel.h"
#include "itemmodels/alertlistmodel.h"
#include "itemmodels/eventtablemodel.h"
#include "processtree/processtreemodel.h"
#include "processtree/processtreepage.h"
#include "scope/investigationscope.h"
#include "storage/caseinfo.h"
#include "timeline/timelinepage.h"

#include <QAction>
#include <QCloseEvent>
#include <QCoreApplication>
#include <QDateTime>
#include <QDragEnterEvent>
#include <QDockWidget>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>

namespace dscope::app {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_scope(new model::InvestigationScope(this))
    , m_case(new CaseController(this))
    , m_import(new ImportController(this))
    , m_detection(new DetectionController(this))
    , m_alertWork(new AlertWorkController(this))
    , m_report(new ReportController(this))
    , m_tabs(new QTabWidget(this))
    , m_alerts(new views::AlertsPage(this))
    , m_events(new views::EventsPage(this))
    , m_processTree(new views::ProcessTreePage(this))
    , m_timeline(new views::TimelinePage(this))
    , m_notes(new views::NotesPage(this))
    , m_technique(new views::TechniquePage(this))
    , m_draftComparison(new DraftComparisonController(this))
    , m_exercise(new ExerciseController(this))
    , m_exercisePanel(new views::ExercisePanel(this))
    , m_exerciseDock(new QDockWidget(tr("Exercise"), this))
    , m_tourPanel(new views::TourPanel(this))
    , m_tourDock(new QDockWidget(tr("Guided tour"), this))
    , m_live(new LiveController(this))
    , m_liveStatus(new views::LiveStatusPanel(this))
    , m_liveDock(new QDockWidget(tr("Live feeds"), this))
    , m_liveDemo(new LiveDemoController(this))
    , m_ruleExport(new RuleExportController(this))
    , m_caseStatus(new views::CaseStatusBar(this))
{
    setWindowTitle(QStringLiteral("Doppelscope"));
    setAcceptDrops(true);
    m_tabs->addTab(m_alerts, tr("&Alerts"));
    m_tabs->addTab(m_events, tr("&Events"));
    m_tabs->addTab(m_processTree, tr("&Process tree"));
    m_tabs->addTab(m_timeline, tr("&Timeline"));
    m_tabs->addTab(m_notes, tr("&Notes"));
    m_tabs->addTab(m_technique, tr("Techni&que"));
    m_tabs->setDocumentMode(true);
    setCentralWidget(m_tabs);
    statusBar()->addPermanentWidget(m_caseStatus);
    connect(m_caseStatus, &views::CaseStatusBar::inputsRequested, this, [this] { showInputs(true); });

    connect(m_case, &CaseController::infoAvailable, this, &MainWindow::onCaseInfo);
    connect(m_case, &CaseController::infoFailed, this,
            [this](const QString& error) { statusBar()->showMessage(tr("Case summary failed: %1").arg(error)); });
    attachPages();
    attachAlertWork();
    attachNotes();
    attachLive();
    attachLiveDemo();
    attachRuleExport();
    attachTechnique();
    attachExercise();
    attachTour();
    connect(m_import, &ImportController::finished, this, &MainWindow::onImportFinished);

    QSettings settings;
    setUtc(settings.value(QStringLiteral("display/utc"), true).toBool());
    createMenus(); // after the time display is known: View > Show local time starts checked as saved
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1280, 800);
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    // The tour, an exercise and the live feeds are panels of something under way: a new session starts without
    // them, whatever the last one left open (the saved state would show them empty).
    for (QDockWidget* contextual : {m_tourDock, m_exerciseDock, m_liveDock})
        contextual->hide();
}

MainWindow::~MainWindow() = default;

void MainWindow::attachPages()
{
    // The pages follow the scope and report to it; they never call each other. The window adds only what
    // belongs to the window: switching to the Events page, and running detection on the scope's case.
    m_alerts->attach(m_scope);
    m_events->attach(m_scope);
    m_processTree->attach(m_scope);
    m_timeline->attach(m_scope);
    connect(m_scope, &model::InvestigationScope::eventOpenRequested, this, [this] { showPage(EventsPageIndex); });
    // Not during an exercise: the trainee finds the attack without the alerts.
    const auto detect = [this](const QString& path) {
        if (!m_alertsHidden)
            m_detection->run(path);
    };
    connect(m_scope, &model::InvestigationScope::caseChanged, m_detection, detect);
    connect(m_scope, &model::InvestigationScope::caseReloaded, m_detection, detect);
    connect(m_detection, &DetectionController::alertsAvailable, m_scope, &model::InvestigationScope::setAlerts);
    connect(m_detection, &DetectionController::statusChanged, m_alerts, &views::AlertsPage::setDetectionStatus);
}

void MainWindow::attachAlertWork()
{
    // The Alerts page asks; the controller stores in the case and reads back, off the GUI thread.
    views::AlertWorkPanel* panel = m_alerts->workPanel();
    panel->setChecklists(m_alertWork->checklists(), m_alertWork->loadError());
    connect(m_scope, &model::InvestigationScope::caseChanged, m_alertWork, &AlertWorkController::setCase);
    connect(m_scope, &model::InvestigationScope::caseChanged, m_report, &ReportController::setCase);
    connect(m_scope, &model::InvestigationScope::alertsChanged, m_report, &ReportController::setAlerts);
    connect(m_alerts, &views::AlertsPage::workRequested, m_alertWork, [this](qint64 caseId) {
        if (caseId > 0)
            m_alertWork->loadWork(caseId);
    });
    connect(panel, &views::AlertWorkPanel::triageRequested, m_alertWork, &AlertWorkController::recordTriage);
    connect(panel, &views::AlertWorkPanel::checklistItemChanged, m_alertWork, &AlertWorkController::setChecklistItem);
    connect(panel, &views::AlertWorkPanel::pivotRequested, this, [this](const QString& pivot) {
        if (const model::Alert* alert = m_alerts->currentAlert())
            m_alertWork->resolvePivot(*alert, pivot);
    });
    connect(m_alertWork, &AlertWorkController::triageRecorded, m_alerts, &views::AlertsPage::setTriage);
    connect(m_alertWork, &AlertWorkController::workLoaded, panel, [panel](const std::shared_ptr<const AlertWork>& w) {
        panel->setWork(w->caseId, w->checklist, w->history);
    });
    connect(m_alertWork, &AlertWorkController::pivotResolved, this, [this](const model::Pivot& pivot) {
        m_events->setFilter(pivot.filter);
        showPage(EventsPageIndex);
        statusBar()->showMessage(QString::fromStdString(pivot.description)
                                 + (pivot.caveat.empty() ? QString() : QStringLiteral(" (") + QString::fromStdString(pivot.caveat) + QLatin1Char(')')));
    });
    connect(m_alertWork, &AlertWorkController::failed, this, [this](const QString& message) {
        // What the analyst recorded is not in the case: say so plainly, not only in the status bar.
        QMessageBox::warning(this, tr("Not stored"), message);
        if (const model::Alert* alert = m_alerts->currentAlert())
            m_alertWork->loadWork(alert->caseId); // show what the case does hold
    });
}

void MainWindow::exportReport()
{
    const model::AlertSetPtr alerts = m_scope->alerts();
    if (!m_case->isOpen() || !alerts) {
        QMessageBox::information(this, tr("Export report"),
                                 tr("Open a case and let detection finish first: the report lists its alerts."));
        return;
    }
    QStringList hosts;
    for (const auto& a : alerts->alerts)
        if (!hosts.contains(QString::fromStdString(a.host)))
            hosts << QString::fromStdString(a.host);
    hosts.sort(Qt::CaseInsensitive);
    const QFileInfo caseFile(m_case->path());
    auto* dialog = new views::ExportReportDialog(caseFile.fileName(), hosts,
                                                 caseFile.absolutePath() + QLatin1Char('/') + caseFile.completeBaseName()
                                                     + QStringLiteral("-report"),
                                                 this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    auto complete = [this](model::ReportOptions o) {
        o.generator = "Doppelscope " + QCoreApplication::applicationVersion().toStdString();
        o.ruleSetVersion = m_detection->ruleSetVersion();
        o.generatedUtcMs = QDateTime::currentMSecsSinceEpoch();
        return o;
    };
    connect(dialog, &views::ExportReportDialog::previewRequested, m_report,
            [this, complete](const model::ReportOptions& o) { m_report->preview(complete(o)); });
    connect(m_report, &ReportController::previewReady, dialog, &views::ExportReportDialog::showPreview);
    connect(dialog, &views::ExportReportDialog::exportRequested, m_report, [this, dialog, complete] {
        m_report->exportReport({complete(dialog->options()), dialog->htmlPath(), dialog->pdfPath(), dialog->jsonPath()});
    });
    connect(m_report, &ReportController::exported, dialog, &views::ExportReportDialog::showResult);
    connect(m_report, &ReportController::failed, dialog, [dialog](const QString& m) { dialog->showResult({}, m); });
    dialog->show();
    m_report->preview(complete(dialog->options()));
}

void MainWindow::createMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&New case\u2026"), QKeySequence::New, this, &MainWindow::newCase);
    file->addAction(tr("&Open case\u2026"), QKeySequence::Open, this, &MainWindow::chooseCase);
    m_recent = file->addMenu(tr("&Recent cases"));
    connect(m_recent, &QMenu::aboutToShow, this, &MainWindow::fillRecentMenu);
    file->addSeparator();
    file->addAction(tr("&Import files\u2026"), QKeySequence(Qt::CTRL | Qt::Key_I), this, &MainWindow::chooseImportFiles);
    file->addAction(tr("Import &folder\u2026"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I), this,
                    &MainWindow::chooseImportFolder);
    file->addAction(tr("Case &inputs\u2026"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L), this,
                    [this] { showInputs(false); });
    file->addAction(tr("&Export report\u2026"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E), this,
                    &MainWindow::exportReport);
    file->addSeparator();
    file->addAction(tr("&Listen for live feeds\u2026"), QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_L), this, &MainWindow::listen);
    file->addAction(tr("S&top listening"), this, [this] { m_live->stop(); });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    QAction* note = edit->addAction(tr("&Note, tags and bookmark\u2026"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N), this,
                                    &MainWindow::annotateCurrent);
    QAction* bookmark = edit->addAction(tr("&Bookmark"), QKeySequence(Qt::CTRL | Qt::Key_B), this, &MainWindow::bookmarkCurrent);
    edit->addAction(tr("Find in &notes"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F), this, [this] {
        showPage(NotesPageIndex);
        m_notes->setFocus();
    });
    // The same actions on the lists' context menus: they act on the row under the menu, which is current.
    // The rule of the alert under the cursor, in another query language.
    auto* exportRule = new QAction(tr("E&xport this rule\u2026"), this);
    connect(exportRule, &QAction::triggered, this, [this] {
        if (const model::Alert* a = m_alerts->currentAlert())
            exportRules(QString::fromStdString(a->ruleId));
    });
    m_alerts->setExtraContextActions({note, bookmark, exportRule});
    m_events->setExtraContextActions({note, bookmark});
    m_processTree->setExtraContextActions({note, bookmark});

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addAction(tr("&Alerts"), QKeySequence(Qt::CTRL | Qt::Key_1), this, [this] { showPage(AlertsPageIndex); });
    view->addAction(tr("&Events"), QKeySequence(Qt::CTRL | Qt::Key_2), this, [this] { showPage(EventsPageIndex); });
    view->addAction(tr("&Process tree"), QKeySequence(Qt::CTRL | Qt::Key_3), this,
                    [this] { showPage(ProcessTreePageIndex); });
    view->addAction(tr("&Timeline"), QKeySequence(Qt::CTRL | Qt::Key_4), this, [this] { showPage(TimelinePageIndex); });
    view->addAction(tr("&Notes"), QKeySequence(Qt::CTRL | Qt::Key_5), this, [this] { showPage(NotesPageIndex); });
    view->addSeparator();
    QAction* local = view->addAction(tr("Show &local time"));
    local->setCheckable(true);
    local->setChecked(!m_scope->utc());
    connect(local, &QAction::toggled, this, [this](bool on) { setUtc(!on); });
    view->addAction(tr("&Reload events"), QKeySequence::Refresh, this, [this] { m_events->reload(); });

    QMenu* tools = menuBar()->addMenu(tr("&Tools"));
    tools->addAction(tr("Access &mask calculator\u2026"), QKeySequence(Qt::CTRL | Qt::Key_M), this, [this] {
        auto* dialog = new views::MaskCalculatorDialog(this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
    });
    tools->addAction(tr("E&xport rules\u2026"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R), this, [this] { exportRules(); });
    tools->addAction(tr("Analyst &name\u2026"), this, [this] {
        bool ok = false;
        const QString name = QInputDialog::getText(this, tr("Analyst name"),
                                                   tr("Decisions and checklist ticks are recorded under this name:"),
                                                   QLineEdit::Normal, m_alertWork->analyst(), &ok);
        if (ok && !name.trimmed().isEmpty())
            m_alertWork->setAnalyst(name);
    });
    // Not F5: View > Reload events has it (QKeySequence::Refresh), and a shared shortcut fires neither action.
    tools->addAction(tr("Run &detection again"), QKeySequence(Qt::CTRL | Qt::Key_D), this, [this] {
        if (m_case->isOpen())
            m_detection->run(m_case->path());
    });

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("Open the &demo case (simulated)"), this, [this] { openDemoCase(false); });
    help->addAction(tr("Guided &tour"), this, &MainWindow::startTour);
    help->addAction(tr("Start an &exercise\u2026"), this, &MainWindow::chooseExercise);
    help->addAction(tr("Li&ve demonstration\u2026"), this, &MainWindow::chooseLiveDemonstration);
    help->addAction(tr("&Learn the technique"), QKeySequence::HelpContents, this, [this] { showPage(TechniquePageIndex); });
    help->addAction(tr("&About Doppelscope"), this, [this] {
        QMessageBox::about(this, tr("About Doppelscope"),
                           tr("<b>Doppelscope</b> %1<br>An investigation workbench for Process Doppelg\u00e4nging "
                              "(T1055.013) and remote-thread injection in Windows event logs.<br>The demo case is "
                              "simulated: written for training, not recorded on any machine.")
                               .arg(QCoreApplication::applicationVersion()));
    });
}

void MainWindow::showPage(Page page) { m_tabs->setCurrentIndex(int(page)); }

bool MainWindow::openCase(const QString& path)
{
    QString error;
    if (!m_case->open(path, error)) {
        QMessageBox::warning(this, tr("Open case"), error);
        return false;
    }
    if (m_inputsDialog)
        m_inputsDialog->close(); // another case: its inputs open afresh
    setWindowTitle(tr("%1 \u2014 Doppelscope").arg(m_case->path()));
    m_caseStatus->setLoading();
    m_scope->setCase(m_case->path());
    return true;
}

void MainWindow::onCaseInfo(const model::CaseInfo& info)
{
    m_caseStatus->setInfo(info, m_scope->utc());
    QStringList hosts;
    for (const auto& h : info.hosts)
        hosts << QString::fromStdString(h.key);
    m_events->setHosts(hosts);
    if (m_inputsDialog)
        m_inputsDialog->setInfo(m_case->path(), info);
}

void MainWindow::showInputs(bool onProblem)
{
    if (!m_case->isOpen()) {
        QMessageBox::information(this, tr("Case inputs"), tr("Open or create a case first."));
        return;
    }
    if (!m_inputsDialog) {
        m_inputsDialog = new views::CaseInputsDialog(this);
        m_inputsDialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(m_inputsDialog, &views::CaseInputsDialog::eventsOfInputRequested, this,
                [this](qint64 inputId, const QString& path) {
                    showPage(EventsPageIndex);
                    m_events->setInputFilter(inputId, QFileInfo(path).fileName());
                });
        m_inputsDialog->setUtc(m_scope->utc());
        if (m_case->hasInfo())
            m_inputsDialog->setInfo(m_case->path(), m_case->info());
    }
    if (onProblem) {
        m_inputsDialog->setProblemsOnly(true);
        m_inputsDialog->selectFirstProblem();
    }
    m_inputsDialog->show();
    m_inputsDialog->raise();
    m_inputsDialog->activateWindow();
}

void MainWindow::setUtc(bool utc)
{
    m_scope->setUtc(utc);
    if (m_inputsDialog)
        m_inputsDialog->setUtc(utc);
    if (m_case->hasInfo())
        onCaseInfo(m_case->info());
    QSettings().setValue(QStringLiteral("display/utc"), utc);
}

void MainWindow::newCase()
{
    QString path = QFileDialog::getSaveFileName(this, tr("New case"), QString(), tr("Cases (*.dscase)"));
    if (path.isEmpty())
        return;
    if (!path.endsWith(QLatin1String(".dscase")))
        path += QLatin1String(".dscase");
    QString error;
    if (!CaseController::createCase(path, error)) {
        QMessageBox::warning(this, tr("New case"), error);
        return;
    }
    openCase(path);
}

void MainWindow::chooseCase()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open case"), QString(), tr("Cases (*.dscase)"));
    if (!path.isEmpty())
        openCase(path);
}

void MainWindow::fillRecentMenu()
{
    m_recent->clear();
    const QStringList recent = m_case->recentCases();
    for (const QString& path : recent)
        m_recent->addAction(path, this, [this, path] { openCase(path); });
    m_recent->setEnabled(true);
    if (recent.isEmpty())
        m_recent->addAction(tr("(none)"))->setEnabled(false);
}

void MainWindow::chooseImportFiles()
{
    const QStringList files = QFileDialog::getOpenFileNames(
        this, tr("Import files"), QString(),
        tr("Event logs (*.evtx *.xml *.json *.jsonl *.zip *.tar.gz *.gz);;All files (*)"));
    if (!files.isEmpty())
        importPaths(files);
}

void MainWindow::chooseImportFolder()
{
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Import folder"));
    if (!folder.isEmpty())
        importPaths({folder});
}

void MainWindow::importPaths(const QStringList& paths)
{
    if (m_import->isRunning()) {
        QMessageBox::information(this, tr("Import"), tr("An import is already running."));
        return;
    }
    if (!m_case->isOpen()) {
        newCase();
        if (!m_case->isOpen())
            return;
    }
    std::vector<std::string> list;
    for (const QString& p : paths)
        list.push_back(p.toStdString());
    list = model::expandPaths(list);
    m_importDialog = new views::ImportDialog(this);
    m_importDialog->setAttribute(Qt::WA_DeleteOnClose);
    m_importDialog->setFiles(list);
    connect(m_import, &ImportController::progressChanged, m_importDialog, &views::ImportDialog::setProgress);
    connect(m_import, &ImportController::finished, m_importDialog, &views::ImportDialog::setSummary);
    connect(m_importDialog, &views::ImportDialog::cancelRequested, m_import, &ImportController::cancel);
    m_importDialog->open();
    m_import->start(m_case->path(), list);
}

void MainWindow::onImportFinished()
{
    // New events: every page reads the case again and detection runs again (through the scope); the summary too.
    m_scope->reloadCase();
    m_case->refreshInfo();
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (m_import->isRunning()
        && QMessageBox::question(this, tr("Quit"), tr("An import is running. Cancel it and quit? Events written so "
                                                      "far stay in the case."))
               != QMessageBox::Yes) {
        event->ignore();
        return;
    }
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    QMainWindow::closeEvent(event);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    QStringList paths;
    const auto urls = event->mimeData()->urls();
    for (const QUrl& url : urls)
        if (url.isLocalFile())
            paths << url.toLocalFile();
    if (paths.isEmpty())
        return;
    event->acceptProposedAction();
    // A dropped case opens; anything else is imported into the open case.
    if (paths.size() == 1 && paths.first().endsWith(QLatin1String(".dscase")))
        openCase(paths.first());
    else
        importPaths(paths);
}

} // namespace dscope::app
