// SPDX-License-Identifier: MIT
#pragma once

#include "domain/alert.h"
#include "domain/event.h"

#include <QtCore/qglobal.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace dscope::model {

class CaseWriter;

/// What one feed (a listener and one sender) has delivered, as the case holds it.
struct FeedStats {
    int id = 0;
    std::string name;         ///< "syslog-tcp 127.0.0.1:5514 from 127.0.0.1:40211"
    std::string protocol;     ///< "syslog-tcp", "syslog-udp", "jsonl-tcp", "bulk", "follow"
    std::string peer;
    std::string layout;       ///< of the last decoded message
    int64_t received = 0;     ///< messages taken off the wire
    int64_t stored = 0;       ///< events in committed transactions
    int64_t rejected = 0;     ///< messages that are no event, or over the size limit
    int64_t lost = 0;         ///< detectable gaps (UDP: record ids that never arrived)
    std::vector<std::string> reasons; ///< the first rejections, with position
    std::string lastError;
    bool open = true;
};

/// One commit's worth of news for incremental detection.
struct LiveCommit {
    int64_t events = 0;       ///< stored by this commit
    int64_t oldestUtcMs = 0;  ///< the oldest event time among them
    int64_t newestUtcMs = 0;
    int64_t totalStored = 0;  ///< over every feed since start
};

/**
 * The single writer of a case fed live: feeds (listener threads) hand it decoded events; its own thread stores them
 * through a CaseWriter, one input row per feed, and commits when 8,192 events are waiting or the oldest has waited
 * 250 ms, or at once when the queue is drained and a sender waits for its answer. Only after that commit is a batch's acknowledgement called (a bulk request answers then; a kill before
 * it loses nothing acknowledged). submit() blocks while the queue holds its limit of events: a feed that waits
 * stops reading its socket, and TCP slows the sender (back-pressure) instead of memory growing.
 */
class LiveSession
{
    Q_DISABLE_COPY_MOVE(LiveSession)
public:
    struct Options {
        int64_t commitEvents = 8192;
        int commitMs = 250;
        int64_t queueEvents = 16384; ///< events waiting before submit() blocks: two commits, so latency stays low
    };
    using Ack = std::function<void(bool stored)>;
    using CommitFn = std::function<void(const LiveCommit&)>;

    explicit LiveSession(std::string casePath);
    LiveSession(std::string casePath, Options options);
    /// Stops (committing what is queued) if still running.
    ~LiveSession();

    /// Opens the case for writing and starts the writer thread. False with error when the case cannot be written.
    bool start(std::string& error);
    /// Commits what is queued, finishes every feed's input row and closes the case. Idempotent.
    void stop();
    /// Returns once everything submitted so far is committed (or lost to a failure); the session goes on.
    void flush();
    bool running() const { return m_running.load(); }

    /// A new feed: its input row is written with its first events. Thread-safe.
    int openFeed(const std::string& protocol, const std::string& listener, const std::string& peer);
    /// Decoded events of a feed, with the bytes they came from (for the feed's SHA-256 and size); `ack` runs on the
    /// writer thread once they are committed (true) or lost to a write failure (false). Blocks while the queue is
    /// full. Thread-safe.
    void submit(int feed, std::vector<Event>&& events, int64_t messages, std::string_view bytes, Ack ack = {});
    /// A message that is no event: counted, its reason kept (the first hundred). Thread-safe.
    void reject(int feed, int64_t position, const std::string& reason, std::string_view bytes = {});
    void noteLost(int feed, int64_t count);
    void setLayout(int feed, const std::string& layout);
    /// The sender went away: its input row is finished with the next commit.
    void closeFeed(int feed);

    /**
     * Stores a detection pass's alerts in the case on the writer thread, between two commits (one writer: a pass
     * that wrote itself would wait for the write lock the feeds keep busy). Alerts keep their identity and triage;
     * none is marked stale. `done` runs on the writer thread with the alerts' case ids filled in, or an error.
     */
    void storeAlerts(std::shared_ptr<AlertSet> alerts, int ruleSetVersion,
                     std::function<void(std::shared_ptr<AlertSet>, std::string error)> done);

    /// Called on the writer thread after each commit that stored events (set before start()).
    void setCommitListener(CommitFn fn) { m_onCommit = std::move(fn); }
    std::vector<FeedStats> stats() const;
    int64_t storedEvents() const { return m_totalStored.load(); }
    /// Events waiting in the queue (not yet handed to the writer).
    int64_t queuedEvents() const;
    /// The most events that ever waited at once: the queue's limit plus at most one batch per feed.
    int64_t peakQueuedEvents() const;
    /// Why writing stopped (a full disk, an I/O error), or empty.
    std::string failure() const;

private:
    struct Batch;
    struct Feed;
    struct AlertJob;
    void run();
    bool commitNow(int64_t& pendingEvents, std::vector<Batch>& uncommitted);
    void finishClosedFeeds(bool all);

    std::string m_path;
    Options m_options;
    std::unique_ptr<CaseWriter> m_writer;
    std::thread m_thread;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;     ///< the writer: work arrived or stop
    std::condition_variable m_space;    ///< the feeds: the queue has room again
    std::deque<Batch> m_queue;
    std::deque<AlertJob> m_alertJobs;
    int64_t m_queued = 0;
    int64_t m_peakQueued = 0;
    std::vector<std::unique_ptr<Feed>> m_feeds;
    std::atomic_bool m_running{false};
    bool m_stopping = false;
    bool m_flushRequested = false;
    int64_t m_writerHolds = 0;          ///< events handed to the writer and not yet committed
    std::atomic<int64_t> m_totalStored{0};
    std::string m_failure;
    CommitFn m_onCommit;
};

} // namespace dscope::model
