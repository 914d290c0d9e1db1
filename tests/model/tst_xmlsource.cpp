// SPDX-License-Identifier: MIT
// The Windows event XML source: every layout of FORMATS.md section 2 on small fixtures, stream cuts at every
// byte, damaged events skipped with index and offset, and the corpus XML files against MANIFEST.tsv.
#include "ingest/eventsource.h"
#include "ingest/inputbytes.h"
#include "ingest/xmlsource.h"

#include <QDir>
#include <QFile>
#include <QTest>

#include <fstream>
#include <sstream>

using namespace dscope::model;

namespace {

class CollectSink : public RecordSink
{
public:
    void add(Event&& event) override { events.push_back(std::move(event)); }
    void skip(int64_t position, std::string reason) override { skips.emplace_back(position, std::move(reason)); }
    bool cancelled() const override { return false; }

    std::vector<Event> events;
    std::vector<std::pair<int64_t, std::string>> skips;
};

std::string fixture(const char* name) { return std::string(DSCOPE_TEST_DATA) + "/xml/" + name; }

std::string slurp(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

struct Result {
    bool ok = false;
    std::string error;
    std::string layout;
    CollectSink sink;
};

Result readBytes(const std::string& bytes, size_t chunk = XmlSource::kDefaultChunkBytes,
                 size_t maxEvent = XmlSource::kDefaultMaxEventBytes)
{
    Result r;
    MemoryBytes input(bytes, "test.xml");
    XmlSource source(chunk, maxEvent);
    r.ok = source.read(input, r.sink, r.error);
    r.layout = source.layout();
    return r;
}

Result readFixture(const char* name)
{
    Result r;
    FileBytes input(fixture(name));
    XmlSource source;
    r.ok = source.read(input, r.sink, r.error);
    r.layout = source.layout();
    return r;
}

QString qs(const std::string& s) { return QString::fromStdString(s); }

} // namespace

class TestXmlSource : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void savedAsXml()
    {
        const Result r = readFixture("saved_events.xml");
        QVERIFY2(r.ok, r.error.c_str());
        QCOMPARE(qs(r.layout), QStringLiteral("events-xml"));
        QCOMPARE(r.sink.events.size(), size_t(3));
        QVERIFY(r.sink.skips.empty());

        const Event& access = r.sink.events[0];
        QCOMPARE(access.position, int64_t(1));
        QCOMPARE(access.eventId, int64_t(10));
        QCOMPARE(access.recordId, int64_t(18649));
        QCOMPARE(qs(access.provider), QStringLiteral("Microsoft-Windows-Sysmon"));
        QCOMPARE(qs(access.channel), QStringLiteral("Microsoft-Windows-Sysmon/Operational"));
        QCOMPARE(qs(access.host), QStringLiteral("IEWIN7"));
        QCOMPARE(access.utcMs, int64_t(1558199776160)); // UtcTime wins over TimeCreated
        QCOMPARE(qs(access.subjectGuid), QStringLiteral("365abb72-3d37-5ce0-0000-001013dc0b00"));
        QCOMPARE(access.subjectPid, int64_t(2108));
        QCOMPARE(qs(access.targetGuid), QStringLiteral("365abb72-3d1b-5ce0-0000-0010c3840b00"));
        QCOMPARE(access.targetPid, int64_t(2840));
        QCOMPARE(qs(access.targetImage), QStringLiteral("C:\\Windows\\System32\\notepad.exe"));
        QCOMPARE(access.grantedAccess, int64_t(0x1f3fff));
        QCOMPARE(qs(access.callTrace), QStringLiteral("C:\\Windows\\SYSTEM32\\ntdll.dll+4595c|UNKNOWN(00000000025A0000)"));
        QCOMPARE(access.rawFormat, RawFormat::Xml);
        QVERIFY(access.raw.rfind("<Event xmlns=", 0) == 0);
        QVERIFY(access.raw.size() > 10 && access.raw.compare(access.raw.size() - 8, 8, "</Event>") == 0);
        QVERIFY(access.raw.find("&lt;details&gt;") != std::string::npos); // raw keeps the original text

        // UserData leaves are fields by element name.
        const Event& cleared = r.sink.events[1];
        QCOMPARE(cleared.eventId, int64_t(1102));
        QCOMPARE(cleared.position, int64_t(2));
        QCOMPARE(qs(cleared.user), QStringLiteral("SEC504STUDENT\\Sec504"));
        QCOMPARE(cleared.utcMs, int64_t(1556647702618)); // no UtcTime: TimeCreated

