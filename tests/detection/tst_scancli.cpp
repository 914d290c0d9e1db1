// SPDX-License-Identifier: MIT
// `doppelscope scan` end to end on a small fixture: import into a temporary case, alerts, JSON lines, blind spots.
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

private slots:
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
};

QTEST_GUILESS_MAIN(TestScanCli)
#include "tst_scancli.moc"
