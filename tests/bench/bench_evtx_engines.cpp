// SPDX-License-Identifier: MIT
// EVTX engine benchmark over every corpus EVTX file, all in one run:
//   decode only (events built and normalized, nothing stored): native on 1 thread keeping no raw record, keeping
//   the compressed chunk (what an import keeps) or rendering the XML; native on 2 threads (files handed out
//   dynamically) with XML; the libevtx engine (1 thread); `evtxexport -f xml` (one process per file, output
//   discarded);
//   store only: the events of every file, decoded beforehand (not timed), written into a fresh temporary case by
//   one writer the way an import writes them (inputs rows, chunks, events with their indexes, commits every
//   ImportOptions::commitEvery events, background checkpoints, the last checkpoint): the most any end-to-end import
//   can reach here;
//   end to end: Importer into a fresh temporary case with each engine (2 parser threads + the writer), in pairs;
//   and the native engine with the indexes built after the load instead of row by row. From the end-to-end
//   import's CPU time, the most any overlap of its work could reach on this machine's cores.
// Each phase runs in a forked child so its peak RSS (wait4) is its own. Prints records/s, ratios, peak RSS.
//
//   bench_evtx_engines [--datasets DIR] [--passes N] [--e2e-runs N]
#include "evtx/evtxfiledecoder.h"
#include "import/importer.h"
#include "ingest/inputbytes.h"
#include "ingest/libevtxsource.h"
#include "storage/checkpointer.h"
#include "storage/database.h"
#include "storage/eventwriter.h"
#include "storage/schema.h"

#include <QCoreApplication>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

using namespace dscope::model;

