// SPDX-License-Identifier: MIT
// The false-alert classes found on real data, each as a class with fixtures: Windows' own processes opening
// lsass.exe (pinned to their folders), UNKNOWN frames of .NET code, IIS's transactions, one R4 alert per created
// process, and known-benign images started by their usual parent. Each case beside its malicious twin, which
// must still alert.
#include "detection_helpers.h"
#include "pathpattern.h"

#include <QTemporaryDir>
#include <QTest>

using namespace dscope;
using namespace dscope::testing;
using model::Event;

namespace {

const std::string A = "aaaaaaaa-0000-0000-0000-000000000001";
const std::string B = "bbbbbbbb-0000-0000-0000-000000000002";
const std::string L = "11111111-0000-0000-0000-00000000a55a"; // lsass
const std::string kLsass = "C:\\Windows\\system32\\lsass.exe";
const std::string kNative = "C:\\Windows\\SYSTEM32\\ntdll.dll+9d204|C:\\Windows\\System32\\KERNELBASE.dll+2c13e";
const std::string kUnbacked = kNative + "|UNKNOWN(00007FF810786D22)";
// The .NET Process class opening a process for its modules: runtime frames, then JIT-compiled callers.
const std::string kDotNetQuery = kNative
    + "|C:\\Windows\\assembly\\NativeImages_v4.0.30319_64\\System\\2f3f\\System.ni.dll+3364bd"
      "|UNKNOWN(00007FF8A1B2C3D4)|UNKNOWN(00007FF8A1B2C000)";
// MiniDumpWriteDump.
const std::string kDump = kNative + "|C:\\Windows\\System32\\dbghelp.dll+4c791|C:\\Users\\x\\dumper.exe+1234";

Event lsassHandle(int64_t ms, const std::string& src, const std::string& image, uint32_t mask, const std::string& trace)
{
    Event e = access10(ms, src, L, mask, image, kLsass);
    e.callTrace = trace;
    return e;
}

Event creation(int64_t ms, const std::string& guid, const std::string& image, const std::string& parentImage)
{
    Event e = sysmon(1, ms);
    e.subjectGuid = guid;
    e.subjectPid = 100;
    e.subjectImage = image;
    e.parentGuid = "ffffffff-0000-0000-0000-000000000009";
    e.parentImage = parentImage;
    return e;
}

Event imageLoad(int64_t ms, const std::string& guid, const std::string& image, const std::string& dll)
{
    Event e = sysmon(7, ms);
    e.subjectGuid = guid;
    e.subjectImage = image;
    e.targetFilename = dll;
    return e;
}

Event security(int64_t eventId, int64_t ms)
{
    Event e;
    e.eventId = eventId;
    e.utcMs = kBaseMs + ms;
    e.host = "WS1.example.test";
    e.channel = "Security";
    e.provider = "Microsoft-Windows-Security-Auditing";
    return e;
}

} // namespace

class TestPrecision : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;

    model::AlertSetPtr scan(std::vector<Event> events, std::vector<std::string> rules)
    {
        return scanEvents(m_dir.path(), std::move(events), std::move(rules));
    }
    static const model::Alert* only(const model::AlertSet& set)
    {
        return set.alerts.size() == 1 ? &set.alerts.front() : nullptr;
    }

