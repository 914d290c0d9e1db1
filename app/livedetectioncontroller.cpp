// SPDX-License-Identifier: MIT
#include "livedetectioncontroller.h"

#include "engine.h"
#include "ruleset.h"

#include <QCoreApplication>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

namespace dscope::app {

LiveDetectionController::LiveDetectionController(const QString& casePath, QObject* parent)
    : QObject(parent), m_casePath(casePath)
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
    options.persist = true;
    options.createIndexes = false; // the writer builds them; this pass must not wait for the write lock
    // A second more than the longest window: times of different logs are not exactly in step.
    options.sinceUtcMs = *m_pendingSince - m_engine->rules().longestWindowMs() - 1000;
    QElapsedTimer clock = m_pendingClock;
    m_pendingSince.reset();
    m_running = true;
    QPointer<LiveDetectionController> self(this);
    const std::string path = m_casePath.toStdString();
    detection::Engine* engine = m_engine.get();
    (void)QtConcurrent::run(&m_pool, [self, engine, path, options, clock] {
        std::string error;
        model::AlertSetPtr alerts = engine->run(path, options, nullptr, {}, error);
        const double seconds = double(clock.elapsed()) / 1000.0;
        QMetaObject::invokeMethod(self, [self, alerts, error, seconds] {
            if (!self)
                return;
            self->m_running = false;
            if (!alerts) {
                Q_EMIT self->failed(QString::fromStdString(error));
            } else {
                auto fresh = std::make_shared<model::AlertSet>();
                for (const model::Alert& a : alerts->alerts) {
                    auto [it, added] = self->m_known.try_emplace(model::alertIdentity(a), a.count);
                    if (added || a.count > it->second) {
                        it->second = a.count;
                        fresh->alerts.push_back(a);
                    }
                }
                if (!fresh->alerts.empty())
                    Q_EMIT self->alertsRaised(fresh, seconds);
                Q_EMIT self->passFinished(int(alerts->alerts.size()), seconds);
            }
            self->startPass(); // what was committed meanwhile
        }, Qt::QueuedConnection);
    });
}

} // namespace dscope::app