namespace {

double cpuNow(int who)
{
    struct rusage ru {};
    getrusage(who, &ru);
    return double(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) + double(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

struct Phase {
    const char* name;
    int64_t records = 0;
    int64_t skipped = 0;
    double seconds = 0;
    double cpuSeconds = 0; ///< user + system time of the work (all threads; evtxexport: its processes)
    long rssKiB = 0;
    bool ok = false;
    double rate() const { return seconds > 0 ? double(records) / seconds : 0; }
};

class CountingSink : public RecordSink
{
public:
    void add(Event&& e) override
    {
        ++events;
        bytes += e.raw.size();
    }
    void skip(int64_t, std::string) override { ++skipped; }
    bool cancelled() const override { return false; }
    int64_t events = 0, skipped = 0, bytes = 0;
};

/// Runs fn in a forked child; fn fills records/skipped/seconds. The child's peak RSS comes from wait4.
void runForked(Phase& p, const std::function<void(Phase&)>& fn)
{
    int fd[2];
    if (pipe(fd) != 0)
        return;
    std::fflush(stdout);
    const pid_t pid = fork();
    if (pid == 0) {
        close(fd[0]);
        Phase r = p;
        fn(r);
        const ssize_t n = write(fd[1], &r, sizeof r);
        _exit(n == ssize_t(sizeof r) ? 0 : 1);
    }
    close(fd[1]);
    Phase r;
    const bool got = read(fd[0], &r, sizeof r) == ssize_t(sizeof r);
    close(fd[0]);
    int status = 0;
    struct rusage ru {};
    wait4(pid, &status, 0, &ru);
    if (got && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        p.records = r.records;
        p.skipped = r.skipped;
        p.seconds = r.seconds;
        p.cpuSeconds = r.cpuSeconds;
        p.ok = true;
    }
    p.rssKiB = ru.ru_maxrss;
}

std::vector<QByteArray> loadAll(const std::vector<std::string>& files)
{
    std::vector<QByteArray> out;
    for (const auto& f : files) {
        QFile file(QString::fromStdString(f));
        if (file.open(QIODevice::ReadOnly))
            out.push_back(file.readAll());
    }
    return out;
}

/// Best of `passes` over all images; threads > 1 hands files out dynamically (largest first), like the importer.
void nativeDecode(Phase& p, const std::vector<std::string>& files, evtx::EvtxRaw raw, int threads, int passes)
{
    const auto images = loadAll(files);
    std::vector<size_t> order(images.size());
    for (size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return images[a].size() > images[b].size(); });
    double best = 1e30, bestCpu = 1e30;
    for (int pass = 0; pass < passes; ++pass) {
        const double cpu0 = cpuNow(RUSAGE_SELF);
        std::atomic<size_t> next{0};
        std::atomic<int64_t> events{0}, skipped{0};
        QElapsedTimer t;
        t.start();
        auto work = [&] {
            evtx::EvtxDecodeOptions o;
            o.raw = raw;
            o.threads = 1;
            for (size_t i; (i = next.fetch_add(1)) < order.size();) {
                const QByteArray& img = images[order[i]];
                CountingSink sink;
                std::string layout, error;
                evtx::decodeEvtxImage(reinterpret_cast<const uint8_t*>(img.constData()), size_t(img.size()), sink, o,
                                      layout, error);
                events += sink.events;
                skipped += sink.skipped;
            }
        };
        std::vector<std::thread> pool;
        for (int i = 1; i < threads; ++i)
            pool.emplace_back(work);
        work();
        for (auto& th : pool)
            th.join();
        const double s = double(t.nsecsElapsed()) / 1e9;
        bestCpu = std::min(bestCpu, cpuNow(RUSAGE_SELF) - cpu0);
        if (s < best) {
            best = s;
            p.records = events;
            p.skipped = skipped;
        }
    }
    p.seconds = best;
    p.cpuSeconds = bestCpu;
}

void libevtxDecode(Phase& p, const std::vector<std::string>& files)
{
    const double cpu0 = cpuNow(RUSAGE_SELF);
    QElapsedTimer t;
    t.start();
    for (const auto& f : files) {
        FileBytes bytes(f);
        CountingSink sink;
        LibevtxSource source;
        std::string error;
        source.read(bytes, sink, error);
        p.records += sink.events;
        p.skipped += sink.skipped;
    }
    p.seconds = double(t.nsecsElapsed()) / 1e9;
    p.cpuSeconds = cpuNow(RUSAGE_SELF) - cpu0;
}

void evtxexport(Phase& p, const std::vector<std::string>& files, long& childRss)
{
    const double cpu0 = cpuNow(RUSAGE_CHILDREN);
    QElapsedTimer t;
    t.start();
    for (const auto& f : files) {
        QProcess proc;
        proc.setStandardOutputFile(QProcess::nullDevice());
        proc.setStandardErrorFile(QProcess::nullDevice());
        proc.start(QStringLiteral("evtxexport"), {QStringLiteral("-f"), QStringLiteral("xml"), QString::fromStdString(f)});
        proc.waitForFinished(-1);
    }
    p.seconds = double(t.nsecsElapsed()) / 1e9;
    p.cpuSeconds = cpuNow(RUSAGE_CHILDREN) - cpu0;
    struct rusage ru {};
    getrusage(RUSAGE_CHILDREN, &ru);
    childRss = ru.ru_maxrss;
}

/// Keeps a file's events and its chunks, as the importer's batches carry them (Event::rawBlock indexes blocks).
class KeepingSink : public RecordSink
{
public:
    void add(Event&& e) override
    {
        if (e.raw.empty() && e.rawFormat == RawFormat::EvtxBinXml && !blocks.empty())
            e.rawBlock = int64_t(blocks.size()) - 1;
        events.push_back(std::move(e));
    }
    void addSharedRaw(RawBlock&& block) override { blocks.push_back(std::move(block)); }
    void skip(int64_t, std::string) override { ++skipped; }
    bool cancelled() const override { return false; }
    std::vector<Event> events;
    std::vector<RawBlock> blocks;
    int64_t skipped = 0;
};

/// The writer alone: every file decoded first (untimed), then stored by one thread into a fresh case.
void storeOnly(Phase& p, const std::vector<std::string>& files)
{
    const auto images = loadAll(files);
    std::vector<KeepingSink> decoded(images.size());
    evtx::EvtxDecodeOptions o;
    o.raw = evtx::EvtxRaw::Chunk;
    for (size_t i = 0; i < images.size(); ++i) {
        std::string layout, error;
        evtx::decodeEvtxImage(reinterpret_cast<const uint8_t*>(images[i].constData()), size_t(images[i].size()),
                              decoded[i], o, layout, error);
    }
    QTemporaryDir dir;
    const std::string casePath = QString(dir.path() + QStringLiteral("/store.dscope")).toStdString();
    const int commitEvery = ImportOptions().commitEvery;
    const double cpu0 = cpuNow(RUSAGE_SELF);
    QElapsedTimer t;
    t.start();
    {
        Database db;
        std::string error;
        if (!db.open(casePath) || !schema::prepareForWriting(db, error))
            return;
        db.exec("PRAGMA cache_size=-16384"); // as the importer sets it, with its background checkpoints
        auto checkpointer = std::make_unique<BackgroundCheckpointer>(casePath);
        db.exec("PRAGMA wal_autocheckpoint=4000");
        EventWriter writer(db);
        int64_t sinceCommit = 0;
        for (size_t i = 0; i < decoded.size(); ++i) {
            InputReport r;
            r.path = files[i];
            r.size = images[i].size();
            r.sha256 = std::to_string(i); // unique per file; the hash itself is parser work
            r.format = "evtx";
            r.engine = "native";
            r.inputId = writer.beginInput(r);
            if (r.inputId < 0 || !writer.insert(decoded[i].events, decoded[i].blocks, r.inputId))
                return;
            r.events = int64_t(decoded[i].events.size());
            writer.finishInput(r, dscope::model::InputStatus::Complete);
            p.records += r.events;
            p.skipped += decoded[i].skipped;
            sinceCommit += r.events;
            if (sinceCommit >= commitEvery) {
                writer.commit();
                checkpointer->committed();
                sinceCommit = 0;
            }
        }
        writer.commit();
        checkpointer.reset();
        db.exec("PRAGMA wal_checkpoint(PASSIVE)");
    }
    p.seconds = double(t.nsecsElapsed()) / 1e9;
    p.cpuSeconds = cpuNow(RUSAGE_SELF) - cpu0;
}

void importAll(Phase& p, const std::vector<std::string>& files, EvtxEngine engine, bool indexesAfterLoad = false)
{
    QTemporaryDir dir;
    ImportOptions o;
    if (indexesAfterLoad)
        o.deferIndexesAbove = 0;
    o.source.evtxEngine = engine;
    o.threads = 2;
    Importer importer(QString(dir.path() + QStringLiteral("/bench.dscope")).toStdString(), o);
    const double cpu0 = cpuNow(RUSAGE_SELF);
    QElapsedTimer t;
    t.start();
    const ImportSummary s = importer.run(files);
    p.seconds = double(t.nsecsElapsed()) / 1e9;
    p.cpuSeconds = cpuNow(RUSAGE_SELF) - cpu0;
    p.records = s.events;
    for (const auto& in : s.inputs)
        p.skipped += in.skipped;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QString root = QStringLiteral(DSCOPE_DATASETS);
    int passes = 5;
    int e2eRuns = 3;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == QLatin1String("--datasets"))
            root = args[++i];
        else if (args[i] == QLatin1String("--passes"))
            passes = std::max(1, args[++i].toInt());
        else if (args[i] == QLatin1String("--e2e-runs"))
            e2eRuns = std::max(1, args[++i].toInt());
    }
    std::vector<std::string> files;
    int64_t bytes = 0;
    QDirIterator it(root, {QStringLiteral("*.evtx")}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        files.push_back(it.next().toStdString());
        bytes += it.fileInfo().size();
    }
    std::sort(files.begin(), files.end());
    if (files.empty()) {
        std::printf("no EVTX files under %s\n", qPrintable(root));
        return 1;
    }
    std::printf("corpus: %zu EVTX files, %.1f MiB, under %s; decode-only rows are the best of %d passes\n\n",
                files.size(), double(bytes) / 1048576.0, qPrintable(root), passes);

