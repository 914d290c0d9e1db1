// SPDX-License-Identifier: MIT
// Imports of EVTX files built byte by byte (evtxfixture_helpers.h): chunks kept as originals next to JSON lines in
// one archive, and EVTX arriving through a pipe, plain or compressed.
#include "evtxfixture_helpers.h"

#include "import/importer.h"
#include "storage/caseinfo.h"
#include "storage/database.h"
#include "evtx/evtxrecordrenderer.h"
#include "storage/rawevent.h"
#include "storage/statement.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <string>
#include <thread>

using namespace dscope::model;

namespace {
const evtx::EvtxRecordRenderer evtxRecords;
}
using namespace evtxtest;

class TestEvtxImport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void archiveOfEvtxAndJsonKeepsEveryOriginal()
    {
        // One input whose members alternate between EVTX (events share their stored chunk) and JSON lines (events
        // packed into compressed blocks as they arrive): every event must load its own original.
        QTemporaryDir dir;
        std::ofstream(QString(dir.path() + QStringLiteral("/a.evtx")).toStdString(), std::ios::binary)
            << buildFile(3, 50, 3);
        std::ofstream(QString(dir.path() + QStringLiteral("/c.evtx")).toStdString(), std::ios::binary)
            << buildFile(2, 30, 2);
        std::map<int64_t, std::string> lines;
        {
            std::ofstream json(QString(dir.path() + QStringLiteral("/b.jsonl")).toStdString(), std::ios::binary);
            for (int i = 0; i < 700; ++i) {
                const int64_t record = 1000 + i;
                lines[record] = "{\"EventID\":10,\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"Hostname\":"
                                "\"MIXED\",\"RecordNumber\":"
                                + std::to_string(record) + ",\"UtcTime\":\"2020-01-01 00:00:00.000\",\"Pad\":\""
                                + std::string(size_t(i * 37 % 500), char('a' + i % 26)) + "\"}";
                json << lines[record] << "\n";
            }
        }
        QProcess tar;
        tar.setWorkingDirectory(dir.path());
        tar.start(QStringLiteral("tar"), {QStringLiteral("-czf"), QStringLiteral("mixed.tar.gz"), QStringLiteral("a.evtx"),
                                          QStringLiteral("b.jsonl"), QStringLiteral("c.evtx")});
        QVERIFY(tar.waitForFinished(30000));
        QCOMPARE(tar.exitCode(), 0);
        const std::string casePath = QString(dir.path() + QStringLiteral("/mixed.dscase")).toStdString();
        const ImportSummary summary =
            Importer(casePath).run({QString(dir.path() + QStringLiteral("/mixed.tar.gz")).toStdString()});
        QCOMPARE(summary.events, int64_t(150 + 700 + 60));
        Database db;
        QVERIFY(db.open(casePath));
        QVERIFY(db.scalar("SELECT count(*) FROM raw_blocks WHERE format=2") >= 2); // JSON filled more than a block
        Statement rows(db, "SELECT id, record_id FROM events ORDER BY id");
        int json = 0, evtx = 0;
        while (rows.next()) {
            RawEvent raw;
            std::string error;
            QVERIFY2(loadRawEvent(db, rows.columnInt(0), &evtxRecords, raw, error), error.c_str());
            const int64_t record = rows.columnInt(1);
            if (raw.format == RawFormat::Json) {
                ++json;
                QCOMPARE(raw.data, lines[record]);
            } else {
                ++evtx;
                QCOMPARE(raw.format, RawFormat::Xml);
                const std::string id = "<EventRecordID>" + std::to_string(record) + "</EventRecordID>";
                QVERIFY2(raw.data.find(id) != std::string::npos, raw.data.c_str());
            }
        }
        QCOMPARE(json, 700);
        QCOMPARE(evtx, 210);
    }

    void damageThatCostNoRecordIsAWarningNotASkip()
    {
        // Chunk 0's records checksum broken by a value byte (every record still reads), chunk 1's signature
        // broken (its records are lost): one warning, one skipped chunk, both with their reasons in the case.
        std::string f = buildFile(2, 4, 2);
        f[f.find(std::string("n\0o\0t\0e\0p\0a\0d", 13))] = 'N';
        f[4096 + 65536] = 'X';
        QTemporaryDir dir;
        const std::string path = QString(dir.path() + QStringLiteral("/damaged.evtx")).toStdString();
        std::ofstream(path, std::ios::binary) << f;
        const std::string casePath = QString(dir.path() + QStringLiteral("/damaged.dscase")).toStdString();
        const ImportSummary s = Importer(casePath).run({path});
        QCOMPARE(s.inputs.size(), size_t(1));
        const InputReport& r = s.inputs[0];
        QCOMPARE(r.events, int64_t(4));
        QCOMPARE(r.skipped, int64_t(1));
        QCOMPARE(r.warnings, int64_t(1));
        QCOMPARE(r.issues.size(), size_t(2));
        QVERIFY(r.issues[0].warning);
        QVERIFY(r.issues[0].message.find("event records checksum mismatch") != std::string::npos);
        QVERIFY(!r.issues[1].warning);
        QCOMPARE(r.issues[1].message, std::string("chunk 1 at offset 69632: bad chunk signature"));
        // What readers of the case see: the skipped count, and the warning marked as one.
        CaseInfo info;
        std::string error;
        QVERIFY2(loadCaseInfo(casePath, info, error), error.c_str());
        QCOMPARE(info.inputs.size(), size_t(1));
        QCOMPARE(info.inputs[0].skipped, int64_t(1));
        QVERIFY2(info.inputs[0].errorsJson.find("\"warning\":true") != std::string::npos, info.inputs[0].errorsJson.c_str());
        QVERIFY(info.inputs[0].importedUtcMs > 0);
    }

    void streamsAreReadOnceAndFingerprinted()
    {
        // A pipe (a FIFO here, like `<(zcat log.evtx.gz)` in a shell) can be read only once: the fingerprint and
        // the parser must share that one read. Imported from a file and from a pipe, the same bytes give the same
        // events, originals and SHA-256; the second import of them is a duplicate.
        QTemporaryDir dir;
        const std::string evtxBytes = buildFile(3, 40, 3);
        const std::string filePath = QString(dir.path() + QStringLiteral("/f.evtx")).toStdString();
        std::ofstream(filePath, std::ios::binary) << evtxBytes;
        const std::string viaFile = QString(dir.path() + QStringLiteral("/file.dscase")).toStdString();
        const ImportSummary fromFile = Importer(viaFile).run({filePath});
        QCOMPARE(fromFile.events, int64_t(120));

        auto importThroughFifo = [&](const std::string& casePath, const std::string& bytes) {
            const std::string fifo = QString(dir.path() + QStringLiteral("/pipe")).toStdString();
            ::unlink(fifo.c_str());
            if (::mkfifo(fifo.c_str(), 0600) != 0)
                return ImportSummary{};
            std::thread feeder([&] {
                std::ofstream out(fifo, std::ios::binary); // blocks until the importer opens the other end
                out.write(bytes.data(), std::streamsize(bytes.size()));
            });
            ImportSummary s = Importer(casePath).run({fifo});
            feeder.join();
            return s;
        };
        const std::string viaPipe = QString(dir.path() + QStringLiteral("/pipe.dscase")).toStdString();
        const ImportSummary fromPipe = importThroughFifo(viaPipe, evtxBytes);
        QCOMPARE(fromPipe.inputs.size(), size_t(1));
        QVERIFY2(fromPipe.inputs[0].failure.empty(), fromPipe.inputs[0].failure.c_str());
        QCOMPARE(fromPipe.events, int64_t(120));
        QCOMPARE(fromPipe.inputs[0].sha256, fromFile.inputs[0].sha256);
        QCOMPARE(fromPipe.inputs[0].size, int64_t(evtxBytes.size()));
        {
            Database db;
            QVERIFY(db.open(viaPipe));
            Statement last(db, "SELECT id FROM events WHERE record_id=120");
            QVERIFY(last.next());
            RawEvent raw;
            std::string error;
            QVERIFY2(loadRawEvent(db, last.columnInt(0), &evtxRecords, raw, error), error.c_str());
            QVERIFY(raw.data.find("<EventRecordID>120</EventRecordID>") != std::string::npos);
        }
        const ImportSummary again = importThroughFifo(viaPipe, evtxBytes);
        QCOMPARE(statusName(again.inputs[0].status), "duplicate");

        // An archive arrives through a pipe as well: libarchive reads it from memory.
        QProcess gzip;
        gzip.start(QStringLiteral("gzip"), {QStringLiteral("-c"), QString::fromStdString(filePath)});
        QVERIFY(gzip.waitForFinished(30000));
        const QByteArray gz = gzip.readAllStandardOutput();
        QVERIFY(!gz.isEmpty());
        const ImportSummary gzPipe =
            importThroughFifo(QString(dir.path() + QStringLiteral("/gz.dscase")).toStdString(), gz.toStdString());
        QVERIFY2(gzPipe.inputs[0].failure.empty(), gzPipe.inputs[0].failure.c_str());
        QCOMPARE(gzPipe.events, int64_t(120));
        QCOMPARE(QString::fromStdString(gzPipe.inputs[0].format), QStringLiteral("tar.gz(evtx)")); // gzip is named by its magic; the reader takes either
    }
};

QTEST_GUILESS_MAIN(TestEvtxImport)
#include "tst_evtximport.moc"
