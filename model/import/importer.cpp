// SPDX-License-Identifier: MIT
#include "importer.h"

#include "importpipeline.h"
#include "ingest/alertrows.h"
#include "ingest/archivereader.h"
#include "ingest/inputbytes.h"
#include "sourcefactory.h"
#include "storage/alertstore.h"
#include "storage/casewriter.h"
#include "storage/database.h"
#include "storage/rawevent.h"
#include "storage/statement.h"

#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QLoggingCategory>

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

Q_LOGGING_CATEGORY(lcIngest, "dscope.model.ingest")

namespace dscope::model {

using namespace importpipeline;

namespace {

// A pipe or device is read into memory whole (it can be read only once, and the fingerprint comes first).
constexpr int64_t kMaxStreamBytes = int64_t(4) << 30;

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

/// What the parser threads share. Each takes the next input (largest first) and hands its records to the writer.
struct ParseJob {
    const std::vector<std::string>& files;
    const std::vector<int64_t>& sizes;
    const std::vector<size_t>& order;
    const SourceOptions& sourceOptions;
    MessageQueue& queue;
    const std::atomic_bool* cancel;
    const std::atomic_bool& writeFailed;
    std::atomic<size_t> nextIndex{0};
    std::mutex claimMutex;
    std::set<std::string> claimed; // SHA-256 complete in the case or seen in this run: the same bytes import once

    bool stopping() const { return (cancel && cancel->load()) || writeFailed.load(); }
};

/// Reads one input (a file, a pipe, an archive) and queues its begin, batches and end for the writer.
void parseInput(ParseJob& job, size_t slot)
{
    const std::string& path = job.files[slot];
    InputReport report;
    report.path = path;
    report.size = job.sizes[slot];
    QElapsedTimer t;
    t.start();
    auto endWith = [&](InputReport::Status status) {
        report.status = status;
        report.seconds = double(t.nsecsElapsed()) / 1e9;
        job.queue.push(EndMsg{slot, std::move(report)}, false);
    };
    if (job.stopping()) {
        endWith(InputReport::Status::Cancelled);
        return;
    }
    // One open and one mapping per file: the fingerprint is taken from the mapping, and the EVTX decoder reads it
    // in place (a mapping per step cost a second set of page faults and a second unmap). A pipe or device cannot be
    // mapped, nor read twice: it is read into memory once, up to a bound.
    FileBytes file(path);
    std::unique_ptr<MemoryBytes> spooled;
    std::string err;
    if (!file.isOpen()) {
        err = file.errorString();
    } else if (!file.isRegular()) {
        std::string data;
        if (file.readAll(data, kMaxStreamBytes, err))
            spooled = std::make_unique<MemoryBytes>(std::move(data), path);
        else
            err = "a pipe or device, read whole into memory: " + err;
    }
    InputBytes& input = spooled ? static_cast<InputBytes&>(*spooled) : file;
    if (err.empty())
        report.sha256 = sha256Of(input.mapped(), spooled ? nullptr : &path, err);
    if (report.sha256.empty()) {
        report.failure = "cannot read " + path + ": " + err;
        endWith(InputReport::Status::Failed);
        return;
    }
    if (spooled)
        report.size = spooled->size();
    {
        std::lock_guard lock(job.claimMutex);
        if (!job.claimed.insert(report.sha256).second) {
            endWith(InputReport::Status::Duplicate);
            return;
        }
    }
    job.queue.push(BeginMsg{slot, report, -1}, false);
    // The other parser thread has files of its own until the last one is handed out; from then on a file's chunks
    // may be split between two threads.
    SourceOptions sourceOptions = job.sourceOptions;
    if (job.nextIndex.load() < job.order.size())
        sourceOptions.evtxThreads = 1;
    BatchingSink sink(job.queue, slot, report, job.cancel, job.writeFailed);
    const InputFormat format = sniffFormat(input);
    if (format != InputFormat::Evtx)
        file.releaseMapping(); // only the EVTX decoder reads in place; others stream through read()
    bool ok = true;
    std::string failure;
    if (format == InputFormat::Json && alertrows::looksLikeAlertRows(input.head(4096))) {
        // Alerts from a team's run of the exported rules: stored as the case's alerts, with their input.
        std::vector<Alert> alerts;
        report.format = formatName(format);
        report.layout = "alert-rows";
        ok = alertrows::read(input, QFileInfo(QString::fromStdString(path)).fileName().toStdString(), alerts, report, failure);
        report.alerts = int64_t(alerts.size());
        if (ok && !alerts.empty())
            job.queue.push(AlertsMsg{slot, std::move(alerts)}, true);
    } else if (format == InputFormat::Zip || format == InputFormat::TarGz || format == InputFormat::Gzip) {
        std::set<std::string> formats, layouts;
        ArchiveReader archive = spooled ? ArchiveReader(path, spooled->data()) : ArchiveReader(path);
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
        report.failure = path + ": " + failure;
        endWith(InputReport::Status::Failed);
    } else {
        endWith(sink.cancelled() ? InputReport::Status::Cancelled : InputReport::Status::Imported);
    }
}

// What the writer knows of an input's slot before and after its begin message.
constexpr int64_t kNotBegun = -1;
constexpr int64_t kAlreadyComplete = -2;
constexpr int64_t kImportedElsewhere = -3;

/// The report of an input once the writer has stopped: its events are what the case holds for certain (committed),
/// and an input whose end did not commit is incomplete.
void settleReport(InputReport& r, int64_t id, const CaseWriter& writer, bool cancelled)
{
    if (id == kAlreadyComplete || id == kImportedElsewhere || r.status == InputReport::Status::Duplicate) {
        r.status = InputReport::Status::Duplicate;
        r.events = 0;
        r.alerts = 0;
        if (id == kImportedElsewhere)
            r.failure = "another running import is storing the same bytes into this case";
        return;
    }
    if (id >= 0) {
        r.inputId = id;
        r.events = writer.committedEvents(id);
    } else if (r.status != InputReport::Status::Failed) {
        r.events = 0; // never reached the case
    }
    if (writer.failed() && (id < 0 || !writer.finishCommitted(id)) && r.status != InputReport::Status::Failed
        && !(cancelled && r.status == InputReport::Status::Cancelled)) {
        r.status = InputReport::Status::Incomplete;
        r.alerts = 0; // stored in the transaction that records the input's end, which did not commit
        r.failure = r.events > 0 ? "the import stopped at a write failure with " + std::to_string(r.events)
                                       + " events of this input stored; importing it again completes it"
                                 : "not imported: the import stopped at a write failure";
    }
}

} // namespace

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

