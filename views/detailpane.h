// SPDX-License-Identifier: MIT
#pragma once

#include "itemmodels/eventdetail.h"

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QTabWidget;
class QTableView;
class QTableWidget;

namespace dscope::model {
class AccessMaskModel;
class EventDetailLoader;
} // namespace dscope::model

namespace dscope::views {

/// The selected event: normalized fields with copy buttons, the original XML/JSON, and the bits of its access
/// mask. Loads on a worker thread; only the latest selection is shown.
class DetailPane : public QWidget
{
    Q_OBJECT
public:
    explicit DetailPane(QWidget* parent = nullptr);
    ~DetailPane() override;

    bool openCase(const QString& path, QString* error = nullptr);
    void closeCase();
    /// Shows this event (events.id); 0 clears the pane.
    void setEvent(qint64 eventRowId);
    qint64 currentEvent() const { return m_current.id; }
    const model::EventDetail& detail() const { return m_current; }

Q_SIGNALS:
    /// The shown event changed (tests and the screenshot command wait on this).
    void detailShown(qint64 eventRowId);

private:
    void onDetail(const model::EventDetail& d);
    void showRaw(const model::EventDetail& d);

    model::EventDetailLoader* m_loader;
    model::AccessMaskModel* m_maskModel;
    model::EventDetail m_current;
    QLabel* m_title;
    QTabWidget* m_tabs;
    QTableWidget* m_fields;
    QPlainTextEdit* m_raw;
    QLabel* m_rawNote;
    QWidget* m_maskPage;
    QLabel* m_maskSummary;
    QTableView* m_maskTable;
};

} // namespace dscope::views
