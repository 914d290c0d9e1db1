// SPDX-License-Identifier: MIT
// Huge-input benchmark: a set of about 20 GB made of copies of the corpus's EVTX files and JSON archives, imported by
// `doppelscope import` into a new case. Prints the import's peak RSS (target < 300 MiB), how steadily its progress
// moved, what a cancel costs (Ctrl-C a third of the way through: time to exit, and the events it says it kept against what the
// case holds), and how fast the result opens: `doppelscope info` (what the status bar shows) and the Events page
// (first rows on screen), target < 2 s. Reference in the same run: reading every byte of the set (`cat` speed).
//
//   bench_huge_import [--dir DIR] [--gigabytes N] [--json-share F] [--datasets DIR] [--keep]
//
// Every copy differs from the others in bytes no reader looks at (an unused byte of the EVTX file header, the gzip
// header's time stamp, the zip archive's comment), so that the importer's same-SHA-256 rule does not skip it. The set
// is kept in DIR (default /var/tmp/dscope-huge) and reused by the next run with the same size; the cases are removed
// unless --keep.
#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTextStream>

#include "childprocess.h"

#include "storage/database.h"
#include "storage/statement.h"


#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace {

using dscope::bench::Child;
using dscope::bench::run;

QTextStream& out()
{
    static QTextStream s(stdout);
    return s;
}

/// Makes the copy unique in bytes no reader interprets. Returns false for a file it cannot vary safely.
bool vary(QByteArray& bytes, const QString& suffix, quint32 serial)
{
    auto put32 = [&](qsizetype at, quint32 v) {
        for (int i = 0; i < 4; ++i)
            bytes[at + i] = char((v >> (8 * i)) & 0xff);
    };
    if (suffix == QLatin1String("evtx")) {
        // The file header is 128 bytes in a 4096-byte block; the rest of the block is unused padding.
        if (bytes.size() < 4096 || !bytes.startsWith(QByteArrayLiteral("ElfFile")))
            return false;
        put32(4000, serial);
        return true;
    }
    if (suffix == QLatin1String("gz")) {
        // MTIME of the gzip member header (RFC 1952 2.3.1), not covered by any checksum unless FHCRC is set.
        if (bytes.size() < 10 || quint8(bytes[0]) != 0x1f || quint8(bytes[1]) != 0x8b || (bytes[3] & 0x02))
            return false;
        put32(4, serial);
        return true;
    }
    if (suffix == QLatin1String("zip")) {
        // The end of central directory record's comment: set a 4-byte comment where there was none.
        const qsizetype eocd = bytes.lastIndexOf(QByteArrayLiteral("PK\x05\x06"));
        if (eocd < 0 || eocd + 22 != bytes.size())
            return false;
        bytes[eocd + 20] = 4;
        bytes[eocd + 21] = 0;
        bytes.append(4, '\0');
        put32(eocd + 22, serial);
        return true;
    }
    return false;
}

qint64 dirBytes(const QString& dir)
{
    qint64 n = 0;
    QDirIterator it(dir, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        n += it.fileInfo().size();
    }
    return n;
}

/// Copies corpus files round-robin until `targetBytes` (EVTX) and `targetBytes * jsonShare` (archives) are reached.
bool makeSet(const QString& datasets, const QString& setDir, qint64 targetBytes, double jsonShare)
{
    QStringList evtx, archives;
    QDirIterator it(datasets, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString f = it.next();
        const QString lower = f.toLower();
        if (lower.endsWith(QLatin1String(".evtx")))
            evtx << f;
        else if (lower.endsWith(QLatin1String(".zip")) || lower.endsWith(QLatin1String(".gz")))
            archives << f;
    }
    evtx.sort();
    archives.sort();
    if (evtx.isEmpty())
        return false;
    QDir().mkpath(setDir);
    quint32 serial = 0;
    const qint64 jsonTarget = qint64(double(targetBytes) * jsonShare);
    for (const auto& [list, target] : {std::pair{archives, jsonTarget}, std::pair{evtx, targetBytes - jsonTarget}}) {
        qint64 written = 0;
        for (qsizetype i = 0; written < target && !list.isEmpty(); i = (i + 1) % list.size()) {
            QFile in(list[i]);
            if (!in.open(QIODevice::ReadOnly))
                continue;
            QByteArray bytes = in.readAll();
            const QString name = QFileInfo(list[i]).fileName();
            const QString suffix = name.section(QLatin1Char('.'), -1).toLower();
            if (!vary(bytes, suffix, serial + 1))
                continue;
            ++serial;
            QFile outFile(setDir + QStringLiteral("/%1-%2").arg(serial, 6, 10, QLatin1Char('0')).arg(name));
            if (!outFile.open(QIODevice::WriteOnly) || outFile.write(bytes) != bytes.size()) {
                std::fprintf(stderr, "cannot write %s\n", qPrintable(outFile.fileName()));
                return false;
            }
            written += bytes.size();
            if (serial % 2000 == 0) {
                out() << "  making the set: " << serial << " files\r";
                out().flush();
            }
        }
    }
    out() << "  made " << serial << " files\n";
    return true;
}