        const Event& created = r.sink.events[2];
        QCOMPARE(created.eventId, int64_t(4688));
        QCOMPARE(created.subjectPid, int64_t(0x1a2c));
        QCOMPARE(created.parentPid, int64_t(0x2f0));
        QCOMPARE(qs(created.subjectImage), QStringLiteral("C:\\Windows\\System32\\cmd.exe"));
        QCOMPARE(qs(created.parentImage), QStringLiteral("C:\\Windows\\explorer.exe"));
        QCOMPARE(qs(created.commandLine), QStringLiteral("cmd.exe /c \"echo a & echo <b>\""));
        QCOMPARE(qs(created.user), QStringLiteral("CORP\\WKS01$"));
        QCOMPARE(created.utcMs, int64_t(1600171201500));
    }

    void prefixesCommentsAndCdata()
    {
        const Result r = readFixture("prefixed_events.xml");
        QVERIFY2(r.ok, r.error.c_str());
        QCOMPARE(qs(r.layout), QStringLiteral("events-xml"));
        QVERIFY(r.sink.skips.empty());
        QCOMPARE(r.sink.events.size(), size_t(2)); // the comment and the PI hold no event
        const Event& thread = r.sink.events[0];
        QCOMPARE(thread.eventId, int64_t(8));
        QCOMPARE(qs(thread.channel), QStringLiteral("Microsoft-Windows-Sysmon/Operational"));
        QCOMPARE(thread.targetPid, int64_t(2840));
        QCOMPARE(qs(thread.detail), QStringLiteral("1364"));
        // The CDATA end tag did not end the element early.
        QCOMPARE(qs(thread.startFunction), QStringLiteral("</evt:Event> is not the end"));
        QVERIFY(thread.raw.rfind("<evt:Event>", 0) == 0);

        // '>' and '/' inside quoted attribute values do not end (or self-close) the start tag.
        const Event& access = r.sink.events[1];
        QCOMPARE(access.eventId, int64_t(10));
        QCOMPARE(access.recordId, int64_t(18651));
        QCOMPARE(access.grantedAccess, int64_t(0x1f1fff));
        QVERIFY(access.raw.size() > 13 && access.raw.compare(access.raw.size() - 13, 13, "</evt:Event >") == 0);
    }

    void wevtutilConcatenated()
    {
        const Result r = readFixture("wevtutil_concatenated.xml");
        QVERIFY2(r.ok, r.error.c_str());
        QCOMPARE(qs(r.layout), QStringLiteral("concatenated-xml"));
        QCOMPARE(r.sink.events.size(), size_t(2));
        const Event& created = r.sink.events[0];
        QCOMPARE(created.eventId, int64_t(1));
        QCOMPARE(created.utcMs, int64_t(1681926387019));
        QCOMPARE(qs(created.subjectGuid), QStringLiteral("0197231e-fc2d-6927-810b-000000000d00"));
        QCOMPARE(created.subjectPid, int64_t(9192));
        QCOMPARE(created.parentPid, int64_t(4242));
        QCOMPARE(qs(created.parentImage), QStringLiteral("C:\\Windows\\explorer.exe"));
        QCOMPARE(qs(created.user), QStringLiteral("GALACTICA\\bob"));
        QCOMPARE(qs(created.hashes), QStringLiteral("SHA256=ABCDEF"));
        // Values keep the CR LF as written: no end-of-line rewriting.
        QCOMPARE(qs(created.commandLine), QStringLiteral("hello.exe --first-line\r\n--second-line"));

        const Event& transacted = r.sink.events[1];
        QCOMPARE(transacted.eventId, int64_t(4985));
        QCOMPARE(transacted.subjectPid, int64_t(6316)); // hex ProcessId
        QCOMPARE(qs(transacted.subjectImage), QStringLiteral("C:\\Users\\IEUser\\Desktop\\doppel.exe"));
        QCOMPARE(qs(transacted.transactionId), QStringLiteral("9b1f3e2a-0c4d-4e5f-8a6b-7c8d9e0f1a2b"));
        QCOMPARE(qs(transacted.transactionState), QStringLiteral("52"));
    }

