// SPDX-License-Identifier: MIT
// The JSON source: one case per layout of FORMATS.md section 3 on self-written records, damaged input, and the
// corpus through the real importer.
#include "import/importer.h"
#include "ingest/inputbytes.h"
#include "ingest/jsonsource.h"
#include "domain/normalize.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace dscope::model;

namespace {

class CollectingSink : public RecordSink
{
public:
    void add(Event&& e) override { events.push_back(std::move(e)); }
    void skip(int64_t position, std::string reason) override { skips.emplace_back(position, std::move(reason)); }
    bool cancelled() const override { return cancelAfter >= 0 && int64_t(events.size()) >= cancelAfter; }

    std::vector<Event> events;
    std::vector<std::pair<int64_t, std::string>> skips;
    int64_t cancelAfter = -1;
};

struct ReadResult {
    bool ok = false;
    std::string error;
    std::string layout;
    CollectingSink sink;
};

ReadResult readJson(const QByteArray& json, JsonLimits limits = {}, int64_t cancelAfter = -1)
{
    ReadResult r;
    r.sink.cancelAfter = cancelAfter;
    MemoryBytes bytes(json.toStdString(), "test.json");
    JsonSource source(limits);
    r.ok = source.read(bytes, r.sink, r.error);
    r.layout = source.layout();
    return r;
}

QString iso(int64_t ms) { return ms == kNoValue ? QString() : QString::fromStdString(normalize::isoUtc(ms)); }
QString q(const std::string& s) { return QString::fromStdString(s); }
constexpr qint64 none = kNoValue;

/// A self-written fixture of tests/data/json (one per layout, modelled on FORMATS.md section 3).
QByteArray fixture(const char* name)
{
    QFile f(QStringLiteral(DSCOPE_TEST_DATA "/json/") + QLatin1String(name));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing fixture %s", name);
    return f.readAll().trimmed();
}

// A: Security-Datasets NXLog/HELK flat; its envelope ProcessID/ThreadID belong to the log writer.
QByteArray layoutA() { return fixture("layout_a_nxlog.jsonl"); }
// B: flat minimal, no RecordNumber; the times in the envelope are false.
QByteArray layoutB() { return fixture("layout_b_minimal.jsonl"); }
// C: Winlogbeat 6, host.name is the collector, record_number a string.
QByteArray layoutC() { return fixture("layout_c_winlogbeat6.jsonl"); }
// D: Winlogbeat 7.4, event_id an int; the Sysmon service PID sits in winlog.process.pid.
QByteArray layoutD74() { return fixture("layout_d_winlogbeat74.jsonl"); }
// D: Winlogbeat 7.16 ECS, the process fields lifted out of event_data, event_id a string.
QByteArray layoutD716() { return fixture("layout_d_winlogbeat716_ecs.jsonl"); }
// E: evtx_dump, pretty-printed, PIDs as numbers, GUIDs without braces.
QByteArray layoutE() { return fixture("layout_e_evtxdump.json"); }
// E with EventID as {"#attributes":..,"#text":..} and Security 4688's creator ProcessId.
QByteArray layoutE4688() { return fixture("layout_e_evtxdump_4688.json"); }
// F: Sentinel WindowsEvent, EventData is JSON inside a string, UtcTime in ISO form.
QByteArray layoutFEvent() { return fixture("layout_f_sentinel_event.jsonl"); }
// F: Sentinel SecurityEvent, values without names cannot be mapped: the System fields stay.
QByteArray layoutFSecurity() { return fixture("layout_f_sentinel_securityevent.jsonl"); }
// G: Splunk NXLog without the HELK envelope; ProcessID is the Sysmon service, not the created process.
QByteArray layoutG() { return fixture("layout_g_splunk_nxlog.jsonl"); }
// A top-level array (Elastic golden files), event_id as a string.
QByteArray arrayDoc() { return fixture("array_winlogbeat.json"); }

} // namespace

