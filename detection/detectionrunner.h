// SPDX-License-Identifier: MIT
#pragma once

#include "engine.h"

#include <QtCore/QObject>

#include <atomic>
#include <memory>

namespace dscope::detection {

/**
 * Runs the engine as a one-shot job on the global thread pool. Every start() gets a new token; results of an
 * older job are dropped, so a case switch or a re-run never shows stale alerts. Signals arrive on the thread
 * owning the runner (queued).
 */
class DetectionRunner : public QObject
{
    Q_OBJECT
public:
    explicit DetectionRunner(std::shared_ptr<const Engine> engine, QObject* parent = nullptr);
    ~DetectionRunner() override;

    /// Starts a run (cancelling any running one) and returns its token.
    quint64 start(const QString& casePath, const EngineOptions& options = {});
    /// Cancels the running job; its results will not be delivered.
    void cancel();
    quint64 currentToken() const { return m_token; }

Q_SIGNALS:
    void alertsAvailable(dscope::model::AlertSetPtr alerts, quint64 token);
    void progressChanged(int percent, const QString& stage, quint64 token);
    void failed(const QString& message, quint64 token);
    /// A job ended without delivering: it was cancelled, or a newer start() superseded it.
    void resultDropped(quint64 token);

private:
    std::shared_ptr<const Engine> m_engine;
    std::shared_ptr<std::atomic_bool> m_cancel;
    quint64 m_token = 0;
};

} // namespace dscope::detection

Q_DECLARE_METATYPE(dscope::model::AlertSetPtr)
