// SPDX-License-Identifier: MIT
#include "mainwindow.h"

#include "alertspage.h"
#include "casecontroller.h"
#include "caseinputsdialog.h"
#include "democase.h"
#include "detectioncontroller.h"
#include "eventspage.h"
#include "importcontroller.h"
#include "importdialog.h"
#include "itemmodels/alertlistmodel.h"
#include "itemmodels/plaintooltip.h"
#include "maskcalculatordialog.h"
#include "processtree/processtreepage.h"
#include "timeline/timelinepage.h"

#include <QAction>
#include <QCloseEvent>
#include <QCoreApplication>
#include <QScopedValueRollback>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>

namespace dscope::app {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_case(new CaseController(this))
    , m_import(new ImportController(this))
    , m_detection(new DetectionController(this))
    , m_tabs(new QTabWidget(this))
    , m_alerts(new views::AlertsPage(this))
    , m_events(new views::EventsPage(this))
    , m_processTree(new views::ProcessTreePage(this))
    , m_timeline(new views::TimelinePage(this))
    , m_eventsLabel(new QLabel(this))
    , m_hostsLabel(new QLabel(this))
    , m_rangeLabel(new QLabel(this))
    , m_inputsLabel(new QLabel(this))
{
    setWindowTitle(QStringLiteral("Doppelscope"));
    setAcceptDrops(true);
    m_tabs->addTab(m_alerts, tr("&Alerts"));
    m_tabs->addTab(m_events, tr("&Events"));
    m_tabs->addTab(m_processTree, tr("&Process tree"));
    m_tabs->addTab(m_timeline, tr("&Timeline"));
    m_tabs->setDocumentMode(true);
    setCentralWidget(m_tabs);
    statusBar()->addPermanentWidget(m_eventsLabel);
    statusBar()->addPermanentWidget(m_hostsLabel);
    statusBar()->addPermanentWidget(m_rangeLabel);
    // Shown only when something was not imported: a link to the inputs, on the input that needs attention.
    statusBar()->addPermanentWidget(m_inputsLabel);
    m_inputsLabel->setTextFormat(Qt::RichText);
    m_inputsLabel->setToolTip(tr("Show the case's inputs (Ctrl+Shift+L)"));
    m_inputsLabel->hide();
    connect(m_inputsLabel, &QLabel::linkActivated, this, [this] { showInputs(true); });
    createMenus();

    connect(m_case, &CaseController::infoAvailable, this, &MainWindow::onCaseInfo);
    connect(m_case, &CaseController::infoFailed, this,
            [this](const QString& error) { statusBar()->showMessage(tr("Case summary failed: %1").arg(error)); });
    connectPages();
    connect(m_import, &ImportController::finished, this, &MainWindow::onImportFinished);

    QSettings settings;
    setUtc(settings.value(QStringLiteral("display/utc"), true).toBool());
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1280, 800);
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
}

MainWindow::~MainWindow() = default;

