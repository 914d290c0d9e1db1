// SPDX-License-Identifier: MIT
// Each rule on tiny hand-written cases: what must fire, what must not, and what the alert says.
#include "detection_helpers.h"

#include "alertjson.h"
#include "engine.h"
#include "domain/accessmask.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace dscope;
using namespace dscope::testing;
using model::Event;

namespace {

const std::string A = "aaaaaaaa-0000-0000-0000-000000000001"; // injector
const std::string B = "bbbbbbbb-0000-0000-0000-000000000002"; // victim
const std::string C = "cccccccc-0000-0000-0000-000000000003"; // another process

} // namespace

class TestRules : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;

    model::AlertSetPtr scan(std::vector<Event> events, std::vector<std::string> rules)
    {
        return scanEvents(m_dir.path(), std::move(events), std::move(rules));
    }
    static int count(const model::AlertSet& set, const char* rule)
    {
        int n = 0;
        for (const auto& a : set.alerts)
            n += a.ruleId == rule ? 1 : 0;
        return n;
    }
    static bool has(const std::string& text, const char* needle) { return text.find(needle) != std::string::npos; }

private Q_SLOTS:
    void ruleFile()
    {
        const auto rules = loadRules();
        for (const char* id : {"R0", "R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8"}) {
            const auto* r = rules.find(id);
            QVERIFY2(r, id);
            QVERIFY(!r->technique.empty() && !r->description.empty() && !r->eventIds.empty());
            QVERIFY(!r->blindSpots.empty() && !r->falsePositives.empty());
            QVERIFY(!r->checklistKey.empty()); // that the checklists file has it: tst_checklists
        }
        QVERIFY(!rules.find("R0")->enabledByDefault); // the draft is for comparison, never the default
        detection::Engine engine(rules);
        const auto ids = engine.defaultRuleIds();
        QCOMPARE(ids.size(), size_t(8));
        QVERIFY(std::find(ids.begin(), ids.end(), "R0") == ids.end());
        std::string error;
        QVERIFY(!detection::RuleSet::fromJson("{\"format\":\"doppelscope-rules\",\"rules\":[{\"id\":\"X\"}]}", error));
        QVERIFY(has(error, "rule #0"));
        QVERIFY(!detection::RuleSet::fromJson("{not json", error));
        QVERIFY(has(error, "offset"));
    }

    void r1_data()
    {
        QTest::addColumn<int>("alerts");
        QTest::addColumn<QString>("variant");
        QTest::newRow("handle then thread") << 1 << QStringLiteral("basic");
        QTest::newRow("0x143a: the six listed rights") << 1 << QStringLiteral("143a");
        QTest::newRow("thread before handle") << 0 << QStringLiteral("reversed");
        QTest::newRow("same ms, handle record first") << 1 << QStringLiteral("tie-ok");
        QTest::newRow("same ms, thread record first") << 0 << QStringLiteral("tie-bad");
        QTest::newRow("31 s gap") << 0 << QStringLiteral("late");
        QTest::newRow("other target") << 0 << QStringLiteral("other-target");
        QTest::newRow("other host") << 0 << QStringLiteral("other-host");
        QTest::newRow("query mask 0x1410") << 0 << QStringLiteral("query");
        QTest::newRow("System log event 10") << 0 << QStringLiteral("system-log");
    }
    void r1()
    {
        QFETCH(int, alerts);
        QFETCH(QString, variant);
        std::vector<Event> ev;
        uint32_t mask = 0x1f3fff;
        if (variant == QLatin1String("143a"))
            mask = 0x143a;
        if (variant == QLatin1String("query"))
            mask = 0x1410;
        Event h = access10(1000, A, B, mask);
        Event t = thread8(1500, A, B);
        if (variant == QLatin1String("reversed"))
            t.utcMs = h.utcMs - 10;
        if (variant == QLatin1String("late"))
            t.utcMs = h.utcMs + 31000;
        if (variant == QLatin1String("other-target"))
            t.targetGuid = C;
        if (variant == QLatin1String("other-host"))
            t.host = "WS2.example.test";
        if (variant == QLatin1String("system-log")) {
            h.channel = "System";
            h.provider = "Microsoft-Windows-Kernel-General";
        }
        if (variant.startsWith(QLatin1String("tie")))
            t.utcMs = h.utcMs;
        if (variant == QLatin1String("tie-bad")) {
            h.recordId = 20;
            t.recordId = 19;
        }
        ev.push_back(h);
        ev.push_back(t);
        const auto set = scan(ev, {"R1"});
        QCOMPARE(count(*set, "R1"), alerts);
        if (alerts == 1) {
            const auto& a = set->alerts.front();
            QCOMPARE(a.source.guid, A);
            QCOMPARE(a.target.guid, B);
            QCOMPARE(a.count, int64_t(1));
            QCOMPARE(a.evidence.size(), size_t(2));
            QCOMPARE(a.evidence[0].eventId, int64_t(10));
            QCOMPARE(a.evidence[1].eventId, int64_t(8));
            QCOMPARE(a.evidence[0].inputPath, std::string("fixture.json"));
            QVERIFY2(has(a.explanation, model::access::hex(mask).c_str()), a.explanation.c_str());
            QVERIFY(has(a.explanation, "0x2a"));
            QVERIFY(!a.masks.empty());
            if (variant == QLatin1String("basic"))
                QVERIFY2(has(a.explanation, "500 ms"), a.explanation.c_str());
        }
    }

    void r1SeverityAndBurst()
    {
        std::vector<Event> ev{access10(0, A, B, 0x1f3fff)};
        for (int i = 0; i < 6; ++i)
            ev.push_back(thread8(100 + i * 10, A, B));
        const auto set = scan(ev, {"R1", "R7"});
        QCOMPARE(count(*set, "R1"), 1);
        QCOMPARE(count(*set, "R7"), 1);
        for (const auto& a : set->alerts) {
            if (a.ruleId == "R1") {
                QCOMPARE(a.count, int64_t(6));
                QCOMPARE(a.severity, model::Severity::Critical);
                QVERIFY(has(a.explanation, "UNKNOWN"));
            } else {
                QVERIFY(has(a.explanation, "6 Sysmon 8"));
            }
        }
        // Spread over a minute: no burst.
        std::vector<Event> slow;
        for (int i = 0; i < 6; ++i)
            slow.push_back(thread8(i * 12000, A, B));
        QCOMPARE(count(*scan(slow, {"R7"}), "R7"), 0);
    }

    void r0IsTheDraft()
    {
        // 0x143a (what the draft lists) is missed by its 0x1440 test ...
        QCOMPARE(count(*scan({access10(0, A, B, 0x143a), thread8(10, A, B)}, {"R0"}), "R0"), 0);
        // ... and a 0x1440 handle to one process joins threads into any other, at any time.
        const auto set = scan({thread8(0, A, C), access10(60000, A, B, 0x1440), access10(70000, A, B, 0x1fffff)},
                              {"R0", "R1"});
        QCOMPARE(count(*set, "R0"), 1);
        QCOMPARE(count(*set, "R1"), 0);
        QCOMPARE(set->alerts.front().count, int64_t(2)); // Cartesian: one thread x two handles
        QCOMPARE(set->alerts.front().target.guid, C);
    }

    void r2()
    {
        const std::string k32 = "C:\\Windows\\System32\\KERNEL32.DLL";
        const std::string csrss = "C:\\Windows\\System32\\csrss.exe";
        Event ctrl = thread8(50, A, B, "C:\\Windows\\System32\\KERNELBASE.dll", "CtrlRoutine", csrss,
                             "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe");
        Event self = thread8(60, A, A);
        const auto set = scan({thread8(0, A, B), thread8(10, C, B, k32, "LoadLibraryA"),
                               thread8(20, B, C, "C:\\Windows\\System32\\ntdll.dll", "RtlUserThreadStart"),
                               thread8(30, C, A, "C:\\Users\\Public\\BootstrapDLL.dll", "LoadManagedProject"),
                               ctrl, self},
                              {"R2"});
        QCOMPARE(count(*set, "R2"), 3);
        int medium = 0, dll = 0;
        for (const auto& a : set->alerts) {
            medium += a.severity == model::Severity::Medium ? 1 : 0;
            dll += has(a.explanation, "DLL injection") ? 1 : 0;
        }
        QCOMPARE(medium, 1); // the thread starting in a module from C:\Users\Public
        QCOMPARE(dll, 1);
    }

    void r2ReasonsAboutTheStartAddress_data()
    {
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("address");
        QTest::addColumn<QString>("severity"); // empty: no alert
        const QString vbox = QStringLiteral("C:\\Windows\\System32\\VBoxTray.exe");
        const QString dwm = QStringLiteral("C:\\Windows\\System32\\dwm.exe");
        const QString copied = QStringLiteral("C:\\Users\\Public\\dwm.exe");
        // win32k's threads into csrss.exe, for any GUI process Sysmon names as the source.
        QTest::newRow("kernel, VBoxTray") << vbox << QStringLiteral("0xFFFFEDCEECEA20D0") << QString();
        QTest::newRow("kernel, dwm") << dwm << QStringLiteral("0xFFFFEF60CA462460") << QString();
        QTest::newRow("kernel, a copied dwm.exe") << copied << QStringLiteral("0xffff8462314b2460") << QString();
        QTest::newRow("kernel, lowest") << vbox << QStringLiteral("0xFFFF800000000000") << QString();
        // User space without a module: injected code, whatever the source's name.
        QTest::newRow("user, below the kernel half") << vbox << QStringLiteral("0xFFFF7FFFFFFFFFFF") << QStringLiteral("high");
        QTest::newRow("user, heap") << dwm << QStringLiteral("0x00000228C1DF0000") << QStringLiteral("high");
        QTest::newRow("user, spelled short") << vbox << QStringLiteral("0x23A0000") << QStringLiteral("high");
        QTest::newRow("user, neither width") << vbox << QStringLiteral("0x00009A801260") << QStringLiteral("high");
        // 32-bit Windows: 8 hex digits.
        QTest::newRow("32-bit user") << vbox << QStringLiteral("0x00590000") << QStringLiteral("high");
        QTest::newRow("32-bit kernel") << vbox << QStringLiteral("0xC1D2E3F4") << QString();
        QTest::newRow("32-bit kernel or /3GB user") << vbox << QStringLiteral("0x8A801260") << QStringLiteral("low");
        QTest::newRow("no address") << vbox << QString() << QStringLiteral("high");
    }

    void r2ReasonsAboutTheStartAddress()
    {
        QFETCH(QString, source);
        QFETCH(QString, address);
        QFETCH(QString, severity);
        Event t = thread8(0, A, B, "", "", source.toStdString(), "C:\\Windows\\System32\\csrss.exe");
        t.startAddress = address.toStdString();
        // Six such threads in half a second: R7's burst sees the same verdict as R2.
        std::vector<Event> events;
        for (int i = 0; i < 6; ++i) {
            Event e = t;
            e.utcMs += i * 100;
            e.recordId = i + 1;
            events.push_back(e);
        }
        const auto burst = scan(events, {"R2", "R7"});
        QCOMPARE(count(*burst, "R2"), severity.isEmpty() ? 0 : 1);
        QCOMPARE(count(*burst, "R7"), severity.isEmpty() ? 0 : 1);
        for (const auto& a : burst->alerts)
            if (a.ruleId == "R2") {
                QCOMPARE(QLatin1String(model::severityName(a.severity)), severity);
                if (severity == QLatin1String("low"))
                    QVERIFY(has(a.explanation, "kernel-or-3gb-user-x86"));
            }
    }

    void startAddressClassesComeFromTheRuleFile()
    {
        const auto rules = loadRules();
        QVERIFY(rules.addressClasses().size() >= 2);
        std::string error;
        QVERIFY(!detection::RuleSet::fromJson(
            "{\"format\":\"doppelscope-rules\",\"rules\":[],\"startAddressClasses\":[{\"id\":\"x\",\"width\":48,"
            "\"from\":\"0x0\",\"to\":\"0x1\",\"verdict\":\"not-user-code\"}]}",
            error));
        QVERIFY(has(error, "startAddressClasses #0"));
        // Without the classes, a kernel start address is alerted like any unbacked thread: the data decides.
        const auto bare = detection::RuleSet::fromJson(
            "{\"format\":\"doppelscope-rules\",\"rules\":[{\"id\":\"R2\",\"name\":\"n\",\"severity\":\"high\"}]}",
            error);
        QVERIFY2(bare, error.c_str());
        QVERIFY(bare->addressClasses().empty());
    }

    void r3()
    {
        Event create = sysmon(1, 0);
        create.subjectGuid = B;
        create.subjectImage = "C:\\Users\\a\\AppData\\Local\\Temp\\payload.exe";
        create.parentGuid = A;
        create.parentImage = "C:\\Users\\a\\loader.exe";
        create.commandLine = "payload.exe /run";
        Event locked = sysmon(25, 50);
        locked.subjectGuid = B;
        locked.subjectImage = create.subjectImage;
        locked.detail = "Image is locked for access";
        Event replacedBenign = sysmon(25, 60);
        replacedBenign.subjectGuid = C;
        replacedBenign.subjectImage = "C:\\Program Files\\Mozilla Firefox\\firefox.exe";
        replacedBenign.detail = "Image is replaced";
        Event replaced = replacedBenign;
        replaced.subjectGuid = "dddddddd-0000-0000-0000-000000000004";
        replaced.subjectImage = "C:\\Windows\\System32\\svchost.exe";
        const auto set = scan({create, locked, replacedBenign, replaced}, {"R3"});
        QCOMPARE(count(*set, "R3"), 2);
        const auto& first = set->alerts.front(); // high sorts first
        QCOMPARE(first.severity, model::Severity::High);
        QCOMPARE(first.source.guid, A);
        QVERIFY(has(first.explanation, "payload.exe /run"));
        QCOMPARE(set->alerts.back().severity, model::Severity::Medium);
    }

    void r4AndR5()
    {
        Event file = sysmon(11, 0);
        file.subjectGuid = A;
        file.targetFilename = "C:\\Users\\a\\samir.exe";
        Event handle = access10(2000, A, B, 0x1fffff, "C:\\Users\\a\\ProcessHerpaderping.exe", "samir.exe");
        handle.callTrace = "C:\\Windows\\SYSTEM32\\ntdll.dll+9ca64|C:\\Users\\a\\ProcessHerpaderping.exe+2d7a";
        Event system = access10(2100, A, C, 0x1fffff, "C:\\Windows\\System32\\svchost.exe", "System");
        Event create = sysmon(1, 2003);
        create.subjectGuid = B;
        create.subjectImage = "samir.exe";
        create.parentGuid = A;
        Event registry = sysmon(1, 2004);
        registry.subjectGuid = C;
        registry.subjectImage = "Registry";
        // Sysmon for Linux: a path with '/' has a folder, so no R5.
        Event onLinux = sysmon(1, 2005);
        onLinux.subjectGuid = "8c1d6f2a-0000-0000-0000-000000000001";
        onLinux.subjectImage = "/usr/bin/curl";
        onLinux.channel = "Linux-Sysmon/Operational";
        const auto set = scan({file, handle, system, create, registry, onLinux}, {"R4", "R5"});
        QCOMPARE(count(*set, "R4"), 1);
        QCOMPARE(count(*set, "R5"), 1);
        for (const auto& a : set->alerts)
            if (a.ruleId == "R4") {
                QCOMPARE(a.severity, model::Severity::Critical);
                QVERIFY2(has(a.explanation, "samir.exe written 2.0 s before"), a.explanation.c_str());
                QCOMPARE(a.evidence.size(), size_t(3));
            }
    }

    void r6()
    {
        auto security = [](int64_t id, int64_t ms) {
            Event e;
            e.eventId = id;
            e.utcMs = kBaseMs + ms;
            e.host = "WS1.example.test";
            e.channel = "Security";
            e.subjectPid = 0x1860;
            e.subjectImage = "C:\\ProgramData\\proc_doppel64.exe";
            e.transactionId = "7d1f0a9e-5c3b-11f0-9a1c-00155d000001";
            return e;
        };
        Event s48 = security(4985, 0);
        s48.transactionState = "48";
        Event open = security(4656, 10);
        open.targetFilename = "C:\\Users\\a\\AppData\\Local\\Temp\\svcupdate.tmp";
        Event s56 = security(4985, 500);
        s56.transactionState = "56";
        Event child = sysmon(1, 900);
        child.parentPid = 0x1860;
        child.parentImage = "C:\\ProgramData\\proc_doppel64.exe";
        child.subjectImage = "svchost.exe";
        Event installer = security(4985, 100);
        installer.subjectImage = "C:\\Windows\\System32\\msiexec.exe";
        installer.subjectPid = 42;
        auto set = scan({s48, open, installer, s56, child}, {"R6"});
        QCOMPARE(count(*set, "R6"), 1);
        QCOMPARE(set->alerts.front().severity, model::Severity::Critical);
        QVERIFY(has(set->alerts.front().explanation, "48, 56"));
        QVERIFY(has(set->alerts.front().explanation, "svcupdate.tmp"));
        // The real T1186 sample has only the two state changes: still an alert, at medium.
        set = scan({s48, s56}, {"R6"});
        QCOMPARE(count(*set, "R6"), 1);
        QCOMPARE(set->alerts.front().severity, model::Severity::Medium);
    }

    void r8()
    {
        const std::string lsass = "C:\\Windows\\System32\\lsass.exe";
        Event dump = access10(0, A, B, 0x1010, "C:\\Users\\a\\mimikatz.exe", lsass);
        dump.callTrace = "C:\\Windows\\SYSTEM32\\ntdll.dll+9c584|C:\\Users\\a\\mimikatz.exe+70b72";
        Event query = access10(10, C, B, 0x1000, "C:\\Windows\\explorer.exe", lsass);
        Event thread = thread8(20, C, B, "C:\\WINDOWS\\SYSTEM32\\ntdll.dll", "", "C:\\Windows\\System32\\rdrleakdiag.exe", lsass);
        const auto set = scan({dump, query, thread}, {"R8"});
        QCOMPARE(count(*set, "R8"), 2);
        QCOMPARE(set->alerts.front().severity, model::Severity::Critical); // the remote thread into lsass
        QVERIFY(has(set->alerts.back().explanation, "PROCESS_VM_READ"));
    }

    void blindSpots()
    {
        const auto set = scan({thread8(0, A, B)}, {});
        auto mentions = [&](const char* rule, const char* text) {
            for (const auto& b : set->blindSpots)
                if (b.ruleId == rule && has(b.message, text))
                    return true;
            return false;
        };
        QVERIFY(mentions("R1", "No Sysmon 10"));
        QVERIFY(mentions("R3", "No Sysmon 25"));
        QVERIFY(mentions("R6", "No Security 4985"));
        QVERIFY(!mentions("R2", "No Sysmon 8"));
        QCOMPARE(set->eventsScanned, int64_t(1));
    }

    void cancelAndErrors()
    {
        const std::string path = m_dir.filePath(QStringLiteral("cancel.dscase")).toStdString();
        QVERIFY(writeCase(path, {access10(0, A, B, 0x1f3fff), thread8(1, A, B)}));
        detection::Engine engine(loadRules());
        std::atomic_bool cancel{true};
        std::string error;
        QVERIFY(!engine.run(path, {}, &cancel, {}, error));
        QCOMPARE(error, std::string("cancelled"));
        detection::EngineOptions bad;
        bad.ruleIds = {"R99"};
        QVERIFY(!engine.run(path, bad, nullptr, {}, error));
        QVERIFY(has(error, "R99"));
        QVERIFY(!engine.run(m_dir.filePath(QStringLiteral("missing.dscase")).toStdString(), {}, nullptr, {}, error));
        QVERIFY(has(error, "missing.dscase"));
    }

    void jsonLine()
    {
        const auto set = scan({access10(1000, A, B, 0x1f3fff), thread8(1500, A, B)}, {"R1"});
        QCOMPARE(set->alerts.size(), size_t(1));
        const QByteArray line = detection::alertJsonLine(set->alerts.front());
        QVERIFY(!line.contains('\n'));
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        QStringList keys = o.keys();
        keys.sort();
        QStringList want{QStringLiteral("rule"), QStringLiteral("severity"), QStringLiteral("technique"),
                         QStringLiteral("host"), QStringLiteral("source_guid"), QStringLiteral("source_pid"),
                         QStringLiteral("source_image"), QStringLiteral("target_guid"), QStringLiteral("target_pid"),
                         QStringLiteral("target_image"), QStringLiteral("first_utc"), QStringLiteral("last_utc"),
                         QStringLiteral("count"), QStringLiteral("evidence"), QStringLiteral("explanation"),
                         QStringLiteral("origin")};
        want.sort();
        QCOMPARE(keys, want);
        QVERIFY(o.value(QLatin1String("origin")).isNull()); // raised here, from the case's events
        QCOMPARE(o.value(QLatin1String("rule")).toString(), QStringLiteral("R1"));
        QCOMPARE(o.value(QLatin1String("source_pid")).toInt(), 100);
        const QJsonArray ev = o.value(QLatin1String("evidence")).toArray();
        QCOMPARE(ev.size(), 2);
        QCOMPARE(ev.at(0).toObject().value(QLatin1String("record")).toInt(), 1);
        QCOMPARE(ev.at(1).toObject().value(QLatin1String("event_id")).toInt(), 8);
        QVERIFY(o.value(QLatin1String("first_utc")).toString().endsWith(QLatin1Char('Z')));
        QCOMPARE(QStringList(ev.at(0).toObject().keys()).size(), 4);
    }
};

QTEST_GUILESS_MAIN(TestRules)
#include "tst_rules.moc"
