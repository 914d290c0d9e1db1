// SPDX-License-Identifier: MIT
#include "caseinputsdialog.h"

#include "itemmodels/inputlistmodel.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace dscope::views {

using model::InputListModel;

CaseInputsDialog::CaseInputsDialog(QWidget* parent)
    : QDialog(parent)
    , m_model(new InputListModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_summary(new QLabel(this))
    , m_problemsOnly(new QCheckBox(tr("Only inputs that need attention (something skipped, recovered or reported, "
                                      "or not imported in full)"),
                                   this))
    , m_table(new QTableView(this))
    , m_issuesTitle(new QLabel(this))
    , m_issues(new QPlainTextEdit(this))
{
    setWindowTitle(tr("Case inputs"));
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::PlainText); // paths come from the file system: never markup
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(InputListModel::SortRole);
    m_proxy->setFilterRole(InputListModel::ProblemRole);
    m_proxy->setFilterKeyColumn(0);
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(-1, Qt::AscendingOrder); // import order until the analyst sorts
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setTextElideMode(Qt::ElideMiddle); // a path's file name and a hash's ends are what one compares
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);

    m_issues->setReadOnly(true);
    m_issues->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_issues->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_issuesTitle->setTextFormat(Qt::PlainText);

    auto* copyRows = new QAction(tr("Copy rows"), m_table);
    copyRows->setShortcut(QKeySequence::Copy);
    copyRows->setShortcutContext(Qt::WidgetShortcut);
    m_table->addAction(copyRows);
    connect(copyRows, &QAction::triggered, this, &CaseInputsDialog::copySelectedRows);
    connect(m_table, &QWidget::customContextMenuRequested, this, [this, copyRows](const QPoint& pos) {
        const QModelIndex at = m_table->indexAt(pos);
        if (!at.isValid())
            return;
        QMenu menu(this);
        menu.addAction(tr("Copy \"%1\"").arg(at.data().toString().left(40)), this,
                       [at] { QApplication::clipboard()->setText(at.data().toString()); });
        menu.addAction(tr("Copy SHA-256"), this, [this] { QApplication::clipboard()->setText(selectedSha256()); });
        menu.addAction(copyRows);
        menu.exec(m_table->viewport()->mapToGlobal(pos));
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &CaseInputsDialog::showIssuesOfSelection);
    connect(m_problemsOnly, &QCheckBox::toggled, this, &CaseInputsDialog::setProblemsOnly);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton* showEvents = buttons->addButton(tr("Show its events"), QDialogButtonBox::ActionRole);
    showEvents->setToolTip(tr("The Events page, with only the selected input's events (double-click a row)"));
    connect(showEvents, &QPushButton::clicked, this, &CaseInputsDialog::showEventsOfSelection);
    connect(m_table, &QAbstractItemView::doubleClicked, this, &CaseInputsDialog::showEventsOfSelection);
    QPushButton* copyHash = buttons->addButton(tr("Copy SHA-256"), QDialogButtonBox::ActionRole);
    QPushButton* copyTable = buttons->addButton(tr("Copy table"), QDialogButtonBox::ActionRole);
    copyHash->setToolTip(tr("The selected input's SHA-256"));
    copyTable->setToolTip(tr("Every input shown, as tab-separated text with a header line"));
    connect(copyHash, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(selectedSha256()); });
    connect(copyTable, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(m_model->toTsv(sourceRows(false))); });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* lower = new QWidget(this);
    auto* lowerLayout = new QVBoxLayout(lower);
    lowerLayout->setContentsMargins(0, 0, 0, 0);
    lowerLayout->addWidget(m_issuesTitle);
    lowerLayout->addWidget(m_issues, 1);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_table);
    split->addWidget(lower);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_problemsOnly);
    layout->addWidget(split, 1);
    layout->addWidget(buttons);
    resize(1200, 640);
    showIssuesOfSelection();
}

