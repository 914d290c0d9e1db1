// SPDX-License-Identifier: MIT
// Live feeds end to end, with real senders: `doppelscope listen` on every listener kind; util-linux `logger` over
// TCP (octet counting, RFC 5424; line feed, RFC 3164) and UDP carrying Sysmon XML; a JSON-lines sender; a followed
// file rotated mid-stream; the official Python Elasticsearch client's bulk helper (installed into the build
// folder, skipped with the reason when it cannot be). Every event sent is stored exactly once. The corpus sent
// through `replay` raises the alerts `scan` finds on the same file, and a listener killed with SIGKILL loses
// nothing it acknowledged. The TCP listeners and the bulk endpoint also speak TLS, to Python's ssl module and the
// Elasticsearch client over HTTPS, with gzip-compressed requests.
#include "livefeeds_helpers.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QUdpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

#include <csignal>
#include <sys/resource.h>
#include <memory>
#include <tuple>
#include <vector>

using namespace dscope::testing;

namespace {

const QString kBinary = QStringLiteral(DSCOPE_BINARY);
const QString kCorpusFile = QStringLiteral(DSCOPE_DATASETS "/EVTX-ATTACK-SAMPLES/Defense Evasion/"
                                           "de_unmanagedpowershell_psinject_sysmon_7_8_10.evtx");

/// A Sysmon 1 as Sysmon for Linux writes it (one line, no namespace), with its own record id.
QString linuxSysmon(int record)
{
    return QStringLiteral("<Event><System><Provider Name=\"Linux-Sysmon\" Guid=\"{ff032593-a8d3-4f13-b0d6-01fc615a0f97}\"/>"
                          "<EventID>1</EventID><TimeCreated SystemTime=\"2026-12-06T10:00:%1.000Z\"/><EventRecordID>%2</EventRecordID>"
                          "<Channel>Linux-Sysmon/Operational</Channel><Computer>web01</Computer></System><EventData>"
                          "<Data Name=\"ProcessGuid\">{8c1d6f2a-0000-0000-0000-%3}</Data><Data Name=\"ProcessId\">%2</Data>"
                          "<Data Name=\"Image\">/usr/bin/curl</Data></EventData></Event>")
        .arg(record % 60, 2, 10, QLatin1Char('0'))
        .arg(record)
        .arg(record, 12, 10, QLatin1Char('0'));
}

/// NXLog's flat JSON (the importer's layout A test line) with its own record number.
QByteArray nxlogLine(int record)
{
    QFile f(QStringLiteral(DSCOPE_TEST_DATA "/json/layout_a_nxlog.jsonl"));
    f.open(QIODevice::ReadOnly);
    QJsonObject o = QJsonDocument::fromJson(f.readLine()).object();
    o.insert(QStringLiteral("RecordNumber"), record);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

qint64 scalar(const QString& casePath, const QString& sql)
{
    sqlite3* db = nullptr;
    qint64 v = -1;
    if (sqlite3_open_v2(casePath.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db, sql.toUtf8().constData(), -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return v;
}

} // namespace

class TestLiveFeeds : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void everyListenerEveryEventOnce()
    {
        const QString casePath = m_dir.filePath(QStringLiteral("live.dscase"));
        const QString followed = m_dir.filePath(QStringLiteral("followed.jsonl"));
        Listener l;
        QVERIFY2(l.start({QStringLiteral("--case"), casePath, QStringLiteral("--syslog-tcp"), QStringLiteral("127.0.0.1:0"),
                          QStringLiteral("--syslog-udp"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--jsonl-tcp"),
                          QStringLiteral("127.0.0.1:0"), QStringLiteral("--follow"), followed},
                         3),
                 qPrintable(l.stderrText));
        int record = 1;
        QSet<int> expected; // record ids of the Sysmon for Linux events sent

        // util-linux logger: TCP with octet counting (RFC 5424), TCP with line feeds (RFC 3164), UDP.
        const QString logger = QStandardPaths::findExecutable(QStringLiteral("logger"));
        if (logger.isEmpty()) {
            qWarning("SKIP part: no logger (util-linux) on this machine");
        } else {
            const QList<QStringList> modes = {
                {QStringLiteral("--tcp"), QStringLiteral("--octet-count"), QStringLiteral("--rfc5424"), QStringLiteral("-P"),
                 QString::number(l.ports.value(QStringLiteral("syslog-tcp")))},
                {QStringLiteral("--tcp"), QStringLiteral("--rfc3164"), QStringLiteral("-P"), QString::number(l.ports.value(QStringLiteral("syslog-tcp")))},
                {QStringLiteral("--udp"), QStringLiteral("--rfc5424"), QStringLiteral("-P"), QString::number(l.ports.value(QStringLiteral("syslog-udp")))}};
            for (const QStringList& mode : modes) {
                for (int i = 0; i < 5; ++i, ++record) {
                    QProcess p;
                    p.start(logger, mode + QStringList{QStringLiteral("-n"), QStringLiteral("127.0.0.1"), QStringLiteral("-t"),
                                                       QStringLiteral("sysmon"), linuxSysmon(record)});
                    QVERIFY(p.waitForFinished(10000));
                    QCOMPARE(p.exitCode(), 0);
                    expected << record;
                }
            }
        }
        // A JSON-lines sender: NXLog's flat layout, in one burst, plus a line that is no event.
        QTcpSocket jsonl;
        jsonl.connectToHost(QStringLiteral("127.0.0.1"), l.ports.value(QStringLiteral("jsonl-tcp")));
        QVERIFY(jsonl.waitForConnected(5000));
        QByteArray burst;
        for (int i = 0; i < 200; ++i)
            burst += nxlogLine(5000 + i) + '\n';
        burst += "{\"not\": \"an event\"}\n";
        jsonl.write(burst);
        QVERIFY(jsonl.waitForBytesWritten(5000));
        jsonl.disconnectFromHost();

        // A followed file: lines appended, a half line, then rotated by rename to a new file.
        {
            QFile f(followed);
            QVERIFY(f.open(QIODevice::WriteOnly));
            for (int i = 0; i < 10; ++i)
                f.write(nxlogLine(7000 + i) + '\n');
            const QByteArray half = nxlogLine(7010);
            f.write(half.left(40));
            f.flush();
            QTest::qWait(400);
            f.write(half.mid(40) + '\n');
            f.close();
            QTest::qWait(400);
            QVERIFY(QFile::rename(followed, followed + QStringLiteral(".1")));
            QFile g(followed);
            QVERIFY(g.open(QIODevice::WriteOnly));
            for (int i = 0; i < 5; ++i)
                g.write(nxlogLine(7100 + i) + '\n');
            g.close();
            QTest::qWait(600);
        }
        QTest::qWait(500);
        l.stop();
        QCOMPARE(l.process.exitCode(), 0);

        // Exactly once: every record id once, nothing else.
        QCOMPARE(scalar(casePath, QStringLiteral("SELECT count(*) FROM events WHERE channel='Linux-Sysmon/Operational'")),
                 qint64(expected.size()));
        QCOMPARE(scalar(casePath, QStringLiteral("SELECT count(DISTINCT record_id) FROM events WHERE channel='Linux-Sysmon/Operational'")),
                 qint64(expected.size()));
        QCOMPARE(scalar(casePath, QStringLiteral("SELECT count(*) FROM events WHERE record_id BETWEEN 5000 AND 5199")), qint64(200));
        QCOMPARE(scalar(casePath, QStringLiteral("SELECT count(*) FROM events WHERE record_id BETWEEN 7000 AND 7199")), qint64(16));
        QCOMPARE(scalar(casePath, QStringLiteral("SELECT count(DISTINCT record_id) FROM events")),
                 scalar(casePath, QStringLiteral("SELECT count(*) FROM events")));
        // The rejected line is counted with its reason, in the JSON-lines sender's input row.
        QCOMPARE(scalar(casePath, QStringLiteral("SELECT skipped FROM inputs WHERE path LIKE 'jsonl-tcp %'")), qint64(1));
        QCOMPARE(scalar(casePath, QStringLiteral("SELECT count(*) FROM inputs WHERE errors LIKE '%unknown layout%'")), qint64(1));
        QCOMPARE(scalar(casePath, QStringLiteral("SELECT count(*) FROM inputs WHERE status <> 'complete'")), qint64(0));
    }

    void pythonElasticsearchClientBulk()
    {
        QString why;
        const QString venvPython = elasticsearchPython(why);
        if (venvPython.isEmpty())
            QSKIP(qPrintable(why));
        const QString casePath = m_dir.filePath(QStringLiteral("bulk.dscase"));
        Listener l;
        QVERIFY2(l.start({QStringLiteral("--case"), casePath, QStringLiteral("--bulk"), QStringLiteral("127.0.0.1:0")}, 1),
                 qPrintable(l.stderrText));
        const QString script = m_dir.filePath(QStringLiteral("send.py"));
        QFile s(script);
        QVERIFY(s.open(QIODevice::WriteOnly));
        s.write(kBulkClientScript);
        s.close();
        QProcess client;
        client.start(venvPython, {script, QStringLiteral("http://127.0.0.1:%1").arg(l.ports.value(QStringLiteral("bulk"))),
                                  QStringLiteral(DSCOPE_TEST_DATA "/json/layout_d_winlogbeat716_ecs.jsonl"), QStringLiteral("1000")});
        QVERIFY(client.waitForFinished(120000));
        const QString out = QString::fromUtf8(client.readAllStandardOutput());
        QVERIFY2(client.exitCode() == 0, qPrintable(out + QString::fromUtf8(client.readAllStandardError())));
        // Every event acknowledged as created; the one document that is no event refused with 400, not retried.
        QCOMPARE(out.split(QLatin1Char('\n')).value(1), QStringLiteral("1000 1 400"));
        l.stop();
        QCOMPARE(scalar(casePath, QStringLiteral("SELECT count(DISTINCT record_id) FROM events")), qint64(1000));
        QCOMPARE(scalar(casePath, QStringLiteral("SELECT count(*) FROM events")), qint64(1000));
        QCOMPARE(scalar(casePath, QStringLiteral("SELECT skipped FROM inputs")), qint64(1));
    }

    void tlsListenersWithRealClients()
    {
        // RFC 5425 syslog, JSON lines and HTTPS bulk with one certificate: Python's ssl module (OpenSSL, verifying
        // the listener's certificate) sends octet-counted Sysmon XML and JSON lines, the Elasticsearch client sends
        // bulk requests over HTTPS, `replay --tls-ca` sends a file; a clear-text sender is refused and counted.
        const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
        const QString python = QStandardPaths::findExecutable(QStringLiteral("python3"));
        if (openssl.isEmpty() || python.isEmpty())
            QSKIP("openssl or python3 is missing: no certificate or no TLS client");
        const QString cert = m_dir.filePath(QStringLiteral("tls-cert.pem"));
        const QString key = m_dir.filePath(QStringLiteral("tls-key.pem"));
        QProcess req;
        req.start(openssl, {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("ec"),
                            QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:prime256v1"), QStringLiteral("-nodes"),
                            QStringLiteral("-keyout"), key, QStringLiteral("-out"), cert, QStringLiteral("-days"), QStringLiteral("2"),
                            QStringLiteral("-subj"), QStringLiteral("/CN=localhost"), QStringLiteral("-addext"),
                            QStringLiteral("subjectAltName=IP:127.0.0.1,DNS:localhost")});
        QVERIFY(req.waitForFinished(60000));
        QVERIFY2(req.exitCode() == 0, req.readAllStandardError().constData());

        const QString casePath = m_dir.filePath(QStringLiteral("tls.dscase"));
        Listener l;
        QVERIFY2(l.start({QStringLiteral("--case"), casePath, QStringLiteral("--syslog-tcp"), QStringLiteral("127.0.0.1:0"),
                          QStringLiteral("--jsonl-tcp"), QStringLiteral("127.0.0.1:0"), QStringLiteral("--bulk"), QStringLiteral("127.0.0.1:0"),
                          QStringLiteral("--tls-cert"), cert, QStringLiteral("--tls-key"), key},
                         3),
                 qPrintable(l.stderrText));
        QVERIFY(l.stderrText.contains(QLatin1String("(TLS)")));

        const QString script = m_dir.filePath(QStringLiteral("tls-send.py"));
        QFile s(script);
        QVERIFY(s.open(QIODevice::WriteOnly));
        s.write("import socket, ssl, sys\n"
                "port, kind, cafile, path = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]\n"
                "context = ssl.create_default_context(cafile=cafile)\n"
                "with socket.create_connection(('127.0.0.1', port)) as raw:\n"
                "    with context.wrap_socket(raw, server_hostname='127.0.0.1') as tls:\n"
                "        for line in open(path, 'rb').read().splitlines():\n"
                "            if kind == 'syslog':\n"
                "                message = b'<14>1 2026-12-06T10:00:00Z web01 sysmon - - - ' + line\n"
                "                tls.sendall(str(len(message)).encode() + b' ' + message)\n"
                "            else:\n"
                "                tls.sendall(line + b'\\n')\n"
                "        print('sent', tls.version())\n");
        s.close();
        const QString xmlLines = m_dir.filePath(QStringLiteral("tls-xml.txt"));
        const QString jsonLines = m_dir.filePath(QStringLiteral("tls-json.jsonl"));
        QFile x(xmlLines), j(jsonLines);
        QVERIFY(x.open(QIODevice::WriteOnly) && j.open(QIODevice::WriteOnly));
        for (int i = 0; i < 150; ++i) {
            x.write(linuxSysmon(20000 + i).toUtf8() + '\n');
            j.write(nxlogLine(30000 + i) + '\n');
        }
        x.close();
        j.close();
        for (const auto& [kind, listener, path] : {std::tuple{QStringLiteral("syslog"), QStringLiteral("syslog-tcp"), xmlLines},
                                                   std::tuple{QStringLiteral("jsonl"), QStringLiteral("jsonl-tcp"), jsonLines}}) {
            QProcess client;
            client.start(python, {script, QString::number(l.ports.value(listener)), kind, cert, path});
            QVERIFY(client.waitForFinished(60000));
            QVERIFY2(client.exitCode() == 0, client.readAllStandardError().constData());
            QVERIFY(client.readAllStandardOutput().startsWith("sent TLSv1."));
        }
        // A clear-text sender on the TLS port: refused, and counted with the reason.
        QTcpSocket plain;
        plain.connectToHost(QHostAddress::LocalHost, l.ports.value(QStringLiteral("syslog-tcp")));
        QVERIFY(plain.waitForConnected(5000));
        const QByteArray message = linuxSysmon(40000).toUtf8();
        plain.write(QByteArray::number(message.size()) + ' ' + message);
        QVERIFY(plain.waitForDisconnected(10000));
        // replay over TLS.
        QProcess replay;
        replay.start(kBinary, {QStringLiteral("replay"), QStringLiteral(DSCOPE_TEST_DATA "/json/layout_a_nxlog.jsonl"),
                               QStringLiteral("--to"), QStringLiteral("syslog-tcp"),
                               QStringLiteral("127.0.0.1:%1").arg(l.ports.value(QStringLiteral("syslog-tcp"))),
                               QStringLiteral("--tls-ca"), cert});
        QVERIFY(replay.waitForFinished(60000));
        const QString replaySaid = QString::fromUtf8(replay.readAllStandardError());
        QVERIFY2(replay.exitCode() == 0, qPrintable(replaySaid));
        const qint64 replayed = replaySaid.section(QLatin1Char(' '), 1, 1).toLongLong(); // "sent N events to ..."
        QVERIFY(replayed > 0);
        // The Elasticsearch client over HTTPS, verifying the certificate.
        QString why;
        const QString venvPython = elasticsearchPython(why);
        bool bulkSent = false;
        if (!venvPython.isEmpty()) {
            const QString bulkScript = m_dir.filePath(QStringLiteral("tls-bulk.py"));
            QFile b(bulkScript);
            QVERIFY(b.open(QIODevice::WriteOnly));
            b.write(kBulkClientScript);
            b.close();
            QProcess client;
            client.start(venvPython, {bulkScript, QStringLiteral("https://127.0.0.1:%1").arg(l.ports.value(QStringLiteral("bulk"))),
                                      QStringLiteral(DSCOPE_TEST_DATA "/json/layout_d_winlogbeat716_ecs.jsonl"),
                                      QStringLiteral("300"), cert, QStringLiteral("gzip")}); // Content-Encoding: gzip
            QVERIFY(client.waitForFinished(120000));
            const QString out = QString::fromUtf8(client.readAllStandardOutput());
            QVERIFY2(client.exitCode() == 0, qPrintable(out + QString::fromUtf8(client.readAllStandardError())));
            QCOMPARE(out.split(QLatin1Char('\n')).value(1), QStringLiteral("300 1 400"));
            bulkSent = true;
        } else {
            qWarning("HTTPS bulk not tested: %s", qPrintable(why));
        }
        QTest::qWait(500);
        l.stop();
        QCOMPARE(l.process.exitCode(), 0);
        QCOMPARE(scalar(casePath, QStringLiteral("SELECT count(DISTINCT record_id) FROM events WHERE record_id BETWEEN 20000 AND 20149")), qint64(150));
        QCOMPARE(scalar(casePath, QStringLiteral("SELECT count(DISTINCT record_id) FROM events WHERE record_id BETWEEN 30000 AND 30149")), qint64(150));
        QCOMPARE(scalar(casePath, QStringLiteral("SELECT count(*) FROM events WHERE record_id = 40000")), qint64(0));
        if (bulkSent)
            QCOMPARE(scalar(casePath, QStringLiteral("SELECT count(DISTINCT record_id) FROM events WHERE record_id BETWEEN 1000 AND 1299")), qint64(300));
        QCOMPARE(scalar(casePath, QStringLiteral("SELECT count(*) FROM events")), 150 + 150 + replayed + (bulkSent ? 300 : 0));
        QCOMPARE(scalar(casePath, QStringLiteral("SELECT count(*) FROM inputs WHERE path LIKE 'syslog-tls %' AND errors LIKE '%TLS: %'")), qint64(1));
        QCOMPARE(scalar(casePath, QStringLiteral("SELECT count(*) FROM inputs WHERE format = 'syslog-tls' AND events > 0")), qint64(2));
        QCOMPARE(scalar(casePath, QStringLiteral("SELECT count(*) FROM inputs WHERE format = 'jsonl-tls' AND events = 150")), qint64(1));
    }

    void windowsChannelSaysWhereItExists()
    {
#ifdef Q_OS_WIN
        QSKIP("on Windows the subscription is real (tests/crossbuild links it; this test checks the other builds)");
#endif
        QProcess listen;
        listen.start(kBinary, {QStringLiteral("listen"), QStringLiteral("--case"), m_dir.filePath(QStringLiteral("channel.dscase")),
                               QStringLiteral("--windows-channel"), QStringLiteral("Microsoft-Windows-Sysmon/Operational")});
        QVERIFY(listen.waitForFinished(30000));
        QCOMPARE(listen.exitCode(), 1);
        QVERIFY(QString::fromUtf8(listen.readAllStandardError())
                    .contains(QLatin1String("windows-channel Microsoft-Windows-Sysmon/Operational: a subscription to a "
                                            "Windows event log channel needs the Windows build")));
    }

    void unmodifiedBeatsShipper()
    {
        // Filebeat carries the Elasticsearch output of every Beat, Winlogbeat's included (which runs on Windows only):
        // its version check, template and ILM calls, gzip-compressed bulk requests and retries, unmodified.
        QString filebeat = qEnvironmentVariable("DSCOPE_FILEBEAT");
        if (filebeat.isEmpty() && QFile::exists(QStringLiteral(DSCOPE_TEST_DATA "/../../build/tools/filebeat")))
            filebeat = QStringLiteral(DSCOPE_TEST_DATA "/../../build/tools/filebeat");
        if (filebeat.isEmpty())
            filebeat = QStandardPaths::findExecutable(QStringLiteral("filebeat"));
        if (filebeat.isEmpty())
            QSKIP("no filebeat (scripts/build-filebeat.sh builds one from the Go module proxy; DSCOPE_FILEBEAT names one)");
        const QString folder = m_dir.filePath(QStringLiteral("filebeat"));
        QVERIFY(QDir().mkpath(folder));
        QFile templateFile(QStringLiteral(DSCOPE_TEST_DATA "/json/layout_d_winlogbeat716_ecs.jsonl"));
        QVERIFY(templateFile.open(QIODevice::ReadOnly));
        const QJsonObject document = QJsonDocument::fromJson(templateFile.readLine()).object();
        QFile events(folder + QStringLiteral("/events.ndjson"));
        QVERIFY(events.open(QIODevice::WriteOnly));
        for (int i = 0; i < 3000; ++i) {
            QJsonObject d = document;
            QJsonObject winlog = d.value(QLatin1String("winlog")).toObject();
            winlog.insert(QStringLiteral("record_id"), 60000 + i);
            d.insert(QStringLiteral("winlog"), winlog);
            events.write(QJsonDocument(d).toJson(QJsonDocument::Compact) + '\n');
        }
        events.close();
        const QString casePath = m_dir.filePath(QStringLiteral("filebeat.dscase"));
        Listener l;
        QVERIFY2(l.start({QStringLiteral("--case"), casePath, QStringLiteral("--bulk"), QStringLiteral("127.0.0.1:0")}, 1),
                 qPrintable(l.stderrText));
        QFile config(folder + QStringLiteral("/filebeat.yml"));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(QStringLiteral("filebeat.inputs:\n"
                                    "- type: filestream\n  id: sysmon-export\n  paths: [%1/events.ndjson]\n"
                                    "  parsers:\n    - ndjson:\n        target: \"\"\n        overwrite_keys: true\n"
                                    "output.elasticsearch:\n  hosts: [\"http://127.0.0.1:%2\"]\n  compression_level: 1\n"
                                    "path.data: %1/data\npath.logs: %1/logs\npath.home: %1\n")
                         .arg(folder)
                         .arg(l.ports.value(QStringLiteral("bulk")))
                         .toUtf8());
        config.close();
        QProcess beat;
        beat.start(filebeat, {QStringLiteral("-e"), QStringLiteral("-c"), config.fileName(), QStringLiteral("--strict.perms=false")});
        QVERIFY(beat.waitForStarted(10000));
        // It ships and keeps running: wait until the case holds every event, then stop it.
        qint64 stored = 0;
        for (int waited = 0; waited < 600 && stored < 3000; ++waited) {
            QTest::qWait(100);
            stored = scalar(casePath, QStringLiteral("SELECT count(*) FROM events"));
        }
        beat.terminate();
        beat.waitForFinished(10000);
        const QString beatLog = QString::fromUtf8(beat.readAllStandardError() + beat.readAllStandardOutput());
        l.stop();
        QVERIFY2(stored == 3000, qPrintable(beatLog.right(2000)));
        QCOMPARE(scalar(casePath, QStringLiteral("SELECT count(DISTINCT record_id) FROM events WHERE record_id BETWEEN 60000 AND 62999")), qint64(3000));
        QCOMPARE(scalar(casePath, QStringLiteral("SELECT count(*) FROM events")), qint64(3000));
        QVERIFY(beatLog.contains(QLatin1String("Connection to backoff(elasticsearch(")));
    }

    void corpusSentLiveRaisesWhatScanFinds()
    {
        if (!QFile::exists(kCorpusFile))
            QSKIP("the corpus is not here (DSCOPE_DATASETS): nothing to compare");
        QProcess scan;
        const QString scanJson = m_dir.filePath(QStringLiteral("scan.jsonl"));
        scan.start(kBinary, {QStringLiteral("scan"), kCorpusFile, QStringLiteral("--case"), m_dir.filePath(QStringLiteral("scan.dscase")),
                             QStringLiteral("--json"), scanJson});
        QVERIFY(scan.waitForFinished(120000));
        QList<QJsonObject> expected;
        QFile j(scanJson);
        QVERIFY(j.open(QIODevice::ReadOnly));
        for (const QByteArray& line : j.readAll().split('\n'))
            if (!line.trimmed().isEmpty())
                expected << QJsonDocument::fromJson(line).object();
        QVERIFY(!expected.isEmpty());
        for (const QString& target : {QStringLiteral("syslog-tcp"), QStringLiteral("bulk")}) {
            const QString casePath = m_dir.filePath(target + QStringLiteral("-corpus.dscase"));
            Listener l;
            QVERIFY2(l.start({QStringLiteral("--case"), casePath, QStringLiteral("--") + target, QStringLiteral("127.0.0.1:0")}, 1),
                     qPrintable(l.stderrText));
            QProcess replay;
            replay.start(kBinary, {QStringLiteral("replay"), kCorpusFile, QStringLiteral("--to"), target,
                                   QStringLiteral("127.0.0.1:%1").arg(l.ports.value(target))});
            QVERIFY(replay.waitForFinished(120000));
            QVERIFY2(replay.exitCode() == 0, replay.readAllStandardError().constData());
            QTest::qWait(800); // the last commit and detection pass
            const QList<QJsonObject> live = l.stop();
            QCOMPARE(alertKeys(live), alertKeys(expected));
            QCOMPARE(scalar(casePath, QStringLiteral("SELECT count(*) FROM events")),
                     scalar(m_dir.filePath(QStringLiteral("scan.dscase")), QStringLiteral("SELECT count(*) FROM events")));
        }
    }

    void lostDatagramsAreCountedWhereRecordIdsShowThem()
    {
        const QString casePath = m_dir.filePath(QStringLiteral("udp.dscase"));
        Listener l;
        QVERIFY2(l.start({QStringLiteral("--case"), casePath, QStringLiteral("--syslog-udp"), QStringLiteral("127.0.0.1:0")}, 1),
                 qPrintable(l.stderrText));
        QUdpSocket udp;
        for (int record : {30001, 30002, 30005, 30006}) // 30003 and 30004 never come
            udp.writeDatagram("<14>1 - web01 sysmon - - - " + linuxSysmon(record).toUtf8(), QHostAddress::LocalHost,
                              l.ports.value(QStringLiteral("syslog-udp")));
        QTRY_COMPARE_WITH_TIMEOUT(scalar(casePath, QStringLiteral("SELECT count(*) FROM events")), qint64(4), 5000);
        l.stop();
        QVERIFY2(l.stderrText.contains(QLatin1String("lost 2,")), qPrintable(l.stderrText));
    }

    void idleAndSlowSendersStallNobody()
    {
        const QString casePath = m_dir.filePath(QStringLiteral("crowd.dscase"));
        Listener l;
        QVERIFY2(l.start({QStringLiteral("--case"), casePath, QStringLiteral("--syslog-tcp"), QStringLiteral("127.0.0.1:0")}, 1),
                 qPrintable(l.stderrText));
        const quint16 port = l.ports.value(QStringLiteral("syslog-tcp"));
        // Hundreds of connections that send nothing, and one that stops in the middle of a frame.
        std::vector<std::unique_ptr<QTcpSocket>> idle;
        for (int i = 0; i < 400; ++i) {
            idle.push_back(std::make_unique<QTcpSocket>());
            idle.back()->connectToHost(QStringLiteral("127.0.0.1"), port);
        }
        for (auto& s : idle)
            QVERIFY(s->waitForConnected(5000));
        QTcpSocket slow;
        slow.connectToHost(QStringLiteral("127.0.0.1"), port);
        QVERIFY(slow.waitForConnected(5000));
        slow.write("5000 <14>1 - slow sysmon - - - <Event><System>");
        QVERIFY(slow.waitForBytesWritten(5000));
        // A sender behind them all is stored at once.
        QTcpSocket sender;
        sender.connectToHost(QStringLiteral("127.0.0.1"), port);
        QVERIFY(sender.waitForConnected(5000));
        QByteArray stream;
        for (int i = 0; i < 100; ++i) {
            const QByteArray m = "<14>1 - web01 sysmon - - - " + linuxSysmon(20000 + i).toUtf8();
            stream += QByteArray::number(m.size()) + ' ' + m;
        }
        sender.write(stream);
        QVERIFY(sender.waitForBytesWritten(5000));
        QTRY_COMPARE_WITH_TIMEOUT(scalar(casePath, QStringLiteral("SELECT count(*) FROM events")), qint64(100), 5000);
        idle.clear();
        l.stop();
        QCOMPARE(l.process.exitCode(), 0);
        // The slow sender's half frame is counted, not stored, and named.
        QCOMPARE(scalar(casePath, QStringLiteral("SELECT count(*) FROM inputs WHERE errors LIKE '%closed inside a frame%'")), qint64(1));
    }

    void aFullDiskIsSaidAndNothingUnstoredIsAcknowledged()
    {
        const QString casePath = m_dir.filePath(QStringLiteral("full.dscase"));
        Listener l;
        // A file size limit on the listener only: its writes fail for real part of the way through.
        l.process.setChildProcessModifier([] {
            const struct rlimit limit = {4 << 20, 4 << 20};
            setrlimit(RLIMIT_FSIZE, &limit);
        });
        QVERIFY2(l.start({QStringLiteral("--case"), casePath, QStringLiteral("--bulk"), QStringLiteral("127.0.0.1:0")}, 1),
                 qPrintable(l.stderrText));
        const QString file = m_dir.filePath(QStringLiteral("many.jsonl"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        for (int i = 0; i < 30000; ++i)
            f.write(nxlogLine(100000 + i) + '\n');
        f.close();
        QProcess replay;
        replay.start(kBinary, {QStringLiteral("replay"), file, QStringLiteral("--to"), QStringLiteral("bulk"),
                               QStringLiteral("127.0.0.1:%1").arg(l.ports.value(QStringLiteral("bulk")))});
        QVERIFY(replay.waitForFinished(120000));
        const QString said = QString::fromUtf8(replay.readAllStandardError());
        static const QRegularExpression counts(QStringLiteral("sent (\\d+) events.*?, (\\d+) acknowledged as stored"));
        const auto m = counts.match(said);
        QVERIFY2(m.hasMatch(), qPrintable(said));
        const qint64 acknowledged = m.captured(2).toLongLong();
        QVERIFY2(acknowledged < 30000, qPrintable(said)); // the limit was reached before the end
        QVERIFY(l.process.waitForFinished(30000)); // the listener stops by itself, saying why
        l.stderrText += QString::fromUtf8(l.process.readAllStandardError());
        QCOMPARE(l.process.exitCode(), 1);
        QVERIFY2(l.stderrText.contains(QLatin1String("writing stopped")), qPrintable(l.stderrText));
        // What was acknowledged is what the case holds: not one event more or less.
        QVERIFY(acknowledged > 0);
        QCOMPARE(scalar(casePath, QStringLiteral("SELECT count(*) FROM events")), acknowledged);
    }

    void aKilledListenerKeepsWhatItAcknowledged()
    {
        const QString casePath = m_dir.filePath(QStringLiteral("killed.dscase"));
        Listener l;
        QVERIFY2(l.start({QStringLiteral("--case"), casePath, QStringLiteral("--bulk"), QStringLiteral("127.0.0.1:0")}, 1),
                 qPrintable(l.stderrText));
        // replay waits for each bulk answer: when it says "sent", the listener acknowledged every event.
        const QString file = m_dir.filePath(QStringLiteral("nx.jsonl"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        for (int i = 0; i < 3000; ++i)
            f.write(nxlogLine(10000 + i) + '\n');
        f.close();
        QProcess replay;
        replay.start(kBinary, {QStringLiteral("replay"), file, QStringLiteral("--to"), QStringLiteral("bulk"),
                               QStringLiteral("127.0.0.1:%1").arg(l.ports.value(QStringLiteral("bulk")))});
        QVERIFY(replay.waitForFinished(120000));
        const QString said = QString::fromUtf8(replay.readAllStandardError());
        QVERIFY2(replay.exitCode() == 0, qPrintable(said));
        QVERIFY2(said.contains(QLatin1String("sent 3000 events")), qPrintable(said));
        l.process.kill(); // SIGKILL: no chance to commit anything more
        l.process.waitForFinished(10000);
        QCOMPARE(scalar(casePath, QStringLiteral("SELECT count(*) FROM events")), qint64(3000));
        // And the case is whole: SQLite's own check of every page and index.
        sqlite3* db = nullptr;
        QCOMPARE(sqlite3_open_v2(casePath.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
        sqlite3_stmt* st = nullptr;
        QCOMPARE(sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &st, nullptr), SQLITE_OK);
        QCOMPARE(sqlite3_step(st), SQLITE_ROW);
        const QString check = QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
        sqlite3_finalize(st);
        sqlite3_close(db);
        QCOMPARE(check, QStringLiteral("ok"));
    }
};

QTEST_GUILESS_MAIN(TestLiveFeeds)
#include "tst_livefeeds.moc"
