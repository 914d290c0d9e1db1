// SPDX-License-Identifier: MIT
#include "livesession.h"

#include "domain/importreport.h"
#include "ingest/inputbytes.h"
#include "storage/alertstore.h"
#include "storage/casewriter.h"
#include "storage/rawevent.h"

#include <QUuid>

#include <algorithm>
#include <chrono>

namespace dscope::model {

using Clock = std::chrono::steady_clock;

struct LiveSession::Batch {
    int feed = 0;
    std::vector<Event> events;
    Ack ack;
};

struct LiveSession::AlertJob {
    std::shared_ptr<AlertSet> alerts;
    int version = 0;
    std::function<void(std::shared_ptr<AlertSet>, std::string)> done;
};

struct LiveSession::Feed {
    FeedStats stats;
    InputReport report;        ///< the input row: name, protocol, the first reasons
    int64_t inputId = -1;
    bool closeRequested = false;
    bool finished = false;
    std::mutex hashMutex;      ///< the digest is fed on the feed's own thread
    Sha256Stream sha;
    int64_t bytes = 0;
};

LiveSession::LiveSession(std::string casePath) : LiveSession(std::move(casePath), Options{}) {}

LiveSession::LiveSession(std::string casePath, Options options) : m_path(std::move(casePath)), m_options(options) {}

LiveSession::~LiveSession() { stop(); }

bool LiveSession::start(std::string& error)
{
    m_writer = std::make_unique<CaseWriter>(m_path);
    if (!m_writer->open()) {
        error = m_writer->error();
        m_writer.reset();
        return false;
    }
    m_running = true;
    m_thread = std::thread([this] { run(); });
    return true;
}

void LiveSession::stop()
{
    {
        std::lock_guard lock(m_mutex);
        if (!m_thread.joinable())
            return;
        m_stopping = true;
        for (auto& f : m_feeds)
            f->closeRequested = true;
    }
    m_wake.notify_all();
    m_space.notify_all();
    m_thread.join();
    if (m_writer)
        m_writer->close();
    m_running = false;
}

void LiveSession::flush()
{
    std::unique_lock lock(m_mutex);
    if (!m_thread.joinable())
        return;
    m_flushRequested = true;
    m_wake.notify_one();
    m_space.wait(lock, [&] { return (m_queue.empty() && m_writerHolds == 0) || !m_running; });
    m_flushRequested = false;
}

int LiveSession::openFeed(const std::string& protocol, const std::string& listener, const std::string& peer)
{
    auto feed = std::make_unique<Feed>();
    feed->stats.protocol = protocol;
    feed->stats.peer = peer;
    feed->stats.name = protocol + " " + listener + (peer.empty() ? std::string() : " from " + peer);
    feed->report.path = feed->stats.name;
    feed->report.format = protocol;
    // Unique until the feed ends, when the digest of every message it received replaces it.
    feed->report.sha256 = "live-" + QUuid::createUuid().toString(QUuid::WithoutBraces).toStdString();
    std::lock_guard lock(m_mutex);
    feed->stats.id = int(m_feeds.size());
    m_feeds.push_back(std::move(feed));
    return int(m_feeds.size()) - 1;
}

void LiveSession::submit(int feedId, std::vector<Event>&& events, int64_t messages, std::string_view bytes, Ack ack)
{
    Feed* feed = nullptr;
    {
        std::lock_guard lock(m_mutex);
        feed = m_feeds.at(size_t(feedId)).get();
    }
    {
        std::lock_guard lock(feed->hashMutex);
        feed->sha.add(bytes);
        feed->bytes += int64_t(bytes.size());
    }
    std::unique_lock lock(m_mutex);
    feed->stats.received += messages;
    if (!m_running || !m_failure.empty()) {
        lock.unlock();
        if (ack)
            ack(false);
        return;
    }
    // Back-pressure: wait for room rather than hold an unbounded queue.
    m_space.wait(lock, [&] { return m_queued < m_options.queueEvents || m_stopping || !m_failure.empty(); });
    const int64_t n = int64_t(events.size());
    m_queue.push_back(Batch{feedId, std::move(events), std::move(ack)});
    m_queued += n;
    m_peakQueued = std::max(m_peakQueued, m_queued);
    lock.unlock();
    m_wake.notify_one();
}

void LiveSession::storeAlerts(std::shared_ptr<AlertSet> alerts, int ruleSetVersion,
                              std::function<void(std::shared_ptr<AlertSet>, std::string)> done)
{
    {
        std::lock_guard lock(m_mutex);
        if (m_thread.joinable() && m_running) {
            m_alertJobs.push_back({std::move(alerts), ruleSetVersion, std::move(done)});
            m_wake.notify_one();
            return;
        }
    }
    done(std::move(alerts), "the live session has stopped");
}

void LiveSession::reject(int feedId, int64_t position, const std::string& reason, std::string_view bytes)
{
    std::lock_guard lock(m_mutex);
    Feed& f = *m_feeds.at(size_t(feedId));
    ++f.stats.received;
    ++f.stats.rejected;
    f.bytes += int64_t(bytes.size());
    if (f.report.issues.size() < kMaxImportIssues)
        f.report.issues.push_back({position, reason, false});
    ++f.report.issueCount;
    if (f.stats.reasons.size() < 20)
        f.stats.reasons.push_back((position >= 0 ? "at " + std::to_string(position) + ": " : std::string()) + reason);
    m_wake.notify_one(); // the writer gives the feed its input row, so that the reason is in the case
}

void LiveSession::noteLost(int feedId, int64_t count)
{
    std::lock_guard lock(m_mutex);
    m_feeds.at(size_t(feedId))->stats.lost += count;
}

void LiveSession::setLayout(int feedId, const std::string& layout)
{
    std::lock_guard lock(m_mutex);
    Feed& f = *m_feeds.at(size_t(feedId));
    if (f.stats.layout != layout) {
        f.stats.layout = layout;
        f.report.layout = f.report.layout.empty() ? layout
                          : f.report.layout.find(layout) == std::string::npos ? f.report.layout + "+" + layout
                                                                               : f.report.layout;
    }
}

void LiveSession::closeFeed(int feedId)
{
    {
        std::lock_guard lock(m_mutex);
        m_feeds.at(size_t(feedId))->closeRequested = true;
        m_feeds.at(size_t(feedId))->stats.open = false;
    }
    m_wake.notify_one();
}

std::vector<FeedStats> LiveSession::stats() const
{
    std::lock_guard lock(m_mutex);
    std::vector<FeedStats> out;
    for (const auto& f : m_feeds)
        out.push_back(f->stats);
    return out;
}

int64_t LiveSession::queuedEvents() const
{
    std::lock_guard lock(m_mutex);
    return m_queued;
}

int64_t LiveSession::peakQueuedEvents() const
{
    std::lock_guard lock(m_mutex);
    return m_peakQueued;
}

std::string LiveSession::failure() const
{
    std::lock_guard lock(m_mutex);
    return m_failure;
}

void LiveSession::run()
{
    RawBlockPacker packer;
    std::vector<Batch> uncommitted; // stored, waiting for their commit (events already handed to the writer)
    int64_t pending = 0;
    int64_t oldest = 0, newest = 0;
    // "No commit due": far away but finite (a wait until time_point::max() overflows in some libraries).
    const auto never = [] { return Clock::now() + std::chrono::hours(24); };
    Clock::time_point deadline = never();
    bool armed = false; // a commit is due at deadline
    for (;;) {
        std::deque<Batch> work;
        bool stopping = false;
        std::vector<std::pair<Feed*, bool>> feeds; // feeds that need an input row or their end written
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait_until(lock, deadline, [&] {
                return !m_queue.empty() || !m_alertJobs.empty() || m_stopping || m_flushRequested || Clock::now() >= deadline;
            });
            work.swap(m_queue);
            for (const Batch& b : work)
                m_writerHolds += int64_t(b.events.size());
            m_queued = 0;
            stopping = m_stopping;
            for (auto& f : m_feeds)
                if (!f->finished && ((f->inputId < 0 && f->stats.rejected > 0) || f->closeRequested))
                    feeds.emplace_back(f.get(), f->closeRequested);
        }
        m_space.notify_all();
        bool failed = m_writer->failed();
        auto ensureInput = [&](Feed& f) {
            if (f.inputId >= 0 || failed)
                return;
            InputReport report;
            {
                std::lock_guard lock(m_mutex);
                report = f.report;
            }
            f.inputId = m_writer->beginInput(report);
            failed = f.inputId < 0;
        };
        for (Batch& b : work) {
            Feed& f = *m_feeds[size_t(b.feed)];
            ensureInput(f);
            if (!failed && !b.events.empty()) {
                for (const Event& e : b.events) {
                    if (e.utcMs == kNoValue)
                        continue;
                    oldest = oldest == 0 ? e.utcMs : std::min(oldest, e.utcMs);
                    newest = std::max(newest, e.utcMs);
                }
                std::vector<RawBlock> blocks;
                packer.pack(b.events, blocks);
                failed = !m_writer->insert(f.inputId, b.events, blocks);
                pending += int64_t(b.events.size());
            }
            b.events = {};
            if (pending > 0 && !armed) {
                deadline = Clock::now() + std::chrono::milliseconds(m_options.commitMs);
                armed = true;
            }
            uncommitted.push_back(std::move(b));
        }
        for (auto& [feed, closing] : feeds) {
            ensureInput(*feed);
            if (closing && !failed) {
                InputReport report;
                {
                    std::lock_guard lock(m_mutex);
                    report = feed->report;
                    report.skipped = feed->stats.rejected;
                }
                {
                    std::lock_guard lock(feed->hashMutex);
                    report.sha256 = feed->sha.finish();
                    report.size = feed->bytes;
                }
                failed = !m_writer->finishInput(feed->inputId, report, InputStatus::Complete);
                feed->finished = true;
                deadline = Clock::now(); // the end of a feed is written at once
                armed = true;
            }
        }
        // A sender waiting for its answer (a bulk request) is not kept waiting once the queue is drained.
        bool queueEmpty = false;
        {
            std::lock_guard lock(m_mutex);
            queueEmpty = m_queue.empty();
        }
        std::deque<AlertJob> alertJobs;
        {
            std::lock_guard lock(m_mutex);
            alertJobs.swap(m_alertJobs);
        }
        // Alerts are written between transactions: what waits is committed first.
        bool flushing = false;
        {
            std::lock_guard lock(m_mutex);
            flushing = m_flushRequested;
        }
        const bool waiting = flushing || (queueEmpty && std::any_of(uncommitted.begin(), uncommitted.end(), [](const Batch& b) { return bool(b.ack); }))
                             || !alertJobs.empty();
        const bool due = pending >= m_options.commitEvents || Clock::now() >= deadline || stopping || waiting;
        if (failed || (due && (pending > 0 || !uncommitted.empty() || !feeds.empty()))) {
            const bool ok = !failed && m_writer->commit();
            for (Batch& b : uncommitted)
                if (b.ack)
                    b.ack(ok);
            uncommitted.clear();
            {
                std::lock_guard lock(m_mutex);
                m_writerHolds = 0; // committed, or lost with the failed transaction
                for (auto& f : m_feeds)
                    if (f->inputId >= 0)
                        f->stats.stored = m_writer->committedEvents(f->inputId);
                if (!ok && m_failure.empty())
                    m_failure = m_writer->error();
            }
            if (ok && pending > 0) {
                m_totalStored += pending;
                if (m_onCommit)
                    m_onCommit(LiveCommit{pending, oldest, newest, m_totalStored.load()});
            }
            pending = oldest = newest = 0;
            deadline = never();
            armed = false;
            m_space.notify_all(); // a flush() may be waiting for this commit
            if (!ok) {
                // Nothing more can be stored: what waits in the queue is answered as lost, and so is what comes.
                std::deque<Batch> rest;
                {
                    std::lock_guard lock(m_mutex);
                    rest.swap(m_queue);
                    m_queued = 0;
                }
                for (Batch& b : rest)
                    if (b.ack)
                        b.ack(false);
                m_running = false;
                m_space.notify_all();
            }
        }
        for (AlertJob& job : alertJobs) {
            std::string error;
            if (failed || !m_writer || m_writer->failed())
                error = "the case cannot be written";
            else if (!alertstore::merge(m_writer->database(), *job.alerts, {}, job.version,
                                        std::chrono::duration_cast<std::chrono::milliseconds>(
                                            std::chrono::system_clock::now().time_since_epoch()).count(),
                                        error) && error.empty())
                error = "storing the alerts failed";
            job.done(std::move(job.alerts), std::move(error));
        }
        if (stopping || !m_running) {
            std::lock_guard lock(m_mutex);
            if (m_queue.empty())
                break;
        }
    }
    // Passes that asked too late: answered, not forgotten.
    std::deque<AlertJob> late;
    {
        std::lock_guard lock(m_mutex);
        late.swap(m_alertJobs);
    }
    for (AlertJob& job : late)
        job.done(std::move(job.alerts), "the live session has stopped");
}

} // namespace dscope::model
