// SPDX-License-Identifier: MIT
#include "importcontroller.h"

namespace dscope::app {

ImportController::ImportController(QObject* parent)
    : QObject(parent)
    , m_worker(std::make_unique<ImportWorker>())
{
    qRegisterMetaType<model::ImportProgress>();
    qRegisterMetaType<model::ImportSummary>();
    m_thread.setObjectName(QStringLiteral("import"));
    m_worker->moveToThread(&m_thread);
    connect(m_worker.get(), &ImportWorker::progressChanged, this, &ImportController::progressChanged);
    connect(m_worker.get(), &ImportWorker::finished, this, [this](const model::ImportSummary& summary) {
        Q_ASSERT(QThread::currentThread() == thread());
        m_running = false;
        Q_EMIT finished(summary);
    });
    m_thread.start();
}

ImportController::~ImportController()
{
    cancel();
    m_thread.quit();
    m_thread.wait(); // the importer stops at its next batch once cancelled
    m_worker.reset();
}

bool ImportController::start(const QString& casePath, const std::vector<std::string>& paths)
{
    if (m_running)
        return false;
    m_running = true;
    m_cancel = std::make_shared<std::atomic_bool>(false);
    QMetaObject::invokeMethod(
        m_worker.get(),
        [w = m_worker.get(), path = casePath.toStdString(), paths, cancel = m_cancel] { w->run(path, paths, cancel); },
        Qt::QueuedConnection);
    return true;
}

void ImportController::cancel()
{
    if (m_cancel)
        m_cancel->store(true);
}

void ImportWorker::run(const std::string& casePath, const std::vector<std::string>& paths,
                       std::shared_ptr<std::atomic_bool> cancel)
{
    model::Importer importer(casePath);
    const model::ImportSummary summary = importer.run(
        paths, [this](const model::ImportProgress& p) { Q_EMIT progressChanged(p); }, cancel.get());
    Q_EMIT finished(summary);
}

} // namespace dscope::app