    void evtxDumpStyle()
    {
        FileBytes input(fixture("evtx_dump.xml"));
        QCOMPARE(sniffFormat(input), InputFormat::Xml); // despite the leading "Record 1" line
        auto source = std::make_unique<XmlSource>();
        CollectSink sink;
        std::string error;
        QVERIFY2(source->read(input, sink, error), error.c_str());
        QCOMPARE(qs(source->layout()), QStringLiteral("evtx_dump-xml"));
        QCOMPARE(sink.events.size(), size_t(2));
        QVERIFY(sink.skips.empty());
        const Event& handle = sink.events[0];
        QCOMPARE(handle.eventId, int64_t(4656));
        QCOMPARE(handle.recordId, int64_t(310));
        QCOMPARE(handle.utcMs, int64_t(1532762685754)); // "2018-07-28 07:24:45.754787 UTC"
        QCOMPARE(handle.grantedAccess, int64_t(0x1410));
        QCOMPARE(handle.subjectPid, int64_t(0x2f0));
        QCOMPARE(qs(handle.subjectImage), QStringLiteral("C:\\Temp\\loader.exe"));
        QCOMPARE(qs(handle.targetFilename), QStringLiteral("\\Device\\HarddiskVolume1\\Users\\Public\\svchost.exe"));
        QCOMPARE(qs(handle.transactionId), QStringLiteral("6a7b8c9d-1e2f-4a5b-9c8d-7e6f5a4b3c2d"));
        QCOMPARE(qs(handle.provider), QStringLiteral("Microsoft-Windows-Security-Auditing"));
        QCOMPARE(sink.events[1].eventId, int64_t(4689));
        QCOMPARE(sink.events[1].position, int64_t(2));
    }

    void malformedEventsAreSkippedAndTheRestLoads()
    {
        const std::string bytes = slurp(fixture("malformed.xml"));
        const Result r = readBytes(bytes);
        QVERIFY2(r.ok, r.error.c_str());
        std::vector<int64_t> positions;
        for (const Event& e : r.sink.events) {
            positions.push_back(e.position);
            QCOMPARE(e.eventId, e.position); // the fixture numbers its good events by position
        }
        QCOMPARE(positions, (std::vector<int64_t>{1, 3, 5}));
        QCOMPARE(r.sink.skips.size(), size_t(4));

        // Event 2: pugixml's reason, and the offset of its start tag in the file.
        const size_t second = bytes.find("\n<Event") + 1;
        QCOMPARE(r.sink.skips[0].first, int64_t(2));
        const std::string expected = "event 2 at byte offset " + std::to_string(second) + ": ";
        QVERIFY2(r.sink.skips[0].second.rfind(expected, 0) == 0, r.sink.skips[0].second.c_str());
        QVERIFY2(r.sink.skips[0].second.find("Start-end tags mismatch") != std::string::npos,
                 r.sink.skips[0].second.c_str());

        QCOMPARE(r.sink.skips[1].first, int64_t(4));
        QVERIFY(r.sink.skips[1].second.find("no EventID") != std::string::npos);
        QCOMPARE(r.sink.skips[2].first, int64_t(6)); // <Event/>
        QVERIFY(r.sink.skips[2].second.find("no EventID") != std::string::npos);
        QCOMPARE(r.sink.skips[3].first, int64_t(7)); // cut off by the end of the file
        QVERIFY2(r.sink.skips[3].second.find("cut off") != std::string::npos, r.sink.skips[3].second.c_str());
    }

    void streamCutsAtEveryByte_data()
    {
        QTest::addColumn<QString>("name");
        for (const char* n : {"saved_events.xml", "prefixed_events.xml", "wevtutil_concatenated.xml", "evtx_dump.xml",
                              "malformed.xml"})
            QTest::newRow(n) << QString::fromLatin1(n);
    }
    void streamCutsAtEveryByte()
    {
        // Whatever the read size, the splitter must find the same events: boundaries fall inside tags,
        // names, CDATA and comments.
        QFETCH(QString, name);
        const std::string bytes = slurp(fixture(name.toLatin1().constData()));
        const Result whole = readBytes(bytes);
        QVERIFY(!whole.sink.events.empty());
        for (size_t chunk : {size_t(1), size_t(2), size_t(3), size_t(5), size_t(7), size_t(13), size_t(64), size_t(333)}) {
            const Result cut = readBytes(bytes, chunk);
            QCOMPARE(cut.ok, whole.ok);
            QCOMPARE(cut.layout, whole.layout);
            QCOMPARE(cut.sink.events.size(), whole.sink.events.size());
            for (size_t i = 0; i < whole.sink.events.size(); ++i) {
                QCOMPARE(cut.sink.events[i].raw, whole.sink.events[i].raw);
                QCOMPARE(cut.sink.events[i].position, whole.sink.events[i].position);
                QCOMPARE(cut.sink.events[i].eventId, whole.sink.events[i].eventId);
            }
            QCOMPARE(cut.sink.skips, whole.sink.skips);
        }
    }

