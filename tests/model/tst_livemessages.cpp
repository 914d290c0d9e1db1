// SPDX-License-Identifier: MIT
// Live-feed messages: syslog headers (RFC 5424, RFC 3164, none), TCP framing (octet counting and line feed, cut at
// every byte, over-long messages rejected and the stream resumed, garbage lengths refused), and the decoding of one
// message of each sender (Sysmon for Linux XML, NXLog JSON, Winlogbeat, OpenWEC Raw, RawJson and Json).
#include "ingest/gunzip.h"
#include "ingest/messagedecoder.h"
#include "live/syslog.h"

#include <QFile>
#include <QProcess>
#include <QTest>

using namespace dscope::model;

namespace {

const std::string kLinuxSysmon =
    "<Event><System><Provider Name=\"Linux-Sysmon\" Guid=\"{ff032593-a8d3-4f13-b0d6-01fc615a0f97}\"/><EventID>1</EventID>"
    "<Version>5</Version><Level>4</Level><Task>1</Task><Opcode>0</Opcode><Keywords>0x8000000000000000</Keywords>"
    "<TimeCreated SystemTime=\"2026-12-06T10:00:00.123456000Z\"/><EventRecordID>77</EventRecordID><Correlation/>"
    "<Execution ProcessID=\"812\" ThreadID=\"812\"/><Channel>Linux-Sysmon/Operational</Channel><Computer>web01</Computer>"
    "<Security UserId=\"0\"/></System><EventData><Data Name=\"RuleName\">-</Data>"
    "<Data Name=\"UtcTime\">2026-12-06 10:00:00.123</Data><Data Name=\"ProcessGuid\">{8c1d6f2a-0000-0000-0000-000000000001}</Data>"
    "<Data Name=\"ProcessId\">4242</Data><Data Name=\"Image\">/usr/bin/curl</Data></EventData></Event>";

struct Collected {
    std::vector<std::string> messages;
    std::vector<std::string> rejects;
    syslog::Deframer::MessageFn onMessage() { return [this](std::string_view m) { messages.emplace_back(m); }; }
    syslog::Deframer::RejectFn onReject()
    {
        return [this](int64_t offset, std::string r) { rejects.push_back(std::to_string(offset) + ": " + r); };
    }
};

} // namespace