class TestJsonSource : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void layouts_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("layout");
        QTest::addColumn<QString>("host");
        QTest::addColumn<qint64>("eventId");
        QTest::addColumn<qint64>("recordId");
        QTest::addColumn<QString>("subjectGuid");
        QTest::addColumn<qint64>("subjectPid");
        QTest::addColumn<QString>("image");
        QTest::addColumn<QString>("targetGuid");
        QTest::addColumn<qint64>("targetPid");
        QTest::addColumn<qint64>("parentPid");
        QTest::addColumn<qint64>("grantedAccess");
        QTest::addColumn<QString>("utc");
        QTest::addColumn<qint64>("position");

        // JSON lines fixtures start with a blank line: positions are line numbers, so the record is line 2.
        auto line = [](const QByteArray& s) -> QByteArray { return "\n" + s + "\n"; };
        QTest::newRow("A security-datasets-nxlog") << line(layoutA()) << "security-datasets-nxlog"
            << "WORKSTATION5.theshire.local" << qint64(10) << qint64(766630)
            << "297bc33e-9de2-5f2d-2208-000000000400" << qint64(6008)
            << "C:\\windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"
            << "297bc33e-9db9-5f2d-1a08-000000000400" << qint64(2576) << none << qint64(0x1f3fff)
            << "2020-08-07T18:32:41.298Z" << qint64(2);
        QTest::newRow("B security-datasets-minimal") << line(layoutB()) << "security-datasets-minimal"
            << "MKT01.pandalab.com" << qint64(8) << none << "81056205-5686-64dc-3b04-000000000800" << qint64(1988)
            << "C:\\Users\\someone\\Downloads\\payload.exe" << "81056205-d0f8-64d4-2300-000000000800" << qint64(1400)
            << none << none << "2023-08-16T04:57:27.073Z" << qint64(2);
        QTest::newRow("C winlogbeat-6") << line(layoutC()) << "winlogbeat-6" << "HR001.shire.com" << qint64(8)
            << qint64(2183672) << "03ba39f5-50b2-5ce0-0000-00109995c501" << qint64(5452)
            << "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe"
            << "03ba39f5-652c-5ce0-0000-0010760bff01" << qint64(7924) << none << none << "2019-05-18T20:05:00.943Z"
            << qint64(2);
        QTest::newRow("D winlogbeat 7.4") << line(layoutD74()) << "winlogbeat-7-ecs" << "win10.marvel.local"
            << qint64(10) << qint64(12220022) << "9d556bd4-95d4-5e1b-0000-001069c80200" << qint64(2724)
            << "C:\\ProgramData\\Microsoft\\Windows Defender\\platform\\4.18.1911.3-0\\MsMpEng.exe"
            << "9d556bd4-b423-5e1b-0000-00104e060d01" << qint64(2556) << none << qint64(0x2200)
            << "2020-01-13T00:04:51.727Z" << qint64(2);
        QTest::newRow("D winlogbeat 7.16 ECS lifted process") << line(layoutD716()) << "winlogbeat-7-ecs"
            << "s.domain.local" << qint64(1) << qint64(633889) << "3400037d-7178-65c6-1d00-000000000b00" << qint64(1336)
            << "C:\\Windows\\System32\\svchost.exe" << "" << none << qint64(696) << none
            << "2024-02-13T06:56:24.223Z" << qint64(2);
        QTest::newRow("E evtx_dump pretty") << layoutE() << "evtx_dump" << "swachchhanda" << qint64(10)
            << qint64(445923) << "0197231e-fc2d-6927-810b-000000000d00" << qint64(7224)
            << "C:\\Windows\\System32\\WerFaultSecure.exe" << "0197231e-2dd8-691e-4d00-000000000d00" << qint64(3472)
            << none << qint64(0x1fffff) << "2025-11-27T07:22:22.031Z" << qint64(1);
        QTest::newRow("E evtx_dump #text EventID, 4688") << layoutE4688() << "evtx_dump"
            << "WIN-LL0C19JS506" << qint64(4688) << qint64(1) << "" << qint64(0x58) << "Registry" << "" << none
            << qint64(4) << none << "2018-07-28T07:24:45.754Z" << qint64(1);
        QTest::newRow("F sentinel-event") << line(layoutFEvent()) << "sentinel-event" << "WORKSTATION5" << qint64(10)
            << none << "f3329a35-1c6c-627e-e516-000000000600" << qint64(3936) << "C:\\Program Files\\tomcat9.exe"
            << "f3329a35-1c6b-627e-0c00-000000000600" << qint64(656) << none << qint64(0x1fffff)
            << "2022-05-13T08:54:08.421Z" << qint64(2);
        QTest::newRow("F sentinel-securityevent") << line(layoutFSecurity()) << "sentinel-securityevent"
            << "ADFS01.simulandlabs.com" << qint64(412) << none << "" << none << "" << "" << none << none << none
            << "2021-08-02T13:09:20.040Z" << qint64(2);
        QTest::newRow("G splunk-nxlog") << line(layoutG()) << "splunk-nxlog" << "win-dc-881393.attackrange.local"
            << qint64(1) << qint64(1075) << "a837db8d-01bb-5f25-0000-00100e6d0200" << none
            << "C:\\Windows\\servicing\\TrustedInstaller.exe" << "" << none << qint64(612) << none
            << "2020-08-01T05:46:35.164Z" << qint64(2);
        QTest::newRow("array of winlogbeat objects") << arrayDoc() << "winlogbeat-7-ecs" << "DESKTOP-I9CQVAQ"
            << qint64(25) << qint64(10737797) << "9497d8d9-b78b-6037-6f13-000000001000" << qint64(2628)
            << "C:\\Program Files\\Git\\git.exe" << "" << none << none << none << "2021-02-25T14:43:23.550Z"
            << qint64(2);
    }
    void layouts()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, layout);
        const ReadResult r = readJson(json);
        QVERIFY2(r.ok, r.error.c_str());
        QVERIFY2(r.sink.skips.empty(), r.sink.skips.empty() ? "" : r.sink.skips.front().second.c_str());
        QVERIFY(!r.sink.events.empty());
        QCOMPARE(q(r.layout), layout);
        const Event& e = r.sink.events.back();
        QTEST(q(e.host), "host");
        QTEST(qint64(e.eventId), "eventId");
        QTEST(qint64(e.recordId), "recordId");
        QTEST(q(e.subjectGuid), "subjectGuid");
        QTEST(qint64(e.subjectPid), "subjectPid");
        QTEST(q(e.subjectImage), "image");
        QTEST(q(e.targetGuid), "targetGuid");
        QTEST(qint64(e.targetPid), "targetPid");
        QTEST(qint64(e.parentPid), "parentPid");
        QTEST(qint64(e.grantedAccess), "grantedAccess");
        QTEST(iso(e.utcMs), "utc");
        QTEST(qint64(e.position), "position");
        QCOMPARE(e.rawFormat, RawFormat::Json);
        QVERIFY(e.raw.front() == '{' && e.raw.back() == '}');
        QVERIFY(!e.channel.empty());
    }

    void mixedLayoutsAreReportedAsASet()
    {
        const ReadResult r = readJson(layoutFEvent() + "\n" + layoutFSecurity() + "\n");
        QVERIFY(r.ok);
        QCOMPARE(r.sink.events.size(), size_t(2));
        QCOMPARE(q(r.layout), QStringLiteral("sentinel-event+sentinel-securityevent"));
    }

    void xmlEscapedTextIsUnescaped()
    {
        const QByteArray line = R"J({"EventID":8,"Channel":"Microsoft-Windows-Sysmon/Operational","Hostname":"WORKSTATION5",)J"
                                R"J("UtcTime":"2020-10-12 22:35:11.409","SourceProcessGuid":"{297bc33e-e86b-5f84-0000-001069090500}",)J"
                                R"J("SourceImage":"C:\\Windows\\System32\\wuauclt.exe","TargetImage":"&lt;unknown process&gt;",)J"
                                R"J("TargetProcessId":"2368"})J";
        const ReadResult r = readJson(line);
        QVERIFY(r.ok);
        QCOMPARE(r.sink.events.size(), size_t(1));
        QCOMPARE(q(r.sink.events[0].targetImage), QStringLiteral("<unknown process>"));
        QCOMPARE(qint64(r.sink.events[0].targetPid), qint64(2368));
    }

    void garbageLineInTheMiddle()
    {
        const QByteArray json = layoutA() + "\n" + layoutB() + "\nthis is { not json\n" + layoutC() + "\n"
                                + R"J({"EventID": 4688, "Hostname": "X", "Channel": "Security")J" /* truncated */ "\n"
                                + layoutG() + "\n";
        const ReadResult r = readJson(json);
        QVERIFY2(r.ok, r.error.c_str());
        QCOMPARE(r.sink.events.size(), size_t(4));
        QCOMPARE(r.sink.skips.size(), size_t(2));
        QCOMPARE(qint64(r.sink.skips[0].first), qint64(3));
        QVERIFY2(r.sink.skips[0].second.rfind("line 3: ", 0) == 0, r.sink.skips[0].second.c_str());
        QCOMPARE(qint64(r.sink.skips[1].first), qint64(5));
        QVERIFY2(r.sink.skips[1].second.rfind("line 5: ", 0) == 0, r.sink.skips[1].second.c_str());
        QCOMPARE(qint64(r.sink.events[3].position), qint64(6));
        QCOMPARE(qint64(r.sink.events[3].eventId), qint64(1));
        QCOMPARE(q(r.layout), QStringLiteral("security-datasets-nxlog+security-datasets-minimal+winlogbeat-6+splunk-nxlog"));
    }

    void truncatedLastLine()
    {
        QByteArray json = layoutA() + "\n" + layoutB() + "\n" + layoutC();
        json.chop(40); // the file ends inside the third record, without a newline
        const ReadResult r = readJson(json);
        QVERIFY(r.ok);
        QCOMPARE(r.sink.events.size(), size_t(2));
        QCOMPARE(r.sink.skips.size(), size_t(1));
        QCOMPARE(qint64(r.sink.skips[0].first), qint64(3));
        QVERIFY2(r.sink.skips[0].second.rfind("line 3: ", 0) == 0, r.sink.skips[0].second.c_str());
    }

    void truncatedDocumentFails()
    {
        QByteArray json(layoutE());
        json.truncate(json.size() / 2);
        const ReadResult r = readJson(json);
        QVERIFY(!r.ok);
        QVERIFY2(r.error.find("not JSON records") != std::string::npos, r.error.c_str());
        QVERIFY(r.sink.events.empty());
    }

    void damagedArrayKeepsTheElementsBefore()
    {
        QByteArray json(arrayDoc());
        json.replace("\"event_id\":\"25\"", "\"event_id\":\"25\" \"oops\"");
        const ReadResult r = readJson(json);
        QVERIFY(r.ok);
        QCOMPARE(r.sink.events.size(), size_t(1));
        QCOMPARE(r.sink.skips.size(), size_t(1));
        QCOMPARE(qint64(r.sink.skips[0].first), qint64(2));
        QVERIFY(r.sink.skips[0].second.rfind("element 2: ", 0) == 0);
    }

    void emptyAndBlankInputs()
    {
        for (const char* s : {"", "\n\n  \r\n", "\xEF\xBB\xBF"}) {
            const ReadResult r = readJson(s);
            QVERIFY(r.ok);
            QVERIFY(r.sink.events.empty());
            QVERIFY(r.sink.skips.empty());
        }
    }

    void byteOrderMarkAndCrLf()
    {
        const ReadResult r = readJson("\xEF\xBB\xBF" + layoutB() + "\r\n\r\n" + layoutG() + "\r\n");
        QVERIFY2(r.ok, r.error.c_str());
        QCOMPARE(r.sink.events.size(), size_t(2));
        QCOMPARE(qint64(r.sink.events[1].position), qint64(3));
        QCOMPARE(r.sink.events[1].raw.back(), '}');
    }

    void notJsonFails()
    {
        const ReadResult r = readJson("{this is not json\nnor is this\n[neither]x\n");
        QVERIFY(!r.ok);
        QVERIFY2(r.error.rfind("not JSON records: as one document: ", 0) == 0, r.error.c_str());
        QVERIFY(r.sink.events.empty());
        QVERIFY(r.sink.skips.empty());
    }

    void damagedFirstLineStillReadsTheRest()
    {
        const ReadResult r = readJson(QByteArray("{\"EventID\": 1, \"Host\n") + layoutA() + "\n" + layoutB() + "\n");
        QVERIFY2(r.ok, r.error.c_str());
        QCOMPARE(r.sink.events.size(), size_t(2));
        QCOMPARE(r.sink.skips.size(), size_t(1));
        QCOMPARE(qint64(r.sink.skips[0].first), qint64(1));
        QCOMPARE(qint64(r.sink.events[0].position), qint64(2));
    }

    void recordWithoutEventIdIsSkipped()
    {
        const ReadResult r = readJson(QByteArray("{\"hello\":\"world\"}\n") + layoutB() + "\n");
        QVERIFY(r.ok);
        QCOMPARE(r.sink.events.size(), size_t(1));
        QCOMPARE(r.sink.skips.size(), size_t(1));
        QVERIFY(r.sink.skips[0].second.find("no event id") != std::string::npos);
    }

    void smallWindowsCarryPartialLines()
    {
        // Windows smaller than a line force the carry-over and the growth paths; the result must not change.
        QByteArray json;
        for (int i = 0; i < 50; ++i)
            json += QByteArray(i % 2 ? layoutA() : layoutC()) + (i % 3 ? "\n" : "\r\n");
        JsonLimits small;
        small.windowBytes = 100;
        const ReadResult a = readJson(json);
        const ReadResult b = readJson(json, small);
        QVERIFY(a.ok && b.ok);
        QCOMPARE(a.sink.events.size(), size_t(50));
        QCOMPARE(b.sink.events.size(), size_t(50));
        for (size_t i = 0; i < 50; ++i) {
            QCOMPARE(b.sink.events[i].position, int64_t(i + 1));
            QCOMPARE(b.sink.events[i].raw, a.sink.events[i].raw);
            QCOMPARE(b.sink.events[i].subjectGuid, a.sink.events[i].subjectGuid);
        }
    }

    void consecutiveInputsShareNothing()
    {
        // Readers on one thread reuse one parse window: what an earlier input left in it must not show up later,
        // whether the later input is shorter, ends without a newline, or asks for a smaller window.
        QByteArray longer;
        for (int i = 0; i < 40; ++i)
            longer += QByteArray(layoutA()) + "\n";
        const ReadResult first = readJson(longer);
        QVERIFY(first.ok);
        QCOMPARE(first.sink.events.size(), size_t(40));
        const ReadResult shorter = readJson(layoutC());
        QVERIFY2(shorter.ok, shorter.error.c_str());
        QCOMPARE(shorter.sink.events.size(), size_t(1));
        QCOMPARE(shorter.sink.events[0].raw, layoutC().toStdString());
        JsonLimits small;
        small.windowBytes = 100;
        const ReadResult windowed = readJson(QByteArray(layoutB()) + "\n" + layoutC(), small);
        QVERIFY2(windowed.ok, windowed.error.c_str());
        QCOMPARE(windowed.sink.events.size(), size_t(2));
        QCOMPARE(windowed.sink.events[1].raw, layoutC().toStdString());
        const ReadResult empty = readJson("");
        QCOMPARE(empty.sink.events.size(), size_t(0));
    }

    void overlongLineIsSkipped()
    {
        JsonLimits small;
        small.windowBytes = 256;
        small.maxLineBytes = 2048;
        const QByteArray longLine = "{\"EventID\":1,\"Hostname\":\"h\",\"Pad\":\"" + QByteArray(5000, 'x') + "\"}";
        const ReadResult r = readJson(layoutB() + "\n" + longLine + "\n" + layoutC() + "\n", small);
        QVERIFY2(r.ok, r.error.c_str());
        QCOMPARE(r.sink.events.size(), size_t(2));
        QCOMPARE(r.sink.skips.size(), size_t(1));
        QCOMPARE(qint64(r.sink.skips[0].first), qint64(2));
        QVERIFY2(r.sink.skips[0].second.find("longer than") != std::string::npos, r.sink.skips[0].second.c_str());
        QCOMPARE(qint64(r.sink.events[1].position), qint64(3));
    }

    void documentOverTheCapFails()
    {
        JsonLimits small;
        small.windowBytes = 64;
        small.maxDocumentBytes = 512;
        const ReadResult r = readJson(layoutE(), small);
        QVERIFY(!r.ok);
        QVERIFY2(r.error.find("larger than") != std::string::npos, r.error.c_str());
    }

    void minimalLayoutTimeFromTheSysmonOffset()
    {
        // Layout B: TimeCreated is local on a 12-hour clock (UTC-4 here, 21:40 shown as 09:40). Security records have
        // no UtcTime: the offset seen on a Sysmon record of the same host places them, also those before it (held
        // back until the offset is known). A host without Sysmon records keeps no time rather than a false one.
        const QByteArray sysmon = R"J({"Hostname":"WORKSTATION5","Channel":"Microsoft-Windows-Sysmon/Operational","EventID":10,)J"
                                  R"J("TimeCreated":"2020-10-21T09:40:56.473Z","UtcTime":"2020-10-22 01:40:56.458"})J";
        const QByteArray security = R"J({"Hostname":"WORKSTATION5","Channel":"Security","EventID":4688,)J"
                                    R"J("TimeCreated":"2020-10-21T09:40:57.000Z","NewProcessId":"0x1a2c"})J";
        // Another host: 12:50 local (UTC-4), then 13:05, which the 12-hour reading shows as 01:05.
        const QByteArray noon = R"J({"Hostname":"NOON","Channel":"Microsoft-Windows-Sysmon/Operational","EventID":1,)J"
                                R"J("TimeCreated":"2020-10-21T12:50:00.010Z","UtcTime":"2020-10-21 16:50:00.000"})J";
        const QByteArray afterOne = R"J({"Hostname":"NOON","Channel":"Security","EventID":4689,)J"
                                    R"J("TimeCreated":"2020-10-21T01:05:00.000Z"})J";
        const QByteArray otherHost = R"J({"Hostname":"OTHER","Channel":"Security","EventID":4688,)J"
                                     R"J("TimeCreated":"2020-10-21T09:40:57.000Z"})J";
        ReadResult r = readJson(security + "\n" + sysmon + "\n" + security + "\n" + otherHost + "\n" + noon + "\n"
                                + afterOne + "\n");
        QVERIFY(r.ok);
        QCOMPARE(r.sink.events.size(), size_t(6));
        std::sort(r.sink.events.begin(), r.sink.events.end(),
                  [](const Event& a, const Event& b) { return a.position < b.position; });
        QCOMPARE(iso(r.sink.events[0].utcMs), QStringLiteral("2020-10-22T01:40:56.985Z"));
        QCOMPARE(iso(r.sink.events[1].utcMs), QStringLiteral("2020-10-22T01:40:56.458Z"));
        QCOMPARE(iso(r.sink.events[2].utcMs), QStringLiteral("2020-10-22T01:40:56.985Z"));
        QCOMPARE(r.sink.events[3].utcMs, kNoValue);
        QCOMPARE(iso(r.sink.events[5].utcMs), QStringLiteral("2020-10-21T17:04:59.990Z"));
        QCOMPARE(qint64(r.sink.events[2].subjectPid), qint64(0x1a2c));
    }

    void cancelStopsEarly()
    {
        QByteArray json;
        for (int i = 0; i < 2000; ++i)
            json += layoutB() + "\n";
        const ReadResult r = readJson(json, {}, 10);
        QVERIFY(r.ok);
        QVERIFY(r.sink.events.size() >= 10);
        QVERIFY(r.sink.events.size() < 2000);
    }

    void prefixesAndMutationsAreSafe()
    {
        // Every truncation and random byte damage of real-shaped input: no crash, and failure always says why.
        const char* names[] = {"layout_e_evtxdump.json", "array_winlogbeat.json", "layout_f_sentinel_event.jsonl"};
        quint32 seed = 12345;
        auto next = [&seed] { return seed = seed * 1103515245u + 12345u; };
        for (const char* name : names) {
            const QByteArray doc = fixture(name) + "\n" + layoutB() + "\n";
            for (qsizetype n = 0; n <= doc.size(); ++n) {
                const ReadResult r = readJson(doc.left(n));
                QVERIFY2(r.ok || !r.error.empty(), name);
                for (const Event& e : r.sink.events)
                    QVERIFY(e.eventId != kNoValue);
            }
            for (int i = 0; i < 1500; ++i) {
                QByteArray m = doc;
                for (int k = 0; k < 3; ++k)
                    m[qsizetype((next() >> 8) % quint32(m.size()))] = char(next() >> 16);
                const ReadResult r = readJson(m);
                QVERIFY2(r.ok || !r.error.empty(), name);
            }
        }
    }

    void corpusThroughTheImporter();
};

