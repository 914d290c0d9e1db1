// SPDX-License-Identifier: MIT
#include "livedemocontroller.h"

#include "replaysender.h"

#include <QElapsedTimer>

namespace dscope::app {

LiveDemoController::LiveDemoController(QObject* parent) : QObject(parent) {}

LiveDemoController::~LiveDemoController()
{
    blockSignals(true);
    cancel();
}

void LiveDemoController::cancel()
{
    if (m_cancel)
        *m_cancel = true;
    if (m_thread) {
        m_thread->wait();
        m_thread.reset();
    }
}

void LiveDemoController::start(const Options& options)
{
    cancel();
    const quint64 token = ++m_token;
    auto cancelled = std::make_shared<std::atomic_bool>(false);
    m_cancel = cancelled;
    // Generated here as well as on the sender's thread would be twice the work: the key is small, the day is not,
    // so the day is generated once, on the thread, and the key comes back with the first progress.
    m_answerKey.clear();
    m_thread.reset(QThread::create([this, options, token, cancelled] {
        const model::DemoCase demo = model::generateDemoCase(options.demo);
        QMetaObject::invokeMethod(this, [this, token, key = demo.answerKey] {
            if (token == m_token)
                m_answerKey = key;
        }, Qt::QueuedConnection);
        const qint64 total = qint64(demo.lines.size());
        auto report = [this, token](qint64 sent, qint64 total) {
            QMetaObject::invokeMethod(this, [this, token, sent, total] {
                if (token == m_token)
                    Q_EMIT progress(sent, total);
            }, Qt::QueuedConnection);
        };
        ListenSpec to;
        to.kind = ListenSpec::Kind::JsonlTcp;
        to.port = options.port;
        ReplaySender sender(ReplayTarget::JsonlTcp, to, options.rate, std::nullopt);
        QString error;
        QElapsedTimer sinceReport;
        sinceReport.start();
        report(0, total);
        if (sender.connect(error)) {
            for (const std::string& line : demo.lines) {
                if (*cancelled || !sender.send(line, false, error))
                    break;
                if (sinceReport.elapsed() >= 250) {
                    report(sender.sent(), total);
                    sinceReport.restart();
                }
            }
            QString closeError;
            if (!sender.finish(closeError) && error.isEmpty())
                error = closeError;
        }
        report(sender.sent(), total);
        const bool wasCancelled = *cancelled;
        QMetaObject::invokeMethod(this, [this, token, sent = sender.sent(), error, wasCancelled] {
            if (token == m_token)
                Q_EMIT finished(sent, error, wasCancelled);
        }, Qt::QueuedConnection);
    }));
    m_thread->start();
}

} // namespace dscope::app
