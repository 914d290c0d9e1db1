// SPDX-License-Identifier: MIT
#pragma once

#include "domain/alert.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QSortFilterProxyModel;
class QTableView;
class QTableWidget;
class QTextBrowser;

namespace dscope::model {
class AlertListModel;
class EvidenceModel;
} // namespace dscope::model

namespace dscope::model {
class InvestigationScope;
}

namespace dscope::views {
class AlertWorkPanel;

/// Detection results: the alert list, the selected alert's explanation, decoded masks and evidence, and the
/// case's blind spots (always visible: an empty list must never read as "nothing happened").
class AlertsPage : public QWidget
{
    Q_OBJECT
public:
    explicit AlertsPage(QWidget* parent = nullptr);

    /// Shows a detection run's snapshot (nullptr: no run yet).
    void setAlerts(model::AlertSetPtr alerts);
    /// "Detection running...", "Detection failed: ...".
    void setDetectionStatus(const QString& text);
    void setUtc(bool utc);
    /// Selects a row of the (sorted) list; returns false when there is no such row.
    bool selectAlert(int row);
    /// Lists only one host's alerts (empty: every host). Hosts are offered worst first; a host without alerts
    /// shows an empty list under its name.
    void setHost(const QString& host);
    /// Follows the scope (case, alerts, host, time display) and reports the alert and host chosen here to it.
    void attach(model::InvestigationScope* scope);

    QTableView* table() const { return m_table; }
    /// Triage, checklist and history of the selected alert.
    AlertWorkPanel* workPanel() const { return m_work; }
    /// The selected alert, or nullptr.
    const model::Alert* currentAlert() const;
    /// A decision stored in the case: the list, the host counts and the panel show it.
    void setTriage(qint64 caseId, const model::Triage& triage);
    model::AlertListModel* model() const { return m_model; }
    /// The current alert's explanation (with its link to the Technique page for the injection family).
    QTextBrowser* explanation() const { return m_explanation; }
    /// Actions the window offers on the alert list's context menu (note, bookmark): they act on the current alert.
    void setExtraContextActions(const QList<QAction*>& actions);

Q_SIGNALS:
    /// The user followed the explanation's link to the Technique page (alerts of the injection family).
    void techniqueRequested();
    /// The user asked to see an evidence event in the Events page.
    void openEventRequested(qint64 eventRowId);
    /// The current alert changed: its index in the AlertSet, or -1.
    void alertSelected(int alertIndex);
    /// The host filter changed (empty: every host), so that the other pages can follow.
    void hostChosen(const QString& host);
    /// Another alert is shown in the work panel: its checklist state and history are wanted (0: none).
    void workRequested(qint64 caseId);

private:
    void onCurrentChanged();
    void showBlindSpots();
    void fillHosts();
    void applyHostFilter(const QString& host);

    model::AlertSetPtr m_alerts;
    model::AlertListModel* m_model;
    QSortFilterProxyModel* m_proxy;
    model::EvidenceModel* m_evidence;
    QLabel* m_status;
    QComboBox* m_host;
    QComboBox* m_triageFilter;
    QLabel* m_blindSpots;
    QTableView* m_table;
    QTextBrowser* m_explanation;
    QTableWidget* m_masks;
    QTableView* m_evidenceTable;
    AlertWorkPanel* m_work;
    qint64 m_workCaseId = -2; // the alert the work panel shows (-1: none)
};

} // namespace dscope::views
