// SPDX-License-Identifier: MIT
#pragma once

#include "domain/alert.h"
#include "txftimeline.h"

#include <QObject>
#include <QThreadPool>

#include <optional>

namespace dscope::model {

/// Builds TxF timelines off the GUI thread; a result superseded by a newer request is dropped (generation token).
class TimelineLoader : public QObject
{
    Q_OBJECT
public:
    explicit TimelineLoader(QObject* parent = nullptr);
    /// Waits for the running build: the job must not outlive the object it reports to.
    ~TimelineLoader() override;

    /// The lanes of `alert`, or (without one) the case's first TxF activity.
    void load(const QString& casePath, std::optional<Alert> alert);
    void load(const QString& casePath, const TimelineRequest& request);
    bool isLoading() const { return m_running > 0; }

Q_SIGNALS:
    void timelineAvailable(dscope::model::TxfTimelinePtr timeline);
    void loadFailed(const QString& message);

private:
    void start(const QString& casePath, std::optional<Alert> alert, std::optional<TimelineRequest> request);

    QThreadPool m_pool;
    quint64 m_generation = 0;
    int m_running = 0;
};

} // namespace dscope::model
