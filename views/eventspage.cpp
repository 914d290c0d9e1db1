// SPDX-License-Identifier: MIT
#include "eventspage.h"

#include "annotationmark.h"
#include "scope/investigationscope.h"

#include "detailpane.h"
#include "itemmodels/eventtablemodel.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QRegularExpression>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace dscope::views {

using model::EventFilter;
using model::EventTableModel;

EventsPage::EventsPage(QWidget* parent)
    : QWidget(parent)
    , m_model(new EventTableModel(this))
    , m_table(new QTableView(this))
    , m_detail(new DetailPane(this))
    , m_eventIds(new QLineEdit(this))
    , m_host(new QComboBox(this))
    , m_process(new QLineEdit(this))
    , m_text(new QLineEdit(this))
    , m_status(new QLabel(this))
{
    m_eventIds->setPlaceholderText(tr("Event ids: 1, 8, 10"));
    m_eventIds->setToolTip(tr("Comma-separated event ids"));
    m_host->setEditable(true);
    m_host->setMinimumContentsLength(16);
    m_host->lineEdit()->setPlaceholderText(tr("Any host"));
    m_process->setPlaceholderText(tr("Process GUID"));
    m_text->setPlaceholderText(tr("Text in images, command lines, files\u2026"));
    m_text->setClearButtonEnabled(true);
    auto* apply = new QPushButton(tr("Filter"), this);
    auto* clear = new QPushButton(tr("Clear"), this);
    apply->setDefault(true);

    auto* filters = new QHBoxLayout;
    filters->addWidget(m_eventIds, 1);
    filters->addWidget(m_host, 1);
    filters->addWidget(m_process, 2);
    filters->addWidget(m_text, 3);
    filters->addWidget(apply);
    filters->addWidget(clear);

    m_table->setModel(m_model);
    m_table->setItemDelegateForColumn(0, new AnnotationMarkDelegate(m_table)); // noted and bookmarked events
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(model::EventColTime, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);
    m_table->setWordWrap(false);
    m_table->setAlternatingRowColors(true);
    // Millions of rows: fixed row heights, so the view never measures a row to place the others.
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->verticalHeader()->hide();
    auto* header = m_table->horizontalHeader();
    header->setStretchLastSection(true);
    const int charWidth = m_table->fontMetrics().horizontalAdvance(QLatin1Char('0'));
    header->resizeSection(model::EventColTime, charWidth * 25);
    header->resizeSection(model::EventColHost, charWidth * 22);
    header->resizeSection(model::EventColEventId, charWidth * 26);
    header->resizeSection(model::EventColSubject, charWidth * 26);
    header->resizeSection(model::EventColTarget, charWidth * 26);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_table);
    splitter->addWidget(m_detail);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(filters);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_status);
    m_status->setTextFormat(Qt::PlainText); // it may name an input file: never markup

    connect(apply, &QPushButton::clicked, this, &EventsPage::applyQuickFilter);
    connect(clear, &QPushButton::clicked, this, &EventsPage::clearFilter);
    for (QLineEdit* edit : {m_eventIds, m_process, m_text, m_host->lineEdit()})
        connect(edit, &QLineEdit::returnPressed, this, &EventsPage::applyQuickFilter);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, &EventsPage::onSelectionChanged);
    connect(m_table, &QWidget::customContextMenuRequested, this, &EventsPage::showContextMenu);
    connect(m_model, &EventTableModel::loadingStarted, this, [this] {
        m_status->setText(tr("Loading events\u2026"));
        Q_EMIT statusChanged(m_status->text());
    });
    connect(m_model, &EventTableModel::loadingFinished, this, &EventsPage::onLoadingFinished);
    // Rows arrive in batches while the query runs; the event to select may be in a later batch.
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &EventsPage::selectPendingEvent);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &EventsPage::restorePlace);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &EventsPage::announceSelection);
}

EventsPage::~EventsPage() = default;

bool EventsPage::openCase(const QString& path, QString* error)
{
    return m_model->openCase(path, error) && m_detail->openCase(path, error);
}

void EventsPage::closeCase()
{
    m_model->closeCase();
    m_detail->closeCase();
    m_status->clear();
}

void EventsPage::reload() { m_model->reload(); }

void EventsPage::reloadKeepingPlace()
{
    // By id, which is known for every row (its contents may not have loaded yet).
    const QModelIndex current = m_table->currentIndex();
    m_placeSelected = current.isValid() && m_table->selectionModel()->isSelected(current) ? m_model->eventRowIdAt(current.row()) : 0;
    const QModelIndex top = m_table->indexAt(QPoint(0, 0));
    m_placeTop = top.isValid() ? m_model->eventRowIdAt(top.row()) : 0;
    m_model->reload();
}

