// SPDX-License-Identifier: MIT
#include "eventloaders.h"

#include "storage/database.h"
#include "storage/statement.h"

#include <QElapsedTimer>

#include <sqlite3.h>

#include <cstdlib>

namespace dscope::model {

namespace {
// How far (in chunks) a queued fetch may be from what the view shows now before it is skipped: dragging the
// scroll bar end to end queues hundreds of fetches the user no longer looks at.
constexpr int kFocusWindow = 12;
// The first batch goes out small and fast (first paint); later ones are time-bound so the view receives a few dozen
// insertions instead of thousands of small ones. 60 ms keeps each insertion (vector growth plus QHeaderView's
// sectionsInserted, linear in the rows) near 50 ms on a 5 M-row case; 250 ms batches stalled the GUI ~100 ms.
constexpr size_t kFirstBatch = 2000;
constexpr qint64 kBatchMs = 60;
} // namespace

EventIdWorker::EventIdWorker(std::unique_ptr<Database> db, std::shared_ptr<EventLoadShared> shared)
    : m_db(std::move(db))
    , m_shared(std::move(shared))
{
}

EventIdWorker::~EventIdWorker() = default;

void EventIdWorker::interrupt() { m_db->interrupt(); }

void EventIdWorker::run(const EventFilter& filter, const EventSort& sort, quint64 generation)
{
    if (m_shared->generation.load() != generation)
        return; // superseded before it started
    QElapsedTimer clock;
    clock.start();
    const SqlQuery q = buildIdQuery(filter, sort);
    Statement st(*m_db, q.sql);
    if (!st.isValid()) {
        Q_EMIT idsFinished(generation, 0, 0, QString::fromStdString(m_db->lastError()));
        return;
    }
    for (size_t i = 0; i < q.params.size(); ++i) {
        if (const auto* v = std::get_if<int64_t>(&q.params[i]))
            st.bind(int(i + 1), *v);
        else
            st.bindText(int(i + 1), std::get<std::string>(q.params[i]));
    }
    auto batch = std::make_shared<std::vector<int64_t>>();
    batch->reserve(kFirstBatch);
    qint64 total = 0;
    bool first = true;
    QElapsedTimer sinceEmit;
    sinceEmit.start();
    while (st.next()) {
        batch->push_back(st.columnInt(0));
        if ((batch->size() & 1023) == 0 || first) {
            if (m_shared->generation.load() != generation)
                return;
            const bool due = first ? batch->size() >= kFirstBatch : sinceEmit.elapsed() >= kBatchMs;
            if (due) {
                total += qint64(batch->size());
                Q_EMIT idsAvailable(generation, std::move(batch));
                batch = std::make_shared<std::vector<int64_t>>();
                batch->reserve(1 << 16);
                first = false;
                sinceEmit.restart();
            }
        }
    }
    if (m_shared->generation.load() != generation)
        return; // interrupted on purpose: a newer query replaces this one
    // Database::lastError() keeps the last failure of any earlier statement; ask SQLite about this one.
    const int rc = sqlite3_errcode(m_db->handle());
    const std::string error = (rc == SQLITE_DONE || rc == SQLITE_OK || rc == SQLITE_ROW) ? std::string()
                                                                                          : m_db->lastError();
    if (!batch->empty()) {
        total += qint64(batch->size());
        Q_EMIT idsAvailable(generation, std::move(batch));
    }
    Q_EMIT idsFinished(generation, total, double(clock.nsecsElapsed()) / 1e9, QString::fromStdString(error));
}

EventRowWorker::EventRowWorker(std::unique_ptr<Database> db, std::shared_ptr<EventLoadShared> shared)
    : m_db(std::move(db))
    , m_reader(std::make_unique<EventRowReader>(*m_db))
    , m_shared(std::move(shared))
{
}

EventRowWorker::~EventRowWorker() = default;

void EventRowWorker::fetch(quint64 generation, int chunk, int firstRow, const std::vector<int64_t>& ids)
{
    if (m_shared->generation.load() != generation)
        return;
    if (std::abs(chunk - m_shared->focusChunk.load()) > kFocusWindow) {
        Q_EMIT chunkDropped(generation, chunk);
        return;
    }
    auto rows = std::make_shared<EventRowChunk>();
    rows->first = firstRow;
    m_reader->read(ids, rows->rows);
    Q_EMIT chunkAvailable(generation, chunk, std::move(rows));
}

} // namespace dscope::model
