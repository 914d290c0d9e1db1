// SPDX-License-Identifier: MIT
#pragma once

#include "domain/alert.h"
#include "domain/checklist.h"
#include "storage/alertstore.h"

#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableWidget;
class QTableWidgetItem;
class QTreeWidget;

namespace dscope::views {

/**
 * Beside the selected alert: its triage (state, reason, who and when, with a button to record a new decision),
 * its response checklist (live-host steps and case checks; tick, note, and for a case check the pivot that opens
 * the Events page on what to look at) and the history of what was recorded. It only shows and asks: the page's
 * owner stores the decisions and hands back what the case holds.
 */
class AlertWorkPanel : public QWidget
{
    Q_OBJECT
public:
    explicit AlertWorkPanel(QWidget* parent = nullptr);

    void setChecklists(std::shared_ptr<const model::Checklists> lists, const QString& loadError);
    /// The alert to work on (nullptr: none) with its triage as currently known.
    void setAlert(const model::Alert* alert, const model::Triage& triage);
    void setTriage(qint64 caseId, const model::Triage& triage);
    /// Checklist state and history as the case holds them, for the alert shown (others are ignored).
    void setWork(qint64 caseId, const std::vector<model::alertstore::ChecklistItemState>& checklist,
                 const std::vector<model::alertstore::HistoryEntry>& history);
    void setUtc(bool utc);

    QTableWidget* checklistView() const { return m_checklist; }

Q_SIGNALS:
    void triageRequested(qint64 caseId, dscope::model::TriageState state, const QString& reason);
    void checklistItemChanged(qint64 caseId, const QString& item, bool done, const QString& note);
    void pivotRequested(const QString& pivot);

private:
    void fillChecklist();
    void updateRecordButton();
    void onItemChanged(QTableWidgetItem* item);
    void showPivotOfCurrent();

    std::shared_ptr<const model::Checklists> m_lists;
    QString m_loadError;
    qint64 m_caseId = 0;
    std::string m_checklistKey;
    model::Triage m_triage;
    std::vector<model::alertstore::ChecklistItemState> m_items;
    std::vector<model::alertstore::HistoryEntry> m_history;
    bool m_utc = true;
    bool m_filling = false;

    QLabel* m_title;
    QLabel* m_current;
    QComboBox* m_state;
    QLineEdit* m_reason;
    QPushButton* m_record;
    QLabel* m_checklistTitle;
    QTableWidget* m_checklist;
    QPushButton* m_pivot;
    QTreeWidget* m_historyView;
};

} // namespace dscope::views
