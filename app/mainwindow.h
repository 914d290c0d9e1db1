// SPDX-License-Identifier: MIT
#pragma once

#include "caseinputsdialog.h"
#include "domain/alert.h"

#include <QMainWindow>
#include <QPointer>

#include <vector>

class QDockWidget;
class QMenu;
class QTabWidget;

namespace dscope::views {
class AlertsPage;
class CaseStatusBar;
class EventsPage;
class ImportDialog;
class LiveStatusPanel;
class NotesPage;
class TechniquePage;
class ExercisePanel;
class TourPanel;
class ProcessTreePage;
class TimelinePage;
} // namespace dscope::views

namespace dscope::model {
struct CaseInfo;
class InvestigationScope;
}

namespace dscope::app {

class AlertWorkController;
class CaseController;
class ReportController;
class DetectionController;
class ImportController;
class LiveController;
class LiveDemoController;
class RuleExportController;
class DraftComparisonController;
class ExerciseController;
struct ListenSpec;

/// The workbench shell: menus, status bar and the pages. It only assembles; the pages and controllers do the work.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    enum Page { AlertsPageIndex, EventsPageIndex, ProcessTreePageIndex, TimelinePageIndex, NotesPageIndex, TechniquePageIndex };

    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    bool openCase(const QString& path);
    /// Imports files and folders into the open case (asks for a new case when none is open).
    void importPaths(const QStringList& paths);
    void showPage(Page page);
    /// File > Case inputs (non-modal, follows the case); onProblem: only the inputs that need attention, the first
    /// of them selected (the status bar's link).
    void showInputs(bool onProblem);
    views::CaseInputsDialog* inputsDialog() const { return m_inputsDialog; }

    views::AlertsPage* alertsPage() const { return m_alerts; }
    views::EventsPage* eventsPage() const { return m_events; }
    views::ProcessTreePage* processTreePage() const { return m_processTree; }
    views::TimelinePage* timelinePage() const { return m_timeline; }
    views::NotesPage* notesPage() const { return m_notes; }
    views::TechniquePage* techniquePage() const { return m_technique; }
    views::ExercisePanel* exercisePanel() const { return m_exercisePanel; }
    ExerciseController* exercise() const { return m_exercise; }
    /// Starts an exercise without asking (the screenshot command, tests).
    void startExercise(const QString& name, quint64 seed);
    views::TourPanel* tourPanel() const { return m_tourPanel; }
    /// Help > Guided tour: on the demo case (opened if another is), from its first step.
    void startTour();
    /// Prepares the demo case on a worker (generated and imported the first time), opens it, and offers the tour.
    void openDemoCase(bool withTour);
    /// Unattended runs: a demo case that cannot be made ends the application (exit code 3, the reason on standard
    /// error) rather than asking in a message box.
    void setExitOnDemoFailure(bool exit) { m_exitOnDemoFailure = exit; }
    /// The tour panel at its first step beside the open (demo) case: `--demo` offers it.
    void offerTour();
    AlertWorkController* alertWork() const { return m_alertWork; }
    LiveController* live() const { return m_live; }
    /// Listens into the open case (File > Listen without the dialog); false with error.
    bool startListening(const std::vector<ListenSpec>& specs, QString& error);
    views::LiveStatusPanel* liveStatus() const { return m_liveStatus; }
    LiveDemoController* liveDemo() const { return m_liveDemo; }
    /// Help > Live demonstration without the dialog: a new case at casePath (replacing a file there), a JSON-lines
    /// listener on the loopback interface, and the simulated day of this seed sent into it at `rate` events per
    /// second (0: as fast as it is taken). False with error when the case or the listener cannot be made.
    bool startLiveDemonstration(const QString& casePath, double rate, quint64 seed, QString& error);
    /// File > Listen: asks which feeds, then receives them into the open case.
    void listen();
    /// Tools > Export rules (every exportable rule ticked), or one rule's export from the Alerts page.
    void exportRules(const QString& ruleId = QString());
    RuleExportController* ruleExport() const { return m_ruleExport; }
    /// Edit > Note, tags and bookmark: on the current alert, event or process of the page shown.
    void annotateCurrent();
    /// Edit > Bookmark: sets or clears the bookmark of the current alert, event or process.
    void bookmarkCurrent();
    QTabWidget* pages() const { return m_tabs; }
    CaseController* caseController() const { return m_case; }
    DetectionController* detection() const { return m_detection; }
    ImportController* importer() const { return m_import; }
    model::InvestigationScope* scope() const { return m_scope; }
    views::CaseStatusBar* caseStatus() const { return m_caseStatus; }

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createMenus();
    void newCase();
    void chooseCase();
    void chooseImportFiles();
    void chooseImportFolder();
    void fillRecentMenu();
    void setUtc(bool utc);
    void onCaseInfo(const model::CaseInfo& info);
    void onImportFinished();
    void attachPages();
    void attachAlertWork();
    void attachNotes();
    void attachLive();
    void attachLiveDemo();
    void attachRuleExport();
    /// Help > Live demonstration: asks where and how fast, then starts it.
    void chooseLiveDemonstration();
    void attachTechnique();
    void attachExercise();
    void attachTour();
    /// Selects, in the page it names, what a tour step points at (the demo case's R4 alert and its evidence).
    void applyTourStep(const QString& focus);
    /// Help > Start an exercise: asks which, then prepares its case off the GUI thread.
    void chooseExercise();
    /// The pages read the case again after live events, keeping the analyst's selection.
    void refreshLivePages();
    void mergeLiveAlerts(const model::AlertSetPtr& fresh);
    /// The kind and ref of the current alert, event or process on the page shown; false when there is none.
    bool currentTarget(int& kind, QString& ref) const;
    /// currentTarget(), or a note in the status bar that something must be selected first.
    bool currentAnnotationTarget(int& kind, QString& ref);
    void exportReport();

    model::InvestigationScope* m_scope;
    CaseController* m_case;
    ImportController* m_import;
    DetectionController* m_detection;
    AlertWorkController* m_alertWork;
    ReportController* m_report;
    QTabWidget* m_tabs;
    views::AlertsPage* m_alerts;
    views::EventsPage* m_events;
    views::ProcessTreePage* m_processTree;
    views::TimelinePage* m_timeline;
    views::NotesPage* m_notes;
    views::TechniquePage* m_technique;
    DraftComparisonController* m_draftComparison;
    ExerciseController* m_exercise;
    views::ExercisePanel* m_exercisePanel;
    QDockWidget* m_exerciseDock;
    views::TourPanel* m_tourPanel;
    QDockWidget* m_tourDock;
    bool m_alertsHidden = false; ///< an exercise is under way: no detection, no Alerts page
    bool m_exitOnDemoFailure = false;
    bool m_exerciseSubmitting = false; ///< Submit was pressed: the tagged processes are being read
    LiveController* m_live;
    views::LiveStatusPanel* m_liveStatus;
    QDockWidget* m_liveDock;
    LiveDemoController* m_liveDemo;
    RuleExportController* m_ruleExport;
    int m_unseenAlerts = 0;
    views::ImportDialog* m_importDialog = nullptr;
    QMenu* m_recent = nullptr;
    views::CaseStatusBar* m_caseStatus;
    QPointer<views::CaseInputsDialog> m_inputsDialog;
};

} // namespace dscope::app
