// SPDX-License-Identifier: MIT
#pragma once

#include "domain/alert.h"
#include "domain/checklist.h"
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
 * What analysts record on alerts (triage, checklist ticks and notes) goes to the case through here, and the
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

Q_SIGNALS:
    void triageRecorded(qint64 caseId, const dscope::model::Triage& triage);
    void workLoaded(const std::shared_ptr<const dscope::app::AlertWork>& work);
    void pivotResolved(const dscope::model::Pivot& pivot);
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
    std::shared_ptr<const model::Checklists> m_checklists;
    QString m_loadError;
};

} // namespace dscope::app