    Phase nat1{"native decode, 1 thread, no raw"}, nat1c{"native decode, 1 thread, chunk raw"},
        nat1x{"native decode, 1 thread, XML raw"},
        nat2x{"native decode, 2 threads, XML raw"}, lib1{"libevtx engine decode, 1 thread"},
        exp1{"evtxexport -f xml, 1 process per file"}, impN{"import end to end, native (2 threads)"},
        impL{"import end to end, libevtx (2 threads)"}, store{"store only, decoded events (writer)"},
        impD{"end to end, native, indexes after load"};
    runForked(nat1, [&](Phase& p) { nativeDecode(p, files, evtx::EvtxRaw::None, 1, passes); });
    runForked(nat1c, [&](Phase& p) { nativeDecode(p, files, evtx::EvtxRaw::Chunk, 1, passes); });
    runForked(nat1x, [&](Phase& p) { nativeDecode(p, files, evtx::EvtxRaw::Xml, 1, passes); });
    runForked(nat2x, [&](Phase& p) { nativeDecode(p, files, evtx::EvtxRaw::Xml, 2, passes); });
    runForked(lib1, [&](Phase& p) { libevtxDecode(p, files); });
    long exportRss = 0;
    runForked(exp1, [&](Phase& p) {
        evtxexport(p, files, exportRss);
        p.rssKiB = exportRss;
        p.records = lib1.records; // evtxexport prints what libevtx decodes: the same records as the libevtx engine
    });
    runForked(store, [&](Phase& p) { storeOnly(p, files); });
    // End to end: pairs of imports (native, then libevtx), so that both engines see the same machine state; the
    // table shows the best of each, and every pair is printed below it.
    std::vector<std::pair<Phase, Phase>> pairs;
    std::vector<Phase> deferred;
    for (int r = 0; r < e2eRuns; ++r) {
        Phase n{impN.name}, l{impL.name}, d{impD.name};
        runForked(n, [&](Phase& p) { importAll(p, files, EvtxEngine::Native); });
        runForked(l, [&](Phase& p) { importAll(p, files, EvtxEngine::Libevtx); });
        // What an import that builds the indexes once at the end (as first loads above 1 GiB do) would reach.
        runForked(d, [&](Phase& p) { importAll(p, files, EvtxEngine::Native, true); });
        if (d.ok && (!impD.ok || d.seconds < impD.seconds))
            impD = d;
        deferred.push_back(d);
        if (n.ok && (!impN.ok || n.seconds < impN.seconds))
            impN = n;
        if (l.ok && (!impL.ok || l.seconds < impL.seconds))
            impL = l;
        pairs.emplace_back(n, l);
    }

