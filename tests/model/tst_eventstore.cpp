// SPDX-License-Identifier: MIT
// The case file: schema, migrations, the single writer, and the reader summary, on in-memory and temp databases.
#include "eventsummary_helpers.h"
#include "import/importer.h"
#include "itemmodels/eventdetail.h"
#include "storage/caseinfo.h"
#include "storage/checkpointer.h"
#include "storage/database.h"
#include "storage/eventwriter.h"
#include "evtx/evtxrecordrenderer.h"
#include "storage/rawevent.h"
#include "storage/schema.h"
#include "storage/statement.h"

#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace dscope::model;

namespace {
const evtx::EvtxRecordRenderer evtxRecords;
}

namespace {

/// Opens (creating if needed) a case for writing, as the importer does; false with `error` set when it cannot.
bool openCaseForWriting(Database& db, const std::string& path, std::string& error)
{
    if (!db.open(path)) {
        error = db.lastError();
        return false;
    }
    return schema::prepareForWriting(db, error);
}

Event makeEvent(int64_t eventId, int64_t utcMs, const std::string& host)
{
    Event e;
    e.eventId = eventId;
    e.utcMs = utcMs;
    e.host = host;
    e.channel = "Microsoft-Windows-Sysmon/Operational";
    e.subjectGuid = "365abb72-3d37-5ce0-0000-001013dc0b00";
    e.subjectPid = 2108;
    e.grantedAccess = 0x1f3fff;
    e.position = 7;
    e.rawFormat = RawFormat::Json;
    e.raw = R"({"EventID":10})";
    return e;
}

/// An inputs row in state "importing", as the importer writes it first.
int64_t beginInput(EventWriter& writer, const std::string& path, const std::string& sha256)
{
    InputReport r;
    r.path = path;
    r.sha256 = sha256;
    return writer.beginInput(r);
}

} // namespace

class TestEventStore : public QObject
{
    Q_OBJECT
private:
    Database m_db;

private Q_SLOTS:
    void init()
    {
        std::string error;
        QVERIFY2(openCaseForWriting(m_db, ":memory:", error), error.c_str());
    }
    void cleanup() { m_db.close(); }

    void schemaVersion()
    {
        QCOMPARE(m_db.scalar("PRAGMA user_version"), int64_t(schema::currentVersion()));
        std::string error;
        // A second preparation is a no-op: migrations are idempotent.
        QVERIFY(schema::prepareForWriting(m_db, error));
        QCOMPARE(m_db.scalar("PRAGMA user_version"), int64_t(schema::currentVersion()));
    }

    void writeAndReadBack()
    {
        EventWriter writer(m_db);
        QVERIFY(writer.isValid());
        InputReport r;
        r.path = "a.json";
        r.sha256 = "abc";
        r.size = 10;
        r.format = "json";
        const int64_t id = writer.beginInput(r);
        QVERIFY(id > 0);
        std::vector<Event> events{makeEvent(10, 1000, "HOST1"), makeEvent(8, 2000, "HOST2")};
        events[1].subjectGuid.clear(); // absent values are stored as NULL
        events[1].grantedAccess = kNoValue;
        QVERIFY(writer.insert(events, id));
        r.inputId = id;
        r.events = 2;
        QVERIFY(writer.finishInput(r, dscope::model::InputStatus::Complete));
        QVERIFY(writer.commit());

        Statement st(m_db, "SELECT event_id, utc_ms, host, subject_guid, granted_access, input_id, position "
                           "FROM events ORDER BY utc_ms");
        QVERIFY(st.next());
        QCOMPARE(st.columnInt(0), int64_t(10));
        QCOMPARE(st.columnText(2), std::string("HOST1"));
        QCOMPARE(st.columnText(3), std::string("365abb72-3d37-5ce0-0000-001013dc0b00"));
        QCOMPARE(st.columnInt(4), int64_t(0x1f3fff));
        QCOMPARE(st.columnInt(5), id);
        QCOMPARE(st.columnInt(6), int64_t(7));
        QVERIFY(st.next());
        QVERIFY(st.columnIsNull(3));
        QVERIFY(st.columnIsNull(4));
        QVERIFY(!st.next());

        CaseInfo info;
        std::string error;
        QVERIFY(loadCaseInfo(m_db, info, error));
        QCOMPARE(info.events, int64_t(2));
        QCOMPARE(info.firstUtcMs, int64_t(1000));
        QCOMPARE(info.lastUtcMs, int64_t(2000));
        QCOMPARE(info.hosts.size(), size_t(2));
        QCOMPARE(info.inputs.size(), size_t(1));
        QCOMPARE(info.inputs[0].status, dscope::model::InputStatus::Complete);
        QCOMPARE(info.inputs[0].events, int64_t(2));
    }

