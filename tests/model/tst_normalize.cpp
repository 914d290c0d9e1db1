// SPDX-License-Identifier: MIT
// Each trap of FORMATS.md section 0 has a case here that fails without its fix.
#include "ingest/eventbuilder.h"
#include "domain/normalize.h"

#include <QTest>

using namespace dscope::model;

class TestNormalize : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void guidSpellings_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        QTest::newRow("upper, braces (Sysmon on Windows 7)") << "{365ABB72-3D37-5CE0-0000-001013DC0B00}"
                                                            << "365abb72-3d37-5ce0-0000-001013dc0b00";
        QTest::newRow("lower, braces") << "{297bc33e-9de2-5f2d-2208-000000000400}"
                                       << "297bc33e-9de2-5f2d-2208-000000000400";
        QTest::newRow("no braces (evtx_dump JSON)") << "0197231E-FC2D-6927-810B-000000000D00"
                                                    << "0197231e-fc2d-6927-810b-000000000d00";
        QTest::newRow("dash is absent") << "-" << "";
        QTest::newRow("blank is absent") << "  " << "";
    }
    void guidSpellings()
    {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        QCOMPARE(QString::fromStdString(normalize::guid(input.toStdString())), expected);
    }

    void grantedAccessWidths_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<qint64>("expected");
        QTest::newRow("old Sysmon, padded") << "0x001f1fff" << qint64(0x1f1fff);
        QTest::newRow("new Sysmon") << "0x1f3fff" << qint64(0x1f3fff);
        QTest::newRow("upper-case prefix") << "0X1410" << qint64(0x1410);
        QTest::newRow("no prefix is still hex") << "1410" << qint64(0x1410);
    }
    void grantedAccessWidths()
    {
        QFETCH(QString, input);
        QFETCH(qint64, expected);
        EventBuilder b;
        b.setEventId(10);
        b.setField("GrantedAccess", input.toStdString());
        QVERIFY(b.finish());
        QCOMPARE(qint64(b.event().grantedAccess), expected);
    }

    void sqliteCastTrap()
    {
        // SQLite CAST('0x1410' AS INTEGER) is 0: parsing must happen at import, not in SQL.
        QCOMPARE(normalize::hexInteger("0x1410").value_or(0), 0x1410);
        QVERIFY(normalize::hexInteger("0xZZ") == std::nullopt);
    }

    void fieldNameCase()
    {
        // Sysmon 10 spells SourceProcessGUID, Sysmon 8 SourceProcessGuid: both land in one column.
        EventBuilder a;
        a.setEventId(10);
        a.setField("SourceProcessGUID", "{365ABB72-3D37-5CE0-0000-001013DC0B00}");
        a.setField("TargetProcessGUID", "{365ABB72-3D1B-5CE0-0000-0010C3840B00}");
        a.finish();
        EventBuilder b;
        b.setEventId(8);
        b.setField("SourceProcessGuid", "{365abb72-3d37-5ce0-0000-001013dc0b00}");
        b.setField("TargetProcessGuid", "365abb72-3d1b-5ce0-0000-0010c3840b00");
        b.finish();
        QCOMPARE(a.event().subjectGuid, b.event().subjectGuid);
        QCOMPARE(a.event().targetGuid, b.event().targetGuid);
        QVERIFY(!a.event().subjectGuid.empty());
    }

    void utcTimeIsAuthoritative()
    {
        // Security-Datasets "flat minimal": TimeCreated is local time with a false Z; UtcTime is the truth.
        EventBuilder b;
        b.setEventId(8);
        b.setSystemTime("2023-08-15T09:57:27.102Z");
        b.setField("UtcTime", "2023-08-16 04:57:27.073");
        b.finish();
        QCOMPARE(QString::fromStdString(normalize::isoUtc(b.event().utcMs)),
                 QStringLiteral("2023-08-16T04:57:27.073Z"));
    }

    void systemTimeWhenNoUtcTime_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        QTest::newRow("EVTX, 7 digits") << "2019-05-18T17:16:08.348796300Z" << "2019-05-18T17:16:08.348Z";
        QTest::newRow("evtx_dump XML") << "2018-07-28 07:24:45.754787 UTC" << "2018-07-28T07:24:45.754Z";
        QTest::newRow("no zone") << "2023-02-06 22:07:30.404066" << "2023-02-06T22:07:30.404Z";
        QTest::newRow("Sentinel UtcTime") << "2022-05-13T08:54:08.4210000Z" << "2022-05-13T08:54:08.421Z";
        QTest::newRow("offset") << "2020-01-01T02:00:00.000+02:00" << "2020-01-01T00:00:00.000Z";
        QTest::newRow("no fraction") << "2020-08-01 07:53:24" << "2020-08-01T07:53:24.000Z";
    }
    void systemTimeWhenNoUtcTime()
    {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        EventBuilder b;
        b.setEventId(4624);
        b.setSystemTime(input.toStdString());
        b.finish();
        QCOMPARE(QString::fromStdString(normalize::isoUtc(b.event().utcMs)), expected);
    }

    void badTimeIsAbsent()
    {
        QVERIFY(!normalize::utcMillis("yesterday"));
        QVERIFY(!normalize::utcMillis("2020-13-01 00:00:00"));
        QVERIFY(!normalize::utcMillis(""));
    }

    void security4985HexPid()
    {
        EventBuilder b;
        b.setEventId(4985);
        b.setField("ProcessId", "0x00000000000018ac");
        b.setField("ProcessName", "C:\\Users\\a\\doppel.exe");
        b.setField("TransactionId", "{C5A8E3B3-4D1D-11E8-8C6B-000C29D1D93A}");
        b.setField("NewState", "48");
        b.finish();
        QCOMPARE(b.event().subjectPid, int64_t(6316));
        QCOMPARE(b.event().transactionId, std::string("c5a8e3b3-4d1d-11e8-8c6b-000c29d1d93a"));
        QCOMPARE(b.event().transactionState, std::string("48"));
        QCOMPARE(b.event().subjectImage, std::string("C:\\Users\\a\\doppel.exe"));
    }

    void security4688CreatorIsParent()
    {
        // In 4688 "ProcessId" is the creator; the new process is NewProcessId. Fields arrive in any order.
        EventBuilder b;
        b.setField("ProcessId", "0x1f4");
        b.setField("NewProcessId", "0x18ac");
        b.setField("NewProcessName", "C:\\Windows\\System32\\notepad.exe");
        b.setEventId(4688);
        b.finish();
        QCOMPARE(b.event().subjectPid, int64_t(6316));
        QCOMPARE(b.event().parentPid, int64_t(500));
        QCOMPARE(b.event().subjectImage, std::string("C:\\Windows\\System32\\notepad.exe"));
    }

    void decimalAndJsonPids()
    {
        EventBuilder b;
        b.setEventId(10);
        b.setField("SourceProcessId", "2108");
        b.setField("TargetProcessId", "3472"); // evtx_dump JSON numbers reach here as their text
        b.finish();
        QCOMPARE(b.event().subjectPid, int64_t(2108));
        QCOMPARE(b.event().targetPid, int64_t(3472));
        EventBuilder c;
        c.setEventId(10);
        c.setField("SourceProcessId", "not a pid");
        c.finish();
        QCOMPARE(c.event().subjectPid, kNoValue);
    }

    void xmlEscapedTextInJson()
    {
        QCOMPARE(normalize::unescapeXml("&lt;unknown process&gt;"), std::string("<unknown process>"));
        QCOMPARE(normalize::unescapeXml("a &amp; b &#x41;&#66; &bogus; &"), std::string("a & b AB &bogus; &"));
    }

    void dashIsEmpty()
    {
        EventBuilder b;
        b.setEventId(8);
        b.setField("StartModule", "-");
        b.setField("StartFunction", "");
        b.setField("RuleName", "-");
        b.finish();
        QVERIFY(b.event().startModule.empty());
        QVERIFY(b.event().startFunction.empty());
    }

    void hugeFieldIsCapped()
    {
        EventBuilder b;
        b.setEventId(1);
        const std::string huge(10 * 1024 * 1024, 'A');
        b.setField("CommandLine", huge);
        b.finish();
        QVERIFY(b.event().commandLine.size() < EventBuilder::kMaxFieldBytes + 64);
        QVERIFY(b.event().commandLine.find("truncated") != std::string::npos);
    }

    void isoRoundTrip()
    {
        const auto ms = normalize::utcMillis("1969-12-31 23:59:59.999");
        QVERIFY(ms);
        QCOMPARE(*ms, int64_t(-1));
        QCOMPARE(QString::fromStdString(normalize::isoUtc(*ms)), QStringLiteral("1969-12-31T23:59:59.999Z"));
    }
};

QTEST_GUILESS_MAIN(TestNormalize)
#include "tst_normalize.moc"
