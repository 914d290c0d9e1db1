// SPDX-License-Identifier: MIT
#include "livecontroller.h"

#include "livedetectioncontroller.h"
#include "liveservice.h"

namespace dscope::app {

LiveController::LiveController(QObject* parent) : QObject(parent)
{
    m_statusTimer.setInterval(1000);
    connect(&m_statusTimer, &QTimer::timeout, this, &LiveController::publishStatus);
    m_reloadTimer.setInterval(2000);
    connect(&m_reloadTimer, &QTimer::timeout, this, [this] {
        if (m_newEvents) {
            m_newEvents = false;
            Q_EMIT eventsArrived();
        }
    });
}

LiveController::~LiveController()
{
    blockSignals(true); // whoever listened may be gone already: a controller being destroyed announces nothing
    stop();
}

bool LiveController::start(const QString& casePath, const std::vector<ListenSpec>& specs, QString& error)
{
    stop();
    m_session = std::make_unique<model::LiveSession>(casePath.toStdString());
    m_detection = new LiveDetectionController(casePath, m_session.get(), this);
    connect(m_detection, &LiveDetectionController::alertsRaised, this,
            [this](const model::AlertSetPtr& alerts, double) { Q_EMIT alertsRaised(alerts); });
    m_session->setCommitListener([this](const model::LiveCommit& c) {
        // The writer's thread: hand over to this object's.
        QMetaObject::invokeMethod(this, [this, since = c.oldestUtcMs] {
            m_newEvents = true;
            if (m_detection)
                m_detection->eventsCommitted(since);
        }, Qt::QueuedConnection);
    });
    std::string sessionError;
    if (!m_session->start(sessionError)) {
        error = QString::fromStdString(sessionError);
        m_session.reset();
        delete m_detection;
        m_detection = nullptr;
        return false;
    }
    m_service = new LiveService(*m_session);
    m_service->moveToThread(&m_network);
    connect(&m_network, &QThread::finished, m_service, &QObject::deleteLater);
    m_network.start();
    bool ok = true;
    QMetaObject::invokeMethod(m_service, [&] {
        for (const ListenSpec& s : specs)
            if (!m_service->listen(s, error)) {
                ok = false;
                return;
            }
        m_listeners = m_service->describe();
        m_ports.clear();
        for (const ListenSpec& s : specs)
            m_ports.emplace_back(int(s.kind), m_service->boundPort(s.kind));
    }, Qt::BlockingQueuedConnection); // short: binding sockets
    if (!ok) {
        stop();
        return false;
    }
    m_lastStored.clear();
    m_lastTotal = 0;
    m_statusTimer.start();
    m_reloadTimer.start();
    publishStatus();
    return true;
}

void LiveController::stop()
{
    if (!m_session)
        return;
    m_statusTimer.stop();
    m_reloadTimer.stop();
    if (m_service)
        QMetaObject::invokeMethod(m_service, [service = m_service] { service->close(); }, Qt::BlockingQueuedConnection);
    m_network.quit();
    m_network.wait();
    m_service = nullptr;
    m_session->flush();
    if (m_detection) {
        m_detection->finish(); // the last pass, its alerts stored by the still-running writer
        delete m_detection;
        m_detection = nullptr;
    }
    m_session->stop();
    publishStatus();
    m_session.reset();
    m_listeners.clear();
    m_ports.clear();
    Q_EMIT eventsArrived();
    Q_EMIT stopped();
}

quint16 LiveController::boundPort(int kind) const
{
    for (const auto& [k, port] : m_ports)
        if (k == kind)
            return port;
    return 0;
}

void LiveController::publishStatus()
{
    if (!m_session)
        return;
    LiveStatus s;
    s.listeners = m_listeners;
    s.running = m_session->running();
    s.stored = m_session->storedEvents();
    s.rate = double(s.stored - m_lastTotal) * 1000.0 / double(m_statusTimer.interval());
    m_lastTotal = s.stored;
    s.failure = QString::fromStdString(m_session->failure());
    const auto feeds = m_session->stats();
    m_lastStored.resize(feeds.size(), 0);
    for (size_t i = 0; i < feeds.size(); ++i) {
        s.feeds.push_back({feeds[i], double(feeds[i].stored - m_lastStored[i]) * 1000.0 / double(m_statusTimer.interval())});
        m_lastStored[i] = feeds[i].stored;
    }
    Q_EMIT statusChanged(s);
}

} // namespace dscope::app
