// SPDX-License-Identifier: MIT
#pragma once

#include "domain/alert.h"

#include <QElapsedTimer>
#include <QObject>
#include <QThreadPool>

#include <memory>
#include <optional>
#include <unordered_map>

namespace dscope::detection {
class Engine;
}
namespace dscope::model {
class LiveSession;
}

namespace dscope::app {

/**
 * Incremental detection for a case fed live. Each commit of the live writer reports the oldest time it stored;
 * the controller runs the rules over the events from that time minus the longest rule window (the context a
 * chain begun earlier needs), never the whole case, one run at a time on its own thread: commits that arrive
 * during a run are folded into the next. Alerts are stored under their identity, so a chain that grows updates
 * its alert. What a run raised for the first time, or extended, is announced.
 */
class LiveDetectionController : public QObject
{
    Q_OBJECT
public:
    /// With a session, the alerts are stored by its writer (the case's one writer); without, by each pass itself.
    explicit LiveDetectionController(const QString& casePath, model::LiveSession* session = nullptr, QObject* parent = nullptr);
    ~LiveDetectionController() override;

    /// False with loadError() when the built-in rules cannot be read.
    bool isAvailable() const { return m_engine != nullptr; }
    const QString& loadError() const { return m_loadError; }
    /// Alerts known so far (first seen or updated by a live run), by identity.
    int alertCount() const { return int(m_known.size()); }
    bool isRunning() const { return m_running; }
    /// Waits for the running pass (the last commits are then covered by a final one).
    void finish();

public Q_SLOTS:
    /// A commit stored events from oldestUtcMs on (thread-safe to call through a queued connection).
    void eventsCommitted(qint64 oldestUtcMs);

Q_SIGNALS:
    /// New or extended alerts of one pass; `seconds` is the time from the commit that started it to now.
    void alertsRaised(const dscope::model::AlertSetPtr& alerts, double seconds);
    void passFinished(int alerts, double seconds);
    void failed(const QString& message);

private:
    void startPass();

    void announce(const model::AlertSetPtr& alerts, double seconds);

    QString m_casePath;
    model::LiveSession* m_session = nullptr;
    std::unique_ptr<detection::Engine> m_engine;
    QString m_loadError;
    QThreadPool m_pool;
    bool m_running = false;
    std::optional<qint64> m_pendingSince; ///< the oldest time committed since the running pass started
    QElapsedTimer m_pendingClock;         ///< since the first commit of the pending pass
    std::unordered_map<std::string, int64_t> m_known; ///< identity -> count announced
};

} // namespace dscope::app
