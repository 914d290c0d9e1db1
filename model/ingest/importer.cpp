// SPDX-License-Identifier: MIT
#include "importer.h"

#include "archivereader.h"
#include "inputbytes.h"
#include "storage/checkpointer.h"
#include "storage/database.h"
#include "storage/eventwriter.h"
#include "storage/rawevent.h"
#include "storage/schema.h"
#include "storage/statement.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QLoggingCategory>

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <variant>

Q_LOGGING_CATEGORY(lcIngest, "dscope.model.ingest")

namespace dscope::model {

namespace {

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
// A pipe or device is read into memory whole (it can be read only once, and the fingerprint comes first).
constexpr int64_t kMaxStreamBytes = int64_t(4) << 30;

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
using Message = std::variant<BeginMsg, BatchMsg, EndMsg>;

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
    BatchingSink(MessageQueue& queue, size_t slot, InputReport& report, const std::atomic_bool* cancel)
        : m_queue(queue)
        , m_slot(slot)
        , m_report(report)
        , m_cancel(cancel)
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
    bool cancelled() const override { return m_cancel && m_cancel->load(std::memory_order_relaxed); }

    void addIssue(int64_t position, std::string message, bool warning = false)
    {
        ++m_report.issueCount;
        if (m_report.issues.size() < Importer::kMaxIssues)
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
    std::vector<Event> m_batch;     // the first m_used are this batch's; the rest are recycled buffers
    size_t m_used = 0;
    size_t m_limit = kFirstBatchEvents; // events that make this batch full
    std::vector<RawBlock> m_blocks; // this batch's blocks: shared ones (addSharedRaw) and the packer's
    int64_t m_shared = -1;          // the one the next events point into
    RawBlockPacker m_packer;
    int64_t m_positionOffset = 0;
};

/// Lowers the calling parser thread's scheduling weight (Linux nice 10). Two parsers and the writer share two
/// cores; the writer is usually the slower stage, and a parser that keeps running while the writer waits for a core
/// only fills the queue sooner. Measured on the corpus: EVTX 0.175 -> 0.163 s, JSON 2.05 -> 1.95 s.
void yieldToTheWriter()
{
    setpriority(PRIO_PROCESS, id_t(gettid()), 10);
}

std::string engineName(EvtxEngine e) { return e == EvtxEngine::Native ? "native" : "libevtx"; }

/// Reads one non-archive input through its source. Returns false when the input could not be read at all.
bool readWithSource(InputBytes& bytes, const SourceOptions& options, BatchingSink& sink, InputReport& report,
                    std::string& formatOut, std::string& layoutOut, std::string& error)
{
    const InputFormat format = sniffFormat(bytes);
    formatOut = formatName(format);
    auto source = makeSource(format, options);
    if (!source) {
        if (format == InputFormat::Unknown && bytes.head(1).empty())
            error = "empty: there are no bytes to read";
        else
            error = format == InputFormat::Unknown ? "not a recognised event log format (EVTX, XML, JSON or archive)"
                                                   : std::string("nested ") + formatName(format) + " archives are not read";
        return false;
    }
    if (format == InputFormat::Evtx)
        report.engine = engineName(options.evtxEngine);
    const bool ok = source->read(bytes, sink, error);
    layoutOut = source->layout();
    return ok;
}

} // namespace

const char* statusName(InputReport::Status s)
{
    switch (s) {
    case InputReport::Status::Imported: return "imported";
    case InputReport::Status::Duplicate: return "duplicate";
    case InputReport::Status::Failed: return "failed";
    case InputReport::Status::Cancelled: return "cancelled";
    }
    return "?";
}

std::vector<std::string> expandPaths(const std::vector<std::string>& paths)
{
    std::vector<std::string> out;
    for (const auto& p : paths) {
        const QString path = QString::fromStdString(p);
        const QFileInfo info(path);
        if (!info.isDir()) {
            out.push_back(p);
            continue;
        }
        std::vector<std::string> found;
        QDirIterator it(path, QDir::Files | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            it.next();
            if (!it.fileName().startsWith(QLatin1Char('.')))
                found.push_back(it.filePath().toStdString());
        }
        std::sort(found.begin(), found.end());
        out.insert(out.end(), found.begin(), found.end());
    }
    return out;
}

Importer::Importer(std::string casePath, ImportOptions options)
    : m_casePath(std::move(casePath))
    , m_options(options)
{
}

Importer::~Importer() = default;

ImportSummary Importer::run(const std::vector<std::string>& paths, const ProgressFn& progress,
                            const std::atomic_bool* cancel)
{
    QElapsedTimer clock;
    clock.start();
    ImportSummary summary;

    Database db;
    std::string error;
    if (!db.open(m_casePath) || !schema::prepareForWriting(db, error)) {
        summary.fatal = "cannot open case " + m_casePath + ": " + (error.empty() ? db.lastError() : error);
        return summary;
    }
    EventWriter writer(db);
    if (!writer.isValid()) {
        summary.fatal = "cannot prepare the case for writing: " + writer.lastError();
        return summary;
    }

    const std::vector<std::string> files = expandPaths(paths);
    summary.inputs.resize(files.size());
    ImportProgress prog;
    prog.filesTotal = int(files.size());
    std::vector<size_t> order(files.size());
    std::vector<int64_t> sizes(files.size(), 0);
    for (size_t i = 0; i < files.size(); ++i) {
        order[i] = i;
        sizes[i] = QFileInfo(QString::fromStdString(files[i])).size();
        prog.bytesTotal += sizes[i];
        summary.inputs[i].path = files[i];
        summary.inputs[i].size = sizes[i];
    }
    // Indexes are kept up to date row by row in a 16 MiB page cache: that runs beside the parsers, where
    // building them after the load ran alone on one core (0.6 s of a 2.5 s JSON corpus import here). A first
    // load of more than ImportOptions::deferIndexesAbove still builds them at the end: their pages would
    // outgrow the cache. (64 MiB was no faster and cost 75 MiB of peak RSS.)
    // The case stays in WAL throughout, so that readers (the GUI, a second process) see every committed batch.
    const bool emptyCase = db.scalar("SELECT count(*) FROM (SELECT 1 FROM events LIMIT 1)") == 0;
    db.exec("PRAGMA cache_size=-16384");
    const bool deferIndexes = emptyCase && prog.bytesTotal > m_options.deferIndexesAbove;
    if (deferIndexes)
        schema::dropEventIndexes(db); // a kill in between: the next open restores them

    // Longest first: with one file per thread, a big file last would leave a core idle at the end.
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return sizes[a] > sizes[b]; });

    MessageQueue queue;
    std::atomic<size_t> nextIndex{0};
    std::atomic<int> workersLeft{std::max(1, std::min<int>(m_options.threads, int(files.size())))};
    std::mutex claimMutex;
    std::set<std::string> claimed; // SHA-256 seen in this run: the same bytes twice import once
    {
        // Inputs the case already holds in full are not parsed again.
        Statement st(db, "SELECT sha256 FROM inputs WHERE status='complete'");
        while (st.next())
            claimed.insert(st.columnText(0));
    }

    auto worker = [&] {
        yieldToTheWriter();
        for (;;) {
            const size_t k = nextIndex.fetch_add(1);
            if (k >= order.size())
                break;
            const size_t slot = order[k];
            InputReport report;
            report.path = files[slot];
            report.size = sizes[slot];
            QElapsedTimer t;
            t.start();
            auto endWith = [&](InputReport::Status status) {
                report.status = status;
                report.seconds = double(t.nsecsElapsed()) / 1e9;
                queue.push(EndMsg{slot, std::move(report)}, false);
            };
            if (cancel && cancel->load()) {
                endWith(InputReport::Status::Cancelled);
                continue;
            }
            // One open and one mapping per file: the fingerprint is taken from the mapping, and the EVTX decoder
            // reads it in place (a mapping per step cost a second set of page faults and a second unmap). A pipe
            // or device cannot be mapped, nor read twice: it is read into memory once, up to a bound.
            FileBytes file(files[slot]);
            std::unique_ptr<MemoryBytes> spooled;
            std::string err;
            if (!file.isOpen()) {
                err = file.errorString();
            } else if (!file.isRegular()) {
                std::string data;
                if (file.readAll(data, kMaxStreamBytes, err))
                    spooled = std::make_unique<MemoryBytes>(std::move(data), files[slot]);
                else
                    err = "a pipe or device, read whole into memory: " + err;
            }
            InputBytes& input = spooled ? static_cast<InputBytes&>(*spooled) : file;
            if (err.empty())
                report.sha256 = sha256Of(input.mapped(), spooled ? nullptr : &files[slot], err);
            if (report.sha256.empty()) {
                report.failure = "cannot read " + files[slot] + ": " + err;
                endWith(InputReport::Status::Failed);
                continue;
            }
            if (spooled)
                report.size = spooled->size();
            {
                std::lock_guard lock(claimMutex);
                if (!claimed.insert(report.sha256).second) {
                    endWith(InputReport::Status::Duplicate);
                    continue;
                }
            }
            queue.push(BeginMsg{slot, report, -1}, false);
            // The other parser thread has files of its own until the last one is handed out; from then on a
            // file's chunks may be split between two threads.
            SourceOptions sourceOptions = m_options.source;
            if (nextIndex.load() < order.size())
                sourceOptions.evtxThreads = 1;
            BatchingSink sink(queue, slot, report, cancel);
            const InputFormat format = sniffFormat(input);
            if (format != InputFormat::Evtx)
                file.releaseMapping(); // only the EVTX decoder reads in place; others stream through read()
            bool ok = true;
            std::string failure;
            if (format == InputFormat::Zip || format == InputFormat::TarGz || format == InputFormat::Gzip) {
                std::set<std::string> formats, layouts;
                ArchiveReader archive = spooled ? ArchiveReader(files[slot], spooled->data()) : ArchiveReader(files[slot]);
                int64_t ordinal = 0;
                ok = archive.forEachMember(
                    [&](InputBytes& member) {
                        sink.setMember(ordinal++);
                        std::string f, l, e;
                        if (!readWithSource(member, sourceOptions, sink, report, f, l, e))
                            sink.addIssue(-1, member.name() + ": " + e);
                        formats.insert(f);
                        if (!l.empty())
                            layouts.insert(l);
                        return !sink.cancelled();
                    },
                    failure);
                std::string inner;
                for (const auto& f : formats)
                    inner += (inner.empty() ? "" : ",") + f;
                report.format = std::string(formatName(format)) + "(" + inner + ")";
                for (const auto& l : layouts)
                    report.layout += (report.layout.empty() ? "" : ",") + l;
                if (ok && ordinal == 0) {
                    ok = false;
                    failure = "the archive holds no files";
                }
                if (ok && report.events == 0 && report.issueCount > 0 && formats.count("unknown") == formats.size()) {
                    ok = false;
                    failure = "the archive holds no event log files";
                }
            } else {
                ok = readWithSource(input, sourceOptions, sink, report, report.format, report.layout, failure);
            }
            sink.flush();
            if (!ok) {
                report.failure = files[slot] + ": " + failure;
                endWith(InputReport::Status::Failed);
            } else {
                endWith(sink.cancelled() ? InputReport::Status::Cancelled : InputReport::Status::Imported);
            }
        }
        workersLeft.fetch_sub(1);
        queue.wake();
    };

    // Committed batches go into the case file on a thread of their own (the last checkpoint of an EVTX corpus import
    // went from 31 to 6 ms here). The writer checkpoints itself only if the log outgrows 4,000 pages: the
    // checkpointer could not keep up, or could not open the case.
    auto checkpointer = std::make_unique<BackgroundCheckpointer>(m_casePath);
    db.exec("PRAGMA wal_autocheckpoint=4000");
    std::vector<std::thread> threads;
    const int n = workersLeft.load();
    for (int i = 0; i < n; ++i)
        threads.emplace_back(worker);

    // The writer loop: the only code that touches the case file.
    std::vector<int64_t> inputIds(files.size(), -1);
    int64_t sinceCommit = 0;
    QElapsedTimer progressClock;
    progressClock.start();
    Message msg;
    while (queue.pop(msg, [&] { return workersLeft.load() == 0; })) {
        if (!summary.fatal.empty())
            continue; // drain so that parsers do not block, but write nothing more
        if (auto* begin = std::get_if<BeginMsg>(&msg)) {
            std::string status;
            const int64_t existing = writer.findInput(begin->report.sha256, &status);
            if (existing >= 0 && status == "complete") {
                inputIds[begin->slot] = -2; // already in the case: drop its batches
                continue;
            }
            if (existing >= 0)
                writer.deleteInput(existing); // an unfinished earlier import is redone in full
            inputIds[begin->slot] = writer.beginInput(begin->report);
            if (inputIds[begin->slot] < 0)
                summary.fatal = "cannot write to the case: " + writer.lastError();
            prog.current = begin->report.path;
        } else if (auto* batch = std::get_if<BatchMsg>(&msg)) {
            const int64_t id = inputIds[batch->slot];
            if (id < 0)
                continue;
            if (!writer.insert(batch->events, batch->blocks, id)) {
                summary.fatal = "cannot write to the case: " + writer.lastError();
                continue;
            }
            prog.events += int64_t(batch->events.size());
            sinceCommit += int64_t(batch->events.size());
            queue.recycle(std::move(batch->events));
            if (sinceCommit >= m_options.commitEvery) {
                writer.commit();
                checkpointer->committed();
                sinceCommit = 0;
            }
        } else if (auto* end = std::get_if<EndMsg>(&msg)) {
            InputReport& r = end->report;
            const int64_t id = inputIds[end->slot];
            if (id == -2) {
                r.status = InputReport::Status::Duplicate;
                r.events = 0;
            } else if (id >= 0) {
                r.inputId = id;
                const char* status = r.status == InputReport::Status::Imported  ? "complete"
                                     : r.status == InputReport::Status::Failed ? "failed"
                                                                                : "incomplete";
                // Committed with the next batch (or at the end), like its events.
                if (!writer.finishInput(r, status))
                    summary.fatal = "cannot write to the case: " + writer.lastError();
            }
            if (r.status == InputReport::Status::Duplicate)
                r.events = 0;
            summary.events += r.events;
            summary.inputs[end->slot] = std::move(r);
            ++prog.filesDone;
            prog.bytesDone += sizes[end->slot];
        }
        if (progress && progressClock.elapsed() >= 100) {
            progress(prog);
            progressClock.restart();
        }
    }
    if (!summary.fatal.empty())
        queue.abort();
    for (auto& t : threads)
        t.join();
    writer.commit();
    checkpointer.reset(); // the last checkpoint below must not find another one running
    if (deferIndexes) {
        prog.current = "building indexes";
        if (progress)
            progress(prog);
        if (!schema::createEventIndexes(db) && summary.fatal.empty())
            summary.fatal = "cannot index the case: " + db.lastError();
    }
    db.exec("PRAGMA wal_checkpoint(PASSIVE)");
    if (progress)
        progress(prog);
    summary.cancelled = cancel && cancel->load();
    summary.seconds = double(clock.nsecsElapsed()) / 1e9;
    return summary;
}

} // namespace dscope::model
