// SPDX-License-Identifier: MIT
#include "checkpointer.h"

#include "database.h"

namespace dscope::model {

BackgroundCheckpointer::BackgroundCheckpointer(std::string casePath)
    : m_path(std::move(casePath))
    , m_thread([this] { run(); })
{
}

BackgroundCheckpointer::~BackgroundCheckpointer()
{
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_one();
    m_thread.join();
}

void BackgroundCheckpointer::committed()
{
    {
        std::lock_guard lock(m_mutex);
        m_pending = true;
    }
    m_wake.notify_one();
}

std::string BackgroundCheckpointer::failure() const
{
    std::lock_guard lock(m_mutex);
    return m_failure;
}

void BackgroundCheckpointer::run()
{
    Database db;
    if (!db.open(m_path))
        return; // the writer's own checkpoints still bound the log
    for (;;) {
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [this] { return m_pending || m_stop; });
            if (m_stop)
                return;
            m_pending = false;
        }
        // PASSIVE: copies what no reader still needs, waits for nobody, and never holds up the writer.
        if (!db.checkpoint()) {
            std::lock_guard lock(m_mutex);
            m_failure = db.lastError();
            return;
        }
    }
}

} // namespace dscope::model
