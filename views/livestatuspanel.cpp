// SPDX-License-Identifier: MIT
#include "livestatuspanel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace dscope::views {

namespace {

enum Column { ColSender, ColLayout, ColReceived, ColStored, ColRate, ColRejected, ColLost, ColState, ColReason, ColumnCount };

QTableWidgetItem* number(double v)
{
    auto* item = new QTableWidgetItem(QLocale().toString(qint64(v)));
    item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return item;
}

} // namespace

LiveStatusPanel::LiveStatusPanel(QWidget* parent)
    : QWidget(parent), m_summary(new QLabel(this)), m_table(new QTableWidget(0, ColumnCount, this)),
      m_stop(new QPushButton(tr("&Stop listening"), this))
{
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setWordWrap(true);
    m_table->setHorizontalHeaderLabels({tr("Sender"), tr("Layout"), tr("Received"), tr("Stored"), tr("Events/s"),
                                        tr("Rejected"), tr("Lost"), tr("State"), tr("Last reason")});
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(ColSender, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(ColReason, QHeaderView::Stretch);
    auto* top = new QHBoxLayout;
    top->addWidget(m_summary, 1);
    top->addWidget(m_stop);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(m_table, 1);
    connect(m_stop, &QPushButton::clicked, this, &LiveStatusPanel::stopRequested);
}

void LiveStatusPanel::setStatus(const QStringList& listeners, const std::vector<model::FeedStats>& feeds,
                                const std::vector<double>& rates, qint64 stored, double rate, const QString& failure,
                                bool running)
{
    QString text = running ? tr("Listening on %1.").arg(listeners.join(QStringLiteral(", "))) : tr("Not listening.");
    text += QLatin1Char(' ') + tr("%L1 events stored (%L2/s) from %3 sender(s).").arg(stored).arg(qint64(rate)).arg(feeds.size());
    if (!failure.isEmpty())
        text += QLatin1Char(' ') + tr("Writing stopped: %1").arg(failure);
    m_summary->setText(text);
    m_stop->setEnabled(running);
    // Rows keep their place: a sender's row is updated, not rebuilt, so the analyst's selection stays.
    m_table->setRowCount(int(feeds.size()));
    for (size_t i = 0; i < feeds.size(); ++i) {
        const model::FeedStats& f = feeds[i];
        const int row = int(i);
        auto set = [&](int column, QTableWidgetItem* item) { m_table->setItem(row, column, item); };
        set(ColSender, new QTableWidgetItem(QString::fromStdString(f.name)));
        set(ColLayout, new QTableWidgetItem(QString::fromStdString(f.layout)));
        set(ColReceived, number(double(f.received)));
        set(ColStored, number(double(f.stored)));
        set(ColRate, number(i < rates.size() ? rates[i] : 0));
        set(ColRejected, number(double(f.rejected)));
        set(ColLost, number(double(f.lost)));
        set(ColState, new QTableWidgetItem(f.open ? tr("connected") : tr("closed")));
        set(ColReason, new QTableWidgetItem(f.reasons.empty() ? QString() : QString::fromStdString(f.reasons.back())));
        if (!f.reasons.empty())
            m_table->item(row, ColReason)->setToolTip(QString::fromStdString(f.reasons.back()));
    }
}

} // namespace dscope::views