private Q_SLOTS:
    void pathPatterns_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<bool>("matches");
        const QString services = QStringLiteral("%systemroot%\\system32\\services.exe");
        QTest::newRow("system32") << QStringLiteral("C:\\Windows\\System32\\services.exe") << services << true;
        QTest::newRow("another drive") << QStringLiteral("D:\\WINDOWS\\system32\\SERVICES.EXE") << services << true;
        QTest::newRow("\\SystemRoot\\") << QStringLiteral("\\SystemRoot\\System32\\services.exe") << services << true;
        QTest::newRow("\\??\\") << QStringLiteral("\\??\\C:\\Windows\\System32\\services.exe") << services << true;
        QTest::newRow("a copy") << QStringLiteral("C:\\Users\\Public\\services.exe") << services << false;
        QTest::newRow("a deeper copy") << QStringLiteral("C:\\Users\\x\\Windows\\System32\\services.exe") << services
                                       << false;
        const QString defender = QStringLiteral("%programdata%\\microsoft\\windows defender\\platform\\*\\msmpeng.exe");
        QTest::newRow("one folder for *")
            << QStringLiteral("C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.2008.9-0\\MsMpEng.exe")
            << defender << true;
        QTest::newRow("* is one folder only")
            << QStringLiteral("C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\a\\b\\MsMpEng.exe") << defender
            << false;
        const QString vmtools = QStringLiteral("%programfiles%\\vmware\\vmware tools\\vmtoolsd.exe");
        QTest::newRow("program files (x86)")
            << QStringLiteral("C:\\Program Files (x86)\\VMware\\VMware Tools\\vmtoolsd.exe") << vmtools << true;
        QTest::newRow("suffix") << QStringLiteral("C:\\Users\\a\\Procmon.exe") << QStringLiteral("\\procmon.exe") << true;
        QTest::newRow("suffix names the folder")
            << QStringLiteral("C:\\Users\\a\\AppData\\Local\\Temp\\Procmon64.exe")
            << QStringLiteral("\\appdata\\local\\temp\\procmon64.exe") << true;
        QTest::newRow("suffix, another folder") << QStringLiteral("C:\\Users\\a\\Desktop\\Procmon64.exe")
                                                << QStringLiteral("\\appdata\\local\\temp\\procmon64.exe") << false;
    }
    void pathPatterns()
    {
        QFETCH(QString, path);
        QFETCH(QString, pattern);
        QFETCH(bool, matches);
        QCOMPARE(detection::matchesPath(path.toStdString(), pattern.toStdString()), matches);
    }

    void windowsOwnProcessesOpenLsass()
    {
        const std::string services = "C:\\Windows\\system32\\services.exe";
        // The service control manager and wininit, where Windows keeps them: normal operation.
        auto set = scan({lsassHandle(0, A, services, 0x1fffff, kNative),
                         lsassHandle(10, B, "C:\\Windows\\system32\\wininit.exe", 0x1410, kNative)},
                        {"R8"});
        QCOMPARE(set->alerts.size(), size_t(0));
        // The same name elsewhere, and the same rights from anything else, alert.
        set = scan({lsassHandle(0, A, "C:\\Users\\Public\\services.exe", 0x1fffff, kNative)}, {"R8"});
        QVERIFY(only(*set));
        set = scan({lsassHandle(0, A, "C:\\Windows\\System32\\rundll32.exe", 0x1fffff, kDump)}, {"R8"});
        QVERIFY(only(*set));
        // A system process that calls from unbacked memory has been injected: it alerts.
        set = scan({lsassHandle(0, A, "C:\\Windows\\system32\\svchost.exe", 0x1010, kUnbacked)}, {"R8"});
        QVERIFY(only(*set));
        QVERIFY(only(*set)->explanation.find("unbacked memory") != std::string::npos);
    }

    void unknownFramesOfDotNetCode()
    {
        const std::string ps = "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe";
        const std::string agent = "C:\\WindowsAzure\\GuestAgent\\CollectGuestLogs.exe";
        // The .NET Process class reading a process's details: UNKNOWN frames are JIT code, the rights a query.
        auto set = scan({lsassHandle(0, A, ps, 0x1410, kDotNetQuery), lsassHandle(5, B, agent, 0x1410, kDotNetQuery)},
                        {"R8"});
        QCOMPARE(set->alerts.size(), size_t(0));
        // Native code with the same rights from unbacked memory is not excused.
        set = scan({lsassHandle(0, A, "C:\\Users\\a\\tool.exe", 0x1410, kUnbacked)}, {"R8"});
        QVERIFY(only(*set));
        QVERIFY(only(*set)->explanation.find("unbacked memory") != std::string::npos);
        // A .NET credential dumper (its runtime loads are in the case) alerts on the rights and the target, and the
        // explanation says its UNKNOWN frames were not read as unbacked code.
        const std::string sharp = "C:\\Users\\a\\SharpDump.exe";
        set = scan({imageLoad(0, A, sharp, "C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\clr.dll"),
                    lsassHandle(10, A, sharp, 0x1fffff, kUnbacked)},
                   {"R8"});
        QVERIFY(only(*set));
        QVERIFY2(only(*set)->explanation.find(".NET runtime") != std::string::npos, only(*set)->explanation.c_str());
        QVERIFY(only(*set)->explanation.find("unbacked memory") == std::string::npos);
        // And reading lsass with the sekurlsa rights (0x1010) from managed code alerts too.
        set = scan({imageLoad(0, A, sharp, "C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\clr.dll"),
                    lsassHandle(10, A, sharp, 0x1010, kUnbacked)},
                   {"R8"});
        QVERIFY(only(*set));
    }

    void knownToolStartedByItsLauncher()
    {
        const std::string procmon64 = "C:\\Users\\tony\\AppData\\Local\\Temp\\Procmon64.exe";
        auto set = scan({creation(0, A, procmon64, "C:\\Users\\tony\\Downloads\\ProcessMonitor\\Procmon.exe"),
                         lsassHandle(10, A, procmon64, 0x1fffff, kNative + "|" + procmon64 + "+7b4d0")},
                        {"R8"});
        QCOMPARE(set->alerts.size(), size_t(0));
        // The same name started by something else is not the tool.
        set = scan({creation(0, A, procmon64, "C:\\Windows\\System32\\cmd.exe"),
                    lsassHandle(10, A, procmon64, 0x1fffff, kNative)},
                   {"R8"});
        QVERIFY(only(*set));
    }

    void transactionsOfIis()
    {
        const std::string w3wp = "C:\\Windows\\System32\\inetsrv\\w3wp.exe";
        auto state = [&](int64_t ms, const std::string& image, const std::string& txn) {
            Event e = security(4985, ms);
            e.subjectPid = 700;
            e.subjectImage = image;
            e.transactionId = txn;
            e.transactionState = "48";
            return e;
        };
        const std::string txn = "0f0f0f0f-0000-0000-0000-000000000001";
        // IIS writes its configuration under a transaction: normal operation.
        auto set = scan({state(0, w3wp, txn), state(50, "C:\\Windows\\System32\\inetsrv\\inetinfo.exe", txn)}, {"R6"});
        QCOMPARE(set->alerts.size(), size_t(0));
        // w3wp.exe outside inetsrv is not IIS.
        set = scan({state(0, "C:\\Users\\Public\\w3wp.exe", txn)}, {"R6"});
        QVERIFY(only(*set));
        // IIS's process creating a process from a file it opened inside the transaction: Doppelgänging's mark.
        Event open = security(4656, 10);
        open.subjectPid = 700;
        open.subjectImage = w3wp;
        open.transactionId = txn;
        open.targetFilename = "C:\\inetpub\\temp\\payload.exe";
        open.grantedAccess = 0x120196;
        Event child = creation(500, B, "C:\\inetpub\\temp\\payload.exe", w3wp);
        child.parentPid = 700;
        set = scan({state(0, w3wp, txn), open, child}, {"R6"});
        QVERIFY(only(*set));
        QCOMPARE(only(*set)->severity, model::Severity::Critical);
    }

    void oneAlertPerCreatedProcess()
    {
        const std::string creator = "C:\\Users\\a\\Desktop\\ProcessHerpaderping.exe";
        const std::string csrss = "C:\\Windows\\system32\\csrss.exe", conhost = "C:\\Windows\\system32\\conhost.exe";
        const std::string target = "99999999-0000-0000-0000-000000000009";
        auto handle = [&](int64_t ms, const std::string& src, const std::string& image) {
            Event e = access10(ms, src, target, 0x1fffff, image, "wardog.exe");
            e.callTrace = kNative;
            return e;
        };
        auto set = scan({handle(0, A, creator), handle(10, B, csrss),
                         handle(20, "cccccccc-0000-0000-0000-000000000003", conhost)},
                        {"R4"});
        QVERIFY2(only(*set), "one alert for the created process");
        QCOMPARE(only(*set)->source.image, creator);
        QCOMPARE(only(*set)->evidence.size(), size_t(3));
        QVERIFY(only(*set)->explanation.find("csrss.exe") != std::string::npos);
        // Without the creator's handle, the system process is the source, at low severity.
        set = scan({handle(10, B, csrss)}, {"R4"});
        QVERIFY(only(*set));
        QCOMPARE(only(*set)->severity, model::Severity::Low);
    }

    void knownBenignImageWithItsParent()
    {
        const std::string wmiadap = "C:\\Windows\\System32\\wbem\\WMIADAP.exe";
        auto tampering = [&](int64_t ms) {
            Event e = sysmon(25, ms);
            e.subjectGuid = A;
            e.subjectImage = wmiadap;
            e.detail = "Image is locked for access";
            return e;
        };
        auto set = scan({creation(0, A, wmiadap, "C:\\Windows\\System32\\svchost.exe"), tampering(5)}, {"R3"});
        QCOMPARE(set->alerts.size(), size_t(0));
        set = scan({creation(0, A, wmiadap, "C:\\Users\\Public\\svchost.exe"), tampering(5)}, {"R3"});
        QVERIFY(only(*set));
        QCOMPARE(only(*set)->severity, model::Severity::Low);
        set = scan({tampering(5)}, {"R3"}); // no Sysmon 1: the parent is unknown
        QVERIFY(only(*set));
    }
};

QTEST_GUILESS_MAIN(TestPrecision)
#include "tst_precision.moc"