void CaseInputsDialog::setInfo(const QString& casePath, const model::CaseInfo& info)
{
    const QString selected = selectedSha256();
    m_model->setInputs(info.inputs);
    int complete = 0, failed = 0, unfinished = 0;
    qint64 skipped = 0, recovered = 0;
    for (const auto& r : info.inputs) {
        complete += r.status == model::InputStatus::Complete;
        failed += r.status == model::InputStatus::Failed;
        unfinished += r.status == model::InputStatus::Incomplete || r.status == model::InputStatus::Importing;
        skipped += r.skipped;
        recovered += r.recovered;
    }
    QStringList parts;
    parts << tr("%n input(s)", nullptr, int(info.inputs.size()))
          << tr("%L1 complete").arg(complete);
    if (failed)
        parts << tr("%L1 failed").arg(failed);
    if (unfinished)
        parts << tr("%L1 not imported in full").arg(unfinished);
    parts << tr("%L1 events").arg(info.events) << tr("%n skipped (records, lines or damaged chunks)", nullptr, int(skipped));
    if (recovered)
        parts << tr("%L1 recovered from slack space").arg(recovered);
    m_summary->setText(tr("%1\n%2").arg(QFileInfo(casePath).fileName(), parts.join(QStringLiteral(" \u00b7 "))));
    m_table->resizeColumnsToContents();
    m_table->setColumnWidth(InputListModel::ColPath, std::min(m_table->columnWidth(InputListModel::ColPath), 420));
    m_table->setColumnWidth(InputListModel::ColSha256, std::min(m_table->columnWidth(InputListModel::ColSha256), 160));
    // Keep the analyst's place across a refresh.
    for (int row = 0; !selected.isEmpty() && row < m_proxy->rowCount(); ++row) {
        const QModelIndex hash = m_proxy->index(row, InputListModel::ColSha256);
        if (hash.data().toString() == selected) {
            m_table->selectRow(row);
            break;
        }
    }
    showIssuesOfSelection();
}

void CaseInputsDialog::setUtc(bool utc) { m_model->setUtc(utc); }

void CaseInputsDialog::setProblemsOnly(bool on)
{
    if (m_problemsOnly->isChecked() != on)
        m_problemsOnly->setChecked(on); // comes back here through toggled
    m_proxy->setFilterFixedString(on ? QStringLiteral("1") : QString());
    showIssuesOfSelection();
}

void CaseInputsDialog::selectFirstProblem()
{
    int target = m_proxy->rowCount() > 0 ? 0 : -1;
    for (int row = 0; row < m_proxy->rowCount(); ++row) {
        if (m_proxy->index(row, 0).data(InputListModel::ProblemRole).toString() == QLatin1String("1")) {
            target = row;
            break;
        }
    }
    if (target >= 0)
        m_table->selectRow(target);
    showIssuesOfSelection();
}

std::vector<int> CaseInputsDialog::sourceRows(bool selectedOnly) const
{
    std::vector<int> rows;
    if (selectedOnly) {
        const QModelIndexList picked = m_table->selectionModel()->selectedRows();
        for (const QModelIndex& i : picked)
            rows.push_back(m_proxy->mapToSource(i).row());
        std::sort(rows.begin(), rows.end());
    } else {
        for (int row = 0; row < m_proxy->rowCount(); ++row)
            rows.push_back(m_proxy->mapToSource(m_proxy->index(row, 0)).row());
    }
    return rows;
}

void CaseInputsDialog::copySelectedRows() { QApplication::clipboard()->setText(m_model->toTsv(sourceRows(true))); }

QString CaseInputsDialog::selectedSha256() const
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    if (!current.isValid() || !m_table->selectionModel()->isRowSelected(current.row(), {}))
        return {};
    return current.siblingAtColumn(InputListModel::ColSha256).data().toString();
}

void CaseInputsDialog::showIssuesOfSelection()
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    if (!current.isValid()) {
        m_issuesTitle->setText(tr("Select an input to see what was skipped and why."));
        m_issues->clear();
        return;
    }
    const model::InputRow& r = m_model->inputs()[size_t(m_proxy->mapToSource(current).row())];
    const QStringList reasons = model::inputIssues(r);
    const QString name = QFileInfo(QString::fromStdString(r.path)).fileName();
    if (reasons.isEmpty()) {
        m_issuesTitle->setText(r.skipped ? tr("%1: %n skipped; no reason was kept.", nullptr, int(r.skipped)).arg(name)
                                         : r.status == model::InputStatus::Complete ? tr("%1: nothing was skipped.").arg(name)
                                                                  : tr("%1: no reason was kept.").arg(name));
    } else if (r.skipped > reasons.size()) {
        // The importer keeps the first reasons only; the count is exact.
        // One arg() call: a second would read a "%2" in the file name as its own placeholder.
        m_issuesTitle->setText(tr("%1: %2 skipped; the first %3 reasons:")
                                   .arg(name, QLocale().toString(qlonglong(r.skipped)), QLocale().toString(reasons.size())));
    } else {
        m_issuesTitle->setText(tr("%1: %n reason(s):", nullptr, int(reasons.size())).arg(name));
    }
    m_issues->setPlainText(reasons.join(QLatin1Char('\n')));
}

void CaseInputsDialog::showEventsOfSelection()
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    if (!current.isValid())
        return;
    Q_EMIT eventsOfInputRequested(current.data(InputListModel::InputIdRole).toLongLong(),
                                  current.siblingAtColumn(InputListModel::ColPath).data().toString());
}

QString CaseInputsDialog::summaryText() const { return m_summary->text(); }

QString CaseInputsDialog::issuesText() const { return m_issuesTitle->text() + QLatin1Char('\n') + m_issues->toPlainText(); }

} // namespace dscope::views
