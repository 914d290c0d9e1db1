// SPDX-License-Identifier: MIT
// Live-feed benchmark over loopback TCP: N Sysmon XML events (default 1,000,000; injection chains, a Sysmon 10 then
// a Sysmon 8 between the same processes, every 20,000) sent as octet-counted syslog by a sender thread as fast as
// the listener takes them, through LiveService, LiveSession and incremental detection, as `doppelscope listen`
// runs them. Prints the sustained rate (send start to last commit), loss (sent - stored), the alert latency from
// sending a chain's Sysmon 8 to its alert (p50, p99), and the peak RSS. Reference in the same run: the same events
// written to a file and imported. Targets on the 2-core machine: >= 100,000 events/s, zero loss, p99 < 1 s,
// RSS < 300 MiB.
//
//   bench_live [--events N] [--mode syslog|bulk]
//
// --mode bulk sends the same events as Elasticsearch bulk requests of 2,000 documents (each event's XML in
// OpenWEC's RawJson envelope) over four keep-alive HTTP connections, each waiting for its answer as a client does.
#include "import/importer.h"
#include "live/livesession.h"
#include "livedetectioncontroller.h"
#include "liveservice.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>
#include <QTimer>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <thread>

using namespace dscope;

namespace {

constexpr int kChainEvery = 20000;
const int64_t kBaseMs = 1'765'000'000'000;

// The sender's side is kept cheap (no QDateTime, no QString per event): the benchmark measures the listener.
std::string guid(int n)
{
    char text[48];
    std::snprintf(text, sizeof text, "{5770385f-c22a-43e0-bf4c-%012d}", n);
    return text;
}

std::string time(int64_t ms)
{
    thread_local int64_t cachedDay = -1; // per sender thread
    thread_local std::string datePart;
    const int64_t day = ms / 86'400'000;
    if (day != cachedDay) { // once per day of event time
        cachedDay = day;
        datePart = QDateTime::fromMSecsSinceEpoch(day * 86'400'000, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd")).toStdString();
    }
    const int64_t inDay = ms % 86'400'000;
    char text[40];
    std::snprintf(text, sizeof text, "%sT%02d:%02d:%02d.%03dZ", datePart.c_str(), int(inDay / 3'600'000), int(inDay / 60'000 % 60),
                  int(inDay / 1000 % 60), int(inDay % 1000));
    return text;
}

/// Event i: mostly process starts; event i of a chain: the handle (10), then 8 the remote thread.
std::string eventXml(int i)
{
    const int64_t ms = kBaseMs + i;
    const int phase = i % kChainEvery;
    std::string data;
    int id = 1;
    if (phase == kChainEvery - 2 || phase == kChainEvery - 1) {
        const int chain = i / kChainEvery;
        id = phase == kChainEvery - 2 ? 10 : 8;
        data = "<Data Name=\"SourceProcessGuid\">" + guid(900000 + chain) + "</Data><Data Name=\"SourceProcessId\">4242</Data>"
               "<Data Name=\"SourceImage\">C:\\Users\\u\\AppData\\Local\\Temp\\inj" + std::to_string(chain) + ".exe</Data>"
               "<Data Name=\"TargetProcessGuid\">" + guid(800000 + chain) + "</Data><Data Name=\"TargetProcessId\">3300</Data>"
               "<Data Name=\"TargetImage\">C:\\Windows\\System32\\notepad.exe</Data>"
               + (id == 10 ? std::string("<Data Name=\"GrantedAccess\">0x1F3FFF</Data><Data Name=\"CallTrace\">C:\\Windows\\SYSTEM32\\ntdll.dll+9d234|UNKNOWN(00000000004A1234)</Data>")
                           : std::string("<Data Name=\"StartAddress\">0x00000000004A0000</Data><Data Name=\"StartModule\">-</Data><Data Name=\"StartFunction\">-</Data>"));
    } else {
        data = "<Data Name=\"UtcTime\">" + time(ms) + "</Data><Data Name=\"ProcessGuid\">" + guid(i) + "</Data>"
               "<Data Name=\"ProcessId\">" + std::to_string(1000 + i % 60000) + "</Data>"
               "<Data Name=\"Image\">C:\\Windows\\System32\\svchost.exe</Data><Data Name=\"CommandLine\">svchost.exe -k netsvcs -p -s Schedule</Data>"
               "<Data Name=\"User\">NT AUTHORITY\\SYSTEM</Data><Data Name=\"ParentProcessGuid\">" + guid(1) + "</Data>"
               "<Data Name=\"ParentImage\">C:\\Windows\\System32\\services.exe</Data>";
    }
    return "<Event xmlns=\"http://schemas.microsoft.com/win/2004/08/events/event\"><System><Provider Name=\"Microsoft-Windows-Sysmon\"/>"
           "<EventID>" + std::to_string(id) + "</EventID><TimeCreated SystemTime=\"" + time(ms) + "\"/><EventRecordID>"
           + std::to_string(i + 1) + "</EventRecordID><Channel>Microsoft-Windows-Sysmon/Operational</Channel>"
           "<Computer>BENCH-WS01</Computer></System><EventData>" + data + "</EventData></Event>";
}

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return -1;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, size_t(p * double(v.size() - 1) + 0.5))];
}

