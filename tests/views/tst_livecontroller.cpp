// SPDX-License-Identifier: MIT
// The workbench's live feeds: LiveController listening into a case while the GUI thread keeps turning (status
// snapshots, throttled new-events notes, alerts of the incremental passes), the status panel and File > Listen's
// dialog as the analyst sees them (saved as PNGs), and a clean stop that finishes every sender's input row.
#include "listendialog.h"
#include "livecontroller.h"
#include "liveservice.h"
#include "livestatuspanel.h"
#include "views_helpers.h"

#include <QCheckBox>
#include <QDir>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>


using namespace dscope;

namespace {

/// An injection chain (Sysmon 10 with injection rights, then Sysmon 8) between two processes, plus process starts.
QByteArray sysmonEvent(int id, int record, const QString& data)
{
    return QStringLiteral("<Event><System><Provider Name=\"Microsoft-Windows-Sysmon\"/><EventID>%1</EventID>"
                          "<TimeCreated SystemTime=\"2026-12-06T10:00:%2.000Z\"/><EventRecordID>%3</EventRecordID>"
                          "<Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>WS-LIVE</Computer></System>"
                          "<EventData>%4</EventData></Event>")
        .arg(id)
        .arg(record % 60, 2, 10, QLatin1Char('0'))
        .arg(record)
        .arg(data)
        .toUtf8();
}

QByteArray frame(const QByteArray& event)
{
    const QByteArray message = "<14>1 - WS-LIVE sysmon - - - " + event;
    return QByteArray::number(message.size()) + ' ' + message;
}


} // namespace

