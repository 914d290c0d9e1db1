// SPDX-License-Identifier: MIT
// Import benchmark: all corpus EVTX into a fresh case, next to `evtxexport -f xml` over the same files in the same
// run; then the JSON archives, next to plain decompression of the same archives. Prints events/s, MB/s, peak RSS
// and the ratios. Each import runs as its own `doppelscope import` process so its peak RSS is its own.
//
//   bench_import [--datasets DIR] [--engine native|libevtx] [--repeat N]
#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTextStream>

#include "childprocess.h"

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fcntl.h>
#include <string>
#include <vector>

namespace {

/// "0.213 0.221 0.207 (median 0.213)"
QString runsText(std::vector<double> runs)
{
    QString text;
    for (double s : runs)
        text += QString::number(s, 'f', 3) + QLatin1Char(' ');
    std::sort(runs.begin(), runs.end());
    if (!runs.empty())
        text += QStringLiteral("(median %1)").arg(runs[runs.size() / 2], 0, 'f', 3);
    return text;
}

/// A child's run: time, peak RSS, exit code and (when kept) its standard output.
using RunResult = dscope::bench::Child;
RunResult runProcess(const std::vector<std::string>& argv, bool captureOut)
{
    return dscope::bench::run(argv, 0, nullptr, captureOut);
}

std::vector<std::string> findFiles(const QString& root, const QStringList& patterns)
{
    std::vector<std::string> out;
    QDirIterator it(root, patterns, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        out.push_back(it.next().toStdString());
    std::sort(out.begin(), out.end());
    return out;
}

int64_t totalBytes(const std::vector<std::string>& files)
{
    int64_t n = 0;
    for (const auto& f : files)
        n += QFileInfo(QString::fromStdString(f)).size();
    return n;
}

/// Events imported, from the "total: N events" line of `doppelscope import`.
int64_t importedEvents(const std::string& output)
{
    const auto pos = output.rfind("total: ");
    return pos == std::string::npos ? -1 : std::stoll(output.substr(pos + 7));
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QString datasets = QStringLiteral(DSCOPE_DATASETS);
    std::string engine = "native";
    int repeat = 3;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == QLatin1String("--datasets"))
            datasets = args[++i];
        else if (args[i] == QLatin1String("--engine"))
            engine = args[++i].toStdString();
        else if (args[i] == QLatin1String("--repeat"))
            repeat = std::max(1, args[++i].toInt());
    }
    QTextStream out(stdout);
    if (!QFileInfo(datasets).isDir()) {
        out << "SKIP: corpus not found at " << datasets << '\n';
        return 0;
    }
    const std::string binary = DSCOPE_BINARY;
    QTemporaryDir tmp;

    // --- EVTX ---
    const auto evtx = findFiles(datasets, {QStringLiteral("*.evtx")});
    const int64_t evtxBytes = totalBytes(evtx);
    double best = 1e9, bestRef = 1e9;
    std::vector<double> runs; // every import's seconds: the best is the headline, the rest show the spread
    long rss = 0;
    int64_t events = 0;
    int64_t refRecords = 0;
    for (int r = 0; r < repeat; ++r) {
        const std::string c = tmp.filePath(QStringLiteral("evtx%1.dscase").arg(r)).toStdString();
        std::vector<std::string> cmd{binary, "import", "--evtx-engine", engine, "--case", c};
        cmd.insert(cmd.end(), evtx.begin(), evtx.end());
        const RunResult res = runProcess(cmd, true);
        events = importedEvents(res.stdoutText);
        if (res.seconds < best)
            best = res.seconds;
        runs.push_back(res.seconds);
        rss = std::max(rss, res.maxRssKiB);

        // Reference: evtxexport -f xml on each file, one process per file as an analyst would run it.
        double refSeconds = 0;
        int64_t records = 0;
        for (const auto& f : evtx) {
            const RunResult ref = runProcess({"evtxexport", "-f", "xml", f}, true);
            refSeconds += ref.seconds;
            size_t pos = 0;
            while ((pos = ref.stdoutText.find("<Event ", pos)) != std::string::npos) {
                ++records;
                ++pos;
            }
        }
        refRecords = records;
        bestRef = std::min(bestRef, refSeconds);
    }
    out << QStringLiteral("EVTX: %1 files, %2 MiB\n").arg(evtx.size()).arg(double(evtxBytes) / 1048576.0, 0, 'f', 1);
    out << QStringLiteral("  doppelscope import (engine %1, parse+normalize+store): %2 events in %3 s = %4 events/s, "
                          "%5 MB/s, peak RSS %6 MiB\n")
               .arg(QString::fromStdString(engine))
               .arg(events)
               .arg(best, 0, 'f', 3)
               .arg(qint64(double(events) / best))
               .arg(double(evtxBytes) / 1e6 / best, 0, 'f', 1)
               .arg(double(rss) / 1024.0, 0, 'f', 1);
    out << "  every run (s): " << runsText(runs) << '\n';
    out << QStringLiteral("  evtxexport -f xml (reference, same files): %1 records in %2 s = %3 records/s\n")
               .arg(refRecords)
               .arg(bestRef, 0, 'f', 3)
               .arg(qint64(double(refRecords) / bestRef));
    out << QStringLiteral("  ratio (evtxexport time / import time): %1 (target >= 1.0)\n").arg(bestRef / best, 0, 'f', 2);

    // --- JSON archives ---
    const auto archives = findFiles(datasets, {QStringLiteral("*.zip"), QStringLiteral("*.Zip"),
                                               QStringLiteral("*.tar.gz")});
    const int64_t archiveBytes = totalBytes(archives);
    best = 1e9;
    bestRef = 1e9;
    rss = 0;
    runs.clear();
    for (int r = 0; r < repeat; ++r) {
        const std::string c = tmp.filePath(QStringLiteral("json%1.dscase").arg(r)).toStdString();
        std::vector<std::string> cmd{binary, "import", "--case", c};
        cmd.insert(cmd.end(), archives.begin(), archives.end());
        const RunResult res = runProcess(cmd, true);
        events = importedEvents(res.stdoutText);
        best = std::min(best, res.seconds);
        runs.push_back(res.seconds);
        rss = std::max(rss, res.maxRssKiB);
        double refSeconds = 0;
        for (const auto& a : archives) {
            const bool zip = a.size() > 4 && (a.substr(a.size() - 4) == ".zip" || a.substr(a.size() - 4) == ".Zip");
            refSeconds += zip ? runProcess({"unzip", "-p", a}, false).seconds
                              : runProcess({"tar", "-xOzf", a}, false).seconds;
        }
        bestRef = std::min(bestRef, refSeconds);
    }
    out << QStringLiteral("JSON archives: %1 files, %2 MiB compressed\n")
               .arg(archives.size())
               .arg(double(archiveBytes) / 1048576.0, 0, 'f', 1);
    out << QStringLiteral("  doppelscope import: %1 events in %2 s = %3 events/s (target >= 150000), peak RSS %4 MiB\n")
               .arg(events)
               .arg(best, 0, 'f', 3)
               .arg(qint64(double(events) / best))
               .arg(double(rss) / 1024.0, 0, 'f', 1);
    out << "  every run (s): " << runsText(runs) << '\n';
    out << QStringLiteral("  decompression alone (unzip -p / tar -xO, reference floor): %1 s; import/decompress ratio %2\n")
               .arg(bestRef, 0, 'f', 3)
               .arg(best / bestRef, 0, 'f', 2);
    return 0;
}
