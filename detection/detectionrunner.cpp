// SPDX-License-Identifier: MIT
#include "detectionrunner.h"

#include <QtConcurrent/QtConcurrentRun>
#include <QtCore/QElapsedTimer>
#include <QtCore/QMetaObject>
#include <QtCore/QPointer>
#include <QtCore/QThreadPool>

namespace dscope::detection {

DetectionRunner::DetectionRunner(std::shared_ptr<const Engine> engine, QObject* parent)
    : QObject(parent), m_engine(std::move(engine))
{
    qRegisterMetaType<dscope::model::AlertSetPtr>("dscope::model::AlertSetPtr");
}

DetectionRunner::~DetectionRunner() { cancel(); }

void DetectionRunner::cancel()
{
    if (m_cancel)
        m_cancel->store(true);
    m_cancel.reset();
}

quint64 DetectionRunner::start(const QString& casePath, const EngineOptions& options)
{
    cancel();
    const quint64 token = ++m_token;
    auto cancelFlag = std::make_shared<std::atomic_bool>(false);
    m_cancel = cancelFlag;
    QPointer<DetectionRunner> self(this);
    const std::shared_ptr<const Engine> engine = m_engine;
    const std::string path = casePath.toStdString();
    // The job holds the engine and the flag by shared_ptr, so it may outlive the runner safely; results are
    // posted back only while the runner exists and the token is still current.
    (void)QtConcurrent::run(QThreadPool::globalInstance(), [self, engine, cancelFlag, path, options, token] {
        QElapsedTimer throttle;
        throttle.start();
        auto progress = [&](int percent, const std::string& stage) {
            if (percent != 100 && throttle.elapsed() < 100 && percent != 0)
                return; // at most ~10 updates a second
            throttle.restart();
            const QString text = QString::fromStdString(stage);
            QMetaObject::invokeMethod(self, [self, percent, text, token] {
                if (self && self->m_token == token)
                    Q_EMIT self->progressChanged(percent, text, token);
            }, Qt::QueuedConnection);
        };
        std::string error;
        model::AlertSetPtr result = engine->run(path, options, cancelFlag.get(), progress, error);
        const bool cancelled = cancelFlag->load();
        QMetaObject::invokeMethod(self, [self, result, error, token, cancelled] {
            if (!self)
                return;
            if (cancelled || self->m_token != token) {
                Q_EMIT self->resultDropped(token); // a newer job started, or this one was cancelled
                return;
            }
            if (result)
                Q_EMIT self->alertsAvailable(result, token);
            else
                Q_EMIT self->failed(QString::fromStdString(error), token);
        }, Qt::QueuedConnection);
    });
    return token;
}

} // namespace dscope::detection