long peakRssMiB()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_maxrss / 1024;
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    int events = 1'000'000;
    const QStringList args = app.arguments();
    bool bulk = false;
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args.at(i) == QLatin1String("--events"))
            events = args.at(i + 1).toInt();
        if (args.at(i) == QLatin1String("--mode"))
            bulk = args.at(i + 1) == QLatin1String("bulk");
    }
    QTextStream out(stdout);
    QTemporaryDir dir;
    const std::string casePath = dir.filePath(QStringLiteral("live.dscase")).toStdString();

    // Live: the listener on its own thread, detection on this one, the sender on a third.
    model::LiveSession session(casePath);
    app::LiveDetectionController detection(QString::fromStdString(casePath), &session);
    QElapsedTimer clock;
    clock.start();
    std::atomic<qint64> lastCommitNs{0};
    session.setCommitListener([&](const model::LiveCommit& c) {
        lastCommitNs = clock.nsecsElapsed();
        QMetaObject::invokeMethod(&detection, [&detection, since = c.oldestUtcMs] { detection.eventsCommitted(since); },
                                  Qt::QueuedConnection);
    });
    std::string error;
    if (!session.start(error)) {
        std::fprintf(stderr, "%s\n", error.c_str());
        return 1;
    }
    QThread network;
    auto* service = new app::LiveService(session);
    service->moveToThread(&network);
    network.start();
    quint16 port = 0;
    QMetaObject::invokeMethod(service, [&] {
        app::ListenSpec spec;
        spec.kind = bulk ? app::ListenSpec::Kind::Bulk : app::ListenSpec::Kind::SyslogTcp;
        QString e;
        if (service->listen(spec, e))
            port = service->boundPort(spec.kind);
    }, Qt::BlockingQueuedConnection);
    if (!port) {
        std::fprintf(stderr, "cannot listen\n");
        return 1;
    }

    // Chain latency: the time its Sysmon 8 was handed to the socket, and the time its alert came.
    std::mutex sentMutex;
    std::map<std::string, qint64> chainSentNs; // target GUID (lower case, no braces) -> ns
    std::vector<double> latencies;
    QObject::connect(&detection, &app::LiveDetectionController::alertsRaised, &detection,
                     [&](const model::AlertSetPtr& alerts, double) {
                         const qint64 now = clock.nsecsElapsed();
                         std::lock_guard lock(sentMutex);
                         for (const auto& a : alerts->alerts) {
                             auto it = chainSentNs.find(a.target.guid);
                             if (it != chainSentNs.end()) {
                                 latencies.push_back(double(now - it->second) / 1e9);
                                 chainSentNs.erase(it);
                             }
                         }
                     });
    int passes = 0;
    double passSeconds = 0;
    QObject::connect(&detection, &app::LiveDetectionController::passFinished, &detection, [&](int, double s) {
        ++passes;
        passSeconds += s;
    });
    std::atomic<int64_t> sentEvents{0};
    std::atomic_bool senderDone{false};
    qint64 sendStartNs = 0;
    auto connectTo = [&]() {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in to{};
        to.sin_family = AF_INET;
        to.sin_port = htons(port);
        to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) != 0) {
            std::perror("connect");
            ::close(fd);
            return -1;
        }
        return fd;
    };
    auto sendAll = [](int fd, const std::string& bytes) {
        for (size_t off = 0; off < bytes.size();) {
            const ssize_t n = ::send(fd, bytes.data() + off, bytes.size() - off, 0);
            if (n <= 0)
                return false;
            off += size_t(n);
        }
        return true;
    };
    auto noteChainSent = [&](int i) {
        std::lock_guard lock(sentMutex);
        const std::string g = guid(800000 + i / kChainEvery);
        chainSentNs[QString::fromStdString(g.substr(1, g.size() - 2)).toLower().toStdString()] = clock.nsecsElapsed();
    };
    constexpr int kBulkConnections = 4; // Winlogbeat's output.elasticsearch.worker, Python's parallel_bulk threads
    std::atomic<int> sendersLeft{bulk ? kBulkConnections : 1};
    std::atomic<int64_t> refusedItems{0};
    // Syslog: one connection, octet-counted frames in 64 KiB writes, as rsyslog forwards.
    auto syslogSender = [&] {
        const int fd = connectTo();
        if (fd < 0) {
            senderDone = true;
            return;
        }
        sendStartNs = clock.nsecsElapsed();
        std::string buffer;
        for (int i = 0; i < events; ++i) {
            const std::string msg = "<14>1 - BENCH-WS01 sysmon - - - " + eventXml(i);
            buffer += std::to_string(msg.size()) + ' ' + msg;
            const bool chainEnd = i % kChainEvery == kChainEvery - 1;
            if (buffer.size() >= 64 * 1024 || chainEnd || i + 1 == events) {
                if (!sendAll(fd, buffer)) {
                    std::perror("send");
                    break;
                }
                buffer.clear();
                sentEvents = i + 1;
                if (chainEnd)
                    noteChainSent(i);
            }
        }
        ::close(fd);
        senderDone = true;
    };
    // Bulk: requests of 2,000 documents; each connection waits for its answer, as a client does.
    std::atomic<int> nextBatch{0};
    auto bulkSender = [&] {
        const int fd = connectTo();
        if (fd < 0) {
            if (--sendersLeft == 0)
                senderDone = true;
            return;
        }
        constexpr int kBatch = 2000;
        std::string body, response;
        for (int batch = nextBatch++; batch * kBatch < events; batch = nextBatch++) {
            body.clear();
            const int last = std::min(events, (batch + 1) * kBatch);
            for (int i = batch * kBatch; i < last; ++i) {
                body += "{\"create\":{\"_index\":\"bench\"}}\n{\"meta\":{},\"data\":\"";
                for (char c : eventXml(i)) {
                    if (c == '"' || c == '\\')
                        body += '\\';
                    body += c;
                }
                body += "\"}\n";
            }
            const std::string request = "POST /_bulk HTTP/1.1\r\nHost: bench\r\nContent-Type: application/x-ndjson\r\n"
                                        "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
            if (!sendAll(fd, request) || !sendAll(fd, body))
                break;
            for (int i = batch * kBatch; i < last; ++i)
                if (i % kChainEvery == kChainEvery - 1)
                    noteChainSent(i);
            // The answer: headers, then Content-Length bytes.
            response.clear();
            size_t headerEnd = std::string::npos, length = 0;
            char chunk[65536];
            while (headerEnd == std::string::npos || response.size() < headerEnd + 4 + length) {
                const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
                if (n <= 0)
                    break;
                response.append(chunk, size_t(n));
                if (headerEnd == std::string::npos && (headerEnd = response.find("\r\n\r\n")) != std::string::npos) {
                    const size_t at = QString::fromStdString(response.substr(0, headerEnd)).toLower().toStdString().find("content-length:");
                    length = at == std::string::npos ? 0 : size_t(std::stoul(response.substr(at + 15)));
                }
            }
            if (response.find("\"errors\":false") == std::string::npos)
                refusedItems += last - batch * kBatch;
            sentEvents += last - batch * kBatch;
        }
        ::close(fd);
        if (--sendersLeft == 0)
            senderDone = true;
    };
    std::vector<std::thread> senders;
    if (bulk) {
        sendStartNs = clock.nsecsElapsed();
        for (int c = 0; c < kBulkConnections; ++c)
            senders.emplace_back(bulkSender);
    } else {
        senders.emplace_back(syslogSender);
    }
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &app, [&] {
        if (senderDone && session.storedEvents() >= sentEvents && !detection.isRunning())
            app.quit();
        if (clock.elapsed() > 600'000)
            app.quit();
    });
    poll.start(20);
    app.exec();
    for (auto& t : senders)
        t.join();
    session.flush();
    detection.finish();
    const double liveSeconds = double(lastCommitNs.load() - sendStartNs) / 1e9;
    const int64_t stored = session.storedEvents();
    QMetaObject::invokeMethod(service, [service] { service->close(); delete service; }, Qt::BlockingQueuedConnection);
    network.quit();
    network.wait();
    session.stop();
    const long liveRss = peakRssMiB();

    // Reference: the same events imported from a file, in this process.
    const QString xmlPath = dir.filePath(QStringLiteral("same-events.xml"));
    {
        QFile f(xmlPath);
        f.open(QIODevice::WriteOnly);
        for (int i = 0; i < events; ++i) {
            f.write(eventXml(i).c_str());
            f.write("\n");
        }
    }
    QElapsedTimer importClock;
    importClock.start();
    const model::ImportSummary imported =
        model::Importer(dir.filePath(QStringLiteral("imported.dscase")).toStdString()).run({xmlPath.toStdString()});
    const double importSeconds = double(importClock.nsecsElapsed()) / 1e9;

    const double rate = double(stored) / liveSeconds;
    const double p50 = percentile(latencies, 0.5), p99 = percentile(latencies, 0.99);
    out << events << (bulk ? " events sent over loopback HTTP (Elasticsearch bulk requests of 2,000, four connections)\n"
                           : " events sent over loopback TCP (octet-counted syslog, Sysmon XML)\n")
        << "live: " << QString::number(liveSeconds, 'f', 2) << " s, " << QString::number(rate, 'f', 0) << " events/s, stored "
        << stored << ", lost " << (sentEvents.load() - stored) << (bulk ? QStringLiteral(", refused in bulk answers %1").arg(refusedItems.load()) : QString()) << '\n'
        << "alert latency (send to alert) over " << latencies.size() << " chains: p50 " << QString::number(p50, 'f', 3)
        << " s, p99 " << QString::number(p99, 'f', 3) << " s\n"
        << "detection passes: " << passes << ", from commit to result " << QString::number(passes ? passSeconds / passes : 0, 'f', 3)
        << " s on average\n"
        << "peak RSS during the live run: " << liveRss << " MiB\n"
        << "reference, the same events imported from a file: " << QString::number(importSeconds, 'f', 2) << " s, "
        << QString::number(double(imported.events) / importSeconds, 'f', 0) << " events/s; live/import rate ratio "
        << QString::number(rate / (double(imported.events) / importSeconds), 'f', 2) << '\n'
        << "targets: >= 100000 events/s, lost 0, p99 < 1 s, RSS < 300 MiB\n";
    const bool met = rate >= 100000 && stored == sentEvents.load() && p99 >= 0 && p99 < 1.0 && liveRss < 300;
    out << (met ? "all targets met\n" : "targets missed\n");
    return met ? 0 : 1;
}
