// SPDX-License-Identifier: MIT
#pragma once

#include "import/importer.h"

#include <QObject>
#include <QThread>

#include <atomic>
#include <memory>

namespace dscope::app {

class ImportWorker;

/// Runs model::Importer on a long-lived worker thread. The importer is blocking and is the case's single writer;
/// progress comes back through queued signals (throttled by the importer to one per 100 ms) and a cancel flag
/// stops it between batches, leaving the case valid.
class ImportController : public QObject
{
    Q_OBJECT
public:
    explicit ImportController(QObject* parent = nullptr);
    ~ImportController() override;

    /// Starts importing `paths` (files or folders) into the case; false while another import runs.
    bool start(const QString& casePath, const std::vector<std::string>& paths);
    void cancel();
    bool isRunning() const { return m_running; }

Q_SIGNALS:
    void progressChanged(const dscope::model::ImportProgress& progress);
    void finished(const dscope::model::ImportSummary& summary);

private:
    QThread m_thread;
    std::unique_ptr<ImportWorker> m_worker;
    std::shared_ptr<std::atomic_bool> m_cancel;
    bool m_running = false;
};

/// The worker side; public only for moc.
class ImportWorker : public QObject
{
    Q_OBJECT
public:
    void run(const std::string& casePath, const std::vector<std::string>& paths,
             std::shared_ptr<std::atomic_bool> cancel);

Q_SIGNALS:
    void progressChanged(const dscope::model::ImportProgress& progress);
    void finished(const dscope::model::ImportSummary& summary);
};

} // namespace dscope::app

Q_DECLARE_METATYPE(dscope::model::ImportProgress)
Q_DECLARE_METATYPE(dscope::model::ImportSummary)