    void endlessEventIsBoundedAndSkipped()
    {
        // An event without its end tag must not make the reader hold the rest of the input.
        const std::string good = slurp(fixture("wevtutil_concatenated.xml"));
        std::string bytes = "<Event><System><EventID>1</EventID></System><EventData><Data Name='CommandLine'>";
        bytes += std::string(8000, 'A'); // the fixture's events are below 2 KiB
        bytes += "</Data></EventData></Event>\n";
        bytes += good;
        const Result r = readBytes(bytes, 256, 2048);
        QVERIFY2(r.ok, r.error.c_str());
        QCOMPARE(r.sink.skips.size(), size_t(1));
        QCOMPARE(r.sink.skips[0].first, int64_t(1));
        QVERIFY2(r.sink.skips[0].second.find("no end tag within 2048 bytes") != std::string::npos,
                 r.sink.skips[0].second.c_str());
        QCOMPARE(r.sink.events.size(), size_t(2)); // the events after it still load
        QCOMPARE(r.sink.events[0].position, int64_t(2));
        QCOMPARE(r.sink.events[0].eventId, int64_t(1));
        QCOMPARE(r.sink.events[1].eventId, int64_t(4985));
    }

    void garbageAndNonEventXml()
    {
        const Result config = readFixture("not_events.xml");
        QVERIFY(!config.ok);
        QVERIFY2(config.error.find("no Windows event <Event> element") != std::string::npos, config.error.c_str());

        const Result empty = readFixture("empty_events.xml");
        QVERIFY2(empty.ok, empty.error.c_str()); // an empty export is a valid, empty log
        QCOMPARE(qs(empty.layout), QStringLiteral("events-xml"));
        QVERIFY(empty.sink.events.empty());

        for (const std::string& junk : {std::string("<"), std::string("<!"), std::string("<![CDATA[ unterminated"),
                                        std::string("<!-- unterminated"), std::string("<Event"),
                                        std::string("<Event attr='unterminated"), std::string("<?xml"),
                                        std::string("<\0Event>\0\0", 10), std::string("<Event><EventID>1</Event>")}) {
            const Result r = readBytes(junk, 3);
            QVERIFY(r.sink.events.empty()); // no crash, nothing invented
            QVERIFY(r.ok || !r.error.empty());
        }
    }

    void corpusXmlFilesMatchTheManifest()
    {
        const QString root = QStringLiteral(DSCOPE_DATASETS);
        QFile manifest(root + QStringLiteral("/MANIFEST.tsv"));
        if (!QDir(root).exists() || !manifest.open(QIODevice::ReadOnly))
            QSKIP("the public log corpus (DSCOPE_DATASETS) is not available");
        const QList<QByteArray> header = manifest.readLine().trimmed().split('\t');
        const qsizetype pathCol = header.indexOf("relpath");
        const qsizetype formatCol = header.indexOf("format");
        const qsizetype recordsCol = header.indexOf("records");
        QVERIFY(pathCol >= 0 && formatCol >= 0 && recordsCol >= 0);
        int files = 0;
        while (!manifest.atEnd()) {
            const QList<QByteArray> row = manifest.readLine().trimmed().split('\t');
            if (row.size() <= recordsCol || row[formatCol] != "xml")
                continue;
            const std::string path = QString(root + QLatin1Char('/') + QString::fromUtf8(row[pathCol])).toStdString();
            FileBytes input(path);
            QVERIFY2(input.isOpen(), path.c_str());
            XmlSource source;
            CollectSink sink;
            std::string error;
            QVERIFY2(source.read(input, sink, error), (path + ": " + error).c_str());
            if (!sink.skips.empty())
                QFAIL((path + ": " + sink.skips.front().second).c_str());
            QCOMPARE(qint64(sink.events.size()), row[recordsCol].toLongLong());
            for (const Event& e : sink.events) {
                QVERIFY(e.eventId != kNoValue);
                QVERIFY2(e.utcMs != kNoValue, path.c_str());
                QVERIFY(!e.channel.empty());
            }
            ++files;
        }
        QVERIFY(files >= 7);
    }
};

QTEST_GUILESS_MAIN(TestXmlSource)
#include "tst_xmlsource.moc"