    std::printf("%-42s %8s %7s %8s %10s %9s %8s %10s %9s\n", "phase", "records", "skipped", "wall s", "records/s",
                "vs libevtx", "CPU s", "rec/CPU-s", "peak RSS");
    for (const Phase* p : {&nat1, &nat1c, &nat1x, &nat2x, &lib1, &exp1, &store, &impN, &impL, &impD}) {
        if (!p->ok) {
            std::printf("%-42s failed\n", p->name);
            continue;
        }
        const double base = (p == &impN || p == &impL || p == &store || p == &impD) ? impL.rate() : lib1.rate();
        std::printf("%-42s %8lld %7lld %8.3f %10.0f %8.1fx %8.3f %10.0f %5ld MiB\n", p->name, (long long)p->records,
                    (long long)p->skipped, p->seconds, p->rate(), base > 0 ? p->rate() / base : 0.0, p->cpuSeconds,
                    p->cpuSeconds > 0 ? double(p->records) / p->cpuSeconds : 0.0, p->rssKiB / 1024);
    }
    std::printf("\nevtxexport: rate counts the records libevtx decodes; its peak RSS is the largest child's.\n"
                "rec/CPU-s divides by the CPU time used (all threads): on a loaded machine it is the steadier figure.\n"
                "native vs evtxexport (decode, 1 thread, XML): %.1fx; end-to-end native vs libevtx: %.1fx\n",
                exp1.rate() > 0 ? nat1x.rate() / exp1.rate() : 0.0, impL.rate() > 0 ? impN.rate() / impL.rate() : 0.0);
    std::printf("store only is the writer's own rate, without parsing: end to end, native reached %.0f %% of it\n",
                store.rate() > 0 ? 100.0 * impN.rate() / store.rate() : 0.0);
    // The CPU time of an import is work that two cores must share, whatever the overlap: its half is the least
    // wall time any scheduling of the same work could reach.
    const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
    std::printf("end to end, native: %.3f CPU-s, so at most %.0f events/s on %u cores kept busy all the time\n",
                impN.cpuSeconds, impN.cpuSeconds > 0 ? double(impN.records) * cores / impN.cpuSeconds : 0.0, cores);
    std::printf("end to end, every pair (native / libevtx events/s, ratio):");
    for (const auto& [n, l] : pairs)
        std::printf(" %.0f/%.0f %.1fx;", n.rate(), l.rate(), l.rate() > 0 ? n.rate() / l.rate() : 0.0);
    std::printf("\nend to end, indexes after load, every run (events/s):");
    for (const Phase& d : deferred)
        std::printf(" %.0f;", d.rate());
    std::printf("\n");
    return 0;
}
