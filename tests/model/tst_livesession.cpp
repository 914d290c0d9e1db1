// SPDX-License-Identifier: MIT
// The live writer: feeds on their own threads hand it events; it stores them in one input row per feed, commits
// within the 250 ms bound, acknowledges only after the commit, keeps the reasons of rejected messages, writes the
// SHA-256 of what each feed received, blocks producers when its queue is full (and never deadlocks), and tells
// incremental detection what each commit brought.
#include "ingest/messagedecoder.h"
#include "live/livesession.h"
#include "storage/caseinfo.h"
#include "storage/database.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>
#include <thread>

using namespace dscope::model;

namespace {

std::string sysmonXml(int i)
{
    return "<Event><System><Provider Name=\"Microsoft-Windows-Sysmon\"/><EventID>1</EventID>"
           "<TimeCreated SystemTime=\"2026-12-06T10:00:" + std::string(i % 60 < 10 ? "0" : "") + std::to_string(i % 60)
           + ".000Z\"/><EventRecordID>" + std::to_string(i + 1) + "</EventRecordID>"
           "<Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>ws01</Computer></System><EventData>"
           "<Data Name=\"ProcessGuid\">{00000000-0000-0000-0000-" + std::to_string(100000000000 + i) + "}</Data>"
           "<Data Name=\"ProcessId\">" + std::to_string(1000 + i) + "</Data><Data Name=\"Image\">C:\\\\p" + std::to_string(i)
           + ".exe</Data></EventData></Event>";
}

/// Decodes `count` messages and submits them in batches of `batch`, as a feed thread does.
void feedMessages(LiveSession& s, int feed, int first, int count, int batch, std::atomic<int>* acked = nullptr)
{
    MessageDecoder decoder;
    std::vector<Event> events;
    std::string bytes, reason;
    for (int i = first; i < first + count; ++i) {
        const std::string m = sysmonXml(i);
        Event e;
        if (!decoder.decode(m, i, e, reason))
            qFatal("decode: %s", reason.c_str());
        events.push_back(std::move(e));
        bytes += m;
        if (int(events.size()) == batch || i + 1 == first + count) {
            const int n = int(events.size());
            s.submit(feed, std::move(events), n, bytes, [acked, n](bool ok) {
                if (acked && ok)
                    *acked += n;
            });
            events.clear();
            bytes.clear();
        }
    }
}

int64_t scalar(const std::string& path, const std::string& sql)
{
    Database db;
    if (!db.open(path, Database::Mode::ReadOnly))
        return -1;
    return db.scalar(sql);
}

} // namespace