    CaseWriter writer(m_casePath);
    if (!writer.open()) {
        summary.fatal = writer.error();
        return summary;
    }
    Database& db = writer.database();

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
    // Indexes are kept up to date row by row (in the writer's page cache): that runs beside the parsers, where
    // building them after the load ran alone on one core (0.6 s of a 2.5 s JSON corpus import here). A first
    // load of more than ImportOptions::deferIndexesAbove still builds them at the end: their pages would
    // outgrow the cache. The case stays in WAL throughout, so that readers (the GUI, a second process) see every
    // committed batch.
    const bool emptyCase = db.scalar("SELECT count(*) FROM (SELECT 1 FROM events LIMIT 1)") == 0;
    if (emptyCase && prog.bytesTotal > m_options.deferIndexesAbove && !writer.deferIndexes()) {
        summary.fatal = writer.error();
        return summary;
    }
    // Longest first: with one file per thread, a big file last would leave a core idle at the end.
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return sizes[a] > sizes[b]; });

    MessageQueue queue;
    std::atomic_bool writeFailed{false};
    ParseJob job{files, sizes, order, m_options.source, queue, cancel, writeFailed};
    {
        // Inputs the case already holds in full are not parsed again.
        Statement st(db, "SELECT sha256 FROM inputs WHERE status='complete'");
        while (st.next())
            job.claimed.insert(st.columnText(0));
    }
    std::atomic<int> workersLeft{std::max(1, std::min<int>(m_options.threads, int(files.size())))};
    std::vector<std::thread> threads;
    for (int i = 0, n = workersLeft.load(); i < n; ++i)
        threads.emplace_back([&] {
            yieldToTheWriter();
            for (size_t k; (k = job.nextIndex.fetch_add(1)) < order.size();)
                parseInput(job, order[k]);
            workersLeft.fetch_sub(1);
            queue.wake();
        });

    // The writer loop: the only code that writes to the case file. After a write failure it stores nothing more;
    // the parsers stop at their next record and the loop drains what they had queued.
    auto stop = [&] {
        writeFailed.store(true);
        queue.abort();
    };
    std::vector<int64_t> inputIds(files.size(), kNotBegun);
    std::map<size_t, std::string> alertFailures; // inputs of alert rows whose alerts could not be stored
    std::map<size_t, std::pair<int64_t, int64_t>> alertsAdded; // inputs of alert rows: alerts added, rows stored
    QElapsedTimer progressClock;
    progressClock.start();
    Message msg;
    while (queue.pop(msg, [&] { return workersLeft.load() == 0; })) {
        if (auto* begin = std::get_if<BeginMsg>(&msg)) {
            if (writer.failed())
                continue;
            CaseWriter::Known known = CaseWriter::Known::No;
            const int64_t id = writer.beginInput(begin->report, &known);
            inputIds[begin->slot] = known == CaseWriter::Known::Complete        ? kAlreadyComplete
                                    : known == CaseWriter::Known::BeingImported ? kImportedElsewhere
                                                                                 : id;
            if (writer.failed())
                stop();
            prog.current = begin->report.path;
        } else if (auto* batch = std::get_if<BatchMsg>(&msg)) {
            const int64_t id = inputIds[batch->slot];
            if (id < 0 || writer.failed())
                continue;
            if (!writer.insert(id, batch->events, batch->blocks)) {
                stop();
                continue;
            }
            prog.events += int64_t(batch->events.size());
            queue.recycle(std::move(batch->events));
            if (writer.uncommittedEvents() >= m_options.commitEvery && !writer.commit())
                stop();
        } else if (auto* rows = std::get_if<AlertsMsg>(&msg)) {
            const int64_t id = inputIds[rows->slot];
            int64_t added = 0;
            std::string error;
            if (id < 0 || writer.failed())
                continue;
            // All of an input's alerts or none: a failure rolls back to before them and fails that input alone.
            const bool saved = db.exec("SAVEPOINT alert_rows");
            if (saved && alertstore::storeImported(db, rows->alerts, 0, QDateTime::currentMSecsSinceEpoch(), added, error)) {
                db.exec("RELEASE alert_rows");
                alertsAdded[rows->slot] = {added, int64_t(rows->alerts.size())};
            } else {
                if (saved && (!db.exec("ROLLBACK TO alert_rows") || !db.exec("RELEASE alert_rows")))
                    stop();
                alertFailures[rows->slot] = error.empty() ? "cannot store the alerts: " + db.lastError() : error;
            }
        } else if (auto* end = std::get_if<EndMsg>(&msg)) {
            InputReport& r = end->report;
            const int64_t id = inputIds[end->slot];
            if (const auto stored = alertsAdded.find(end->slot); stored != alertsAdded.end()) {
                // What the case holds: rows naming an alert it has already (same rule, host and processes) widen it.
                r.alerts = stored->second.first;
                if (const int64_t merged = stored->second.second - stored->second.first; merged > 0) {
                    ++r.warnings;
                    ++r.issueCount;
                    r.issues.push_back({-1, std::to_string(merged) + " row(s) named an alert the case already holds (same "
                                                "rule, host and processes): merged into it", true});
                }
            }
            if (const auto failed = alertFailures.find(end->slot); failed != alertFailures.end()) {
                r.status = InputReport::Status::Failed;
                r.failure = r.path + ": " + failed->second;
                r.alerts = 0;
            }
            if (id >= 0 && !writer.failed()) {
                const InputStatus status = r.status == InputReport::Status::Imported ? InputStatus::Complete
                                           : r.status == InputReport::Status::Failed ? InputStatus::Failed
                                                                                      : InputStatus::Incomplete;
                // Committed with the next batch (or at the end), like its events.
                if (!writer.finishInput(id, r, status))
                    stop();
            }
            summary.inputs[end->slot] = std::move(r);
            ++prog.filesDone;
            prog.bytesDone += sizes[end->slot];
        }
        if (progress && progressClock.elapsed() >= 100) {
            progress(prog);
            progressClock.restart();
        }
    }
    for (auto& t : threads)
        t.join();
    if (cancel && cancel->load() && writer.indexesDeferred()) {
        // Building them would keep a cancelled import running for minutes on a big load.
        writer.leaveDeferredIndexesToNextOpen();
        prog.current = "cancelled: the indexes are built when the case is next written to";
    }
    writer.close([&](const std::string& stage) {
        prog.current = stage;
        if (progress)
            progress(prog);
    });
    summary.cancelled = cancel && cancel->load();
    if (writer.failed())
        summary.fatal = writer.error();
    for (size_t i = 0; i < files.size(); ++i) {
        settleReport(summary.inputs[i], inputIds[i], writer, summary.cancelled);
        summary.events += summary.inputs[i].events;
    }
    if (progress)
        progress(prog);
    summary.seconds = double(clock.nsecsElapsed()) / 1e9;
    return summary;
}

} // namespace dscope::model
