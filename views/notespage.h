// SPDX-License-Identifier: MIT
#pragma once

#include "itemmodels/annotationlistmodel.h"

#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;
class QTimer;

namespace dscope::views {

/**
 * Every note, tag and bookmark of the case on one page, searchable (note and tags, without case). Opening a row
 * shows the alert, event or process in its page; editing and removing go through the window, which stores them.
 */
class NotesPage : public QWidget
{
    Q_OBJECT
public:
    explicit NotesPage(QWidget* parent = nullptr);

    void setAnnotations(model::AnnotationListPtr list);
    void setUtc(bool utc);
    QString searchText() const;
    /// The annotation of the current row, or nullptr.
    const model::DescribedAnnotation* current() const;
    QTableView* table() const { return m_table; }
    model::AnnotationListModel* model() const { return m_model; }

Q_SIGNALS:
    /// The search text changed (after a short pause in typing).
    void searchRequested(const QString& text);
    void openRequested(const dscope::model::DescribedAnnotation& annotation);
    void editRequested(const dscope::model::DescribedAnnotation& annotation);
    void removeRequested(const dscope::model::DescribedAnnotation& annotation);

private:
    void updateButtons();

    model::AnnotationListModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QLineEdit* m_search;
    QTableView* m_table;
    QPushButton* m_open;
    QPushButton* m_edit;
    QPushButton* m_remove;
    QLabel* m_status;
    QTimer* m_debounce;
};

} // namespace dscope::views