    void summaryFollowsCommitsRollbacksAndDeletes()
    {
        EventWriter writer(m_db);
        const int64_t a = beginInput(writer, "a.json", "aaa");
        std::vector<Event> first{makeEvent(10, 3000, "HOST1"), makeEvent(10, 1000, "HOST1"), makeEvent(8, 2000, "")};
        first[2].utcMs = kNoValue; // no time: counted, and the bounds ignore it
        QVERIFY(writer.insert(first, a));
        QVERIFY(writer.commit());
        QCOMPARE(m_db.scalar("SELECT events FROM event_summary WHERE input_id=" + std::to_string(a)
                             + " AND host='HOST1' AND event_id=10"), int64_t(2));
        QCOMPARE(m_db.scalar("SELECT first_ms FROM event_summary WHERE host='HOST1'"), int64_t(1000));
        QCOMPARE(m_db.scalar("SELECT last_ms FROM event_summary WHERE host='HOST1'"), int64_t(3000));
        QCOMPARE(m_db.scalar("SELECT count(*) FROM event_summary WHERE host='' AND first_ms IS NULL"), int64_t(1));
        // A rolled-back batch leaves no count behind, and the next commit adds only its own events.
        std::vector<Event> lost{makeEvent(10, 500, "HOST1")};
        QVERIFY(writer.insert(lost, a));
        writer.rollback();
        std::vector<Event> second{makeEvent(10, 4000, "HOST1")};
        QVERIFY(writer.insert(second, a));
        QVERIFY(writer.commit());
        QCOMPARE(m_db.scalar("SELECT events FROM event_summary WHERE host='HOST1' AND event_id=10"), int64_t(3));
        QCOMPARE(m_db.scalar("SELECT first_ms FROM event_summary WHERE host='HOST1'"), int64_t(1000));
        QCOMPARE(m_db.scalar("SELECT last_ms FROM event_summary WHERE host='HOST1'"), int64_t(4000));
        std::string mismatch = dscope::testing::eventSummaryMismatch(m_db);
        QVERIFY2(mismatch.empty(), mismatch.c_str());
        // Deleting an input (an incomplete import replaced) deletes its rows.
        const int64_t b = beginInput(writer, "b.json", "bbb");
        std::vector<Event> other{makeEvent(1, 100, "HOST2")};
        QVERIFY(writer.insert(other, b));
        QVERIFY(writer.commit());
        QVERIFY(writer.deleteInput(a));
        QVERIFY(writer.commit());
        QCOMPARE(m_db.scalar("SELECT count(*) FROM event_summary WHERE input_id=" + std::to_string(a)), int64_t(0));
        mismatch = dscope::testing::eventSummaryMismatch(m_db);
        QVERIFY2(mismatch.empty(), mismatch.c_str());
        CaseInfo info;
        std::string error;
        QVERIFY(loadCaseInfo(m_db, info, error));
        QCOMPARE(info.events, int64_t(1));
        QCOMPARE(info.hosts.front().key, std::string("HOST2"));
    }

