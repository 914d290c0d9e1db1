// SPDX-License-Identifier: MIT
#include "alertworkpanel.h"

#include "itemmodels/alertlistmodel.h"

#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QShortcut>
#include <QTableWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace dscope::views {

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

enum ChecklistColumn { ColDone, ColStep, ColWhere, ColNote, ColBy };
constexpr int kItemIdRole = Qt::UserRole + 1;
constexpr int kPivotRole = Qt::UserRole + 2;

constexpr model::TriageState kStates[] = {model::TriageState::New, model::TriageState::InProgress,
                                          model::TriageState::TruePositive, model::TriageState::Benign,
                                          model::TriageState::FalsePositive};

} // namespace

AlertWorkPanel::AlertWorkPanel(QWidget* parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_current(new QLabel(this))
    , m_state(new QComboBox(this))
    , m_reason(new QLineEdit(this))
    , m_record(new QPushButton(tr("Record"), this))
    , m_checklistTitle(new QLabel(this))
    , m_checklist(new QTableWidget(this))
    , m_pivot(new QPushButton(tr("Show in Events"), this))
    , m_historyView(new QTreeWidget(this))
{
    m_title->setWordWrap(true);
    m_title->setTextFormat(Qt::PlainText);
    m_current->setWordWrap(true);
    m_current->setTextFormat(Qt::PlainText);
    m_current->setTextInteractionFlags(Qt::TextSelectableByMouse);
    for (model::TriageState s : kStates)
        m_state->addItem(QLatin1String(model::triageStateName(s)), int(s));
    m_reason->setPlaceholderText(tr("Reason (needed for benign and false positive)"));
    m_reason->setClearButtonEnabled(true);
    m_record->setToolTip(tr("Store this decision in the case (Ctrl+Return)"));

    auto* triageBox = new QGroupBox(tr("Triage"), this);
    auto* triageLayout = new QVBoxLayout(triageBox);
    auto* row = new QHBoxLayout;
    row->addWidget(m_state);
    row->addWidget(m_reason, 1);
    row->addWidget(m_record);
    triageLayout->addWidget(m_current);
    triageLayout->addLayout(row);

    m_checklistTitle->setWordWrap(true);
    m_checklistTitle->setTextFormat(Qt::PlainText);
    m_checklist->setColumnCount(5);
    m_checklist->setHorizontalHeaderLabels({tr("Done"), tr("Step"), tr("Where"), tr("Note"), tr("By")});
    m_checklist->verticalHeader()->hide();
    m_checklist->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_checklist->setSelectionMode(QAbstractItemView::SingleSelection);
    m_checklist->setWordWrap(true);
    m_checklist->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed);
    m_checklist->horizontalHeader()->setSectionResizeMode(ColStep, QHeaderView::Stretch);
    m_checklist->horizontalHeader()->setSectionResizeMode(ColDone, QHeaderView::ResizeToContents);
    m_checklist->horizontalHeader()->setSectionResizeMode(ColWhere, QHeaderView::ResizeToContents);
    m_checklist->setColumnWidth(ColNote, 140);
    m_checklist->setColumnWidth(ColBy, 110);
    // Rows grow to the wrapped step text; a narrower or wider column lays them out again.
    connect(m_checklist->horizontalHeader(), &QHeaderView::sectionResized, m_checklist,
            [this] { m_checklist->resizeRowsToContents(); });
    m_pivot->setToolTip(tr("Open the Events page on what this case check looks at"));
    m_pivot->setEnabled(false);

    auto* checklistBox = new QGroupBox(tr("Response checklist"), this);
    auto* checklistLayout = new QVBoxLayout(checklistBox);
    checklistLayout->addWidget(m_checklistTitle);
    checklistLayout->addWidget(m_checklist, 1);
    auto* pivotRow = new QHBoxLayout;
    auto* hint = new QLabel(tr("Tick a step when done; double-click its note to write one."), checklistBox);
    hint->setEnabled(false);
    pivotRow->addWidget(hint, 1);
    pivotRow->addWidget(m_pivot);
    checklistLayout->addLayout(pivotRow);

    m_historyView->setColumnCount(3);
    m_historyView->setHeaderLabels({tr("When"), tr("Who"), tr("What")});
    m_historyView->setRootIsDecorated(false);
    m_historyView->header()->setStretchLastSection(true);
    auto* historyBox = new QGroupBox(tr("History"), this);
    auto* historyLayout = new QVBoxLayout(historyBox);
    historyLayout->addWidget(m_historyView);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addWidget(triageBox);
    layout->addWidget(checklistBox, 3);
    layout->addWidget(historyBox, 1);

    connect(m_record, &QPushButton::clicked, this, [this] {
        if (m_caseId > 0)
            Q_EMIT triageRequested(m_caseId, model::TriageState(m_state->currentData().toInt()), m_reason->text());
    });
    auto* shortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), this);
    shortcut->setContext(Qt::WidgetWithChildrenShortcut);
    connect(shortcut, &QShortcut::activated, m_record, &QPushButton::click);
    connect(m_state, &QComboBox::currentIndexChanged, this, &AlertWorkPanel::updateRecordButton);
    connect(m_reason, &QLineEdit::textChanged, this, &AlertWorkPanel::updateRecordButton);
    connect(m_checklist, &QTableWidget::itemChanged, this, &AlertWorkPanel::onItemChanged);
    connect(m_checklist, &QTableWidget::currentCellChanged, this, [this](int row) {
        const QTableWidgetItem* step = m_checklist->item(row, ColStep);
        m_pivot->setEnabled(step && !step->data(kPivotRole).toString().isEmpty());
    });
    connect(m_checklist, &QTableWidget::cellActivated, this, [this](int, int column) {
        if (column != ColNote && column != ColDone)
            showPivotOfCurrent();
    });
    connect(m_pivot, &QPushButton::clicked, this, &AlertWorkPanel::showPivotOfCurrent);
    setAlert(nullptr, {});
}