void TestJsonSource::corpusThroughTheImporter()
{
    const QString root = QStringLiteral(DSCOPE_DATASETS);
    QFile manifest(root + QStringLiteral("/MANIFEST.tsv"));
    if (!QDir(root).exists() || !manifest.open(QIODevice::ReadOnly))
        QSKIP("the public log corpus (DSCOPE_DATASETS) is not available here");
    const QList<QByteArray> header = manifest.readLine().trimmed().split('\t');
    const qsizetype colPath = header.indexOf("relpath"), colFormat = header.indexOf("format"),
                    colRecords = header.indexOf("records");
    QVERIFY(colPath >= 0 && colFormat >= 0 && colRecords >= 0);
    int files = 0;
    while (!manifest.atEnd()) {
        const QList<QByteArray> cols = manifest.readLine().split('\t');
        if (cols.size() <= colRecords || !cols[colFormat].contains("json"))
            continue;
        const std::string path = QString(root + QLatin1Char('/') + QString::fromUtf8(cols[colPath])).toStdString();
        const qint64 expected = cols[colRecords].toLongLong();
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        Importer importer(dir.filePath(QStringLiteral("case.dscase")).toStdString());
        const ImportSummary s = importer.run({path});
        QVERIFY2(s.fatal.empty(), s.fatal.c_str());
        QCOMPARE(s.inputs.size(), size_t(1));
        const InputReport& in = s.inputs[0];
        const QByteArray what = QByteArray::fromStdString(path + " [" + in.layout + "] " + in.failure + " "
                                                          + (in.issues.empty() ? "" : in.issues[0].message));
        QVERIFY2(in.status == InputReport::Status::Imported, what.constData());
        const QByteArray counts = what + " events " + QByteArray::number(qint64(in.events)) + " expected "
                                  + QByteArray::number(expected);
        QVERIFY2(in.events == expected, counts.constData());
        QVERIFY2(in.skipped == 0, what.constData());
        QVERIFY2(!in.layout.empty(), what.constData());
        qInfo("%s: %lld events, %s, %.2f s", cols[colPath].constData(), qint64(in.events), in.layout.c_str(),
              in.seconds);
        ++files;
    }
    QVERIFY(files >= 20);
}

QTEST_GUILESS_MAIN(TestJsonSource)
#include "tst_jsonsource.moc"