void EventsPage::restorePlace()
{
    if (m_placeSelected) {
        const int row = m_model->rowOfEvent(m_placeSelected);
        if (row >= 0) {
            m_placeSelected = 0;
            const QModelIndex index = m_model->index(row, 0);
            m_table->selectionModel()->select(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
            m_table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::NoUpdate);
        }
    }
    // After the selection: making a row current scrolls it into view, the top row then puts the view back.
    if (m_placeTop) {
        const int row = m_model->rowOfEvent(m_placeTop);
        if (row >= 0) {
            m_placeTop = 0;
            m_table->scrollTo(m_model->index(row, 0), QAbstractItemView::PositionAtTop);
        }
    }
}

void EventsPage::setHosts(const QStringList& hosts)
{
    const QString current = m_host->currentText();
    m_host->clear();
    m_host->addItem(QString());
    m_host->addItems(hosts);
    m_host->setEditText(current);
}

void EventsPage::setUtc(bool utc) { m_model->setUtc(utc); }

void EventsPage::setFilter(const EventFilter& filter)
{
    QStringList ids;
    for (int64_t id : filter.eventIds)
        ids << QString::number(id);
    m_eventIds->setText(ids.join(QStringLiteral(", ")));
    m_host->setEditText(QString::fromStdString(filter.host));
    QStringList guids;
    for (const std::string& g : filter.processGuids)
        guids << QString::fromStdString(g);
    m_process->setText(guids.join(QStringLiteral(", ")));
    m_text->setText(QString::fromStdString(filter.text));
    m_model->setFilter(filter);
}

void EventsPage::setHostFilter(const QString& host)
{
    if (m_host->currentText().trimmed() == host && m_model->filter().host == host.toStdString())
        return;
    m_host->setEditText(host);
    applyQuickFilter();
}

void EventsPage::setInputFilter(qint64 inputId, const QString& name)
{
    model::EventFilter f;
    f.inputId = inputId;
    m_inputName = name;
    setFilter(f);
}

void EventsPage::applyQuickFilter()
{
    EventFilter f;
    // Keep a time window set by "events between these two", and an input chosen in the case's inputs: the quick
    // filters narrow them further.
    f.fromMs = m_model->filter().fromMs;
    f.toMs = m_model->filter().toMs;
    f.inputId = m_model->filter().inputId;
    f.user = m_model->filter().user;
    const QStringList parts = m_eventIds->text().split(QRegularExpression(QStringLiteral("[,;\\s]+")), Qt::SkipEmptyParts);
    for (const QString& p : parts) {
        bool ok = false;
        const qint64 id = p.toLongLong(&ok);
        if (ok)
            f.eventIds.push_back(id);
    }
    f.host = m_host->currentText().trimmed().toStdString();
    // GUIDs are stored lower case without braces; accept them as Sysmon prints them, several separated by commas.
    QString guids = m_process->text().trimmed().toLower();
    guids.remove(QLatin1Char('{')).remove(QLatin1Char('}'));
    for (const QString& g : guids.split(QRegularExpression(QStringLiteral("[,;\\s]+")), Qt::SkipEmptyParts))
        f.processGuids.push_back(g.toStdString());
    f.text = m_text->text().trimmed().toStdString();
    m_model->setFilter(f);
}

void EventsPage::clearFilter() { setFilter({}); }

void EventsPage::goToEvent(qint64 eventRowId)
{
    m_detail->setEvent(eventRowId);
    m_pendingEvent = eventRowId;
    if (m_model->rowOfEvent(eventRowId) < 0 && !m_model->isLoading() && !m_model->filter().isEmpty())
        clearFilter(); // the filter hides it: show the whole case again, then select it when its row arrives
    selectPendingEvent();
}

void EventsPage::selectPendingEvent()
{
    if (!m_pendingEvent)
        return;
    const int row = m_model->rowOfEvent(m_pendingEvent);
    if (row < 0)
        return;
    m_pendingEvent = 0;
    const QModelIndex index = m_model->index(row, 0);
    m_table->selectionModel()->select(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::NoUpdate);
    m_table->scrollTo(index, QAbstractItemView::PositionAtCenter);
}

void EventsPage::onSelectionChanged()
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    const QModelIndex pick = rows.isEmpty() ? current : rows.constLast();
    if (!pick.isValid())
        return;
    const qint64 id = pick.data(model::EventRowIdRole).toLongLong();
    m_detail->setEvent(id);
    m_unannouncedEvent = id;
    announceSelection();
}

