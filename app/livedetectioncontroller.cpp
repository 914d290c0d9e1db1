// SPDX-License-Identifier: MIT
#include "livedetectioncontroller.h"

#include "engine.h"
#include "live/livesession.h"
#include "ruleset.h"

#include <QCoreApplication>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

namespace dscope::app {

LiveDetectionController::LiveDetectionController(const QString& casePath, model::LiveSession* session, QObject* parent)
    : QObject(parent), m_casePath(casePath), m_session(session)
{
    m_pool.setMaxThreadCount(1);
    std::string error;
    if (auto rules = detection::RuleSet::fromFile(QString::fromLatin1(detection::kEmbeddedRules), error))
        m_engine = std::make_unique<detection::Engine>(std::move(*rules));
    else
        m_loadError = tr("The rules cannot be read: %1").arg(QString::fromStdString(error));
}

LiveDetectionController::~LiveDetectionController() { m_pool.waitForDone(); }

void LiveDetectionController::finish()
{
    while (m_running || m_pendingSince) {
        m_pool.waitForDone();
        QCoreApplication::sendPostedEvents(this); // deliver the pass's result, which may start the pending one
    }
}

void LiveDetectionController::eventsCommitted(qint64 oldestUtcMs)
{
    if (!m_pendingSince)
        m_pendingClock.start();
    m_pendingSince = m_pendingSince ? std::min(*m_pendingSince, oldestUtcMs) : oldestUtcMs;
    if (!m_running)
        startPass();
}

void LiveDetectionController::startPass()
{
    if (!m_engine || !m_pendingSince)
        return;
    detection::EngineOptions options;
    options.persist = m_session == nullptr;
    options.createIndexes = false; // the writer builds them; this pass must not wait for the write lock
    options.sinceUtcMs = *m_pendingSince; // each rule reads back as far as its own window needs
    QElapsedTimer clock = m_pendingClock;
    m_pendingSince.reset();
    m_running = true;
    QPointer<LiveDetectionController> self(this);
    const std::string path = m_casePath.toStdString();
    detection::Engine* engine = m_engine.get();
    model::LiveSession* session = m_session;
    (void)QtConcurrent::run(&m_pool, [self, engine, session, path, options, clock] {
        std::string error;
        model::AlertSetPtr alerts = engine->run(path, options, nullptr, {}, error);
        auto deliver = [self, clock](model::AlertSetPtr result, std::string why) {
            const double seconds = double(clock.elapsed()) / 1000.0;
            QMetaObject::invokeMethod(self, [self, result, why, seconds] {
                if (!self)
                    return;
                self->m_running = false;
                if (!result)
                    Q_EMIT self->failed(QString::fromStdString(why));
                else
                    self->announce(result, seconds);
                self->startPass(); // what was committed meanwhile
            }, Qt::QueuedConnection);
        };
        if (!alerts || !session) {
            deliver(alerts, error);
            return;
        }
        // Stored by the session's writer; announced once stored, with their case ids.
        session->storeAlerts(std::make_shared<model::AlertSet>(*alerts), engine->rules().version(),
                             [deliver](std::shared_ptr<model::AlertSet> stored, std::string why) {
                                 if (!why.empty())
                                     stored->storeError = why;
                                 deliver(stored, {});
                             });
    });
}

void LiveDetectionController::announce(const model::AlertSetPtr& alerts, double seconds)
{
    auto fresh = std::make_shared<model::AlertSet>();
    for (const model::Alert& a : alerts->alerts) {
        auto [it, added] = m_known.try_emplace(model::alertIdentity(a), a.count);
        if (added || a.count > it->second) {
            it->second = a.count;
            fresh->alerts.push_back(a);
        }
    }
    if (!fresh->alerts.empty())
        Q_EMIT alertsRaised(fresh, seconds);
    if (!alerts->storeError.empty())
        Q_EMIT failed(tr("the alerts could not be stored: %1").arg(QString::fromStdString(alerts->storeError)));
    Q_EMIT passFinished(int(alerts->alerts.size()), seconds);
}

} // namespace dscope::app
