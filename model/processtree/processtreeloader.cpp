// SPDX-License-Identifier: MIT
#include "processtreeloader.h"

#include "processtreebuilder.h"
#include "storage/database.h"
#include "storage/schema.h"

#include <QElapsedTimer>
#include <QMetaObject>
#include <QThread>

namespace dscope::model {

ProcessTreeLoader::ProcessTreeLoader(QObject* parent)
    : QObject(parent)
{
    // One build at a time: a newer request cancels the older one instead of competing for the two cores.
    m_pool.setMaxThreadCount(1);
}

ProcessTreeLoader::~ProcessTreeLoader()
{
    cancel();
    m_pool.waitForDone();
}

void ProcessTreeLoader::cancel()
{
    ++m_generation;
    if (m_cancel)
        m_cancel->store(true);
    m_cancel.reset();
}

void ProcessTreeLoader::load(const QString& casePath, AlertSetPtr alerts)
{
    Q_ASSERT(QThread::currentThread() == thread());
    cancel();
    const quint64 generation = m_generation;
    auto flag = std::make_shared<std::atomic_bool>(false);
    m_cancel = flag;
    ++m_running;
    const std::string path = casePath.toStdString();
    m_pool.start([this, generation, flag, path, alerts]() {
        QElapsedTimer timer;
        timer.start();
        std::string error;
        ProcessTreePtr tree;
        Database db;
        if (!db.open(path, Database::Mode::ReadOnly))
            error = "cannot open " + path + ": " + db.lastError();
        else if (schema::prepareForReading(db, error))
            tree = buildProcessTree(db, alerts.get(), error, flag.get());
        else
            error = path + ": " + error;
        const double seconds = double(timer.nsecsElapsed()) / 1e9;
        // Queued to the loader's thread; the destructor waits for this job, so `this` is still alive here.
        QMetaObject::invokeMethod(
            this,
            [this, generation, tree, alerts, error, seconds]() {
                deliver(generation, tree, alerts, QString::fromStdString(error), seconds);
            },
            Qt::QueuedConnection);
    });
}

void ProcessTreeLoader::deliver(quint64 generation, ProcessTreePtr tree, AlertSetPtr alerts, QString error,
                                double seconds)
{
    Q_ASSERT(QThread::currentThread() == thread());
    --m_running;
    if (generation != m_generation)
        return; // a newer load() or cancel() came after this build started
    if (tree)
        emit treeAvailable(std::move(tree), std::move(alerts), seconds);
    else
        emit loadFailed(error);
}

} // namespace dscope::model
