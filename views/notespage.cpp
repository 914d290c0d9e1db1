// SPDX-License-Identifier: MIT
#include "notespage.h"

#include "annotationmark.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace dscope::views {

using model::AnnotationListModel;

NotesPage::NotesPage(QWidget* parent)
    : QWidget(parent)
    , m_model(new AnnotationListModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_search(new QLineEdit(this))
    , m_table(new QTableView(this))
    , m_open(new QPushButton(tr("&Open"), this))
    , m_edit(new QPushButton(tr("&Edit\u2026"), this))
    , m_remove(new QPushButton(tr("&Remove"), this))
    , m_status(new QLabel(this))
    , m_debounce(new QTimer(this))
{
    m_search->setPlaceholderText(tr("Search notes and tags (Ctrl+F)"));
    m_search->setClearButtonEnabled(true);
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(AnnotationListModel::SortRole);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(AnnotationListModel::ColWhen, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->horizontalHeader()->setSectionResizeMode(AnnotationListModel::ColSubject, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(AnnotationListModel::ColNote, QHeaderView::Stretch);
    m_table->setColumnWidth(AnnotationListModel::ColMark, 44);
    m_table->horizontalHeader()->setSectionResizeMode(AnnotationListModel::ColKind, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(AnnotationListModel::ColWhen, QHeaderView::ResizeToContents);
    m_table->setItemDelegateForColumn(AnnotationListModel::ColMark, new AnnotationMarkDelegate(m_table));
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(200);

    auto* top = new QHBoxLayout;
    top->addWidget(m_search, 1);
    top->addWidget(m_open);
    top->addWidget(m_edit);
    top->addWidget(m_remove);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_status);

    connect(m_search, &QLineEdit::textChanged, m_debounce, qOverload<>(&QTimer::start));
    connect(m_debounce, &QTimer::timeout, this, [this] { Q_EMIT searchRequested(searchText()); });
    connect(m_table, &QAbstractItemView::activated, this, [this] {
        if (const auto* a = current())
            Q_EMIT openRequested(*a);
    });
    connect(m_open, &QPushButton::clicked, this, [this] {
        if (const auto* a = current())
            Q_EMIT openRequested(*a);
    });
    connect(m_edit, &QPushButton::clicked, this, [this] {
        if (const auto* a = current())
            Q_EMIT editRequested(*a);
    });
    connect(m_remove, &QPushButton::clicked, this, [this] {
        const auto* a = current();
        if (a && QMessageBox::question(this, tr("Remove"), tr("Remove the note, tags and bookmark on %1?")
                                                                  .arg(QString::fromStdString(a->subject)))
                     == QMessageBox::Yes)
            Q_EMIT removeRequested(*a);
    });
    m_remove->setShortcut(QKeySequence::Delete);
    m_edit->setShortcut(QKeySequence(Qt::Key_F2));
    auto* find = new QAction(this);
    find->setShortcut(QKeySequence::Find);
    find->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(find, &QAction::triggered, m_search, [this] {
        m_search->setFocus();
        m_search->selectAll();
    });
    addAction(find);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &NotesPage::updateButtons);
    connect(m_model, &QAbstractItemModel::modelReset, this, &NotesPage::updateButtons);
    updateButtons();
}

void NotesPage::setAnnotations(model::AnnotationListPtr list)
{
    // Keep the analyst's place: the same annotation stays current after a refresh.
    const qint64 keep = current() ? current()->annotation.id : 0;
    const size_t count = list ? list->size() : 0;
    m_model->setAnnotations(std::move(list));
    for (int row = 0; keep && row < m_proxy->rowCount(); ++row) {
        const QModelIndex i = m_proxy->index(row, AnnotationListModel::ColSubject);
        if (m_model->at(m_proxy->mapToSource(i).row())->annotation.id == keep) {
            m_table->setCurrentIndex(i);
            break;
        }
    }
    m_status->setText(searchText().isEmpty() ? tr("%n annotation(s) in the case", nullptr, int(count))
                                             : tr("%n annotation(s) match \u201c%1\u201d", nullptr, int(count)).arg(searchText()));
}

void NotesPage::setUtc(bool utc) { m_model->setUtc(utc); }

QString NotesPage::searchText() const { return m_search->text().trimmed(); }

const model::DescribedAnnotation* NotesPage::current() const
{
    const QModelIndex index = m_table->currentIndex();
    return index.isValid() ? m_model->at(m_proxy->mapToSource(index).row()) : nullptr;
}

void NotesPage::updateButtons()
{
    const bool any = current() != nullptr;
    m_open->setEnabled(any);
    m_edit->setEnabled(any);
    m_remove->setEnabled(any);
}

} // namespace dscope::views
