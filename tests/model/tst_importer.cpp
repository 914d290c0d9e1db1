// SPDX-License-Identifier: MIT
// The import pipeline end to end: duplicates, bad inputs next to good ones, hostile archive member names, cancel,
// and a kill mid-import.
#include "bulkjson_helpers.h"
#include "eventsummary_helpers.h"
#include "import/importer.h"
#include "storage/database.h"
#include "storage/schema.h"
#include "storage/statement.h"

#include <QCryptographicHash>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace dscope::model;

namespace {

const QString kDemo = QStringLiteral(DSCOPE_TEST_DATA "/chain/attack-chain.jsonl");

int64_t countEventIndexes(Database& db)
{
    return db.scalar("SELECT count(*) FROM sqlite_master WHERE type='index' AND name IN "
                     "('events_time','events_eid_time','events_subject','events_target')");
}

int64_t countEvents(const std::string& casePath)
{
    Database db;
    if (!db.open(casePath, Database::Mode::ReadOnly))
        return -1;
    return db.scalar("SELECT count(*) FROM events", -1);
}

void writeFile(const QString& path, const QByteArray& data)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(data);
}

} // namespace

class TestImporter : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::string casePath(const char* name) const { return m_dir.filePath(QLatin1String(name)).toStdString(); }

private Q_SLOTS:
    void sameFileTwiceAddsNothing()
    {
        const std::string c = casePath("dup.dscase");
        Importer importer(c);
        const auto first = importer.run({kDemo.toStdString()});
        QVERIFY(first.fatal.empty());
        QCOMPARE(first.inputs.size(), size_t(1));
        QCOMPARE(statusName(first.inputs[0].status), "imported");
        QCOMPARE(first.inputs[0].events, int64_t(24));
        // The fingerprint is the file's SHA-256 (checked against Qt's own implementation).
        QFile demo(kDemo);
        QVERIFY(demo.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromStdString(first.inputs[0].sha256),
                 QString::fromLatin1(QCryptographicHash::hash(demo.readAll(), QCryptographicHash::Sha256).toHex()));
        const auto second = Importer(c).run({kDemo.toStdString(), kDemo.toStdString()});
        for (const auto& r : second.inputs)
            QCOMPARE(statusName(r.status), "duplicate");
        QCOMPARE(countEvents(c), int64_t(24));
        Database db;
        QVERIFY(db.open(c, Database::Mode::ReadOnly));
        QCOMPARE(countEventIndexes(db), int64_t(4));
    }

    void deferredIndexesAreBuiltAfterTheLoad()
    {
        // A first load above deferIndexesAbove drops the indexes and builds them once at the end.
        const std::string c = casePath("deferred.dscase");
        ImportOptions options;
        options.deferIndexesAbove = 0;
        const auto s = Importer(c, options).run({kDemo.toStdString()});
        QVERIFY(s.fatal.empty());
        QCOMPARE(s.events, int64_t(24));
        Database db;
        QVERIFY(db.open(c, Database::Mode::ReadOnly));
        QCOMPARE(countEventIndexes(db), int64_t(4));
        QCOMPARE(db.scalar("SELECT count(*) FROM events INDEXED BY events_subject WHERE subject_guid IS NOT NULL"),
                 db.scalar("SELECT count(*) FROM events NOT INDEXED WHERE subject_guid IS NOT NULL"));
        QVERIFY(db.scalar("SELECT count(*) FROM events WHERE subject_guid IS NOT NULL") > 0);
    }

    void badInputsNextToGoodOnes()
    {
        const QString junk = m_dir.filePath(QStringLiteral("junk.bin"));
        writeFile(junk, QByteArray(5000, '\x07'));
        const QString empty = m_dir.filePath(QStringLiteral("empty.log"));
        writeFile(empty, QByteArray());
        const QString missing = m_dir.filePath(QStringLiteral("does-not-exist.evtx"));
        const std::string c = casePath("bad.dscase");
        const auto s = Importer(c).run({junk.toStdString(), kDemo.toStdString(), missing.toStdString(),
                                        empty.toStdString()});
        QCOMPARE(s.inputs.size(), size_t(4));
        QCOMPARE(statusName(s.inputs[0].status), "failed");
        QVERIFY2(s.inputs[0].failure.find("junk.bin") != std::string::npos, s.inputs[0].failure.c_str());
        QVERIFY(s.inputs[0].failure.find("not a recognised") != std::string::npos);
        QCOMPARE(statusName(s.inputs[1].status), "imported");
        QCOMPARE(s.inputs[1].events, int64_t(24));
        QCOMPARE(statusName(s.inputs[2].status), "failed");
        QVERIFY(s.inputs[2].failure.find("does-not-exist.evtx") != std::string::npos);
        QCOMPARE(statusName(s.inputs[3].status), "failed");
        QCOMPARE(countEvents(c), int64_t(24));
    }

    void alertRowsOfARunElsewhereImportAsAlerts()
    {
        // What a team's Spark run of the exported rules returns, as df.write.json writes it (a null column left
        // out), with rows that are not alerts among them, next to a log of events.
        const QString rows = m_dir.filePath(QStringLiteral("fleet-hits.json"));
        // Single quotes stand for double quotes, to keep the rows readable.
        QByteArray data = QByteArrayLiteral(
            "{'rule':'R1','host':'WS7','source_guid':'{AAAA-1}','target_guid':'bbbb-2',"
            "'first_utc':'2026-03-01T10:00:00.000Z','last_utc':'2026-03-01T10:00:02.000Z','count':2}\n"
            "{'rule':'R6','host':'WS8','source_guid':'','first_utc':'2026-03-01T11:00:00.000Z',"
            "'last_utc':'2026-03-01T11:00:00.000Z','count':1}\n\n"
            "{'rule':'R2','host':'WS7','source_guid':'x','target_guid':'y','first_utc':'yesterday','count':1}\n"
            "{'rule':'R2','host':'");
        data += QByteArray(100 * 1024, 'h') + "','source_guid':'x','first_utc':'2026-03-01T10:00:00Z'}\n";
        data += "{'rule':'R2','host':'WS9','source_guid':'x','target_guid':'y','first_ut\n";
        data.replace('\'', '"');
        writeFile(rows, data);
        const std::string c = casePath("hits.dscase");
        const auto s = Importer(c).run({rows.toStdString(), kDemo.toStdString()});
        QCOMPARE(statusName(s.inputs[0].status), "imported");
        QCOMPARE(s.inputs[0].layout, std::string("alert-rows"));
        QCOMPARE(s.inputs[0].alerts, int64_t(2));
        QCOMPARE(s.inputs[0].events, int64_t(0));
        QCOMPARE(s.inputs[0].skipped, int64_t(3));
        std::vector<int64_t> lines;
        for (const ImportIssue& i : s.inputs[0].issues)
            lines.push_back(i.position);
        QCOMPARE(lines, (std::vector<int64_t>{4, 5, 6})); // a time that is not one, a 100 KB line, a cut line
        QCOMPARE(s.inputs[1].events, int64_t(24));
        Database db;
        QVERIFY(db.open(c, Database::Mode::ReadOnly));
        Statement st(db, "SELECT rule_id, host, source_guid, target_guid, count, origin FROM alerts ORDER BY id");
        QVERIFY(st.next());
        QCOMPARE(st.columnText(0) + " " + st.columnText(1) + " " + st.columnText(2) + " " + st.columnText(3),
                 std::string("R1 WS7 aaaa-1 bbbb-2"));
        QCOMPARE(st.columnInt(4), int64_t(2));
        QCOMPARE(st.columnText(5), std::string("fleet-hits.json, line 1"));
        QVERIFY(st.next());
        QCOMPARE(st.columnText(5), std::string("fleet-hits.json, line 2"));
        QVERIFY(!st.next());
        // The same file again adds nothing.
        const auto again = Importer(c).run({rows.toStdString()});
        QCOMPARE(statusName(again.inputs[0].status), "duplicate");
        QCOMPARE(db.scalar("SELECT count(*) FROM alerts"), int64_t(2));
    }

    void hostileArchiveMemberNamesAreNeverWritten()
    {
        // Members named "../../dscope-escaped.jsonl" and "/tmp/dscope-absolute.jsonl" are read in memory: nothing is
        // written where the names point, from the working directory or the archive's own folder, and their events
        // load under the archive's name.
        QTemporaryDir root;
        QVERIFY(root.isValid());
        const QString deep = root.filePath(QStringLiteral("a/b"));
        QVERIFY(QDir().mkpath(deep));
        const std::string absoluteTarget = "/tmp/dscope-absolute.jsonl";
        QVERIFY2(!QFile::exists(QString::fromStdString(absoluteTarget)), "a stale file from elsewhere is in the way");
        const QString previousDir = QDir::currentPath();
        QVERIFY(QDir::setCurrent(deep));
        for (const char* name : {"hostile_names.zip", "hostile_names.tar.gz"}) {
            const QString archive = deep + QLatin1Char('/') + QLatin1String(name);
            QVERIFY(QFile::copy(QStringLiteral(DSCOPE_TEST_DATA "/fuzz/archive/") + QLatin1String(name), archive));
            const auto s = Importer(casePath(name) + ".dscase").run({archive.toStdString()});
            QVERIFY(s.fatal.empty());
            QCOMPARE(statusName(s.inputs[0].status), "imported");
            QVERIFY2(s.inputs[0].events > 0, name);
            QCOMPARE(s.inputs[0].path, archive.toStdString());
        }
        QDir::setCurrent(previousDir);
        QStringList written;
        QDirIterator it(root.path(), QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
        while (it.hasNext())
            written << QDir(root.path()).relativeFilePath(it.next());
        written.sort();
        QCOMPARE(written, (QStringList{QStringLiteral("a/b/hostile_names.tar.gz"), QStringLiteral("a/b/hostile_names.zip")}));
        QVERIFY(!QFile::exists(QString::fromStdString(absoluteTarget)));
    }

    void cancelledBeforeStart()
    {
        std::atomic_bool cancel{true};
        const std::string c = casePath("cancel.dscase");
        const auto s = Importer(c).run({kDemo.toStdString()}, {}, &cancel);
        QVERIFY(s.cancelled);
        QCOMPARE(statusName(s.inputs[0].status), "cancelled");
        QCOMPARE(countEvents(c), int64_t(0));
    }

    void cancelledBulkLoadLeavesTheIndexesToTheNextOpen()
    {
        // A first load big enough to defer its indexes, cancelled: it stops without building them (that could take
        // minutes), keeps what it committed, and the next open for writing builds them.
        const QString big = m_dir.filePath(QStringLiteral("cancel-big.jsonl"));
        writeBigJsonLines(big, 200000);
        const std::string c = casePath("cancel-deferred.dscase");
        ImportOptions options;
        options.deferIndexesAbove = 0;
        options.commitEvery = 2048;
        std::atomic_bool cancel{false};
        const auto s = Importer(c, options).run(
            {big.toStdString()}, [&](const ImportProgress& p) { if (p.events > 0) cancel = true; }, &cancel);
        QVERIFY(s.cancelled);
        QVERIFY(s.fatal.empty());
        Database db;
        QVERIFY(db.open(c, Database::Mode::ReadOnly));
        QCOMPARE(db.scalar("SELECT count(*) FROM events"), s.events);
        QCOMPARE(countEventIndexes(db), int64_t(0));
        db.close();
        std::string error;
        QVERIFY(db.open(c));
        QVERIFY2(schema::prepareForWriting(db, error), error.c_str());
        QCOMPARE(countEventIndexes(db), int64_t(4));
    }

    void killMidImportKeepsCommittedBatches()
    {
        const QString big = m_dir.filePath(QStringLiteral("big.jsonl"));
        constexpr int kLines = 600000;
        writeBigJsonLines(big, kLines);
        const std::string c = casePath("killed.dscase");
        QProcess proc;
        proc.start(QStringLiteral(DSCOPE_BINARY),
                   {QStringLiteral("import"), QStringLiteral("--case"), QString::fromStdString(c), big});
        QVERIFY(proc.waitForStarted());
        // Wait until at least one batch is committed, then kill without warning.
        QElapsedTimer t;
        t.start();
        int64_t seen = 0;
        while (t.elapsed() < 60000 && proc.state() == QProcess::Running) {
            seen = countEvents(c);
            if (seen > 0)
                break;
            QThread::msleep(20);
        }
        if (proc.state() != QProcess::Running)
            QSKIP("the import finished before it could be killed; the machine is too fast for this input size");
        proc.kill();
        QVERIFY(proc.waitForFinished());

        Database db;
        QVERIFY(db.open(c));
        {
            Statement check(db, "PRAGMA integrity_check");
            QVERIFY(check.next());
            QCOMPARE(check.columnText(0), std::string("ok"));
        }
        std::string error;
        QVERIFY2(schema::prepareForWriting(db, error), error.c_str());
        QCOMPARE(countEventIndexes(db), int64_t(4)); // reopening restores any a killed deferred load left out
        const int64_t kept = db.scalar("SELECT count(*) FROM events");
        QVERIFY2(kept >= seen, "a committed batch was lost");
        const std::string mismatch = dscope::testing::eventSummaryMismatch(db);
        QVERIFY2(mismatch.empty(), mismatch.c_str());
        QVERIFY(kept < kLines);
        Statement st(db, "SELECT status FROM inputs");
        QVERIFY(st.next());
        QCOMPARE(st.columnText(0), std::string("incomplete"));
        db.close();

        // Importing the same file again replaces the incomplete input with a complete one.
        const auto s = Importer(c).run({big.toStdString()});
        QCOMPARE(statusName(s.inputs[0].status), "imported");
        QCOMPARE(countEvents(c), int64_t(kLines));
        QVERIFY(db.open(c, Database::Mode::ReadOnly));
        const std::string afterReimport = dscope::testing::eventSummaryMismatch(db);
        QVERIFY2(afterReimport.empty(), afterReimport.c_str());
    }
};

QTEST_GUILESS_MAIN(TestImporter)
#include "tst_importer.moc"