    void olderCaseGetsItsSummaryOnce()
    {
        // A schema 2 case (no summary): opening it for writing builds the summary from its events.
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("v2.dscase")).toStdString();
        {
            Database db;
            std::string error;
            QVERIFY2(openCaseForWriting(db, path, error), error.c_str());
            EventWriter writer(db);
            const int64_t id = beginInput(writer, "a.json", "aaa");
            std::vector<Event> events{makeEvent(10, 1000, "HOST1"), makeEvent(8, 2000, "HOST2"), makeEvent(8, 900, "HOST2")};
            QVERIFY(writer.insert(events, id));
            QVERIFY(writer.commit());
            // Back to schema 2: without the tables versions 3 and later added.
            QVERIFY(db.exec("DROP TABLE event_summary; DROP TABLE alerts; DROP TABLE alert_history; "
                            "DROP TABLE checklist_state; DROP TABLE annotations; PRAGMA user_version=2;"));
        }
        {
            Database db;
            QVERIFY(db.open(path, Database::Mode::ReadOnly));
            CaseInfo info; // read-only, before any migration: counted from the events
            std::string error;
            QVERIFY2(loadCaseInfo(db, info, error), error.c_str());
            QCOMPARE(info.events, int64_t(3));
            QCOMPARE(info.firstUtcMs, int64_t(900));
        }
        Database db;
        std::string error;
        QVERIFY2(openCaseForWriting(db, path, error), error.c_str());
        QCOMPARE(db.scalar("PRAGMA user_version"), int64_t(schema::currentVersion()));
        QCOMPARE(db.scalar("SELECT sum(events) FROM event_summary"), int64_t(3));
        const std::string mismatch = dscope::testing::eventSummaryMismatch(db);
        QVERIFY2(mismatch.empty(), mismatch.c_str());
    }

    void absentValuesStayAbsentAfterPresentOnes()
    {
        // The writer leaves a NULL parameter bound from one event to the next: an event without a value must still
        // store NULL after one with a value, and a value after a NULL.
        EventWriter writer(m_db);
        const int64_t id = beginInput(writer, "alternating.json", "alt");
        std::vector<Event> events;
        for (int i = 0; i < 12; ++i) {
            Event e = makeEvent(10, 1000 + i, i % 3 == 0 ? "HOST" : "");
            if (i % 2)
                e.subjectGuid.clear();
            e.grantedAccess = i % 4 == 1 ? kNoValue : i;
            e.callTrace = i % 5 == 2 ? "ntdll.dll+1|UNKNOWN(1)" : "";
            events.push_back(std::move(e));
        }
        const std::vector<Event> expected = events;
        QVERIFY(writer.insert(events, id));
        QVERIFY(writer.commit());
        Statement st(m_db, "SELECT host, subject_guid, granted_access, call_trace FROM events ORDER BY utc_ms");
        for (const Event& e : expected) {
            QVERIFY(st.next());
            QCOMPARE(st.columnIsNull(0), e.host.empty());
            QCOMPARE(st.columnText(0), e.host);
            QCOMPARE(st.columnIsNull(1), e.subjectGuid.empty());
            QCOMPARE(st.columnText(1), e.subjectGuid);
            QCOMPARE(st.columnIsNull(2), e.grantedAccess == kNoValue);
            if (e.grantedAccess != kNoValue)
                QCOMPARE(st.columnInt(2), e.grantedAccess);
            QCOMPARE(st.columnIsNull(3), e.callTrace.empty());
            QCOMPARE(st.columnText(3), e.callTrace);
        }
        QVERIFY(!st.next());
    }

    void hostileStringsAreBound()
    {
        EventWriter writer(m_db);
        const int64_t id = beginInput(writer, "x'); DROP TABLE events; --", "def");
        std::vector<Event> events{makeEvent(1, 1, "'; DROP TABLE events; --")};
        events[0].commandLine = std::string("nul\0byte", 8);
        QVERIFY(writer.insert(events, id));
        QVERIFY(writer.commit());
        QCOMPARE(m_db.scalar("SELECT count(*) FROM events WHERE host=\"'; DROP TABLE events; --\""), int64_t(1));
        QCOMPARE(m_db.scalar("SELECT length(CAST(command_line AS BLOB)) FROM events"), int64_t(8));
    }

    void interruptedInputBecomesIncomplete()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("c.dscase")).toStdString();
        {
            Database db;
            std::string error;
            QVERIFY2(openCaseForWriting(db, path, error), error.c_str());
            EventWriter writer(db);
            const int64_t id = beginInput(writer, "big.evtx", "123");
            std::vector<Event> events{makeEvent(10, 5, "H")};
            QVERIFY(writer.insert(events, id));
            QVERIFY(writer.commit());
            // No finishInput: as if the process died here.
        }
        Database db;
        std::string error;
        QVERIFY2(openCaseForWriting(db, path, error), error.c_str());
        Statement st(db, "SELECT status, (SELECT count(*) FROM events) FROM inputs");
        QVERIFY(st.next());
        QCOMPARE(st.columnText(0), std::string("incomplete"));
        QCOMPARE(st.columnInt(1), int64_t(1)); // the committed batch is still there
    }

    void refusesForeignDatabase()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("other.db")).toStdString();
        {
            Database db;
            QVERIFY(db.open(path));
            QVERIFY(db.exec("CREATE TABLE customers(id INTEGER)"));
        }
        Database db;
        std::string error;
        QVERIFY(!openCaseForWriting(db, path, error));
        QVERIFY(error.find("not a Doppelscope case") != std::string::npos);
        Database reader;
        QVERIFY(reader.open(path, Database::Mode::ReadOnly));
        QVERIFY(!schema::prepareForReading(reader, error));
    }

    void refusesNewerSchema()
    {
        QVERIFY(m_db.exec("PRAGMA user_version=999"));
        std::string error;
        QVERIFY(!schema::prepareForWriting(m_db, error));
        QVERIFY(error.find("newer") != std::string::npos);
    }

    void rawEventsRoundTripInCompressedBlocks()
    {
        EventWriter writer(m_db);
        const int64_t id = beginInput(writer, "r.json", "raw");
        std::vector<Event> events;
        std::vector<std::string> originals;
        for (int i = 0; i < 200; ++i) {
            Event e = makeEvent(10, i, "H");
            e.raw = "{\"n\":" + std::to_string(i) + ",\"Message\":\"" + std::string(1500, char('a' + i % 26)) + "\"}";
            originals.push_back(e.raw);
            events.push_back(e);
        }
        events[7].rawFormat = RawFormat::Xml; // a format change starts a new block
        events[7].raw = originals[7] = "<Event/>";
        events[9].rawFormat = RawFormat::None;
        events[9].raw.clear();
        RawBlockPacker packer;
        std::vector<RawBlock> blocks;
        packer.pack(events, blocks);
        QVERIFY(blocks.size() >= 4); // 200 x 1.5 KB in 128 KiB blocks, plus the XML one
        size_t stored = 0;
        for (const auto& b : blocks) {
            // A block too small to shrink (the lone XML event) is kept as is.
            QCOMPARE(b.codec, b.format == RawFormat::Xml ? 0 : 1);
            stored += b.data.size();
        }
        QVERIFY2(stored < 200 * 1500 / 10, "blocks of similar events must compress well");
        QVERIFY(events[0].raw.empty()); // the bytes travel once, in the block
        QVERIFY(writer.insert(events, blocks, id));
        QVERIFY(writer.commit());
        const int64_t firstId = m_db.scalar("SELECT min(id) FROM events");
        std::string error;
        for (int i : {0, 6, 7, 8, 150, 199}) {
            RawEvent raw;
            QVERIFY2(loadRawEvent(m_db, firstId + i, &evtxRecords, raw, error), error.c_str());
            QCOMPARE(raw.format, i == 7 ? RawFormat::Xml : RawFormat::Json);
            QCOMPARE(raw.data, originals[size_t(i)]);
        }
        RawEvent none;
        QVERIFY(!loadRawEvent(m_db, firstId + 9, &evtxRecords, none, error));
        std::string out;
        QVERIFY(!decodeRaw(1, "not a zstd frame", out, error));
        QVERIFY(!error.empty());
    }

    void lz4BlocksRoundTripAndRejectDamage()
    {
        std::string chunk;
        for (int i = 0; i < 3000; ++i)
            chunk += "<Data Name=\"TargetImage\">C:\\Windows\\system32\\lsass.exe</Data>" + std::to_string(i % 17);
        RawBlockPacker packer;
        const RawBlock block = packer.compress(RawFormat::EvtxBinXml, chunk, RawCodec::Lz4);
        QCOMPARE(block.codec, int(RawCodec::Lz4));
        QVERIFY(block.data.size() < chunk.size() / 4);
        std::string out, error;
        QVERIFY2(decodeRaw(block.codec, block.data, out, error), error.c_str());
        QCOMPARE(out, chunk);
        // Incompressible bytes are stored as they are.
        std::string noise(4096, '\0');
        uint32_t x = 12345;
        for (char& c : noise)
            c = char((x = x * 1103515245u + 12345u) >> 24);
        QCOMPARE(packer.compress(RawFormat::EvtxBinXml, noise, RawCodec::Lz4).codec, int(RawCodec::Stored));
        // Damage: truncated data, a size prefix that lies, no prefix at all, an unknown codec.
        error.clear();
        QVERIFY(!decodeRaw(block.codec, std::string_view(block.data).substr(0, block.data.size() / 2), out, error));
        QVERIFY(!error.empty());
        std::string lying = block.data;
        lying[0] = char(lying[0] + 1);
        QVERIFY(!decodeRaw(block.codec, lying, out, error));
        QVERIFY(!decodeRaw(block.codec, "ab", out, error));
        std::string huge = block.data;
        huge[3] = char(0x7f); // claims more than any stored block decodes to
        QVERIFY(!decodeRaw(block.codec, huge, out, error));
        QVERIFY(!decodeRaw(7, block.data, out, error));
        QVERIFY(error.find("codec") != std::string::npos);
    }

    void backgroundCheckpointerCopiesCommittedBatches()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("ckpt.dscase")).toStdString();
        Database db;
        std::string error;
        QVERIFY2(openCaseForWriting(db, path, error), error.c_str());
        QVERIFY(db.exec("PRAGMA wal_autocheckpoint=0")); // only the checkpointer copies
        BackgroundCheckpointer checkpointer(path);
        EventWriter writer(db);
        const int64_t id = beginInput(writer, "c.json", "ckpt");
        std::vector<Event> events;
        for (int i = 0; i < 500; ++i)
            events.push_back(makeEvent(10, i, "HOST"));
        QVERIFY(writer.insert(events, id));
        QVERIFY(writer.commit());
        checkpointer.committed();
        // With automatic checkpoints off, the case file itself grows to the database's size only when another
        // connection copies the log into it.
        const int64_t expected = db.scalar("PRAGMA page_count") * db.scalar("PRAGMA page_size");
        QVERIFY(expected > 32768);
        QVERIFY(QFileInfo(QString::fromStdString(path)).size() < expected);
        QTRY_COMPARE_WITH_TIMEOUT(QFileInfo(QString::fromStdString(path)).size(), expected, 10000);
    }

    void xmlIsIndentedForReading()
    {
        const QByteArray flat = "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\"><System>"
                                "<EventID>10</EventID></System><EventData><Data Name=\"CommandLine\">a  &lt;b&gt; "
                                "</Data><Data Name=\"Empty\"></Data></EventData></Event>";
        const QByteArray indented = indentXmlForReading(flat);
        QVERIFY(indented.contains("\n  <System>\n    <EventID>10</EventID>\n  </System>"));
        // Values, escapes and namespaces survive: both parse to the same text.
        QVERIFY(indented.contains("<Data Name=\"CommandLine\">a  &lt;b&gt; </Data>"));
        QVERIFY(indented.startsWith("<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\">"));
        // Not XML (or truncated): shown as stored.
        QCOMPARE(indentXmlForReading("<Event><System>"), QByteArray("<Event><System>"));
        QCOMPARE(indentXmlForReading("plain text"), QByteArray("plain text"));
    }

    void quoteIdentifier()
    {
        QCOMPARE(Database::quoteIdentifier("a\"b"), std::string("\"a\"\"b\""));
    }
};

QTEST_GUILESS_MAIN(TestEventStore)
#include "tst_eventstore.moc"