class TestLiveSession : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void storesEveryFeedOnceAndAcknowledgesAfterTheCommit()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("live.dscase")).toStdString();
        LiveSession s(path);
        std::atomic<int> commits{0};
        std::atomic<int64_t> committedEvents{0};
        s.setCommitListener([&](const LiveCommit& c) {
            ++commits;
            committedEvents += c.events;
            QVERIFY(c.oldestUtcMs > 0 && c.newestUtcMs >= c.oldestUtcMs);
        });
        std::string error;
        QVERIFY2(s.start(error), error.c_str());
        const int a = s.openFeed("syslog-tcp", "127.0.0.1:5514", "127.0.0.1:40001");
        const int b = s.openFeed("jsonl-tcp", "127.0.0.1:5515", "127.0.0.1:40002");
        std::atomic<int> ackedA{0}, ackedB{0};
        std::thread ta([&] { feedMessages(s, a, 0, 5000, 64, &ackedA); });
        std::thread tb([&] { feedMessages(s, b, 5000, 3000, 1, &ackedB); });
        ta.join();
        tb.join();
        s.reject(a, 5001, "neither an XML event nor a JSON object", "garbage");
        s.setLayout(a, "event-xml");
        // Acknowledged only once committed: within the 250 ms bound (plus scheduling), all of them.
        QTRY_COMPARE_WITH_TIMEOUT(ackedA.load() + ackedB.load(), 8000, 5000);
        QCOMPARE(s.storedEvents(), int64_t(8000));
        QCOMPARE(committedEvents.load(), int64_t(8000));
        QVERIFY(commits.load() >= 1);
        QCOMPARE(scalar(path, "SELECT count(*) FROM events"), int64_t(8000)); // visible to another connection now
        const auto stats = s.stats();
        QCOMPARE(stats[size_t(a)].received, int64_t(5001));
        QCOMPARE(stats[size_t(a)].stored, int64_t(5000));
        QCOMPARE(stats[size_t(a)].rejected, int64_t(1));
        QCOMPARE(stats[size_t(b)].stored, int64_t(3000));
        s.closeFeed(b);
        s.stop();

        Database db;
        QVERIFY(db.open(path, Database::Mode::ReadOnly));
        CaseInfo info;
        QVERIFY(loadCaseInfo(db, info, error));
        QCOMPARE(info.inputs.size(), size_t(2));
        for (const InputRow& in : info.inputs) {
            QVERIFY2(in.path.starts_with("syslog-tcp 127.0.0.1:5514 from 127.0.0.1:40001")
                         || in.path.starts_with("jsonl-tcp 127.0.0.1:5515 from 127.0.0.1:40002"),
                     in.path.c_str());
            QCOMPARE(in.status, InputStatus::Complete);
            if (in.path.starts_with("syslog")) {
                QCOMPARE(in.events, int64_t(5000));
                QCOMPARE(in.skipped, int64_t(1));
                QCOMPARE(in.layout, std::string("event-xml"));
                const QJsonArray reasons = QJsonDocument::fromJson(QByteArray::fromStdString(in.errorsJson)).array();
                QCOMPARE(reasons.size(), 1);
                QCOMPARE(reasons.at(0)[QLatin1String("message")].toString(), QStringLiteral("neither an XML event nor a JSON object"));
            } else {
                QCOMPARE(in.events, int64_t(3000));
                // The digest of every message the feed received, in order.
                QCryptographicHash sha(QCryptographicHash::Sha256);
                for (int i = 5000; i < 8000; ++i)
                    sha.addData(QByteArray::fromStdString(sysmonXml(i)));
                QCOMPARE(in.sha256, sha.result().toHex().toStdString());
            }
        }
        QCOMPARE(db.scalar("SELECT count(DISTINCT record_id) FROM events"), int64_t(8000)); // each once
    }

    void aFullQueueHoldsTheProducersBack()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("bp.dscase")).toStdString();
        LiveSession::Options o;
        o.queueEvents = 16; // the producers must wait for the writer again and again
        o.commitEvents = 100;
        LiveSession s(path, o);
        std::string error;
        QVERIFY(s.start(error));
        std::vector<std::thread> producers;
        for (int p = 0; p < 4; ++p) {
            const int feed = s.openFeed("syslog-udp", "127.0.0.1:5514", "10.0.0." + std::to_string(p));
            producers.emplace_back([&s, feed, p] { feedMessages(s, feed, p * 2000, 2000, 8); });
        }
        for (auto& t : producers)
            t.join();
        // Never more than the limit plus one batch per producer: they waited instead.
        QVERIFY2(s.peakQueuedEvents() <= 16 + 4 * 8, qPrintable(QString::number(s.peakQueuedEvents())));
        QVERIFY(s.peakQueuedEvents() >= 8);
        s.stop();
        QCOMPARE(scalar(path, "SELECT count(*) FROM events"), int64_t(8000));
    }

    void anUnwritableCaseDoesNotStart()
    {
        LiveSession s("/nonexistent-dir/x.dscase");
        std::string error;
        QVERIFY(!s.start(error));
        QVERIFY2(error.find("/nonexistent-dir/x.dscase") != std::string::npos, error.c_str());
    }
};

QTEST_GUILESS_MAIN(TestLiveSession)
#include "tst_livesession.moc"
