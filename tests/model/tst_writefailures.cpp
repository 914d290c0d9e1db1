// SPDX-License-Identifier: MIT
// Writes that fail for real: a file size limit on the command-line import (a child process under RLIMIT_FSIZE), and
// an SQLite VFS that fails the writer's log writes, the background checkpointer's and the final checkpoint's. In
// every case the import says it failed and names the case, what it prints equals what the case holds, the case is
// valid, and importing the same input again completes it.
#include "eventsummary_helpers.h"
#include "bulkjson_helpers.h"
#include "faultyvfs_helpers.h"
#include "import/importer.h"
#include "storage/casewriter.h"
#include "storage/caseinfo.h"
#include "storage/database.h"
#include "storage/statement.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <sys/resource.h>

using namespace dscope::model;

namespace {

constexpr int kLines = 40000;

QString integrity(const std::string& casePath)
{
    Database db;
    if (!db.open(casePath, Database::Mode::ReadOnly))
        return QString::fromStdString(db.lastError());
    Statement st(db, "PRAGMA integrity_check");
    return st.next() ? QString::fromStdString(st.columnText(0)) : QString::fromStdString(db.lastError());
}

struct Run {
    int exitCode = -1;
    QString out, err;
};

Run runCli(const QStringList& args, rlim_t fileSizeLimit = RLIM_INFINITY)
{
    QProcess p;
    // The limit applies to the child only. SIGXFSZ keeps its default action (it would kill the process): the
    // workbench itself must turn a file size limit into a reported error.
    p.setChildProcessModifier([fileSizeLimit] {
        const struct rlimit limit = {fileSizeLimit, fileSizeLimit};
        setrlimit(RLIMIT_FSIZE, &limit);
    });
    p.start(QStringLiteral(DSCOPE_BINARY), args);
    Run r;
    if (!p.waitForFinished(120000))
        return r;
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

QJsonObject infoJson(const QString& casePath)
{
    const Run r = runCli({QStringLiteral("info"), QStringLiteral("--json"), casePath});
    return QJsonDocument::fromJson(r.out.toUtf8()).object();
}

/// The events the case holds, in total and per input as the inputs table says.
struct Held {
    int64_t events = 0;
    std::string summaryMismatch; ///< empty when event_summary equals the events
    std::map<std::string, std::pair<InputStatus, int64_t>> inputs;
};

Held held(const std::string& casePath)
{
    Held h;
    CaseInfo info;
    std::string error;
    if (!loadCaseInfo(casePath, info, error))
        return h;
    // Counted in the events table itself; the summary that `info` and the workbench read must agree with it.
    Database db;
    if (!db.open(casePath, Database::Mode::ReadOnly))
        return h;
    h.events = db.scalar("SELECT count(*) FROM events");
    h.summaryMismatch = dscope::testing::eventSummaryMismatch(db);
    if (info.events != h.events && h.summaryMismatch.empty())
        h.summaryMismatch = "info counts " + std::to_string(info.events) + " events";
    for (const auto& in : info.inputs)
        h.inputs[in.path] = {in.status, in.events};
    return h;
}

} // namespace

class TestWriteFailures : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_input;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_input = m_dir.filePath(QStringLiteral("bulk.jsonl"));
        writeBigJsonLines(m_input, kLines);
        faultyvfs::install();
    }

    void fileSizeLimitStopsTheCommandLineImport_data()
    {
        QTest::addColumn<int>("limitKiB");
        QTest::newRow("96 KiB: the case can hardly be created") << 96;
        QTest::newRow("1 MiB: the first commit fails") << 1024;
        QTest::newRow("4 MiB: fails after some commits") << 4096;
    }

    void fileSizeLimitStopsTheCommandLineImport()
    {
        QFETCH(int, limitKiB);
        const QString casePath = m_dir.filePath(QStringLiteral("limit%1.dscase").arg(limitKiB));
        const Run limited = runCli({QStringLiteral("import"), QStringLiteral("--case"), casePath, m_input},
                                   rlim_t(limitKiB) * 1024);
        QVERIFY2(limited.exitCode == 1, qPrintable(QStringLiteral("exit %1: %2").arg(limited.exitCode).arg(limited.err)));
        QVERIFY2(limited.err.contains(QLatin1String("error: cannot ")) && limited.err.contains(casePath),
                 qPrintable(limited.err));
        QVERIFY2(limited.err.contains(QLatin1String("file size limit")), qPrintable(limited.err));

        // What it printed is what the case holds.
        const QRegularExpression total(QStringLiteral("^total: (\\d+) events"), QRegularExpression::MultilineOption);
        const auto m = total.match(limited.out);
        const int64_t printed = m.hasMatch() ? m.captured(1).toLongLong() : 0;
        QVERIFY(printed < kLines);
        if (QFileInfo::exists(casePath)) {
            QCOMPARE(integrity(casePath.toStdString()), QStringLiteral("ok"));
            const QJsonObject info = infoJson(casePath);
            QCOMPARE(info.value(QLatin1String("events")).toInteger(), printed);
            int64_t perInput = 0;
            for (const QJsonValue in : info.value(QLatin1String("inputs")).toArray()) {
                QCOMPARE(in[QLatin1String("status")].toString(), QStringLiteral("incomplete"));
                perInput += in[QLatin1String("events")].toInteger();
            }
            QCOMPARE(perInput, printed);
            if (printed > 0)
                QVERIFY(limited.out.contains(QStringLiteral("INCOMPLETE, %1 events stored").arg(printed)));
        } else {
            QCOMPARE(printed, int64_t(0));
        }

        // Once the limit is gone, importing the same file again completes it.
        const Run again = runCli({QStringLiteral("import"), QStringLiteral("--case"), casePath, m_input});
        QVERIFY2(again.exitCode == 0, qPrintable(again.err));
        const QJsonObject info = infoJson(casePath);
        QCOMPARE(info.value(QLatin1String("events")).toInteger(), int64_t(kLines));
        QCOMPARE(info.value(QLatin1String("inputs")).toArray().size(), 1);
        QCOMPARE(info.value(QLatin1String("inputs")).toArray().at(0)[QLatin1String("status")].toString(),
                 QStringLiteral("complete"));
    }

    void failingWritesStopTheImport_data()
    {
        QTest::addColumn<int>("target");
        QTest::addColumn<int>("threads");
        QTest::addColumn<qint64>("budget");
        QTest::addColumn<int>("error");
        QTest::addColumn<QString>("what");
        QTest::addColumn<bool>("allStored");
        QTest::addColumn<bool>("deferIndexes");
        QTest::newRow("the writer: the log is full") << int(faultyvfs::Target::Wal) << int(faultyvfs::Threads::Any)
                                                     << qint64(3 << 20) << SQLITE_FULL << QStringLiteral("(") << false
                                                     << false;
        QTest::newRow("the writer: an I/O error") << int(faultyvfs::Target::Wal) << int(faultyvfs::Threads::Any)
                                                  << qint64(1 << 20) << SQLITE_IOERR_WRITE << QStringLiteral("(")
                                                  << false << false;
        QTest::newRow("the background checkpointer")
            << int(faultyvfs::Target::MainDb) << int(faultyvfs::Threads::OtherThreads) << qint64(256 << 10)
            << SQLITE_IOERR_WRITE << QStringLiteral("copy committed events from the log") << false << false;
        // With the indexes built after the load, the final checkpoint always has their pages to copy: otherwise a
        // slow run (sanitizers) can leave it nothing, the background checkpointer having copied every batch.
        QTest::newRow("the final checkpoint")
            << int(faultyvfs::Target::MainDb) << int(faultyvfs::Threads::ArmingThread) << qint64(0) << SQLITE_FULL
            << QStringLiteral("copy the log into the case file") << true << true;
    }

    void failingWritesStopTheImport()
    {
        QFETCH(int, target);
        QFETCH(int, threads);
        QFETCH(qint64, budget);
        QFETCH(int, error);
        QFETCH(QString, what);
        QFETCH(bool, allStored);
        QFETCH(bool, deferIndexes);
        static int n = 0;
        const std::string casePath = m_dir.filePath(QStringLiteral("vfs%1.dscase").arg(++n)).toStdString();
        {
            // The case exists before the faults begin: in WAL mode only checkpoints write the case file itself.
            CaseWriter create(casePath);
            QVERIFY2(create.open() && create.close(), create.error().c_str());
        }
        ImportOptions options;
        options.commitEvery = 1024; // many commits, so that a failure falls between two of them
        if (deferIndexes)
            options.deferIndexesAbove = 0;
        faultyvfs::arm(faultyvfs::Target(target), faultyvfs::Threads(threads), budget, error);
        const ImportSummary s = Importer(casePath, options).run({m_input.toStdString()});
        faultyvfs::disarm();
        QVERIFY(faultyvfs::failures() > 0);

        QVERIFY2(!s.fatal.empty(), "the import claimed success");
        QVERIFY2(s.fatal.find(casePath) != std::string::npos && s.fatal.find(what.toStdString()) != std::string::npos,
                 s.fatal.c_str());
        QCOMPARE(integrity(casePath), QStringLiteral("ok"));
        const Held h = held(casePath);
        QCOMPARE(h.events, s.events);
        QVERIFY2(h.summaryMismatch.empty(), h.summaryMismatch.c_str());
        QCOMPARE(s.inputs.size(), size_t(1));
        const InputReport& r = s.inputs.front();
        if (allStored) {
            QCOMPARE(s.events, int64_t(kLines));
            QCOMPARE(statusName(r.status), "imported");
        } else {
            QVERIFY(s.events < kLines);
            QCOMPARE(statusName(r.status), "incomplete");
        }
        if (h.inputs.count(r.path)) {
            QCOMPARE(h.inputs.at(r.path).second, r.events);
            QCOMPARE(h.inputs.at(r.path).first, allStored ? InputStatus::Complete : InputStatus::Incomplete);
        } else {
            QCOMPARE(r.events, int64_t(0)); // its row never reached a commit
        }

        const ImportSummary again = Importer(casePath).run({m_input.toStdString()});
        QVERIFY2(again.fatal.empty(), again.fatal.c_str());
        const Held after = held(casePath);
        QCOMPARE(after.events, int64_t(kLines));
        QVERIFY2(after.summaryMismatch.empty(), after.summaryMismatch.c_str());
    }

    void aFailedWriterStoresNothingMore()
    {
        const std::string casePath = m_dir.filePath(QStringLiteral("after.dscase")).toStdString();
        CaseWriter writer(casePath);
        QVERIFY(writer.open());
        InputReport report;
        report.path = "one.jsonl";
        report.sha256 = std::string(64, '1');
        const int64_t id = writer.beginInput(report);
        QVERIFY(id > 0);
        std::vector<Event> events(100);
        for (Event& e : events) {
            e.eventId = 10;
            e.host = "H";
        }
        QVERIFY(writer.insert(id, events, {}));
        QVERIFY(writer.commit());
        QCOMPARE(writer.committedEvents(id), int64_t(100));
        faultyvfs::arm(faultyvfs::Target::Wal, faultyvfs::Threads::Any, 0, SQLITE_FULL);
        QVERIFY(writer.insert(id, events, {})); // held in the page cache, not yet written
        QVERIFY(!writer.commit());
        faultyvfs::disarm();
        QVERIFY(writer.failed());
        QVERIFY2(writer.error().find("database or disk is full") != std::string::npos, writer.error().c_str());
        QVERIFY(writer.error().find("one.jsonl") != std::string::npos);
        // Writes after a failure are refused, even once the disk has room again: the caller has been told to stop.
        QVERIFY(!writer.insert(id, events, {}));
        QVERIFY(!writer.commit());
        QCOMPARE(writer.committedEvents(id), int64_t(100));
        QVERIFY(!writer.close());
        QCOMPARE(held(casePath).events, int64_t(100));
        QCOMPARE(held(casePath).inputs.at("one.jsonl").first, InputStatus::Incomplete);
        QCOMPARE(held(casePath).inputs.at("one.jsonl").second, int64_t(100));
    }
};

QTEST_GUILESS_MAIN(TestWriteFailures)
#include "tst_writefailures.moc"