void AlertWorkPanel::setChecklists(std::shared_ptr<const model::Checklists> lists, const QString& loadError)
{
    m_lists = std::move(lists);
    m_loadError = loadError;
    fillChecklist();
}

void AlertWorkPanel::setAlert(const model::Alert* alert, const model::Triage& triage)
{
    m_caseId = alert ? alert->caseId : 0;
    m_checklistKey = alert ? alert->checklistKey : std::string();
    m_items.clear();
    m_history.clear();
    if (!alert) {
        m_title->setText(tr("Select an alert to triage it and work its checklist."));
    } else {
        m_title->setText(tr("%1 %2 on %3: %4 \u2192 %5")
                             .arg(qs(alert->ruleId), qs(alert->ruleName), qs(alert->host),
                                  model::AlertListModel::processText(alert->source),
                                  model::AlertListModel::processText(alert->target)));
        if (m_caseId <= 0)
            m_title->setText(m_title->text() + tr("\nThis alert is not stored in the case (it is read-only), so "
                                                  "nothing can be recorded on it."));
    }
    setTriage(m_caseId, triage);
    fillChecklist();
}

void AlertWorkPanel::setTriage(qint64 caseId, const model::Triage& triage)
{
    if (caseId != m_caseId)
        return;
    m_triage = triage;
    if (m_caseId <= 0 || triage.utcMs == 0) {
        m_current->setText(m_caseId > 0 ? tr("New: nobody has recorded a decision yet.") : QString());
    } else {
        QString text = tr("%1, recorded by %2 at %3").arg(QLatin1String(model::triageStateName(triage.state)),
                                                       qs(triage.analyst), model::formatTime(triage.utcMs, m_utc));
        if (!triage.reason.empty())
            text += QStringLiteral(": ") + qs(triage.reason);
        m_current->setText(text);
    }
    const int index = m_state->findData(int(triage.state));
    m_state->setCurrentIndex(index < 0 ? 0 : index);
    m_reason->setText(qs(triage.reason));
    updateRecordButton();
}

void AlertWorkPanel::setWork(qint64 caseId, const std::vector<model::alertstore::ChecklistItemState>& checklist,
                             const std::vector<model::alertstore::HistoryEntry>& history)
{
    if (caseId != m_caseId)
        return;
    m_items = checklist;
    m_history = history;
    fillChecklist();
}

void AlertWorkPanel::setUtc(bool utc)
{
    m_utc = utc;
    setTriage(m_caseId, m_triage);
    fillChecklist();
}

void AlertWorkPanel::updateRecordButton()
{
    const auto state = model::TriageState(m_state->currentData().toInt());
    const bool reasonOk = !model::triageNeedsReason(state) || !m_reason->text().trimmed().isEmpty();
    const bool changed = state != m_triage.state || m_reason->text().trimmed().toStdString() != m_triage.reason;
    m_record->setEnabled(m_caseId > 0 && reasonOk && changed);
    m_record->setToolTip(reasonOk ? tr("Store this decision in the case (Ctrl+Return)")
                                  : tr("Say why: a later reader must know why it was closed"));
}

