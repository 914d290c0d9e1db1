// SPDX-License-Identifier: MIT
#pragma once

#include "domain/alert.h"
#include "processtree.h"

#include <QObject>
#include <QThreadPool>

#include <atomic>
#include <memory>

namespace dscope::model {

/**
 * Builds process trees off the GUI thread. Each load() gets a new generation; a result that arrives after a
 * newer request is dropped, so a slow build for an old case never replaces the tree of the current one.
 */
class ProcessTreeLoader : public QObject
{
    Q_OBJECT
public:
    explicit ProcessTreeLoader(QObject* parent = nullptr);
    /// Cancels the running build and waits for it: the job must not outlive the object it reports to.
    ~ProcessTreeLoader() override;

    /// Starts building the tree of the case at `casePath` (opened read-only on the worker).
    void load(const QString& casePath, AlertSetPtr alerts);
    /// Drops the running build's result.
    void cancel();
    bool isLoading() const { return m_running > 0; }

Q_SIGNALS:
    void treeAvailable(dscope::model::ProcessTreePtr tree, dscope::model::AlertSetPtr alerts, double seconds);
    void loadFailed(const QString& message);

private:
    void deliver(quint64 generation, ProcessTreePtr tree, AlertSetPtr alerts, QString error, double seconds);

    QThreadPool m_pool;
    quint64 m_generation = 0;
    int m_running = 0;
    std::shared_ptr<std::atomic_bool> m_cancel;
};

} // namespace dscope::model
