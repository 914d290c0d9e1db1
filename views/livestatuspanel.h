// SPDX-License-Identifier: MIT
#pragma once

#include "live/livesession.h"

#include <QWidget>

#include <vector>

class QLabel;
class QPushButton;
class QTableWidget;

namespace dscope::views {

/**
 * The live status panel: what is listening, and per sender its protocol, layout, messages received, events stored
 * (and the rate), rejected with the last reason, lost (UDP), and whether it is connected. The totals and the
 * writer's failure, if any, above. Stop ends listening.
 */
class LiveStatusPanel : public QWidget
{
    Q_OBJECT
public:
    explicit LiveStatusPanel(QWidget* parent = nullptr);

    void setStatus(const QStringList& listeners, const std::vector<model::FeedStats>& feeds, const std::vector<double>& rates,
                   qint64 stored, double rate, const QString& failure, bool running);
    QTableWidget* table() const { return m_table; }

Q_SIGNALS:
    void stopRequested();

private:
    QLabel* m_summary;
    QTableWidget* m_table;
    QPushButton* m_stop;
};

} // namespace dscope::views