double gib(qint64 bytes) { return double(bytes) / double(1 << 30); }

/// "total: N events from ..." of the import command.
qint64 reportedEvents(const std::string& text)
{
    static const QRegularExpression re(QStringLiteral("total: (\\d+) events"));
    const auto m = re.match(QString::fromStdString(text));
    return m.hasMatch() ? m.captured(1).toLongLong() : -1;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    QString dir = QStringLiteral("/var/tmp/dscope-huge");
    QString datasets = QStringLiteral(DSCOPE_DATASETS);
    double gigabytes = 20;
    double jsonShare = 0.05;
    bool keep = false;
    for (int i = 1; i < args.size(); ++i) {
        const QString a = args.at(i);
        const QString next = i + 1 < args.size() ? args.at(i + 1) : QString();
        if (a == QLatin1String("--dir"))
            dir = next, ++i;
        else if (a == QLatin1String("--gigabytes"))
            gigabytes = next.toDouble(), ++i;
        else if (a == QLatin1String("--json-share"))
            jsonShare = next.toDouble(), ++i;
        else if (a == QLatin1String("--datasets"))
            datasets = next, ++i;
        else if (a == QLatin1String("--keep"))
            keep = true;
    }
    if (!QFileInfo(datasets).isDir()) {
        std::printf("SKIP: no corpus at %s\n", qPrintable(datasets));
        return 0;
    }
    const QString binary = QStringLiteral(DSCOPE_BINARY);
    const QString setDir = dir + QStringLiteral("/set-%1g").arg(gigabytes);
    const qint64 target = qint64(gigabytes * double(qint64(1) << 30));
    if (!QFileInfo::exists(setDir + QStringLiteral("/.complete"))) {
        QDir(setDir).removeRecursively();
        out() << "making a " << gigabytes << " GiB set in " << setDir << " (" << jsonShare * 100 << " % JSON archives)\n";
        out().flush();
        QElapsedTimer t;
        t.start();
        if (!makeSet(datasets, setDir, target, jsonShare))
            return 1;
        QFile(setDir + QStringLiteral("/.complete")).open(QIODevice::WriteOnly);
        out() << "  in " << t.elapsed() / 1000 << " s\n";
    }
    const qint64 setBytes = dirBytes(setDir);
    const qint64 files = QDir(setDir).entryList(QDir::Files).size();
    out() << "set: " << files << " files, " << QString::number(gib(setBytes), 'f', 2) << " GiB\n";

    // Reference: reading every byte once (what any importer must at least do).
    const Child cat = run({"sh", "-c", "find \"$0\" -type f -exec cat {} + > /dev/null", setDir.toStdString()});
    out() << "reference, reading the set (cat): " << QString::number(cat.seconds, 'f', 1) << " s, "
          << QString::number(double(setBytes) / 1048576.0 / cat.seconds, 'f', 0) << " MiB/s\n";
    out().flush();

    const QString casePath = dir + QStringLiteral("/huge.dscase");
    for (const QString& suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
        QFile::remove(casePath + suffix);
    const Child imp = run({binary.toStdString(), "import", "--case", casePath.toStdString(), setDir.toStdString()});
    const qint64 said = reportedEvents(imp.stdoutText);
    double longestStill = 0;
    double lastChange = 0;
    std::string lastLine;
    for (const auto& [when, line] : imp.progress) {
        if (line != lastLine) {
            longestStill = std::max(longestStill, when - lastChange);
            lastChange = when;
            lastLine = line;
        }
    }
    const double rssMiB = double(imp.maxRssKiB) / 1024.0;
    out() << "import: exit " << imp.exitCode << ", " << said << " events in " << QString::number(imp.seconds, 'f', 1)
          << " s (" << qint64(double(said) / imp.seconds) << " events/s, "
          << QString::number(double(setBytes) / 1048576.0 / imp.seconds, 'f', 0) << " MiB/s; "
          << QString::number(imp.seconds / cat.seconds, 'f', 1) << "x the reading time)\n"
          << "import: peak RSS " << QString::number(rssMiB, 'f', 0) << " MiB (target < 300)\n"
          << "import: " << imp.progress.size() << " progress updates, longest time without a change "
          << QString::number(longestStill, 'f', 1) << " s\n"
          << "case: " << QString::number(gib(QFileInfo(casePath).size()), 'f', 2) << " GiB\n";
    out().flush();

    // Opening: the figures the status bar shows, then the Events page's first rows.
    const Child info = run({binary.toStdString(), "info", casePath.toStdString()});
    static const QRegularExpression eventsLine(QStringLiteral("^events: (\\d+)"), QRegularExpression::MultilineOption);
    const qint64 infoEvents = eventsLine.match(QString::fromStdString(info.stdoutText)).captured(1).toLongLong();
    out() << "open: `doppelscope info` in " << QString::number(info.seconds, 'f', 2) << " s (target < 2), "
          << infoEvents << " events" << (infoEvents == said ? " (as the import said)" : " (NOT what the import said)")
          << '\n';
    const QString gui = QFileInfo(QString::fromLocal8Bit(argv[0])).absolutePath() + QStringLiteral("/bench_gui_scroll");
    const Child page = run({gui.toStdString(), "--case", casePath.toStdString()});
    static const QRegularExpression openLine(QStringLiteral("open: first rows on screen (\\d+) ms, all ids (\\d+) ms"));
    const auto pm = openLine.match(QString::fromStdString(page.stdoutText));
    const qint64 firstRowsMs = pm.hasMatch() ? pm.captured(1).toLongLong() : -1;
    out() << "open: Events page, first rows on screen " << firstRowsMs << " ms, all ids "
          << (pm.hasMatch() ? pm.captured(2) : QStringLiteral("?")) << " ms (target < 2000), peak RSS "
          << page.maxRssKiB / 1024 << " MiB\n";
    out().flush();

    // Cancel: a second import into a new case, Ctrl-C a third of the way through (at least 2 s in).
    const double interruptAfter = std::max(2.0, imp.seconds / 3);
    const QString cancelCase = dir + QStringLiteral("/huge-cancelled.dscase");
    for (const QString& suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
        QFile::remove(cancelCase + suffix);
    double toExit = -1;
    const Child cancelled = run({binary.toStdString(), "import", "--case", cancelCase.toStdString(),
                                 setDir.toStdString()},
                                interruptAfter, &toExit);
    const qint64 keptSaid = reportedEvents(cancelled.stdoutText);
    qint64 held = -1;
    std::string quickCheck;
    {
        dscope::model::Database db;
        if (db.open(cancelCase.toStdString(), dscope::model::Database::Mode::ReadOnly)) {
            held = db.scalar("SELECT count(*) FROM events", -1);
            dscope::model::Statement st(db, "PRAGMA quick_check");
            quickCheck = st.next() ? st.columnText(0) : db.lastError();
        }
    }
    const bool cancelOk = cancelled.stdoutText.find("- cancelled") != std::string::npos && keptSaid == held
                          && quickCheck == "ok";
    out() << "cancel: Ctrl-C after " << QString::number(interruptAfter, 'f', 1) << " s, exited " << QString::number(toExit, 'f', 2) << " s later (exit "
          << cancelled.exitCode << "); it says " << keptSaid << " events were kept, the case holds " << held
          << ", quick_check " << QString::fromStdString(quickCheck) << '\n';

    const bool ok = imp.exitCode == 0 && rssMiB < 300 && info.seconds < 2 && infoEvents == said && firstRowsMs >= 0
                    && firstRowsMs < 2000 && cancelOk && toExit < 5;
    out() << (ok ? "all targets met\n" : "TARGETS MISSED\n");
    out().flush();
    if (!keep) {
        for (const QString& c : {casePath, cancelCase})
            for (const QString& suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
                QFile::remove(c + suffix);
    }
    return ok ? 0 : 1;
}
