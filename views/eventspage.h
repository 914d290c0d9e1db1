// SPDX-License-Identifier: MIT
#pragma once

#include "itemmodels/eventquery.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;

namespace dscope::model {
class EventTableModel;
}

namespace dscope::model {
class InvestigationScope;
}

namespace dscope::views {

class DetailPane;

/// Every event of the case in one table, with quick filters, pivots and the detail pane. The table model loads
/// ids and rows on worker threads; this page only forwards filters and selections.
class EventsPage : public QWidget
{
    Q_OBJECT
public:
    explicit EventsPage(QWidget* parent = nullptr);
    ~EventsPage() override;

    bool openCase(const QString& path, QString* error = nullptr);
    void closeCase();
    void reload();
    /// Runs the query again (new live events arrived) and keeps the analyst's place: the selected event stays
    /// selected and the event in the top row stays at the top, even when the rows load in later batches. Unlike
    /// goToEvent(), no filter is cleared.
    void reloadKeepingPlace();
    /// Host names for the host filter's drop-down (from the case summary).
    void setHosts(const QStringList& hosts);
    void setUtc(bool utc);

    /// Selects the event (events.id) and shows it in the detail pane; clears the filter when it hides the event.
    void goToEvent(qint64 eventRowId);
    void setFilter(const model::EventFilter& filter);
    /// Narrows the quick filters to one host (empty: every host), keeping the others, and applies them.
    void setHostFilter(const QString& host);
    /// Shows the events of one input only (inputs.id), named in the status line; Clear shows the case again.
    void setInputFilter(qint64 inputId, const QString& name);
    /// Opens the scope's case and follows it (new events, host, time display, linked selection); reports the event
    /// selected here to it.
    void attach(model::InvestigationScope* scope);

    model::EventTableModel* model() const { return m_model; }
    /// events.id of the current row, or 0.
    qint64 currentEventRowId() const;
    /// Actions the window adds at the end of the table's context menu (note, bookmark).
    void setExtraContextActions(const QList<QAction*>& actions) { m_extraActions = actions; }
    QTableView* table() const { return m_table; }
    DetailPane* detailPane() const { return m_detail; }

Q_SIGNALS:
    void statusChanged(const QString& text);
    /// The analyst selected an event; host and subject GUID let other pages find its process.
    void eventSelected(qint64 eventRowId, const QString& host, const QString& subjectGuid);

private:
    void applyQuickFilter();
    void clearFilter();
    void onSelectionChanged();
    void announceSelection();
    void onLoadingFinished(qint64 rows, double seconds, const QString& error);
    void showContextMenu(const QPoint& pos);
    void selectPendingEvent();
    void restorePlace();

    model::EventTableModel* m_model;
    QTableView* m_table;
    QList<QAction*> m_extraActions;
    DetailPane* m_detail;
    QLineEdit* m_eventIds;
    QComboBox* m_host;
    QString m_inputName; // the input the filter keeps to, for the status line
    QLineEdit* m_process;
    QLineEdit* m_text;
    QLabel* m_status;
    qint64 m_pendingEvent = 0;
    // The place kept across reloadKeepingPlace(): the selected event and the event in the top row.
    qint64 m_placeSelected = 0;
    qint64 m_placeTop = 0;
    qint64 m_unannouncedEvent = 0; // selected before its row arrived: eventSelected waits for the row
};

} // namespace dscope::views
