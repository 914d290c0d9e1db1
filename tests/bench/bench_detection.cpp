// SPDX-License-Identifier: MIT
// Detection throughput: all rules over the corpus case and over a large case built by replaying the corpus
// with fresh GUIDs and shifted times.
//
//   bench_detection                                   build (once) and time /tmp/dscope-bench-corpus.dscase and
//                                                     /tmp/dscope-bench-10m.dscase
//   bench_detection --case C.dscase [--case D ...]    time the given cases
//   bench_detection --make-case OUT.dscase --events N [--from CORPUS.dscase]   only build a large case
#include "caseindexes.h"
#include "engine.h"
#include "import/importer.h"
#include "storage/database.h"
#include "storage/schema.h"
#include "storage/statement.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>

#include <cstdio>

using namespace dscope;

namespace {

const char* kCorpusCase = "/tmp/dscope-bench-corpus.dscase";
const char* kLargeCase = "/tmp/dscope-bench-10m.dscase";

// The v1 event columns every schema version has; columns added later stay NULL in replayed rows.
const char* kCopyColumns =
    "position, record_id, host, channel, provider, event_id, subject_pid, subject_image, target_pid, "
    "target_image, parent_pid, parent_image, granted_access, call_trace, start_address, start_module, "
    "start_function, command_line, user_name, hashes, target_filename, transaction_id, transaction_state, detail";

bool importCorpus(const std::string& out)
{
    if (QFileInfo::exists(QString::fromStdString(out)))
        return true;
    const std::string root = DSCOPE_DATASETS;
    if (!QFileInfo(QString::fromStdString(root)).isDir()) {
        std::fprintf(stderr, "corpus folder %s not found\n", root.c_str());
        return false;
    }
    model::ImportOptions options;
    options.source.evtxEngine = qEnvironmentVariable("DSCOPE_EVTX_ENGINE") == QLatin1String("native")
                                    ? model::EvtxEngine::Native
                                    : model::EvtxEngine::Libevtx;
    model::Importer importer(out, options);
    const auto summary = importer.run(model::expandPaths({root}));
    std::printf("imported corpus: %lld events in %.1f s -> %s\n", qlonglong(summary.events), summary.seconds,
                out.c_str());
    return summary.fatal.empty() && summary.events > 0;
}

/// Replays every event of `from` until `events` rows exist: replica k shifts times by k x 40 days and puts k
/// into the first 8 hex digits of every GUID, so pairs stay pairs inside a replica and never cross replicas.
bool makeCase(const std::string& from, const std::string& out, int64_t events)
{
    QElapsedTimer timer;
    timer.start();
    model::Database db;
    std::string error;
    if (!db.open(out) || !model::schema::prepareForWriting(db, error)) {
        std::fprintf(stderr, "cannot create %s: %s %s\n", out.c_str(), db.lastError().c_str(), error.c_str());
        return false;
    }
    if (db.scalar("SELECT count(*) FROM events") > 0) {
        std::fprintf(stderr, "%s already holds events\n", out.c_str());
        return false;
    }
    {
        model::Statement attach(db, "ATTACH DATABASE ?1 AS src");
        attach.bindText(1, from);
        if (!attach.exec()) {
            std::fprintf(stderr, "cannot attach %s: %s\n", from.c_str(), db.lastError().c_str());
            return false;
        }
    }
    const int64_t perReplica = db.scalar("SELECT count(*) FROM src.events");
    if (perReplica <= 0)
        return false;
    const int64_t replicas = (events + perReplica - 1) / perReplica;
    auto guid = [](const char* col) {
        return std::string("CASE WHEN ") + col + " IS NULL OR length(" + col + ") < 9 THEN " + col
               + " ELSE printf('%08x', ?1) || substr(" + col + ", 9) END";
    };
    const std::string insert = std::string("INSERT INTO events(input_id, utc_ms, subject_guid, target_guid, parent_guid, ")
                               + kCopyColumns + ") SELECT input_id + ?1 * 100000, utc_ms + ?1 * 3456000000, "
                               + guid("subject_guid") + ", " + guid("target_guid") + ", " + guid("parent_guid") + ", "
                               + kCopyColumns + " FROM src.events";
    const char* inputs = "INSERT INTO inputs(id, path, size, sha256, format, layout, engine, events, skipped, recovered, "
                         "status, imported_utc, seconds) SELECT id + ?1 * 100000, path || '#replay' || ?1, size, "
                         "sha256 || '-' || ?1, format, layout, engine, events, skipped, recovered, status, "
                         "imported_utc, seconds FROM src.inputs";
    db.exec("PRAGMA synchronous=OFF");
    for (int64_t k = 0; k < replicas; ++k) {
        model::Transaction tx(db);
        model::Statement ins(db, insert);
        model::Statement inp(db, inputs);
        ins.bind(1, k);
        inp.bind(1, k);
        if (!ins.exec() || !inp.exec() || !tx.commit()) {
            std::fprintf(stderr, "replay %lld failed: %s\n", qlonglong(k), db.lastError().c_str());
            return false;
        }
        std::fprintf(stderr, "\rreplica %lld/%lld", qlonglong(k + 1), qlonglong(replicas));
    }
    db.exec("DETACH DATABASE src");
    const double insertSeconds = double(timer.elapsed()) / 1000.0;
    db.close();
    QElapsedTimer indexTimer;
    indexTimer.start();
    std::string indexError;
    if (!detection::ensureDetectionIndexes(out, &indexError)) {
        std::fprintf(stderr, "indexes: %s\n", indexError.c_str());
        return false;
    }
    std::printf("\nbuilt %s: %lld events (%lld replicas of %lld) in %.1f s, detection indexes %.1f s\n", out.c_str(),
                qlonglong(replicas * perReplica), qlonglong(replicas), qlonglong(perReplica), insertSeconds,
                double(indexTimer.elapsed()) / 1000.0);
    return true;
}

bool timeCase(const std::string& path)
{
    std::string error;
    // The rule file of this source tree (the application embeds the same file).
    const QString rulesPath = QFileInfo(QStringLiteral(__FILE__)).absolutePath() + QStringLiteral("/../../resources/rules/rules.json");
    auto rules = detection::RuleSet::fromFile(rulesPath, error);
    if (!rules) {
        std::fprintf(stderr, "%s\n", error.c_str());
        return false;
    }
    detection::Engine engine(*rules);
    detection::ensureDetectionIndexes(path); // built once, outside the timed runs
    std::printf("%s\n", path.c_str());
    std::vector<std::vector<std::string>> sets = {engine.defaultRuleIds()};
    for (const auto& r : engine.rules().rules())
        sets.push_back({r.id});
    for (const auto& ids : sets) {
        double best = 1e9;
        model::AlertSetPtr result;
        for (int run = 0; run < 3; ++run) { // best of 3: the first run also warms the page cache
            detection::EngineOptions options;
            options.ruleIds = ids;
            options.createIndexes = false;
            result = engine.run(path, options, nullptr, {}, error);
            if (!result) {
                std::fprintf(stderr, "run failed: %s\n", error.c_str());
                return false;
            }
            best = std::min(best, result->seconds);
        }
        std::string name = ids.size() > 1 ? "all default rules (R1-R8)" : ids.front();
        std::printf("  %-26s %9.3f s  %6zu alerts  %12.0f events/s\n", name.c_str(), best, result->alerts.size(),
                    double(result->eventsScanned) / best);
    }
    return true;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.addHelpOption();
    p.addOption({QStringLiteral("case"), QStringLiteral("Case to time (repeatable)."), QStringLiteral("file")});
    p.addOption({QStringLiteral("make-case"), QStringLiteral("Build a large replayed case and exit."), QStringLiteral("file")});
    p.addOption({QStringLiteral("events"), QStringLiteral("Events in the built case (default 10000000)."), QStringLiteral("n")});
    p.addOption({QStringLiteral("from"), QStringLiteral("Case to replay (default: the corpus case)."), QStringLiteral("file")});
    p.process(app);
    const int64_t events = p.isSet(QStringLiteral("events")) ? p.value(QStringLiteral("events")).toLongLong() : 10000000;
    std::string from = p.value(QStringLiteral("from")).toStdString();
    const bool needSource = p.isSet(QStringLiteral("make-case")) || !p.isSet(QStringLiteral("case"));
    if (from.empty() && needSource) {
        from = kCorpusCase;
        if (!importCorpus(from))
            return 1;
    }
    if (p.isSet(QStringLiteral("make-case")))
        return makeCase(from, p.value(QStringLiteral("make-case")).toStdString(), events) ? 0 : 1;

    std::vector<std::string> cases;
    for (const QString& c : p.values(QStringLiteral("case")))
        cases.push_back(c.toStdString());
    if (cases.empty()) {
        if (!QFileInfo::exists(QString::fromLatin1(kLargeCase)) && !makeCase(from, kLargeCase, events))
            return 1;
        cases = {from, kLargeCase};
    }
    for (const auto& c : cases)
        if (!timeCase(c))
            return 1;
    return 0;
}
