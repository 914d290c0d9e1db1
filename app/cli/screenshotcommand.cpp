// SPDX-License-Identifier: MIT
// `doppelscope screenshot --case CASE.dscase --out DIR [--size WxH] [--follow FILE]`: renders every page offscreen to
// PNG, with an alert and an event selected, the tour, an exercise and a live demonstration, and with --follow the
// window while it listens. Runs under the offscreen platform (main.cpp sets it when none is chosen).
#include "clicontext.h"

#include "alertspage.h"
#include "alertworkcontroller.h"
#include "casecontroller.h"
#include "caseinputsdialog.h"
#include "demo/demogenerator.h"
#include "detailpane.h"
#include "exercisecontroller.h"
#include "exercisepanel.h"
#include "livecontroller.h"
#include "livedemocontroller.h"
#include "liveservice.h"
#include "detectioncontroller.h"
#include "eventspage.h"
#include "itemmodels/alertlistmodel.h"
#include "itemmodels/eventtablemodel.h"
#include "maskcalculatordialog.h"
#include "mainwindow.h"
#include "processtree/processtreemodel.h"
#include "scope/investigationscope.h"
#include "processtree/processtreepage.h"
#include "techniquepage.h"
#include "tourpanel.h"
#include "timeline/timelinepage.h"
#include "storage/database.h"
#include "storage/schema.h"

#include <QAction>
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QLabel>
#include <QPushButton>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTableView>
#include <QTimer>

#include <algorithm>
#include <functional>
#include <map>

namespace dscope::app {

namespace {

/// Drives the window through its asynchronous loads with a polling timer: each step waits for a condition,
/// then acts. No nested event loops, no processEvents().
class Shooter : public QObject
{
public:
    Shooter(MainWindow& window, QDir out) : m_window(window), m_out(std::move(out))
    {
        m_clock.start();
        connect(&m_timer, &QTimer::timeout, this, &Shooter::poll);
        connect(window.detection(), &DetectionController::runFinished, this, [this] { m_detectionDone = true; });
    }

    void start()
    {
        m_detectionDone = !m_window.detection()->isRunning();
        m_timer.start(50);
    }

    int result() const { return m_result; }

private:
    using Step = std::function<bool()>; // returns true when done with this step

    bool timedOut(qint64 ms)
    {
        if (m_clock.elapsed() < ms)
            return false;
        err() << "error: timed out at step " << m_step << " waiting for the case to load\n";
        m_result = ExitFailure;
        QCoreApplication::exit(ExitFailure);
        m_timer.stop();
        return true;
    }

    bool save(QWidget* w, const QString& name)
    {
        const QImage image = w->grab().toImage();
        const QString path = m_out.filePath(name);
        if (image.isNull() || !image.save(path)) {
            err() << "error: cannot write " << path << '\n';
            m_result = ExitFailure;
            return false;
        }
        out() << path << " " << image.width() << "x" << image.height() << '\n';
        return true;
    }

    /// Two window-wide actions on one key fire neither (Qt reports the shortcut as ambiguous): refuse the window.
    void checkShortcuts()
    {
        std::map<QString, QStringList> byKey;
        const auto actions = m_window.findChildren<QAction*>();
        for (const QAction* a : actions) {
            if (a->shortcutContext() == Qt::WidgetShortcut || a->shortcutContext() == Qt::WidgetWithChildrenShortcut)
                continue;
            for (const QKeySequence& key : a->shortcuts())
                byKey[key.toString()] << a->text();
        }
        for (const auto& [key, names] : byKey) {
            if (names.size() > 1) {
                err() << "error: the shortcut " << key << " is on " << names.join(QStringLiteral(", ")) << '\n';
                m_result = ExitFailure;
            }
        }
    }

    /// The alert row to select (in the page's sorted order) and the event to show: the first alert, top down,
    /// whose evidence has an event with an access mask (so the mask tab has something to show), else the top one.
    std::pair<int, qint64> pickAlertAndEvent() const
    {
        const auto& alerts = m_window.detection()->alerts();
        const QAbstractItemModel* sorted = m_window.alertsPage()->table()->model();
        qint64 fallback = 0;
        for (int row = 0; alerts && row < sorted->rowCount(); ++row) {
            const int index = sorted->index(row, 0).data(model::AlertListModel::AlertIndexRole).toInt();
            const auto& evidence = alerts->alerts[size_t(index)].evidence;
            for (const auto& e : evidence)
                if (e.eventId == 10 || e.eventId == 4656)
                    return {row, e.eventRowId};
            if (row == 0 && !evidence.empty())
                fallback = evidence.front().eventRowId;
        }
        return {0, fallback ? fallback : m_window.eventsPage()->model()->eventRowIdAt(0)};
    }

