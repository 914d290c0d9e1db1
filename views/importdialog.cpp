// SPDX-License-Identifier: MIT
#include "importdialog.h"

#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QStackedWidget>
#include <QTableWidget>
#include <QVBoxLayout>

namespace dscope::views {

using model::InputReport;

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

QString statusText(const InputReport& r)
{
    switch (r.status) {
    case InputReport::Status::Imported: return r.skipped ? QObject::tr("imported, some skipped") : QObject::tr("imported");
    case InputReport::Status::Duplicate: return QObject::tr("already in the case");
    case InputReport::Status::Failed: return QObject::tr("failed");
    case InputReport::Status::Cancelled: return QObject::tr("cancelled (partial)");
    case InputReport::Status::Incomplete: return QObject::tr("incomplete (write failure)");
    }
    return {};
}

/// Why records or the whole file were not imported, as one readable cell.
QString reasons(const InputReport& r)
{
    QStringList lines;
    if (!r.failure.empty())
        lines << qs(r.failure);
    if (r.status == InputReport::Status::Duplicate)
        lines << QObject::tr("same SHA-256 as an input already imported; nothing added");
    for (const auto& issue : r.issues) {
        lines << (issue.warning ? QObject::tr("warning ") : QString())
                     + (issue.position >= 0 ? QObject::tr("at %1: ").arg(issue.position) : QString()) + qs(issue.message);
        if (lines.size() >= 5)
            break;
    }
    if (r.issueCount > qint64(lines.size()) && r.issueCount > 5)
        lines << QObject::tr("\u2026 %1 issues in all").arg(r.issueCount);
    return lines.join(QLatin1Char('\n'));
}

} // namespace

ImportDialog::ImportDialog(QWidget* parent)
    : QDialog(parent)
    , m_stack(new QStackedWidget(this))
    , m_fileTable(new QTableWidget(this))
    , m_bar(new QProgressBar(this))
    , m_counts(new QLabel(this))
    , m_summary(new QTableWidget(this))
    , m_totals(new QLabel(this))
    , m_error(new QLabel(this))
    , m_button(new QPushButton(tr("Cancel"), this))
{
    setWindowTitle(tr("Import"));
    m_fileTable->setColumnCount(2);
    m_fileTable->setHorizontalHeaderLabels({tr("File"), tr("Status")});
    m_fileTable->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_fileTable->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_fileTable->verticalHeader()->hide();
    m_fileTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    auto* running = new QWidget(this);
    auto* runLayout = new QVBoxLayout(running);
    runLayout->setContentsMargins(0, 0, 0, 0);
    runLayout->addWidget(m_fileTable, 1);
    runLayout->addWidget(m_bar);
    runLayout->addWidget(m_counts);

    m_summary->setColumnCount(6);
    m_summary->setHorizontalHeaderLabels({tr("File"), tr("Status"), tr("Format"), tr("Events"), tr("Skipped"),
                                          tr("Reasons")});
    m_summary->horizontalHeader()->setStretchLastSection(true);
    m_summary->verticalHeader()->hide();
    m_summary->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_summary->setWordWrap(true);
    auto* done = new QWidget(this);
    auto* doneLayout = new QVBoxLayout(done);
    doneLayout->setContentsMargins(0, 0, 0, 0);
    // A write failure (full disk, I/O error) stops the import: said first, in words that cannot be missed.
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setStyleSheet(QStringLiteral("QLabel { background: #fde2e1; color: #7a1212; border: 1px solid #d9534f; "
                                          "border-radius: 3px; padding: 6px; }"));
    m_error->hide();
    doneLayout->addWidget(m_error);
    doneLayout->addWidget(m_totals);
    doneLayout->addWidget(m_summary, 1);
    m_totals->setWordWrap(true);

    m_stack->addWidget(running);
    m_stack->addWidget(done);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_stack, 1);
    layout->addWidget(m_button, 0, Qt::AlignRight);
    connect(m_button, &QPushButton::clicked, this, [this] {
        if (m_finished) {
            accept();
        } else {
            m_button->setEnabled(false);
            m_button->setText(tr("Cancelling\u2026"));
            Q_EMIT cancelRequested();
        }
    });
    resize(900, 520);
}