class TestLiveController : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void listensDetectsAndStops()
    {
        QTemporaryDir dir;
        const QString casePath = dir.filePath(QStringLiteral("live.dscase"));
        app::LiveController live;
        QList<app::LiveStatus> statuses;
        QList<model::AlertSetPtr> alerts;
        int arrived = 0;
        connect(&live, &app::LiveController::statusChanged, this, [&](const app::LiveStatus& s) { statuses << s; });
        connect(&live, &app::LiveController::alertsRaised, this, [&](const model::AlertSetPtr& a) { alerts << a; });
        connect(&live, &app::LiveController::eventsArrived, this, [&] { ++arrived; });
        app::ListenSpec spec; // syslog over TCP on a free loopback port
        QString error;
        QVERIFY2(live.start(casePath, {spec}, error), qPrintable(error));
        QVERIFY(live.isRunning());
        QVERIFY(!statuses.isEmpty());
        const QString listener = statuses.constLast().listeners.value(0);
        QVERIFY2(listener.startsWith(QLatin1String("syslog-tcp 127.0.0.1:")), qPrintable(listener));
        const quint16 port = quint16(listener.section(QLatin1Char(':'), -1).toUInt());

        QTcpSocket sender;
        sender.connectToHost(QStringLiteral("127.0.0.1"), port);
        QVERIFY(sender.waitForConnected(5000));
        QByteArray stream;
        for (int i = 1; i <= 100; ++i)
            stream += frame(sysmonEvent(1, i, QStringLiteral("<Data Name=\"ProcessGuid\">{00000000-0000-0000-0000-%1}</Data>"
                                                             "<Data Name=\"Image\">C:\\Windows\\System32\\svchost.exe</Data>")
                                                  .arg(i, 12, 10, QLatin1Char('0'))));
        const QString pair = QStringLiteral("<Data Name=\"SourceProcessGuid\">{aaaaaaaa-0000-0000-0000-000000000001}</Data>"
                                            "<Data Name=\"SourceProcessId\">4242</Data><Data Name=\"SourceImage\">C:\\Users\\u\\x.exe</Data>"
                                            "<Data Name=\"TargetProcessGuid\">{bbbbbbbb-0000-0000-0000-000000000002}</Data>"
                                            "<Data Name=\"TargetProcessId\">3300</Data><Data Name=\"TargetImage\">C:\\Windows\\System32\\notepad.exe</Data>");
        stream += frame(sysmonEvent(10, 101, pair + QStringLiteral("<Data Name=\"GrantedAccess\">0x1F3FFF</Data>"
                                                                   "<Data Name=\"CallTrace\">C:\\Windows\\SYSTEM32\\ntdll.dll+9d234|UNKNOWN(00000000004A1234)</Data>")));
        stream += frame(sysmonEvent(8, 102, pair + QStringLiteral("<Data Name=\"StartAddress\">0x00000000004A0000</Data>"
                                                                  "<Data Name=\"StartModule\">-</Data><Data Name=\"StartFunction\">-</Data>")));
        QElapsedTimer sent;
        sent.start();
        sender.write(stream);
        QVERIFY(sender.waitForBytesWritten(5000));

        // The GUI thread keeps turning: the alert arrives through the event loop, within a second or so.
        QTRY_VERIFY_WITH_TIMEOUT(!alerts.isEmpty(), 10000);
        const qint64 latencyMs = sent.elapsed();
        qInfo("alert %lld ms after sending", latencyMs);
        bool r1 = false;
        for (const auto& set : alerts)
            for (const auto& a : set->alerts)
                r1 = r1 || (a.ruleId == "R1" && a.target.guid == "bbbbbbbb-0000-0000-0000-000000000002");
        QVERIFY(r1);
        QTRY_VERIFY_WITH_TIMEOUT(arrived > 0, 5000);
        QTRY_VERIFY_WITH_TIMEOUT(!statuses.isEmpty() && statuses.constLast().stored == 102, 5000);
        const app::LiveStatus s = statuses.constLast();
        QCOMPARE(s.feeds.size(), size_t(1));
        QCOMPARE(s.feeds[0].stats.received, int64_t(102));
        QVERIFY(s.feeds[0].stats.open);

        // The panel and the dialog, looked at.
        views::LiveStatusPanel panel;
        std::vector<model::FeedStats> feeds{s.feeds[0].stats};
        feeds.push_back(s.feeds[0].stats);
        feeds.back().name = "syslog-udp 127.0.0.1:5514 from 10.1.2.3";
        feeds.back().rejected = 3;
        feeds.back().lost = 12;
        feeds.back().reasons = {"at 17: message 17: neither an XML event nor a JSON object"};
        panel.setStatus(s.listeners, feeds, {840.0, 12.0}, s.stored, 852, {}, true);
        panel.resize(1100, 220);
        panel.show();
        QCOMPARE(panel.table()->rowCount(), 2);
        QCOMPARE(panel.table()->item(1, 6)->text(), QStringLiteral("12"));
        panel.grab().save(QDir(testing::screenshotDir()).filePath(QStringLiteral("live-status.png")));
        views::ListenDialog dialog;
        dialog.show();
        const auto choices = dialog.choices();
        QVERIFY(!choices.empty());
        for (auto* edit : dialog.findChildren<QLineEdit*>())
            if (edit->text() == QLatin1String("127.0.0.1:9200"))
                edit->setText(QStringLiteral("0.0.0.0:9200")); // warned about
        for (auto* box : dialog.findChildren<QCheckBox*>())
            box->setChecked(true);
        auto warning = [&] {
            for (auto* label : dialog.findChildren<QLabel*>())
                if (label->text().contains(QLatin1String("reachable")) || label->text().contains(QLatin1String("TLS")))
                    return label->text();
            return QString();
        };
        QVERIFY2(warning().contains(QLatin1String("bulk will be reachable")), qPrintable(warning()));
        QVERIFY(warning().contains(QLatin1String("clear text")));
        QLineEdit* certificate = nullptr;
        QLineEdit* key = nullptr;
        for (auto* edit : dialog.findChildren<QLineEdit*>())
            if (edit->placeholderText() == QLatin1String("optional: PEM file"))
                (certificate ? key : certificate) = edit;
        QVERIFY(certificate && key);
        certificate->setText(QStringLiteral("/etc/doppelscope/listener.pem"));
        QVERIFY(warning().contains(QLatin1String("needs both a certificate and its key")));
        QVERIFY(!warning().contains(QLatin1String("clear text")));
        key->setText(QStringLiteral("/etc/doppelscope/listener.key"));
        QVERIFY(!warning().contains(QLatin1String("needs both")));
        QCOMPARE(dialog.tlsCertificate(), QStringLiteral("/etc/doppelscope/listener.pem"));
        QCOMPARE(dialog.tlsKey(), QStringLiteral("/etc/doppelscope/listener.key"));
        dialog.grab().save(QDir(testing::screenshotDir()).filePath(QStringLiteral("listen-dialog.png")));
        QCOMPARE(dialog.choices().size(), size_t(4));

        QSignalSpy stopped(&live, &app::LiveController::stopped);
        live.stop();
        QCOMPARE(stopped.count(), 1);
        QVERIFY(!live.isRunning());
        QCOMPARE(testing::scalar(casePath, "SELECT count(*) FROM events"), qint64(102));
        QCOMPARE(testing::scalar(casePath, "SELECT count(*) FROM inputs WHERE status = 'complete'"), qint64(1));
        QCOMPARE(testing::scalar(casePath, "SELECT count(*) FROM alerts WHERE rule_id = 'R1'"), qint64(1));
    }

    void aBusyPortIsRefusedWithItsReason()
    {
        QTemporaryDir dir;
        app::LiveController first, second;
        app::ListenSpec spec;
        spec.port = 0;
        QString error;
        QVERIFY(first.start(dir.filePath(QStringLiteral("a.dscase")), {spec}, error));
        QList<app::LiveStatus> statuses;
        connect(&first, &app::LiveController::statusChanged, this, [&](const app::LiveStatus& s) { statuses << s; });
        QTRY_VERIFY(!statuses.isEmpty());
        spec.port = quint16(statuses.constLast().listeners.value(0).section(QLatin1Char(':'), -1).toUInt());
        QVERIFY(!second.start(dir.filePath(QStringLiteral("b.dscase")), {spec}, error));
        QVERIFY2(error.contains(QLatin1String("syslog-tcp 127.0.0.1:")), qPrintable(error));
        QVERIFY(!second.isRunning());
    }
};

QTEST_MAIN(TestLiveController)
#include "tst_livecontroller.moc"
