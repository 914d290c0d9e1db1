// SPDX-License-Identifier: MIT
#pragma once

#include "eventquery.h"
#include "eventrow.h"

#include <QObject>

#include <atomic>
#include <memory>
#include <vector>

namespace dscope::model {

class Database;

using EventIdBatch = std::shared_ptr<const std::vector<int64_t>>;

/// State the GUI thread shares with the loaders: the current generation (stale work is dropped by comparing
/// with it) and the chunk the view looked at last (fetches far from it are skipped while the user scrolls).
struct EventLoadShared {
    std::atomic<quint64> generation{0};
    std::atomic<int> focusChunk{0};
};

/**
 * Runs the id query of the event table on its own thread and connection. Ids stream out in batches so the first
 * screen shows while a 5 M row query still runs; a newer generation or Database::interrupt() stops it.
 */
class EventIdWorker : public QObject
{
    Q_OBJECT
public:
    EventIdWorker(std::unique_ptr<Database> db, std::shared_ptr<EventLoadShared> shared);
    ~EventIdWorker() override;

    /// Thread-safe: stops a running query at the next SQLite step.
    void interrupt();
    /// Runs on the worker thread (queued).
    void run(const dscope::model::EventFilter& filter, const dscope::model::EventSort& sort, quint64 generation);

Q_SIGNALS:
    void idsAvailable(quint64 generation, dscope::model::EventIdBatch ids);
    void idsFinished(quint64 generation, qint64 total, double seconds, const QString& error);

private:
    std::unique_ptr<Database> m_db;
    std::shared_ptr<EventLoadShared> m_shared;
};

/// Reads table rows by id on its own thread and connection.
class EventRowWorker : public QObject
{
    Q_OBJECT
public:
    EventRowWorker(std::unique_ptr<Database> db, std::shared_ptr<EventLoadShared> shared);
    ~EventRowWorker() override;

    /// Runs on the worker thread (queued).
    void fetch(quint64 generation, int chunk, int firstRow, const std::vector<int64_t>& ids);

Q_SIGNALS:
    void chunkAvailable(quint64 generation, int chunk, dscope::model::EventRowChunkPtr rows);
    void chunkDropped(quint64 generation, int chunk);

private:
    std::unique_ptr<Database> m_db;
    std::unique_ptr<EventRowReader> m_reader;
    std::shared_ptr<EventLoadShared> m_shared;
};

} // namespace dscope::model

Q_DECLARE_METATYPE(dscope::model::EventIdBatch)
Q_DECLARE_METATYPE(dscope::model::EventRowChunkPtr)
