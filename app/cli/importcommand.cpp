// SPDX-License-Identifier: MIT
// `doppelscope import --case CASE.dscase [--evtx-engine native|libevtx] [--threads N] [--recover] PATH...`
#include "clicontext.h"

#include "import/importer.h"

#include <QCommandLineParser>
#include <QElapsedTimer>

#include <csignal>

namespace dscope::app {

using namespace dscope::model;

namespace {

std::atomic_bool g_interrupted{false};

void onSigint(int) { g_interrupted.store(true); }

QString reportLine(const InputReport& r)
{
    QString line = QString::fromStdString(r.path) + QLatin1String(": ");
    switch (r.status) {
    case InputReport::Status::Duplicate:
        return line + QLatin1String("already in the case (same SHA-256), nothing added");
    case InputReport::Status::Failed:
        return line + QLatin1String("FAILED: ") + QString::fromStdString(r.failure);
    case InputReport::Status::Incomplete:
        return line + QStringLiteral("INCOMPLETE, %1 events stored: ").arg(r.events) + QString::fromStdString(r.failure);
    default:
        break;
    }
    line += QString::fromStdString(r.format);
    if (!r.layout.empty())
        line += QLatin1String(" [") + QString::fromStdString(r.layout) + QLatin1Char(']');
    if (!r.engine.empty())
        line += QLatin1String(" engine=") + QString::fromStdString(r.engine);
    if (r.layout == "alert-rows")
        line += QStringLiteral(", %1 alert(s) imported for triage (their events are not in this file), %2 skipped")
                    .arg(r.alerts)
                    .arg(r.skipped);
    else
        line += QStringLiteral(", %1 events imported, %2 skipped").arg(r.events).arg(r.skipped);
    if (r.warnings)
        line += QStringLiteral(", %1 warning(s) (all records read)").arg(r.warnings);
    if (r.recovered)
        line += QStringLiteral(", %1 recovered").arg(r.recovered);
    line += QStringLiteral(", %1 s").arg(r.seconds, 0, 'f', 3);
    if (r.status == InputReport::Status::Cancelled)
        line += QLatin1String(" (cancelled)");
    return line;
}

} // namespace

int printImportSummary(const ImportSummary& summary)
{
    int failed = 0;
    for (const auto& r : summary.inputs) {
        out() << reportLine(r) << '\n';
        for (const auto& issue : r.issues)
            out() << "    " << (issue.warning ? QStringLiteral("warning ") : QString())
                  << (issue.position >= 0 ? QStringLiteral("at %1: ").arg(issue.position) : QString())
                  << QString::fromStdString(issue.message) << '\n';
        if (r.issueCount > int64_t(r.issues.size()))
            out() << "    ... " << (r.issueCount - int64_t(r.issues.size())) << " more\n";
        if (r.status == InputReport::Status::Failed)
            ++failed;
    }
    out() << QStringLiteral("total: %1 events from %2 inputs in %3 s (%4 events/s)%5\n")
                 .arg(summary.events)
                 .arg(summary.inputs.size())
                 .arg(summary.seconds, 0, 'f', 3)
                 .arg(summary.seconds > 0 ? qint64(double(summary.events) / summary.seconds) : 0)
                 .arg(summary.cancelled ? QStringLiteral(" - cancelled") : QString());
    out().flush();
    if (!summary.fatal.empty()) {
        err() << "error: " << QString::fromStdString(summary.fatal) << '\n';
        return ExitFailure;
    }
    return failed ? ExitFailure : ExitOk;
}

bool parseImportOptions(QCommandLineParser& p, ImportOptions& options, QString& error)
{
    const QString engine = p.value(QStringLiteral("evtx-engine"));
    if (engine == QLatin1String("libevtx"))
        options.source.evtxEngine = EvtxEngine::Libevtx;
    else if (engine.isEmpty() || engine == QLatin1String("native"))
        options.source.evtxEngine = EvtxEngine::Native;
    else {
        error = QStringLiteral("unknown --evtx-engine '%1' (native or libevtx)").arg(engine);
        return false;
    }
    if (p.isSet(QStringLiteral("threads")))
        options.threads = std::max(1, p.value(QStringLiteral("threads")).toInt());
    options.source.recoverEvtx = p.isSet(QStringLiteral("recover"));
    return true;
}

void addImportOptions(QCommandLineParser& p)
{
    p.addOption({QStringLiteral("evtx-engine"), QStringLiteral("EVTX decoder: native (default) or libevtx."),
                 QStringLiteral("engine")});
    p.addOption({QStringLiteral("threads"), QStringLiteral("Parser threads (default 2)."), QStringLiteral("n")});
    p.addOption({QStringLiteral("recover"), QStringLiteral("Also recover EVTX records from slack space.")});
}

std::vector<std::string> importPaths(const QStringList& args)
{
    // "-" is standard input (`zcat log.evtx.gz | doppelscope import --case c -`): read once into memory, like any
    // pipe, and recorded as /dev/stdin.
    std::vector<std::string> paths;
    for (const QString& a : args)
        paths.push_back(a == QLatin1String("-") ? std::string("/dev/stdin") : a.toStdString());
    return paths;
}

ImportSummary importWithProgress(const std::string& casePath, const std::vector<std::string>& paths,
                                 const ImportOptions& options)
{
    std::signal(SIGINT, onSigint); // Ctrl-C cancels cleanly: committed batches stay, the input is "incomplete"
    Importer importer(casePath, options);
    return importer.run(
        paths,
        [](const ImportProgress& p) {
            // After the last file, the writer's closing stages (building indexes) say what it is doing.
            err() << QStringLiteral("\r[%1/%2 files] %3 events, %4 / %5 MiB%6  ")
                         .arg(p.filesDone)
                         .arg(p.filesTotal)
                         .arg(p.events)
                         .arg(double(p.bytesDone) / 1048576.0, 0, 'f', 1)
                         .arg(double(p.bytesTotal) / 1048576.0, 0, 'f', 1)
                         .arg(p.current.empty() ? QString() : QStringLiteral(", ") + QString::fromStdString(p.current));
            err().flush();
        },
        &g_interrupted);
}

int runImport(const QStringList& args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Import event logs into a case."));
    p.addOption({QStringLiteral("case"), QStringLiteral("The case file (created if missing)."), QStringLiteral("file")});
    addImportOptions(p);
    p.addPositionalArgument(QStringLiteral("paths"), QStringLiteral("Files, folders or archives; - for standard input."),
                            QStringLiteral("PATH..."));
    p.process(QStringList{QStringLiteral("doppelscope import")} + args);
    const QString casePath = p.value(QStringLiteral("case"));
    if (casePath.isEmpty() || p.positionalArguments().isEmpty()) {
        err() << "usage: doppelscope import --case CASE.dscase PATH...\n";
        return ExitUsage;
    }
    ImportOptions options;
    QString error;
    if (!parseImportOptions(p, options, error)) {
        err() << "error: " << error << '\n';
        return ExitUsage;
    }
    const ImportSummary summary = importWithProgress(casePath.toStdString(), importPaths(p.positionalArguments()), options);
    err() << '\n';
    return printImportSummary(summary);
}

} // namespace dscope::app
