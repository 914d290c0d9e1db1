// SPDX-License-Identifier: MIT
#pragma once

// The hand-over between the importer's parser threads and its single writer: messages, a bounded queue, and the
// sink that batches a parser's records. Internal to the importer (import/importer.cpp).

#include "domain/alert.h"
#include "domain/importreport.h"
#include "ingest/eventsource.h"
#include "storage/rawevent.h"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <variant>
#include <vector>

namespace dscope::model::importpipeline {

constexpr size_t kBatchEvents = 4096;
// An input's first batch is smaller, and each next one twice as big up to kBatchEvents: the writer starts
// on the first events within a millisecond instead of waiting for 4096 of them (7-18 ms at the start of an EVTX
// import, with the writer idle).
constexpr size_t kFirstBatchEvents = 256;
// Bounds memory: parsers wait when the writer falls behind. 4 batches keep both cores busy as well as 8 did on the
// corpus JSON (107k events/s either way) with about 35 MiB less peak RSS.
constexpr size_t kQueueBatches = 4;
// Stored batches kept for their string buffers: each holds some MiB of them, so only a couple.
constexpr size_t kSpareBatches = 2;

struct BeginMsg {
    size_t slot;
    InputReport report;
    int64_t replaceInputId;
};
struct BatchMsg {
    size_t slot;
    std::vector<Event> events;
    std::vector<RawBlock> blocks;
};
struct EndMsg {
    size_t slot;
    InputReport report;
};
/// Alert rows of an input that holds alerts, not events (alertrows.h): stored by the writer with the input.
struct AlertsMsg {
    size_t slot;
    std::vector<Alert> alerts;
};
using Message = std::variant<BeginMsg, BatchMsg, EndMsg, AlertsMsg>;

/// Bounded multi-producer, single-consumer queue between parser threads and the writer.
class MessageQueue
{
public:
    void push(Message&& m, bool bounded)
    {
        std::unique_lock lock(m_mutex);
        m_notFull.wait(lock, [&] { return !bounded || m_items.size() < kQueueBatches || m_aborted; });
        m_items.push_back(std::move(m));
        m_notEmpty.notify_one();
    }
    bool pop(Message& out, const std::function<bool()>& done)
    {
        std::unique_lock lock(m_mutex);
        m_notEmpty.wait(lock, [&] { return !m_items.empty() || done(); });
        if (m_items.empty())
            return false;
        out = std::move(m_items.front());
        m_items.pop_front();
        m_notFull.notify_all();
        return true;
    }
    void wake()
    {
        std::lock_guard lock(m_mutex);
        m_notEmpty.notify_all();
    }
    void abort()
    {
        std::lock_guard lock(m_mutex);
        m_aborted = true;
        m_notFull.notify_all();
    }
    /// The writer gives back a batch it has stored: its events' string buffers serve the next batch, which
    /// spares the allocator (and the kernel's page faults) a few hundred thousand strings per second.
    void recycle(std::vector<Event>&& events)
    {
        std::lock_guard lock(m_mutex);
        if (m_spare.size() < kSpareBatches)
            m_spare.push_back(std::move(events));
    }
    std::vector<Event> spareBatch()
    {
        std::lock_guard lock(m_mutex);
        if (m_spare.empty())
            return {};
        std::vector<Event> v = std::move(m_spare.back());
        m_spare.pop_back();
        return v;
    }

private:
    std::vector<std::vector<Event>> m_spare;
    std::mutex m_mutex;
    std::condition_variable m_notEmpty, m_notFull;
    std::deque<Message> m_items;
    bool m_aborted = false;
};

/// Collects a parser's records into batches for the writer; counts what was skipped.
class BatchingSink : public RecordSink
{
public:
    BatchingSink(MessageQueue& queue, size_t slot, InputReport& report, const std::atomic_bool* cancel,
                 const std::atomic_bool& writeFailed)
        : m_queue(queue)
        , m_slot(slot)
        , m_report(report)
        , m_cancel(cancel)
        , m_writeFailed(writeFailed)
    {
        m_batch.reserve(kBatchEvents);
    }
    void add(Event&& event) override
    {
        if (event.position != kNoValue)
            event.position += m_positionOffset;
        if (m_shared >= 0) {
            if (event.raw.empty() && event.rawFormat == m_blocks[size_t(m_shared)].format)
                event.rawBlock = m_shared;
            else
                m_shared = -1; // another source's events: the block has all of its own
        }
        // The raw bytes go into the open block now, while they are in cache, and the caller keeps the buffer
        // they came in: parsers write every event's raw into the same buffer instead of allocating one per event.
        m_packer.add(event, m_blocks);
        if (m_used == m_batch.size())
            m_batch.emplace_back();
        swap(m_batch[m_used], event); // the caller gets a stored event's buffers back
        m_batch[m_used].raw.swap(event.raw);
        ++m_used;
        ++m_report.events;
        // Events of a shared block go to the writer in the same batch as the block.
        if (m_used >= m_limit && m_shared < 0)
            flush();
    }
    void addSharedRaw(RawBlock&& block) override
    {
        if (m_used >= m_limit)
            flush();
        m_packer.finish(m_blocks); // its events refer to the index it gets now
        m_shared = int64_t(m_blocks.size());
        m_blocks.push_back(std::move(block));
    }
    void skip(int64_t position, std::string reason) override
    {
        ++m_report.skipped;
        addIssue(position, std::move(reason));
    }
    void warn(int64_t position, std::string message) override
    {
        ++m_report.warnings;
        addIssue(position, std::move(message), true);
    }
    void noteRecovered() override { ++m_report.recovered; }
    bool cancelled() const override
    {
        return (m_cancel && m_cancel->load(std::memory_order_relaxed)) || m_writeFailed.load(std::memory_order_relaxed);
    }

    void addIssue(int64_t position, std::string message, bool warning = false)
    {
        ++m_report.issueCount;
        if (m_report.issues.size() < kMaxImportIssues)
            m_report.issues.push_back({position, std::move(message), warning});
    }
    void flush()
    {
        if (m_used == 0)
            return;
        m_batch.resize(m_used);
        // Compressing here keeps the work on the parser threads, in parallel, and off the single writer.
        m_packer.finish(m_blocks);
        std::vector<RawBlock> blocks = std::move(m_blocks);
        m_blocks = {};
        m_shared = -1;
        m_queue.push(BatchMsg{m_slot, std::move(m_batch), std::move(blocks)}, true);
        m_batch = m_queue.spareBatch();
        m_used = 0;
        m_batch.reserve(kBatchEvents);
        m_limit = std::min(kBatchEvents, 2 * m_limit);
    }
    /// Archive members after the first get their own position range, so positions stay unique per input.
    void setMember(int64_t ordinal) { m_positionOffset = ordinal << 40; }

private:
    MessageQueue& m_queue;
    size_t m_slot;
    InputReport& m_report;
    const std::atomic_bool* m_cancel;
    const std::atomic_bool& m_writeFailed; // the writer stopped: parsing on would store nothing
    std::vector<Event> m_batch;     // the first m_used are this batch's; the rest are recycled buffers
    size_t m_used = 0;
    size_t m_limit = kFirstBatchEvents; // events that make this batch full
    std::vector<RawBlock> m_blocks; // this batch's blocks: shared ones (addSharedRaw) and the packer's
    int64_t m_shared = -1;          // the one the next events point into
    RawBlockPacker m_packer;
    int64_t m_positionOffset = 0;
};

} // namespace dscope::model::importpipeline
