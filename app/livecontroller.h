// SPDX-License-Identifier: MIT
#pragma once

#include "domain/alert.h"
#include "live/livesession.h"

#include <QObject>
#include <QStringList>
#include <QThread>
#include <QTimer>

#include <memory>
#include <vector>

namespace dscope::app {

class LiveDetectionController;
class LiveService;
struct ListenSpec;

/// One feed's figures as the live status panel shows them.
struct LiveFeedRow {
    model::FeedStats stats;
    double rate = 0; ///< events stored per second since the last snapshot
};

/// What File > Listen started, and how it is going: handed to the GUI once a second.
struct LiveStatus {
    QStringList listeners;        ///< "syslog-tcp 127.0.0.1:5514"
    std::vector<LiveFeedRow> feeds;
    int64_t stored = 0;
    double rate = 0;
    QString failure;              ///< why writing stopped, if it did
    bool running = false;
};

/**
 * Live ingestion in the workbench: the LiveSession (its writer thread), the LiveService on a network thread of its
 * own, and incremental detection. The GUI thread never waits on any of them: it gets a status snapshot once a
 * second, a note that the case has new events (at most every two seconds, so that the pages reload calmly), and
 * the alerts each detection pass raised or extended.
 */
class LiveController : public QObject
{
    Q_OBJECT
public:
    explicit LiveController(QObject* parent = nullptr);
    ~LiveController() override;

    /// Starts listening into the case. False with error (the case cannot be written, a port is in use).
    bool start(const QString& casePath, const std::vector<ListenSpec>& specs, QString& error);
    /// Stops listening: what was received is committed, the feeds' input rows are finished.
    void stop();
    bool isRunning() const { return m_session != nullptr; }
    /// The port the first listener of this kind got (port 0 picks one); 0 when there is none.
    quint16 boundPort(int kind) const;
    /// Events the live session has stored so far (0 when not listening).
    int64_t storedEvents() const { return m_session ? m_session->storedEvents() : 0; }

Q_SIGNALS:
    void statusChanged(const dscope::app::LiveStatus& status);
    /// New events are in the case (throttled).
    void eventsArrived();
    void alertsRaised(const dscope::model::AlertSetPtr& alerts);
    void stopped();

private:
    void publishStatus();

    std::unique_ptr<model::LiveSession> m_session;
    LiveService* m_service = nullptr; ///< lives on m_network
    QThread m_network;
    LiveDetectionController* m_detection = nullptr;
    QTimer m_statusTimer;
    QTimer m_reloadTimer;
    QStringList m_listeners;
    std::vector<std::pair<int, quint16>> m_ports; ///< by ListenSpec::Kind
    std::vector<int64_t> m_lastStored;
    int64_t m_lastTotal = 0;
    bool m_newEvents = false;
};

} // namespace dscope::app
