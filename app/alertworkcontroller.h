// SPDX-License-Identifier: MIT
#pragma once

#include "domain/alert.h"
#include "domain/checklist.h"
#include "itemmodels/annotationlistmodel.h"
#include "itemmodels/pivots.h"
#include "storage/alertstore.h"

#include <QObject>
#include <QThreadPool>

#include <memory>

namespace dscope::app {

/// An alert's checklist state and history, read from the case.
struct AlertWork {
    qint64 caseId = 0;
    std::vector<model::alertstore::ChecklistItemState> checklist;
    std::vector<model::alertstore::HistoryEntry> history;
};

/**
 * What analysts record (triage and checklist ticks on alerts; notes, tags and bookmarks on alerts, events and
 * processes) goes to the case through here, and the
 * checklist pivots are resolved here: on one worker thread of its own, in the order asked, never on the GUI thread.
 * Results come back as signals on the GUI thread; those for another case or an older request are dropped.
 */
class AlertWorkController : public QObject
{
    Q_OBJECT
public:
    explicit AlertWorkController(QObject* parent = nullptr);
    ~AlertWorkController() override;

    void setCase(const QString& casePath);
    /// Who records decisions: the settings' analyst name, else the login name.
    QString analyst() const;
    void setAnalyst(const QString& name);
    /// The response checklists (resources/checklists/checklists.json), or nullptr with loadError() set.
    const std::shared_ptr<const model::Checklists>& checklists() const { return m_checklists; }
    const QString& loadError() const { return m_loadError; }

    void recordTriage(qint64 caseId, model::TriageState state, const QString& reason);
    void loadWork(qint64 caseId);
    void setChecklistItem(qint64 caseId, const QString& item, bool done, const QString& note);
    void resolvePivot(const model::Alert& alert, const QString& pivot);

    /// Reads the annotations matching `search` (kept for later reloads) and the marks of every view.
    void loadAnnotations(const QString& search);
    /// Reads what the case holds on one thing, to edit it: annotationReady.
    void editAnnotation(model::Annotation::Kind kind, const QString& ref);
    /// Stores an annotation under the analyst's name and the current time (an empty one is removed).
    void saveAnnotation(model::Annotation annotation);
    /// Bookmarks the thing, or removes its bookmark; its note and tags stay.
    void toggleBookmark(model::Annotation::Kind kind, const QString& ref);
    /// Reads the processes tagged `tag`, directly or through an event of theirs: taggedProcessesLoaded.
    void loadTaggedProcesses(const QString& tag);

Q_SIGNALS:
    void triageRecorded(qint64 caseId, const dscope::model::Triage& triage);
    void workLoaded(const std::shared_ptr<const dscope::app::AlertWork>& work);
    void pivotResolved(const dscope::model::Pivot& pivot);
    void annotationsLoaded(const dscope::model::AnnotationListPtr& list, const dscope::model::AnnotatedRefsPtr& marks);
    /// The annotation on a thing (id 0 when it has none yet) and what the thing is, in words.
    void annotationReady(const dscope::model::Annotation& annotation, const QString& subject);
    void annotationSaved(const dscope::model::Annotation& annotation);
    void taggedProcessesLoaded(const QString& tag, const std::vector<dscope::model::annotationstore::TaggedProcess>& processes);
    /// A write or a read failed: what, and why (the case's own message).
    void failed(const QString& message);

private:
    /// Runs `job` on the worker with a connection to the case, then `done` on the GUI thread if still current.
    template <typename Result>
    void submit(bool write, std::function<Result(model::Database&, std::string&)> job,
                std::function<void(const Result&)> done, const QString& what);

    QThreadPool m_pool;
    QString m_casePath;
    quint64 m_caseToken = 0;
    quint64 m_workToken = 0;
    quint64 m_annotationToken = 0;
    QString m_annotationSearch;
    std::shared_ptr<const model::Checklists> m_checklists;
    QString m_loadError;
};

} // namespace dscope::app