class TestLiveMessages : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void gzipBodiesInflateWithinTheirLimit()
    {
        // Compressed by gzip(1), as a Beats or Python client's Content-Encoding: gzip body would be.
        auto gzip = [](const QByteArray& data) {
            QProcess p;
            p.start(QStringLiteral("gzip"), {QStringLiteral("-c")});
            p.waitForStarted();
            p.write(data);
            p.closeWriteChannel();
            p.waitForFinished(30000);
            return p.readAllStandardOutput();
        };
        QByteArray text;
        for (int i = 0; i < 5000; ++i)
            text += "{\"create\":{}}\n{\"EventID\":" + QByteArray::number(i) + "}\n";
        const QByteArray one = gzip(text);
        QVERIFY(one.size() > 20 && one.size() < text.size());
        std::string out, error;
        QVERIFY2(dscope::model::gunzip(std::string_view(one.constData(), size_t(one.size())), 1 << 20, out, error), error.c_str());
        QCOMPARE(QByteArray::fromStdString(out), text);
        // Two members, one after the other (RFC 1952 allows it): both.
        const QByteArray two = one + gzip("tail\n");
        QVERIFY(dscope::model::gunzip(std::string_view(two.constData(), size_t(two.size())), 1 << 20, out, error));
        QCOMPARE(QByteArray::fromStdString(out), text + "tail\n");
        // A bomb: 64 MiB of zeros in a few tens of kilobytes, refused at the limit without inflating it all.
        const QByteArray bomb = gzip(QByteArray(64 << 20, '\0'));
        QVERIFY(bomb.size() < 200'000);
        QVERIFY(!dscope::model::gunzip(std::string_view(bomb.constData(), size_t(bomb.size())), 1 << 20, out, error));
        QVERIFY2(error.find("more than 1048576 bytes") != std::string::npos, error.c_str());
        // Damage, and text that is not gzip at all.
        QByteArray broken = one;
        broken[broken.size() / 2] = char(broken[broken.size() / 2] ^ 0x5a);
        QVERIFY(!dscope::model::gunzip(std::string_view(broken.constData(), size_t(broken.size())), 1 << 20, out, error));
        QVERIFY2(error.find("corrupt gzip data") != std::string::npos, error.c_str());
        QVERIFY(!dscope::model::gunzip("{\"create\":{}}\n{}\n", 1 << 20, out, error));
        QCOMPARE(error, std::string("not gzip data"));
    }

    void rfc5424Header()
    {
        // The message outlives the views parse() returns into it.
        const std::string text = "<14>1 2026-12-06T10:00:00.123Z web01 sysmon - - [meta a=\"x\\]y\" b=\"2\"][t k=\"v\"] \xEF\xBB\xBF"
                                 + kLinuxSysmon;
        const auto m = syslog::parse(text);
        QCOMPARE(m.format, syslog::HeaderFormat::Rfc5424);
        QCOMPARE(m.pri, 14);
        QCOMPARE(std::string(m.timestamp), std::string("2026-12-06T10:00:00.123Z"));
        QCOMPARE(m.host, std::string_view("web01"));
        QCOMPARE(m.app, std::string_view("sysmon"));
        QCOMPARE(m.body, std::string_view(kLinuxSysmon));
        // logger --rfc5424 adds its own structured data; "-" means none.
        const auto plain = syslog::parse("<13>1 - host root - - - {\"a\":1}");
        QCOMPARE(plain.body, std::string_view("{\"a\":1}"));
        QCOMPARE(plain.host, std::string_view("host"));
    }

    void rfc3164Header()
    {
        const std::string text = "<14>Dec  6 10:00:00 web01 sysmon: " + kLinuxSysmon;
        const auto m = syslog::parse(text);
        QCOMPARE(m.format, syslog::HeaderFormat::Rfc3164);
        QCOMPARE(std::string(m.timestamp), std::string("Dec  6 10:00:00"));
        QCOMPARE(m.host, std::string_view("web01"));
        QCOMPARE(m.app, std::string_view("sysmon"));
        QCOMPARE(m.body, std::string_view(kLinuxSysmon));
        // NXLog's to_syslog_bsd with a JSON message, and a tag with a PID but no host.
        const auto nx = syslog::parse("<14>Dec 13 17:45:02 HOST nxWinEvt: {\"EventID\":1}");
        QCOMPARE(nx.host, std::string_view("HOST"));
        QCOMPARE(nx.app, std::string_view("nxWinEvt"));
        QCOMPARE(nx.body, std::string_view("{\"EventID\":1}"));
        const auto noHost = syslog::parse("<13>Dec  6 10:00:00 root[123]: {\"x\":1}");
        QCOMPARE(noHost.host, std::string_view());
        QCOMPARE(noHost.app, std::string_view("root"));
        QCOMPARE(noHost.body, std::string_view("{\"x\":1}"));
    }

    void noHeaderIsAllBody()
    {
        QCOMPARE(syslog::parse(kLinuxSysmon).format, syslog::HeaderFormat::None);
        QCOMPARE(syslog::parse(kLinuxSysmon).body, std::string_view(kLinuxSysmon));
        QCOMPARE(syslog::parse("<999>x").pri, -1);
        QCOMPARE(syslog::parse("").body, std::string_view());
    }

    void octetCountingCutAtEveryByte()
    {
        const std::string a = "<14>1 - h app - - - " + kLinuxSysmon, b = "second";
        const std::string stream = std::to_string(a.size()) + " " + a + std::to_string(b.size()) + " " + b;
        for (size_t cut = 0; cut <= stream.size(); ++cut) {
            syslog::Deframer d(1 << 20);
            Collected c;
            QVERIFY(d.feed(std::string_view(stream).substr(0, cut), c.onMessage(), c.onReject()));
            QVERIFY(d.feed(std::string_view(stream).substr(cut), c.onMessage(), c.onReject()));
            QCOMPARE(d.framing(), syslog::Deframer::Framing::OctetCounting);
            QCOMPARE(c.messages, (std::vector<std::string>{a, b}));
            QVERIFY(c.rejects.empty());
        }
    }

    void lineFeedFramingWithCrLfAndALastLine()
    {
        syslog::Deframer d(1 << 20);
        Collected c;
        QVERIFY(d.feed("<13>one\r\n\n<13>two\n<13>thr", c.onMessage(), c.onReject()));
        QCOMPARE(d.framing(), syslog::Deframer::Framing::LineFeed);
        QCOMPARE(c.messages, (std::vector<std::string>{"<13>one", "<13>two"}));
        d.finish(c.onMessage(), c.onReject());
        QCOMPARE(c.messages.back(), std::string("<13>thr"));
    }

    void overLongMessagesAreRejectedAndTheStreamGoesOn()
    {
        {
            syslog::Deframer d(16);
            Collected c;
            QVERIFY(d.feed("5 small40 " + std::string(40, 'x') + "3 end", c.onMessage(), c.onReject()));
            QCOMPARE(c.messages, (std::vector<std::string>{"small", "end"}));
            QCOMPARE(c.rejects.size(), size_t(1));
            QVERIFY2(c.rejects[0].find("40 bytes, over the limit of 16") != std::string::npos, c.rejects[0].c_str());
            QVERIFY2(c.rejects[0].starts_with("10: "), c.rejects[0].c_str()); // byte offset of the frame
        }
        {
            syslog::Deframer d(8);
            Collected c;
            QVERIFY(d.feed("ok\n" + std::string(20, 'y'), c.onMessage(), c.onReject()));
            QVERIFY(d.buffered() <= 8); // memory stays at the limit while the long line streams in
            QVERIFY(d.feed(std::string(20, 'y') + "\nfine\n", c.onMessage(), c.onReject()));
            QCOMPARE(c.messages, (std::vector<std::string>{"ok", "fine"}));
            QCOMPARE(c.rejects.size(), size_t(1));
        }
    }

    void garbageLengthsCannotBeFramed()
    {
        syslog::Deframer d(1 << 20);
        Collected c;
        QVERIFY(!d.feed("12x4 abc", c.onMessage(), c.onReject()));
        QCOMPARE(c.rejects.size(), size_t(1));
        QVERIFY(c.rejects[0].find("expects a length") != std::string::npos);
        syslog::Deframer huge(1 << 20);
        QVERIFY(!huge.feed("99999999999 x", c.onMessage(), c.onReject())); // eleven digits
        syslog::Deframer cut(1 << 20);
        Collected k;
        QVERIFY(cut.feed("10 abc", k.onMessage(), k.onReject()));
        cut.finish(k.onMessage(), k.onReject());
        QCOMPARE(k.rejects.size(), size_t(1));
        QVERIFY(k.rejects[0].find("closed inside a frame") != std::string::npos);
    }

    void decodesEachSender()
    {
        MessageDecoder decoder;
        Event e;
        std::string reason;
        QVERIFY2(decoder.decode(kLinuxSysmon, 1, e, reason), reason.c_str());
        QCOMPARE(decoder.layout(), std::string("event-xml"));
        QCOMPARE(e.eventId, int64_t(1));
        QCOMPARE(e.host, std::string("web01"));
        QCOMPARE(e.channel, std::string("Linux-Sysmon/Operational"));
        QCOMPARE(e.subjectImage, std::string("/usr/bin/curl"));
        QCOMPARE(e.recordId, int64_t(77));
        QCOMPARE(e.position, int64_t(1));
        QCOMPARE(e.rawFormat, RawFormat::Xml);

        // NXLog's flat JSON, as the importer's layout A test file has it: the first line.
        QFile nx(QStringLiteral(DSCOPE_TEST_DATA "/json/layout_a_nxlog.jsonl"));
        QVERIFY(nx.open(QIODevice::ReadOnly));
        const std::string line = nx.readLine().trimmed().toStdString();
        QVERIFY2(decoder.decode(line, 2, e, reason), reason.c_str());
        QCOMPARE(decoder.layout(), std::string("security-datasets-nxlog"));
        QCOMPARE(e.rawFormat, RawFormat::Json);

        // Winlogbeat 7 with ECS fields.
        QFile wlb(QStringLiteral(DSCOPE_TEST_DATA "/json/layout_d_winlogbeat716_ecs.jsonl"));
        QVERIFY(wlb.open(QIODevice::ReadOnly));
        QVERIFY2(decoder.decode(wlb.readLine().trimmed().toStdString(), 3, e, reason), reason.c_str());
        QCOMPARE(decoder.layout(), std::string("winlogbeat-7-ecs"));

        // OpenWEC RawJson: the XML travels as a JSON string.
        std::string escaped;
        for (char c : kLinuxSysmon)
            escaped += c == '"' ? std::string("\\\"") : std::string(1, c);
        const std::string rawJson = "{\"meta\":{\"IpAddress\":\"10.0.0.5\",\"TimeReceived\":\"2026-12-06T10:00:01Z\"},\"data\":\""
                                    + escaped + "\"}";
        QVERIFY2(decoder.decode(rawJson, 4, e, reason), reason.c_str());
        QCOMPARE(decoder.layout(), std::string("openwec-rawjson"));
        QCOMPARE(e.subjectImage, std::string("/usr/bin/curl"));
        QCOMPARE(e.rawFormat, RawFormat::Xml);

        // OpenWEC Json: System and EventData at the top, the time as a string.
        const std::string openwecJson =
            "{\"System\":{\"Provider\":{\"Name\":\"Microsoft-Windows-Sysmon\"},\"EventID\":10,\"EventRecordID\":5,"
            "\"TimeCreated\":\"2026-12-06T10:00:02.500000000Z\",\"Channel\":\"Microsoft-Windows-Sysmon/Operational\","
            "\"Computer\":\"ws01.corp\"},\"EventData\":{\"SourceProcessGUID\":\"{a-1}\",\"TargetProcessGUID\":\"{b-2}\","
            "\"GrantedAccess\":\"0x1F3FFF\",\"SourceImage\":\"C:\\\\x.exe\",\"TargetImage\":\"C:\\\\Windows\\\\notepad.exe\"},"
            "\"OpenWEC\":{\"IpAddress\":\"10.0.0.6\"}}";
        QVERIFY2(decoder.decode(openwecJson, 5, e, reason), reason.c_str());
        QCOMPARE(decoder.layout(), std::string("openwec-json"));
        QCOMPARE(e.eventId, int64_t(10));
        QCOMPARE(e.host, std::string("ws01.corp"));
        QCOMPARE(e.grantedAccess, int64_t(0x1F3FFF));
        QVERIFY(e.utcMs > 0);

        // What is no event says why.
        QVERIFY(!decoder.decode("hello world", 6, e, reason));
        QCOMPARE(reason, std::string("neither an XML event nor a JSON object"));
        QVERIFY(!decoder.decode("{\"a\": 1", 7, e, reason));
        QVERIFY2(reason.starts_with("JSON: "), reason.c_str());
        QVERIFY(!decoder.decode("{\"colour\": \"blue\"}", 8, e, reason));
        QCOMPARE(reason, std::string("JSON of an unknown layout"));
        QVERIFY(!decoder.decode("<Event><System>", 9, e, reason));
        QVERIFY2(reason.starts_with("XML: "), reason.c_str());
        QVERIFY(!decoder.decode("  \n", 10, e, reason));
    }
};

QTEST_GUILESS_MAIN(TestLiveMessages)
#include "tst_livemessages.moc"
