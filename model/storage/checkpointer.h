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

private:
    void run();

    std::string m_path;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_pending = false;
    bool m_stop = false;
    std::thread m_thread;
};

} // namespace dscope::model
