// SPDX-License-Identifier: MIT
#pragma once

#include "demo/demogenerator.h"

#include <QObject>
#include <QThread>

#include <atomic>
#include <memory>

namespace dscope::app {

/**
 * The live demonstration: the simulated working day (the demo case's generator) sent as a live JSON-lines feed to a
 * listener of the workbench, at the pace the instructor chose, so that a class watches the alerts appear as the
 * attack unfolds. Generation and sending run on a thread of their own; the GUI gets progress every quarter second
 * and one finished() at the end (or on cancel, or when the listener goes away).
 */
class LiveDemoController : public QObject
{
    Q_OBJECT
public:
    struct Options {
        quint16 port = 0;          ///< a jsonl-tcp listener on 127.0.0.1
        double rate = 1000;        ///< events per second; 0: as fast as the listener takes them
        model::DemoOptions demo;   ///< the day to replay (the built-in demo case's by default)
    };

    explicit LiveDemoController(QObject* parent = nullptr);
    /// Cancels and waits for the sender.
    ~LiveDemoController() override;

    void start(const Options& options);
    void cancel();
    bool isRunning() const { return m_thread != nullptr && m_thread->isRunning(); }
    /// What the replayed day must raise (valid once started).
    const std::vector<model::ExpectedAlert>& answerKey() const { return m_answerKey; }

Q_SIGNALS:
    void progress(qint64 sent, qint64 total);
    /// error is empty when every event went out; cancelled tells a stop asked for from a failure.
    void finished(qint64 sent, const QString& error, bool cancelled);

private:
    std::unique_ptr<QThread> m_thread;
    std::shared_ptr<std::atomic_bool> m_cancel;
    std::vector<model::ExpectedAlert> m_answerKey;
    quint64 m_token = 0;
};

} // namespace dscope::app