    bool rowLoaded(int row) const
    {
        auto* model = m_window.eventsPage()->model();
        return row < 0 || model->index(row, 0).data(model::EventLoadedRole).toBool();
    }

    void poll()
    {
        if (timedOut(120000))
            return;
        auto* events = m_window.eventsPage();
        switch (m_step) {
        case 0: // case summary, id list and detection all in
            if (!m_window.caseController()->hasInfo() || events->model()->isLoading() || !m_detectionDone)
                return;
            {
                const auto [row, event] = pickAlertAndEvent();
                m_window.alertsPage()->selectAlert(row);
                m_event = event;
            }
            m_window.showPage(MainWindow::EventsPageIndex);
            if (m_event)
                events->goToEvent(m_event);
            ++m_step;
            return;
        case 1: { // the selected event's detail and the visible rows
            const QTableView* table = events->table();
            const int top = table->rowAt(0);
            const int selected = events->model()->rowOfEvent(m_event);
            if (m_event && events->detailPane()->currentEvent() != m_event)
                return;
            if (!rowLoaded(top) || !rowLoaded(selected))
                return;
            ++m_step;
            return;
        }
        case 2:
            m_window.showPage(MainWindow::AlertsPageIndex);
            ++m_step;
            return; // let the layout settle for one tick
        case 3:
            save(&m_window, QStringLiteral("alerts.png"));
            m_window.showPage(MainWindow::EventsPageIndex);
            ++m_step;
            return;
        case 4: {
            save(&m_window, QStringLiteral("events.png"));
            auto* tabs = events->detailPane()->findChild<QTabWidget*>();
            if (tabs)
                tabs->setCurrentIndex(1);
            ++m_step;
            return;
        }
        case 5: {
            save(&m_window, QStringLiteral("events-original.png"));
            auto* tabs = events->detailPane()->findChild<QTabWidget*>();
            if (tabs && tabs->isTabEnabled(2))
                tabs->setCurrentIndex(2);
            ++m_step;
            return;
        }
        case 6: {
            auto* tabs = events->detailPane()->findChild<QTabWidget*>();
            if (tabs && tabs->currentIndex() == 2)
                save(&m_window, QStringLiteral("events-mask.png"));
            m_window.showPage(MainWindow::ProcessTreePageIndex);
            ++m_step;
            return;
        }
        case 7: // the tree was built in the background since the case opened
            if (m_window.processTreePage()->isLoading())
                return;
            save(&m_window, QStringLiteral("processtree.png"));
            m_window.showPage(MainWindow::TimelinePageIndex); // builds on first show
            ++m_step;
            return;
        case 8:
        case 9: // one tick for the build to start, then wait for it
            if (m_step == 9 && m_window.timelinePage()->isLoading())
                return;
            if (m_step == 9) {
                save(&m_window, QStringLiteral("timeline.png"));
                m_calculator = new views::MaskCalculatorDialog(&m_window);
                m_calculator->show();
            }
            ++m_step;
            return;
        case 10:
            save(m_calculator, QStringLiteral("mask-calculator.png"));
            m_calculator->close();
            m_window.showInputs(false);
            if (auto* inputs = m_window.inputsDialog())
                inputs->selectFirstProblem();
            ++m_step;
            return;
        case 11:
            if (auto* inputs = m_window.inputsDialog()) {
                save(inputs, QStringLiteral("inputs.png"));
                inputs->close();
            }
            m_window.showPage(MainWindow::NotesPageIndex);
            ++m_step;
            return;
        case 12: {
            save(&m_window, QStringLiteral("notes.png"));
            // The Technique page, with the draft and R1 compared on this case.
            m_window.showPage(MainWindow::TechniquePageIndex);
            for (auto* button : m_window.techniquePage()->findChildren<QPushButton*>())
                if (button->isEnabled())
                    button->click();
            ++m_step;
            return;
        }
        case 13: {
            const auto labels = m_window.techniquePage()->findChildren<QLabel*>();
            const bool compared = std::any_of(labels.begin(), labels.end(), [](const QLabel* l) {
                return l->text().startsWith(QLatin1String("The draft")) || l->text().startsWith(QLatin1String("The comparison"));
            });
            if (!compared)
                return;
            save(&m_window, QStringLiteral("technique.png"));
            checkShortcuts();
            if (!m_follow.isEmpty()) {
                // The window while it listens: the followed file's events stream in, the Events page follows,
                // the Alerts tab counts the new alerts and the Live feeds panel shows the feed.
                ListenSpec spec;
                spec.kind = ListenSpec::Kind::Follow;
                spec.path = m_follow;
                QString error;
                connect(m_window.live(), &LiveController::alertsRaised, this, [this] { m_liveAlerts = true; });
                if (!m_window.startListening({spec}, error)) {
                    err() << "error: cannot follow " << m_follow << ": " << error << '\n';
                    m_result = ExitFailure;
                } else {
                    m_window.showPage(MainWindow::EventsPageIndex);
                    m_listeningSince = m_clock.elapsed();
                    ++m_step;
                    return;
                }
            }
            startTour();
            return;
        }
        case 14: // an alert came in, and the pages have reloaded since (they do every two seconds)
            if (!m_liveAlerts || m_clock.elapsed() - m_listeningSince < 4000 || events->model()->isLoading()
                || !rowLoaded(events->table()->rowAt(0)))
                return;
            save(&m_window, QStringLiteral("live.png"));
            m_window.live()->stop();
            startTour();
            return;
        case 40: // the demo case is open, detected, and its tree built: each tour step, one tick apart
            if (!m_window.caseController()->path().endsWith(QLatin1String("demo-day-SIMULATED.dscase"))
                || m_window.detection()->isRunning() || !m_window.caseController()->hasInfo()
                || m_window.processTreePage()->isLoading() || events->model()->isLoading())
                return;
            if (m_tourShown >= 0) {
                if (m_window.timelinePage()->isLoading() || !rowLoaded(events->table()->rowAt(0)))
                    return;
                // The mask step opens the detail's mask tab once the event has loaded.
                auto* tabs = events->detailPane()->findChild<QTabWidget*>();
                if (m_window.tourPanel()->focusOf(m_tourShown) == QLatin1String("mask") && tabs && tabs->currentIndex() != 2
                    && ++m_tourWaits < 60)
                    return;
                m_tourWaits = 0;
                save(&m_window, QStringLiteral("tour-%1.png").arg(m_tourShown + 1));
            }
            if (++m_tourShown < m_window.tourPanel()->stepCount()) {
                m_window.tourPanel()->setStep(m_tourShown);
                return;
            }
            startExercise();
            return;
        case 30: // the exercise's case is open without its alerts, and its tree is built
            if (!m_window.exercise()->isActive() || m_window.processTreePage()->isLoading()
                || !m_window.processTreePage()->treeModel()->tree())
                return;
            {
                // Two of the culprits and one innocent process, submitted: a partial score with all its sections.
                model::DemoOptions options;
                options.seed = 1;
                options.exercise = "guided";
                const model::DemoCase demo = model::generateDemoCase(options);
                for (const model::ExpectedAlert& a : demo.answerKey)
                    if (a.rule == "R4") {
                        m_window.exercisePanel()->accuse({a.host, a.sourceGuid}, QString::fromStdString(a.sourceGuid));
                        m_window.exercisePanel()->accuse({a.host, a.targetGuid}, QString::fromStdString(a.targetGuid));
                    }
                m_window.exercisePanel()->accuse({demo.hosts.front(), "{de70c0de-0001-69ef-0000-000000000004}"},
                                                 QStringLiteral("System (4)"));
                // A third culprit tagged rather than accused, as Edit > Note, tags and bookmark would store it.
                for (const model::ExpectedAlert& a : demo.answerKey)
                    if (a.rule == "R1") {
                        model::Annotation tag;
                        tag.kind = model::Annotation::Kind::Process;
                        tag.ref = model::processRef(a.host, "{" + a.targetGuid + "}");
                        tag.tags = {"malicious"};
                        m_window.alertWork()->saveAnnotation(tag);
                        break;
                    }
                save(&m_window, QStringLiteral("exercise.png"));
                for (auto* button : m_window.exercisePanel()->findChildren<QPushButton*>())
                    if (button->text() == QLatin1String("&Submit"))
                        button->click();
            }
            ++m_step;
            return;
        case 31: {
            if (!m_window.exercisePanel()->showsResult())
                return;
            save(&m_window, QStringLiteral("exercise-result.png"));
            // The live demonstration: the simulated day sent into a listener of the window as fast as it is taken,
            // into a case of its own that goes when the command ends.
            connect(m_window.liveDemo(), &LiveDemoController::finished, this,
                    [this](qint64, const QString& error, bool) { m_liveDemoError = error; m_liveDemoDone = true; });
            QString error;
            if (!m_window.startLiveDemonstration(m_liveDemoDir.filePath(QStringLiteral("live-demonstration.dscase")), 0, 1, error)) {
                err() << "error: live demonstration: " << error << '\n';
                m_result = ExitFailure;
                finish();
                return;
            }
            m_liveDemoSince = m_clock.elapsed();
            ++m_step;
            return;
        }
        case 32: { // every event sent, the day's alerts all in, the pages reloaded since
            if (!m_liveDemoDone)
                return;
            const auto alerts = m_window.scope()->alerts();
            const size_t expected = m_window.liveDemo()->answerKey().size();
            if (!m_liveDemoError.isEmpty() || m_clock.elapsed() - m_liveDemoSince > 120000) {
                err() << "error: live demonstration: " << (m_liveDemoError.isEmpty() ? QStringLiteral("its alerts did not come") : m_liveDemoError) << '\n';
                m_result = ExitFailure;
                finish();
                return;
            }
            if (!alerts || alerts->alerts.size() < expected || m_window.alertsPage()->table()->model()->rowCount() < int(expected))
                return;
            if (m_liveDemoAlertsAt < 0)
                m_liveDemoAlertsAt = m_clock.elapsed();
            if (m_clock.elapsed() - m_liveDemoAlertsAt < 2500)
                return;
            m_window.alertsPage()->selectAlert(0);
            save(&m_window, QStringLiteral("live-demo.png"));
            m_window.live()->stop();
            finish();
            return;
        }
        default: return;
        }
    }