void EventsPage::announceSelection()
{
    if (!m_unannouncedEvent)
        return;
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    const QModelIndex pick = rows.isEmpty() ? current : rows.constLast();
    if (!pick.isValid() || pick.data(model::EventRowIdRole).toLongLong() != m_unannouncedEvent) {
        m_unannouncedEvent = 0;
        return;
    }
    if (!pick.data(model::EventLoadedRole).toBool())
        return; // the row's chunk is still loading; dataChanged brings us back
    m_unannouncedEvent = 0;
    Q_EMIT eventSelected(pick.data(model::EventRowIdRole).toLongLong(), pick.data(model::EventHostRole).toString(),
                         pick.data(model::EventSubjectGuidRole).toString());
}

void EventsPage::onLoadingFinished(qint64 rows, double seconds, const QString& error)
{
    QString text = error.isEmpty() ? tr("%L1 events (query %2 s)").arg(rows).arg(seconds, 0, 'f', 2)
                                   : tr("Query failed: %1").arg(error);
    if (m_model->filter().inputId != model::kNoValue)
        text += tr(" \u2014 from %1 only").arg(m_inputName);
    else if (!m_model->filter().isEmpty())
        text += tr(" \u2014 filtered");
    m_status->setText(text);
    Q_EMIT statusChanged(text);
    if (m_pendingEvent && m_model->rowOfEvent(m_pendingEvent) < 0 && !m_model->filter().isEmpty())
        clearFilter();
    m_placeSelected = m_placeTop = 0; // not among the rows: the place is gone
}

void EventsPage::showContextMenu(const QPoint& pos)
{
    const QModelIndex index = m_table->indexAt(pos);
    QMenu menu(this);
    const QModelIndexList rows = m_table->selectionModel()->selectedRows();
    if (index.isValid()) {
        const QString subject = index.data(model::EventSubjectGuidRole).toString();
        const QString target = index.data(model::EventTargetGuidRole).toString();
        QAction* only = menu.addAction(tr("Show only this process"), this, [this, subject] {
            EventFilter f;
            f.processGuids = {subject.toStdString()};
            setFilter(f);
        });
        only->setEnabled(!subject.isEmpty());
        QAction* onlyTarget = menu.addAction(tr("Show only the target process"), this, [this, target] {
            EventFilter f;
            f.processGuids = {target.toStdString()};
            setFilter(f);
        });
        onlyTarget->setEnabled(!target.isEmpty());
    }
    QAction* between = menu.addAction(tr("Show events between these two"), this, [this, rows] {
        qint64 a = rows.at(0).data(model::EventUtcMsRole).toLongLong();
        qint64 b = rows.at(1).data(model::EventUtcMsRole).toLongLong();
        EventFilter f = m_model->filter();
        f.fromMs = std::min(a, b);
        f.toMs = std::max(a, b);
        m_model->setFilter(f);
    });
    // Both rows must be loaded to know their times; a selection of exactly two is the gesture.
    between->setEnabled(rows.size() == 2 && rows.at(0).data(model::EventLoadedRole).toBool()
                        && rows.at(1).data(model::EventLoadedRole).toBool());
    menu.addSeparator();
    if (index.isValid()) {
        const QString text = index.data().toString();
        menu.addAction(tr("Copy cell"), this, [text] { QApplication::clipboard()->setText(text); });
    }
    menu.addAction(tr("Clear filter"), this, &EventsPage::clearFilter);
    if (index.isValid() && !m_extraActions.isEmpty()) {
        menu.addSeparator();
        menu.addActions(m_extraActions);
    }
    menu.exec(m_table->viewport()->mapToGlobal(pos));
}

qint64 EventsPage::currentEventRowId() const
{
    const QModelIndex current = m_table->currentIndex();
    return current.isValid() ? current.data(model::EventRowIdRole).toLongLong() : 0;
}

void EventsPage::attach(model::InvestigationScope* scope)
{
    using model::InvestigationScope;
    connect(scope, &InvestigationScope::caseChanged, this, [this](const QString& path) {
        closeCase();
        QString error;
        if (!openCase(path, &error))
            Q_EMIT statusChanged(tr("Events not shown: %1").arg(error));
    });
    connect(scope, &InvestigationScope::caseReloaded, this, &EventsPage::reload);
    connect(scope, &InvestigationScope::utcChanged, this, &EventsPage::setUtc);
    connect(scope, &InvestigationScope::hostChosen, this, [this](const QString& host, const QObject* origin) {
        if (origin != this)
            setHostFilter(host);
    });
    connect(scope, &InvestigationScope::eventSelected, this,
            [this](qint64 id, const QString&, const QString&, const QObject* origin) {
                if (origin != this)
                    goToEvent(id);
            });
    connect(scope, &InvestigationScope::eventOpenRequested, this, [this](qint64 id) { goToEvent(id); });
    connect(this, &EventsPage::eventSelected, scope, [this, scope](qint64 id, const QString& host, const QString& guid) {
        scope->selectEvent(id, host, guid, this);
    });
}

} // namespace dscope::views
