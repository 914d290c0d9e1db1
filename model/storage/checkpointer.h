// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/qglobal.h>

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace dscope::model {

/**
 * Copies committed WAL frames into the case file on a connection and thread of its own while an import goes on.
 * Without it the writer copies the whole import at its last commit, and the import waits for that copy and its
 * sync; with it that last checkpoint finds only the last batches left.
 *
 * A checkpoint that fails (a full disk, an I/O error, a file size limit on the case file) is kept as failure()
 * for the writer, which stops: what is committed stays in the log, but the case file cannot take it.
 */
class BackgroundCheckpointer
{
    Q_DISABLE_COPY_MOVE(BackgroundCheckpointer)
public:
    explicit BackgroundCheckpointer(std::string casePath);
    /// Stops after the checkpoint in progress, if any.
    ~BackgroundCheckpointer();

    /// The writer has committed: copy what is committed when the thread is free (never blocks the caller).
    void committed();
    /// Why a checkpoint failed, or empty. Once set, no further checkpoint runs.
    std::string failure() const;

private:
    void run();

    std::string m_path;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_pending = false;
    bool m_stop = false;
    std::string m_failure;
    std::thread m_thread;
};

} // namespace dscope::model