    /// The tour's shots, on the demo case.
    void startTour()
    {
        m_window.startTour();
        m_tourShown = -1;
        m_step = 40;
    }

    /// The exercise's shots: its case is generated and opened like a trainee's.
    void startExercise()
    {
        m_window.startExercise(QStringLiteral("guided"), 1);
        m_step = 30;
    }

    void finish()
    {
        m_timer.stop();
        QCoreApplication::exit(m_result);
    }

public:
    QString m_follow; ///< --follow: a file to listen to after the other shots (live.png)

private:
    MainWindow& m_window;
    QDir m_out;
    QTimer m_timer;
    QElapsedTimer m_clock;
    int m_step = 0;
    qint64 m_event = 0;
    bool m_detectionDone = false;
    bool m_liveAlerts = false;
    QTemporaryDir m_liveDemoDir;
    bool m_liveDemoDone = false;
    QString m_liveDemoError;
    qint64 m_liveDemoSince = 0;
    qint64 m_liveDemoAlertsAt = -1;
    int m_tourShown = -1;
    int m_tourWaits = 0;
    qint64 m_listeningSince = 0;
    int m_result = ExitOk;
    views::MaskCalculatorDialog* m_calculator = nullptr;
};

} // namespace

int runScreenshot(const QStringList& args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Render every page of the workbench to PNG files."));
    p.addOption({QStringLiteral("case"), QStringLiteral("The case file."), QStringLiteral("file")});
    p.addOption({QStringLiteral("out"), QStringLiteral("Output folder (created)."), QStringLiteral("dir")});
    p.addOption({QStringLiteral("size"), QStringLiteral("Window size, default 1400x900."), QStringLiteral("WxH")});
    p.addOption({QStringLiteral("follow"),
                 QStringLiteral("After the other pages, follow this file as a live feed into the case (it is written "
                                "to) until an alert comes, and render the window listening: live.png."),
                 QStringLiteral("file")});
    p.process(QStringList{QStringLiteral("doppelscope screenshot")} + args);
    const QString casePath = p.value(QStringLiteral("case"));
    const QString outDir = p.value(QStringLiteral("out"));
    if (casePath.isEmpty() || outDir.isEmpty()) {
        err() << "usage: doppelscope screenshot --case CASE.dscase --out DIR [--size WxH] [--follow FILE]\n";
        return ExitUsage;
    }
    if (!qobject_cast<QApplication*>(QCoreApplication::instance())) {
        err() << "error: screenshot needs the GUI libraries (QApplication)\n";
        return ExitFailure;
    }
    QDir folder(outDir);
    if (!folder.mkpath(QStringLiteral("."))) {
        err() << "error: cannot create " << outDir << '\n';
        return ExitFailure;
    }
    QSize size(1400, 900);
    if (p.isSet(QStringLiteral("size"))) {
        const QStringList wh = p.value(QStringLiteral("size")).split(QLatin1Char('x'));
        if (wh.size() == 2)
            size = QSize(wh.at(0).toInt(), wh.at(1).toInt());
    }
    {
        // Refuse a bad file here: the window would report it in a message box, which nobody can close offscreen.
        model::Database db;
        std::string error;
        if (!db.open(casePath.toStdString(), model::Database::Mode::ReadOnly)
            || !model::schema::prepareForReading(db, error)) {
            err() << "error: " << casePath << ": " << QString::fromStdString(error.empty() ? db.lastError() : error)
                  << '\n';
            return ExitFailure;
        }
    }
    MainWindow window;
    window.resize(size);
    window.show();
    if (!window.openCase(casePath)) {
        err() << "error: cannot open " << casePath << '\n';
        return ExitFailure;
    }
    Shooter shooter(window, folder);
    shooter.m_follow = p.value(QStringLiteral("follow"));
    shooter.start();
    const int rc = QCoreApplication::exec();
    out().flush();
    return rc == ExitOk ? shooter.result() : rc;
}

} // namespace dscope::app