void MainWindow::connectPages()
{
    connect(m_detection, &DetectionController::alertsAvailable, m_alerts, &views::AlertsPage::setAlerts);
    connect(m_detection, &DetectionController::alertsAvailable, m_processTree, &views::ProcessTreePage::setAlerts);
    connect(m_detection, &DetectionController::statusChanged, m_alerts, &views::AlertsPage::setDetectionStatus);
    connect(m_alerts, &views::AlertsPage::openEventRequested, this, [this](qint64 id) {
        showPage(EventsPageIndex);
        m_events->goToEvent(id);
    });
    // Selecting an alert positions the other pages on it; they stay where they are until the user looks.
    connect(m_alerts, &views::AlertsPage::alertSelected, this, [this](int index) {
        const auto& alerts = m_detection->alerts();
        if (!alerts || index < 0 || index >= int(alerts->alerts.size()))
            return;
        m_processTree->revealAlert(index);
        m_timeline->showAlert(alerts->alerts[size_t(index)]);
    });
    // Linked selection: an event, a process or a marker selected on one page is selected on the others. The guard
    // stops the echo (the page that receives a selection emits its own selection signal in turn).
    auto linked = [this](auto&& mirror) {
        if (m_linking)
            return;
        const QScopedValueRollback guard(m_linking, true);
        mirror();
    };
    connect(m_events, &views::EventsPage::eventSelected, this,
            [this, linked](qint64 id, const QString& host, const QString& guid) {
                linked([&] {
                    m_timeline->selectEvent(id);
                    if (guid.isEmpty())
                        m_processTree->selectEvent(id);
                    else
                        m_processTree->selectProcess(host, guid);
                });
            });
    connect(m_processTree, &views::ProcessTreePage::eventSelected, this, [this, linked](qint64 id) {
        linked([&] {
            m_timeline->selectEvent(id);
            m_events->goToEvent(id);
        });
    });
    // One host at a time: a host chosen on the Alerts or Process tree page scopes the other pages too.
    connect(m_alerts, &views::AlertsPage::hostChosen, this, [this, linked](const QString& host) {
        linked([&] {
            m_processTree->setHost(host);
            m_events->setHostFilter(host);
        });
    });
    connect(m_processTree, &views::ProcessTreePage::hostChosen, this, [this, linked](const QString& host) {
        linked([&] {
            m_alerts->setHost(host);
            m_events->setHostFilter(host);
        });
    });
    connect(m_timeline, &views::TimelinePage::eventSelected, this, [this, linked](qint64 id) {
        linked([&] {
            m_events->goToEvent(id);
            m_processTree->selectEvent(id);
        });
    });
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
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    view->addAction(tr("&Alerts"), QKeySequence(Qt::CTRL | Qt::Key_1), this, [this] { showPage(AlertsPageIndex); });
    view->addAction(tr("&Events"), QKeySequence(Qt::CTRL | Qt::Key_2), this, [this] { showPage(EventsPageIndex); });
    view->addAction(tr("&Process tree"), QKeySequence(Qt::CTRL | Qt::Key_3), this,
                    [this] { showPage(ProcessTreePageIndex); });
    view->addAction(tr("&Timeline"), QKeySequence(Qt::CTRL | Qt::Key_4), this, [this] { showPage(TimelinePageIndex); });
    view->addSeparator();
    QAction* local = view->addAction(tr("Show &local time"));
    local->setCheckable(true);
    local->setChecked(!m_utc);
    connect(local, &QAction::toggled, this, [this](bool on) { setUtc(!on); });
    view->addAction(tr("&Reload events"), QKeySequence::Refresh, this, [this] { m_events->reload(); });

    QMenu* tools = menuBar()->addMenu(tr("&Tools"));
    tools->addAction(tr("Access &mask calculator\u2026"), QKeySequence(Qt::CTRL | Qt::Key_M), this, [this] {
        auto* dialog = new views::MaskCalculatorDialog(this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
    });
    // Not F5: View > Reload events has it (QKeySequence::Refresh), and a shared shortcut fires neither action.
    tools->addAction(tr("Run &detection again"), QKeySequence(Qt::CTRL | Qt::Key_D), this, [this] {
        if (m_case->isOpen())
            m_detection->run(m_case->path());
    });

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("Open the &demo case (simulated)"), this, [this] {
        QString error;
        const QString demo = prepareDemoCase(error);
        if (demo.isEmpty())
            QMessageBox::warning(this, tr("Demo case"), error);
        else
            openCase(demo);
    });
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
    m_events->closeCase();
    m_alerts->setAlerts(nullptr);
    if (m_inputsDialog)
        m_inputsDialog->close(); // another case: its inputs open afresh
    if (!m_events->openCase(m_case->path(), &error)) {
        QMessageBox::warning(this, tr("Open case"), error);
        return false;
    }
    setWindowTitle(tr("%1 \u2014 Doppelscope").arg(m_case->path()));
    m_eventsLabel->setText(tr("Loading case summary\u2026"));
    m_hostsLabel->clear();
    m_rangeLabel->clear();
    m_processTree->setCase(m_case->path());
    m_timeline->setCase(m_case->path());
    m_detection->run(m_case->path());
    return true;
}

void MainWindow::onCaseInfo(const model::CaseInfo& info)
{
    m_eventsLabel->setText(tr("%L1 events").arg(info.events));
    QStringList hosts;
    for (const auto& h : info.hosts)
        hosts << QString::fromStdString(h.key);
    m_hostsLabel->setText(tr("%n host(s)", nullptr, int(hosts.size())));
    m_hostsLabel->setToolTip(model::plainToolTip(hosts.join(QLatin1Char('\n'))));
    m_events->setHosts(hosts);
    qint64 skipped = 0;
    int failed = 0, unfinished = 0;
    for (const auto& r : info.inputs) {
        skipped += r.skipped;
        failed += r.status == model::InputStatus::Failed;
        unfinished += r.status == model::InputStatus::Incomplete || r.status == model::InputStatus::Importing;
    }
    QStringList attention;
    if (skipped)
        attention << tr("%n skipped at import", nullptr, int(skipped));
    if (failed)
        attention << tr("%n input(s) failed", nullptr, failed);
    if (unfinished)
        attention << tr("%n input(s) not imported in full", nullptr, unfinished);
    m_inputsLabel->setText(QStringLiteral("<a href=\"inputs\">%1</a>").arg(attention.join(QStringLiteral(", "))));
    m_inputsLabel->setVisible(!attention.isEmpty());
    if (m_inputsDialog)
        m_inputsDialog->setInfo(m_case->path(), info);
    m_rangeLabel->setText(info.events ? tr("%1 \u2192 %2 %3")
                                            .arg(model::formatTime(info.firstUtcMs, m_utc),
                                                 model::formatTime(info.lastUtcMs, m_utc),
                                                 m_utc ? tr("UTC") : tr("local"))
                                      : tr("no events"));
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
        m_inputsDialog->setUtc(m_utc);
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
    m_utc = utc;
    if (m_inputsDialog)
        m_inputsDialog->setUtc(utc);
    m_events->setUtc(utc);
    m_alerts->setUtc(utc);
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
    // New events: reload the table and the summary, and run detection again; the Alerts page updates itself.
    m_events->reload();
    m_processTree->setCase(m_case->path(), m_detection->alerts());
    m_timeline->setCase(m_case->path());
    m_case->refreshInfo();
    m_detection->run(m_case->path());
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
