// SPDX-License-Identifier: MIT
// doppelscope listen: live Sysmon feeds into a case (syslog TCP and UDP, JSON lines over TCP, an Elasticsearch
// bulk endpoint, followed files), incremental detection on every commit, alerts printed as they appear.
#include "alertjson.h"
#include "clicontext.h"
#include "livedetectioncontroller.h"
#include "liveservice.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QTimer>

#include <atomic>
#include <csignal>

namespace dscope::app {

namespace {

std::atomic_bool g_stop{false};

extern "C" void onStopSignal(int) { g_stop = true; }

QString statusLine(const model::LiveSession& session, const LiveDetectionController& detection, double rate)
{
    int64_t rejected = 0, lost = 0;
    int open = 0;
    const auto feeds = session.stats();
    for (const auto& f : feeds) {
        rejected += f.rejected;
        lost += f.lost;
        open += f.open ? 1 : 0;
    }
    return QStringLiteral("stored %L1 events (%L2/s), rejected %L3, lost %L4, senders %5 (%6 connected), alerts %7")
        .arg(session.storedEvents())
        .arg(qint64(rate))
        .arg(rejected)
        .arg(lost)
        .arg(feeds.size())
        .arg(open)
        .arg(detection.alertCount());
}

} // namespace

int runListen(const QStringList& args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Receive live Sysmon feeds into a case and print alerts as they appear."));
    p.addOption({QStringLiteral("case"), QStringLiteral("The case file (created when missing)."), QStringLiteral("file")});
    p.addOption({QStringLiteral("syslog-tcp"), QStringLiteral("Syslog over TCP (octet counting or line feed)."), QStringLiteral("addr:port")});
    p.addOption({QStringLiteral("syslog-udp"), QStringLiteral("Syslog over UDP."), QStringLiteral("addr:port")});
    p.addOption({QStringLiteral("jsonl-tcp"), QStringLiteral("JSON lines (or event XML lines) over TCP."), QStringLiteral("addr:port")});
    p.addOption({QStringLiteral("bulk"), QStringLiteral("Elasticsearch-compatible bulk endpoint (HTTP)."), QStringLiteral("addr:port")});
    p.addOption({QStringLiteral("follow"), QStringLiteral("Follow a file of JSON lines or event XML (tail -F)."), QStringLiteral("file")});
    p.addOption({QStringLiteral("windows-channel"),
                 QStringLiteral("Windows builds: subscribe to this event log channel (Microsoft-Windows-Sysmon/Operational)."),
                 QStringLiteral("channel")});
    p.addOption({QStringLiteral("alerts-jsonl"), QStringLiteral("Also append the alerts to FILE."), QStringLiteral("file")});
    p.addOption({QStringLiteral("token"), QStringLiteral("Require this token from bulk clients (Bearer or ApiKey)."), QStringLiteral("token")});
    p.addOption({QStringLiteral("tls-cert"),
                 QStringLiteral("TLS for syslog-tcp (RFC 5425), jsonl-tcp and bulk (HTTPS): certificate chain, PEM."),
                 QStringLiteral("file")});
    p.addOption({QStringLiteral("tls-key"), QStringLiteral("The TLS certificate's private key, PEM, unencrypted."), QStringLiteral("file")});
    p.addOption({QStringLiteral("max-message"), QStringLiteral("Largest message accepted, bytes (default 1048576)."), QStringLiteral("bytes")});
    p.addOption({QStringLiteral("status-seconds"), QStringLiteral("Seconds between status lines (default 5; 0: none)."), QStringLiteral("n")});
    p.process(QStringList{QStringLiteral("doppelscope listen")} + args);
    const QString casePath = p.value(QStringLiteral("case"));
    std::vector<ListenSpec> specs;
    QString error;
    const std::pair<const char*, ListenSpec::Kind> kinds[] = {{"syslog-tcp", ListenSpec::Kind::SyslogTcp},
                                                               {"syslog-udp", ListenSpec::Kind::SyslogUdp},
                                                               {"jsonl-tcp", ListenSpec::Kind::JsonlTcp},
                                                               {"bulk", ListenSpec::Kind::Bulk}};
    for (const auto& [name, kind] : kinds)
        for (const QString& value : p.values(QString::fromLatin1(name))) {
            ListenSpec spec;
            spec.kind = kind;
            spec.token = p.value(QStringLiteral("token"));
            if (kind != ListenSpec::Kind::SyslogUdp) { // RFC 5425 is TCP; datagram TLS is not offered
                spec.tlsCertificate = p.value(QStringLiteral("tls-cert"));
                spec.tlsKey = p.value(QStringLiteral("tls-key"));
            }
            if (!parseListenAddress(value, spec, error)) {
                err() << "error: --" << name << ' ' << error << '\n';
                return ExitUsage;
            }
            specs.push_back(spec);
        }
    for (const QString& file : p.values(QStringLiteral("follow"))) {
        ListenSpec spec;
        spec.kind = ListenSpec::Kind::Follow;
        spec.path = file;
        specs.push_back(spec);
    }
    for (const QString& channel : p.values(QStringLiteral("windows-channel"))) {
        ListenSpec spec;
        spec.kind = ListenSpec::Kind::WindowsChannel;
        spec.path = channel;
        specs.push_back(spec);
    }
    if (casePath.isEmpty() || specs.empty()) {
        err() << "usage: doppelscope listen --case C.dscase [--syslog-tcp ADDR:PORT] [--syslog-udp ADDR:PORT] "
                 "[--jsonl-tcp ADDR:PORT] [--bulk ADDR:PORT] [--follow FILE]... [--windows-channel NAME] "
                 "[--alerts-jsonl FILE] [--tls-cert FILE --tls-key FILE]\n";
        return ExitUsage;
    }
    if (p.isSet(QStringLiteral("tls-cert")) != p.isSet(QStringLiteral("tls-key"))) {
        err() << "error: TLS needs both --tls-cert and --tls-key\n";
        return ExitUsage;
    }
    bool sizeOk = true;
    const qlonglong maxMessage = p.isSet(QStringLiteral("max-message")) ? p.value(QStringLiteral("max-message")).toLongLong(&sizeOk) : 1 << 20;
    if (!sizeOk || maxMessage < 1024) {
        err() << "error: --max-message takes a number of bytes, at least 1024\n";
        return ExitUsage;
    }
    for (const ListenSpec& s : specs)
        if (s.kind != ListenSpec::Kind::Follow && s.kind != ListenSpec::Kind::WindowsChannel && !s.address.isLoopback())
            err() << "warning: " << listenKindName(s.kind) << " listens on " << s.address.toString()
                  << ", reachable from other machines: every sender there can write into the case"
                  << (s.usesTls() || s.kind == ListenSpec::Kind::SyslogUdp ? "" : ", and the events cross the network in clear text")
                  << '\n';

    QFile alertsFile;
    if (p.isSet(QStringLiteral("alerts-jsonl"))) {
        alertsFile.setFileName(p.value(QStringLiteral("alerts-jsonl")));
        if (!alertsFile.open(QIODevice::WriteOnly | QIODevice::Append)) {
            err() << "error: cannot write " << alertsFile.fileName() << ": " << alertsFile.errorString() << '\n';
            return ExitFailure;
        }
    }
    model::LiveSession session(casePath.toStdString());
    LiveDetectionController detection(casePath, &session);
    if (!detection.isAvailable()) {
        err() << "error: " << detection.loadError() << '\n';
        return ExitFailure;
    }
    // The writer thread reports commits; detection runs from the main thread's event loop.
    session.setCommitListener([&detection](const model::LiveCommit& c) {
        QMetaObject::invokeMethod(&detection, [&detection, since = c.oldestUtcMs] { detection.eventsCommitted(since); },
                                  Qt::QueuedConnection);
    });
    std::string sessionError;
    if (!session.start(sessionError)) {
        err() << "error: " << QString::fromStdString(sessionError) << '\n';
        return ExitFailure;
    }
    LiveService service(session, size_t(maxMessage));
    for (const ListenSpec& s : specs)
        if (!service.listen(s, error)) {
            err() << "error: " << error << '\n';
            service.close();
            session.stop();
            return ExitFailure;
        }
    for (const QString& line : service.describe())
        err() << "listening: " << line << '\n';
    err().flush();

    QObject::connect(&detection, &LiveDetectionController::alertsRaised, &detection,
                     [&alertsFile](const model::AlertSetPtr& alerts, double) {
                         for (const model::Alert& a : alerts->alerts) {
                             const QByteArray line = detection::alertJsonLine(a) + '\n';
                             out() << QString::fromUtf8(line);
                             if (alertsFile.isOpen())
                                 alertsFile.write(line);
                         }
                         out().flush();
                         if (alertsFile.isOpen())
                             alertsFile.flush();
                     });
    QObject::connect(&detection, &LiveDetectionController::failed, &detection,
                     [](const QString& m) { err() << "detection failed: " << m << '\n'; });

    std::signal(SIGINT, onStopSignal);
    std::signal(SIGTERM, onStopSignal);
    QTimer poll;
    QElapsedTimer clock;
    clock.start();
    int64_t lastStored = 0;
    qint64 lastStatusMs = 0;
    const int statusSeconds = p.isSet(QStringLiteral("status-seconds")) ? p.value(QStringLiteral("status-seconds")).toInt() : 5;
    QObject::connect(&poll, &QTimer::timeout, &poll, [&] {
        if (g_stop || !session.running())
            QCoreApplication::quit();
        if (statusSeconds > 0 && clock.elapsed() - lastStatusMs >= statusSeconds * 1000) {
            const double rate = double(session.storedEvents() - lastStored) * 1000.0 / double(std::max<qint64>(1, clock.elapsed() - lastStatusMs));
            lastStored = session.storedEvents();
            lastStatusMs = clock.elapsed();
            err() << statusLine(session, detection, rate) << '\n';
            err().flush();
        }
    });
    poll.start(100);
    QCoreApplication::exec();

    // Ctrl-C: no new data, everything received committed, a last detection pass over it.
    service.close();
    session.flush();     // every event received is committed...
    detection.finish();  // ...and detected, its alerts stored by the still-running writer
    session.stop();
    const std::string failure = session.failure();
    err() << statusLine(session, detection, 0) << '\n';
    if (!failure.empty()) {
        err() << "error: writing stopped: " << QString::fromStdString(failure) << '\n';
        return ExitFailure;
    }
    return ExitOk;
}

} // namespace dscope::app