void ImportDialog::setFiles(const std::vector<std::string>& files)
{
    m_files = files;
    m_fileTable->setRowCount(int(files.size()));
    for (int i = 0; i < int(files.size()); ++i) {
        m_fileTable->setItem(i, 0, new QTableWidgetItem(qs(files[size_t(i)])));
        m_fileTable->setItem(i, 1, new QTableWidgetItem(tr("waiting")));
    }
    m_bar->setRange(0, 1000);
    m_bar->setValue(0);
}

void ImportDialog::setStatus(int row, const QString& status)
{
    if (row >= 0 && row < m_fileTable->rowCount())
        m_fileTable->item(row, 1)->setText(status);
}

void ImportDialog::setProgress(const model::ImportProgress& p)
{
    if (m_finished)
        return;
    m_bar->setValue(p.bytesTotal > 0 ? int(1000.0 * double(p.bytesDone) / double(p.bytesTotal)) : 0);
    m_counts->setText(tr("%1 of %2 files, %L3 events written, %4 / %5 MiB")
                          .arg(p.filesDone)
                          .arg(p.filesTotal)
                          .arg(p.events)
                          .arg(double(p.bytesDone) / 1048576.0, 0, 'f', 1)
                          .arg(double(p.bytesTotal) / 1048576.0, 0, 'f', 1));
    // The writer reports the input it started last; earlier ones with a started state are being parsed or done.
    const auto it = std::find(m_files.begin(), m_files.end(), p.current);
    if (it != m_files.end()) {
        const int row = int(it - m_files.begin());
        if (row != m_lastCurrent) {
            setStatus(row, tr("importing\u2026"));
            m_fileTable->scrollToItem(m_fileTable->item(row, 0));
            m_lastCurrent = row;
        }
    }
}

void ImportDialog::setSummary(const model::ImportSummary& s)
{
    m_finished = true;
    int imported = 0, skippedFiles = 0;
    m_summary->setRowCount(int(s.inputs.size()));
    for (int i = 0; i < int(s.inputs.size()); ++i) {
        const InputReport& r = s.inputs[size_t(i)];
        if (r.status == InputReport::Status::Imported)
            ++imported;
        else
            ++skippedFiles;
        const QStringList cells = {qs(r.path), statusText(r), qs(r.format) + (r.layout.empty() ? QString() : QLatin1String(" [") + qs(r.layout) + QLatin1Char(']')),
                                   r.layout == "alert-rows" ? tr("%n alert(s)", nullptr, int(r.alerts)) : QString::number(r.events),
                                   QString::number(r.skipped), reasons(r)};
        for (int c = 0; c < cells.size(); ++c)
            m_summary->setItem(i, c, new QTableWidgetItem(cells.at(c)));
    }
    m_summary->resizeColumnsToContents();
    m_summary->resizeRowsToContents();
    int64_t alerts = 0;
    for (const InputReport& r : s.inputs)
        alerts += r.alerts;
    QString totals = tr("%L1 events imported from %2 file(s) in %3 s; %4 file(s) not (fully) imported.")
                         .arg(s.events)
                         .arg(imported)
                         .arg(s.seconds, 0, 'f', 1)
                         .arg(skippedFiles);
    if (alerts > 0)
        totals += QLatin1Char(' ') + tr("%n alert(s) of a run elsewhere imported for triage (their events are not in "
                                        "the case).", nullptr, int(alerts));
    if (s.cancelled)
        totals += QLatin1Char(' ') + tr("Cancelled: every batch written before the cancel is kept and the case is valid; "
                                        "importing the same files again completes them.");
    m_totals->setText(totals);
    m_error->setVisible(!s.fatal.empty());
    if (!s.fatal.empty()) {
        setWindowTitle(tr("Import stopped"));
        m_error->setText(tr("The import stopped: %1\n\nEvery event counted below is in the case, which is valid. "
                            "Inputs marked incomplete are completed by importing them again once the problem is solved.")
                             .arg(qs(s.fatal)));
    }
    m_stack->setCurrentIndex(1);
    m_button->setEnabled(true);
    m_button->setText(tr("Close"));
}

} // namespace dscope::views
