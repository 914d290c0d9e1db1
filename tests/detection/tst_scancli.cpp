// SPDX-License-Identifier: MIT
// `doppelscope scan` end to end on a small fixture: import into a temporary case, alerts, JSON lines, blind spots;
// import and scan from standard input.
#include "detection_helpers.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

class TestScanCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void scanFixture()
    {
        if (!QFile::exists(QStringLiteral(DSCOPE_BINARY)))
            QSKIP("doppelscope binary not built");
        QTemporaryDir dir;
        const QString json = dir.filePath(QStringLiteral("alerts.jsonl"));
        QProcess p;
        p.start(QStringLiteral(DSCOPE_BINARY),
                {QStringLiteral("scan"), QStringLiteral(DSCOPE_TEST_DATA "/detection/injection-pair.jsonl"),
                 QStringLiteral("--rules"), QStringLiteral("R0,R1,R2,R3"), QStringLiteral("--json"), json});
        QVERIFY(p.waitForFinished(60000));
        const QString out = QString::fromUtf8(p.readAllStandardOutput());
        QVERIFY2(p.exitCode() == 0, qPrintable(QString::fromUtf8(p.readAllStandardError())));
        QVERIFY2(out.contains(QLatin1String("R1   critical")), qPrintable(out));
        QVERIFY2(out.contains(QLatin1String("\nper rule: R1 1, R2 1\n")), qPrintable(out)); // a noisy rule shows at once
        QVERIFY(out.contains(QLatin1String("Blind spots")));
        QVERIFY(out.contains(QLatin1String("No Sysmon 25")));
        QVERIFY(!out.contains(QLatin1String("No Security 4985"))); // only the requested rules' blind spots
        QFile f(json);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = f.readAll().split('\n');
        QList<QJsonObject> alerts;
        for (const QByteArray& l : lines)
            if (!l.isEmpty())
                alerts << QJsonDocument::fromJson(l).object();
        // R1 and R2 for loader->notepad; R0 misses 0x143a; the csrss CtrlRoutine thread is allow-listed.
        QCOMPARE(alerts.size(), 2);
        QStringList rules;
        for (const auto& a : alerts) {
            rules << a.value(QLatin1String("rule")).toString();
            QCOMPARE(a.value(QLatin1String("source_guid")).toString(), QStringLiteral("aaaaaaaa-1111-2222-3333-000000000001"));
            QCOMPARE(a.value(QLatin1String("target_pid")).toInt(), 5151);
        }
        rules.sort();
        QCOMPARE(rules, (QStringList{QStringLiteral("R1"), QStringLiteral("R2")}));
        const QJsonObject r1 = alerts.at(0).value(QLatin1String("rule")).toString() == QLatin1String("R1") ? alerts.at(0) : alerts.at(1);
        QCOMPARE(r1.value(QLatin1String("first_utc")).toString(), QStringLiteral("2024-01-02T03:04:05.100Z"));
        QCOMPARE(r1.value(QLatin1String("last_utc")).toString(), QStringLiteral("2024-01-02T03:04:05.350Z"));
        const QJsonArray ev = r1.value(QLatin1String("evidence")).toArray();
        QCOMPARE(ev.size(), 2);
        QCOMPARE(ev.at(0).toObject().value(QLatin1String("record")).toInt(), 101);
        QVERIFY(ev.at(0).toObject().value(QLatin1String("file")).toString().endsWith(QLatin1String("injection-pair.jsonl")));
        QVERIFY(r1.value(QLatin1String("explanation")).toString().contains(QLatin1String("250 ms")));
    }

    void versionNamesTheRuleSetAndTheLibraries()
    {
        QProcess p;
        p.start(QStringLiteral(DSCOPE_BINARY), {QStringLiteral("--version")});
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 0);
        const QString out = QString::fromUtf8(p.readAllStandardOutput());
        // The rule set's version is the rule file's, read from the copy the binary embeds.
        QCOMPARE(out.section(QLatin1Char('\n'), 1, 1), QStringLiteral("rule set %1").arg(dscope::testing::loadRules().version()));
        for (const char* library : {"Qt ", "SQLite ", "libevtx ", "libarchive ", "zstd ", "LZ4 ", "libdeflate ", "OpenSSL ",
                                    "simdjson ", "pugixml "})
            QVERIFY2(out.contains(QLatin1Char('\n') + QLatin1String(library)), library);
        QVERIFY(out.contains(QStringLiteral("\nQt %1\n").arg(QLatin1String(qVersion()))));
    }

    void eachCommandExplainsItself()
    {
        // `COMMAND --help` prints that command's usage and succeeds; it does not run the command.
        for (const QString& command : {QStringLiteral("scan"), QStringLiteral("report"), QStringLiteral("export-timeline")}) {
            QProcess p;
            p.start(QStringLiteral(DSCOPE_BINARY), {command, QStringLiteral("--help")});
            QVERIFY(p.waitForFinished(30000));
            QCOMPARE(p.exitCode(), 0);
            const QString out = QString::fromUtf8(p.readAllStandardOutput());
            QVERIFY2(out.contains(QLatin1String("\n  ") + command + QLatin1Char(' ')), qPrintable(out));
            QCOMPARE(out.count(QLatin1Char('\n')), 2); // the usage line and that command's line
        }
    }

    void standardInputIsAnInput()
    {
        // "-" reads standard input once: the case records it as /dev/stdin with the SHA-256 of what came in,
        // and a scan of "-" finds the same alert as a scan of the file.
        if (!QFile::exists(QStringLiteral(DSCOPE_BINARY)))
            QSKIP("doppelscope binary not built");
        QFile fixture(QStringLiteral(DSCOPE_TEST_DATA "/detection/injection-pair.jsonl"));
        QVERIFY(fixture.open(QIODevice::ReadOnly));
        const QByteArray bytes = fixture.readAll();
        QTemporaryDir dir;
        const QString casePath = dir.filePath(QStringLiteral("stdin.dscase"));
        auto run = [&](const QStringList& args, const QByteArray& input) {
            QProcess p;
            p.start(QStringLiteral(DSCOPE_BINARY), args);
            p.write(input);
            p.closeWriteChannel();
            p.waitForFinished(60000);
            return std::make_pair(p.exitCode(), QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError()));
        };
        const auto [importCode, importOut] = run({QStringLiteral("import"), QStringLiteral("--case"), casePath,
                                                  QStringLiteral("-")}, bytes);
        QVERIFY2(importCode == 0, qPrintable(importOut));
        const auto [infoCode, infoOut] = run({QStringLiteral("info"), casePath, QStringLiteral("--json")}, {});
        QCOMPARE(infoCode, 0);
        const QJsonObject info = QJsonDocument::fromJson(infoOut.toUtf8()).object();
        QCOMPARE(info.value(QLatin1String("events")).toInt(), 3);
        const QJsonObject input = info.value(QLatin1String("inputs")).toArray().at(0).toObject();
        QCOMPARE(input.value(QLatin1String("path")).toString(), QStringLiteral("/dev/stdin"));
        QCOMPARE(input.value(QLatin1String("sha256")).toString(),
                 QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex()));
        const auto [scanCode, scanOut] = run({QStringLiteral("scan"), QStringLiteral("-"), QStringLiteral("--rules"),
                                              QStringLiteral("R1")}, bytes);
        QVERIFY2(scanCode == 0, qPrintable(scanOut));
        QVERIFY2(scanOut.contains(QLatin1String("R1   critical")), qPrintable(scanOut));
        QVERIFY(scanOut.contains(QLatin1String("record 101 in stdin")));
    }

    void infoListsTheReasonsKept()
    {
        // What an import skipped stays readable later: `info` prints each input's kept reasons under it.
        if (!QFile::exists(QStringLiteral(DSCOPE_BINARY)))
            QSKIP("doppelscope binary not built");
        QFile fixture(QStringLiteral(DSCOPE_TEST_DATA "/detection/injection-pair.jsonl"));
        QVERIFY(fixture.open(QIODevice::ReadOnly));
        QTemporaryDir dir;
        const QString damaged = dir.filePath(QStringLiteral("damaged.jsonl"));
        QFile out(damaged);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write("{\"EventID\": 10, \"truncated\n");
        out.write(fixture.readAll());
        out.close();
        const QString casePath = dir.filePath(QStringLiteral("reasons.dscase"));
        QProcess p;
        p.start(QStringLiteral(DSCOPE_BINARY), {QStringLiteral("import"), QStringLiteral("--case"), casePath, damaged});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 0);
        p.start(QStringLiteral(DSCOPE_BINARY), {QStringLiteral("info"), casePath});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 0);
        const QStringList lines = QString::fromUtf8(p.readAllStandardOutput()).split(QLatin1Char('\n'));
        qsizetype at = -1;
        for (qsizetype i = 0; i < lines.size(); ++i)
            if (lines[i].contains(QLatin1String("damaged.jsonl")) && lines[i].contains(QLatin1String("1 skipped")))
                at = i;
        QVERIFY2(at >= 0 && at + 1 < lines.size(), qPrintable(lines.join(QLatin1Char('\n'))));
        QVERIFY2(lines[at + 1].startsWith(QLatin1String("      line 1: ")), qPrintable(lines[at + 1]));
    }
};

QTEST_GUILESS_MAIN(TestScanCli)
#include "tst_scancli.moc"
