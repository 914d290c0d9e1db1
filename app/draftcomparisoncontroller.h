// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QThreadPool>

namespace dscope::app {

/**
 * The Technique page's comparison: runs the draft analytic (R0) and its correction (R1) on a case on a worker
 * thread, without storing their alerts, and says what each finds and where they differ. A newer request makes the
 * answer of an older one stale (dropped by token).
 */
class DraftComparisonController : public QObject
{
    Q_OBJECT
public:
    explicit DraftComparisonController(QObject* parent = nullptr);
    ~DraftComparisonController() override;
    void run(const QString& casePath);

Q_SIGNALS:
    void finished(const QString& summary);

private:
    QThreadPool m_pool;
    quint64 m_token = 0;
};

} // namespace dscope::app