void AlertWorkPanel::fillChecklist()
{
    m_filling = true;
    const int currentRow = m_checklist->currentRow();
    const QTableWidgetItem* currentStep = currentRow >= 0 ? m_checklist->item(currentRow, ColStep) : nullptr;
    const QString current = currentStep ? currentStep->data(kItemIdRole).toString() : QString();
    m_checklist->setRowCount(0);
    m_historyView->clear();
    const model::Checklist* list = m_lists ? m_lists->find(m_checklistKey) : nullptr;
    if (!m_loadError.isEmpty())
        m_checklistTitle->setText(m_loadError);
    else if (m_checklistKey.empty())
        m_checklistTitle->setText(QString());
    else if (!list)
        m_checklistTitle->setText(tr("No checklist named \"%1\" in this build.").arg(qs(m_checklistKey)));
    else
        m_checklistTitle->setText(qs(list->title));
    const bool editable = m_caseId > 0;
    auto cell = [](const QString& text, Qt::ItemFlags flags) {
        auto* item = new QTableWidgetItem(text);
        item->setFlags(flags);
        return item;
    };
    const Qt::ItemFlags readOnly = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    if (list) {
        m_checklist->setRowCount(int(list->items.size()));
        for (int row = 0; row < int(list->items.size()); ++row) {
            const model::ChecklistItem& step = list->items[size_t(row)];
            const auto state = std::find_if(m_items.begin(), m_items.end(),
                                            [&](const auto& s) { return s.item == step.id; });
            auto* done = cell(QString(), editable ? readOnly | Qt::ItemIsUserCheckable : readOnly);
            done->setCheckState(state != m_items.end() && state->done ? Qt::Checked : Qt::Unchecked);
            m_checklist->setItem(row, ColDone, done);
            auto* text = cell(qs(step.text), readOnly);
            text->setToolTip(qs(step.text));
            text->setData(kItemIdRole, qs(step.id));
            text->setData(kPivotRole, qs(step.pivot));
            m_checklist->setItem(row, ColStep, text);
            const bool live = step.where == model::ChecklistItem::Where::LiveHost;
            auto* where = cell(live ? tr("live host") : step.pivot.empty() ? tr("this alert") : tr("case \u2192"), readOnly);
            QString pivotTitle;
            if (!step.pivot.empty() && m_lists->pivots.count(step.pivot)) {
                const auto& p = m_lists->pivots.at(step.pivot);
                pivotTitle = qs(p.title) + QStringLiteral("\n") + qs(p.explains);
            }
            where->setToolTip(live ? tr("Done on the host itself: the case cannot show it") : pivotTitle);
            m_checklist->setItem(row, ColWhere, where);
            auto* note = cell(state != m_items.end() ? qs(state->note) : QString(),
                              editable ? readOnly | Qt::ItemIsEditable : readOnly);
            note->setToolTip(note->text());
            m_checklist->setItem(row, ColNote, note);
            auto* by = cell(state != m_items.end() && state->utcMs > 0
                                ? tr("%1, %2").arg(qs(state->analyst), model::formatTime(state->utcMs, m_utc))
                                : QString(),
                            readOnly);
            by->setToolTip(by->text());
            m_checklist->setItem(row, ColBy, by);
            if (qs(step.id) == current)
                m_checklist->setCurrentCell(row, ColStep);
        }
    }
    m_checklist->resizeRowsToContents();
    for (const auto& h : m_history) {
        auto* item = new QTreeWidgetItem(m_historyView);
        item->setText(0, model::formatTime(h.utcMs, m_utc));
        item->setText(1, qs(h.analyst));
        item->setText(2, qs(h.change));
        item->setToolTip(2, qs(h.change));
    }
    m_historyView->resizeColumnToContents(0);
    m_filling = false;
}

void AlertWorkPanel::onItemChanged(QTableWidgetItem* item)
{
    const int column = item->column();
    if (m_filling || m_caseId <= 0 || (column != ColDone && column != ColNote))
        return;
    const int row = item->row();
    const QString id = m_checklist->item(row, ColStep)->data(kItemIdRole).toString();
    // Only a real change is recorded: Qt reports an edit that left the note as it was too.
    const auto state = std::find_if(m_items.begin(), m_items.end(), [&](const auto& s) { return qs(s.item) == id; });
    const bool wasDone = state != m_items.end() && state->done;
    const QString oldNote = state != m_items.end() ? qs(state->note) : QString();
    const bool done = m_checklist->item(row, ColDone)->checkState() == Qt::Checked;
    const QString note = m_checklist->item(row, ColNote)->text().trimmed();
    if (done == wasDone && note == oldNote)
        return;
    Q_EMIT checklistItemChanged(m_caseId, id, done, note);
}

void AlertWorkPanel::showPivotOfCurrent()
{
    const QTableWidgetItem* step = m_checklist->currentRow() >= 0 ? m_checklist->item(m_checklist->currentRow(), ColStep)
                                                                  : nullptr;
    const QString pivot = step ? step->data(kPivotRole).toString() : QString();
    if (!pivot.isEmpty())
        Q_EMIT pivotRequested(pivot);
}

} // namespace dscope::views
