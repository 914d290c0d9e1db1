// SPDX-License-Identifier: MIT
// doppelscope replay: any importable file sent as a live feed (syslog over TCP or UDP, JSON lines over TCP, or
// Elasticsearch bulk requests), at a chosen rate, for demonstrations, training and tests.
#include "clicontext.h"
#include "import/importer.h"
#include "import/sourcefactory.h"
#include "ingest/inputbytes.h"
#include "liveservice.h"
#include "tlsfiles.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QEventLoop>
#include <QFile>
#include <QHostInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSslSocket>
#include <QThread>
#include <QUdpSocket>

#include <atomic>
#include <chrono>
#include <csignal>
#include <optional>
#include <thread>

namespace dscope::app {

namespace {

std::atomic_bool g_stopReplay{false};
extern "C" void onReplaySignal(int) { g_stopReplay = true; }

enum class Target { SyslogTcp, SyslogUdp, JsonlTcp, Bulk };

/// Sends messages in the target's framing; counts what went out.
class Sender
{
public:
    Sender(Target target, const ListenSpec& to, double rate, std::optional<QSslConfiguration> tls)
        : m_target(target), m_to(to), m_rate(rate), m_tls(std::move(tls))
    {
        m_start = std::chrono::steady_clock::now();
        m_host = QHostInfo::localHostName().toUtf8();
    }

    bool connect(QString& error)
    {
        if (m_target == Target::SyslogTcp || m_target == Target::JsonlTcp) {
            if (m_tls) {
                // The listener's certificate is checked against the CA given, for the address as written.
                m_tcp.setSslConfiguration(*m_tls);
                m_tcp.connectToHostEncrypted(m_to.address.toString(), m_to.port);
                if (!m_tcp.waitForEncrypted(10000)) {
                    error = QStringLiteral("cannot connect over TLS to %1:%2: %3").arg(m_to.address.toString()).arg(m_to.port).arg(m_tcp.errorString());
                    return false;
                }
                return true;
            }
            m_tcp.connectToHost(m_to.address, m_to.port);
            if (!m_tcp.waitForConnected(10000)) {
                error = QStringLiteral("cannot connect to %1:%2: %3").arg(m_to.address.toString()).arg(m_to.port).arg(m_tcp.errorString());
                return false;
            }
        }
        return true;
    }

    /// One event: its original XML or JSON text.
    bool send(const std::string& raw, bool xml, QString& error)
    {
        pace();
        switch (m_target) {
        case Target::SyslogTcp:
        case Target::SyslogUdp: {
            // RFC 5424, as Sysmon for Linux through rsyslog sends it: user.info, app "sysmon".
            QByteArray message = "<14>1 " + QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toUtf8() + ' '
                                 + m_host + " sysmon - - - " + QByteArray::fromStdString(raw);
            if (m_target == Target::SyslogUdp) {
                if (m_udp.writeDatagram(message, m_to.address, m_to.port) < 0) {
                    error = m_udp.errorString();
                    return false;
                }
            } else if (!write(QByteArray::number(message.size()) + ' ' + message, error)) {
                return false;
            }
            break;
        }
        case Target::JsonlTcp:
            if (!write(jsonLine(raw, xml) + '\n', error))
                return false;
            break;
        case Target::Bulk:
            m_bulk += "{\"create\":{\"_index\":\"doppelscope-replay\"}}\n" + jsonLine(raw, xml) + '\n';
            if (++m_bulkItems >= 500 && !flushBulk(error))
                return false;
            break;
        }
        ++m_sent;
        return true;
    }

    bool finish(QString& error)
    {
        if (m_target == Target::Bulk && m_bulkItems > 0 && !flushBulk(error))
            return false;
        if (m_tcp.state() == QAbstractSocket::ConnectedState) {
            m_tcp.disconnectFromHost();
            if (m_tcp.state() != QAbstractSocket::UnconnectedState)
                m_tcp.waitForDisconnected(10000);
        }
        return true;
    }

    int64_t sent() const { return m_sent; }
    int64_t refused() const { return m_refused; }
    /// Bulk: items the receiver answered as stored; -1 for the stream targets, which have no answers.
    int64_t acknowledged() const { return m_target == Target::Bulk ? m_acknowledged : -1; }

private:
    /// JSON as one line; an XML event inside OpenWEC's RawJson envelope, so that it arrives byte for byte.
    static QByteArray jsonLine(const std::string& raw, bool xml)
    {
        if (xml)
            return QJsonDocument(QJsonObject{{QStringLiteral("meta"), QJsonObject{{QStringLiteral("Source"), QStringLiteral("doppelscope replay")}}},
                                             {QStringLiteral("data"), QString::fromStdString(raw)}})
                .toJson(QJsonDocument::Compact);
        if (raw.find('\n') == std::string::npos)
            return QByteArray::fromStdString(raw);
        return QJsonDocument::fromJson(QByteArray::fromStdString(raw)).toJson(QJsonDocument::Compact);
    }

    bool write(const QByteArray& bytes, QString& error)
    {
        if (m_tcp.write(bytes) != bytes.size()) {
            error = m_tcp.errorString();
            return false;
        }
        // Keep the socket's buffer small: the receiver's pace (back-pressure) is ours.
        while (m_tcp.bytesToWrite() > 4 * 1024 * 1024)
            if (!m_tcp.waitForBytesWritten(30000)) {
                error = QStringLiteral("the receiver stopped reading: ") + m_tcp.errorString();
                return false;
            }
        return true;
    }

    bool flushBulk(QString& error)
    {
        QNetworkRequest request(QUrl(QStringLiteral("%3://%1:%2/_bulk")
                                         .arg(m_to.address.protocol() == QAbstractSocket::IPv6Protocol
                                                  ? QLatin1Char('[') + m_to.address.toString() + QLatin1Char(']')
                                                  : m_to.address.toString())
                                         .arg(m_to.port)
                                         .arg(m_tls ? QStringLiteral("https") : QStringLiteral("http"))));
        if (m_tls)
            request.setSslConfiguration(*m_tls);
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/x-ndjson"));
        if (!m_to.token.isEmpty())
            request.setRawHeader("Authorization", "Bearer " + m_to.token.toUtf8());
        QNetworkReply* reply = m_network.post(request, m_bulk);
        QEventLoop loop;
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        loop.exec();
        reply->deleteLater();
        if (reply->error() != QNetworkReply::NoError) {
            error = QStringLiteral("bulk request: ") + reply->errorString();
            return false;
        }
        const QJsonArray items = QJsonDocument::fromJson(reply->readAll()).object().value(QLatin1String("items")).toArray();
        for (const QJsonValue& item : items) {
            if (item.toObject().begin()->toObject().value(QLatin1String("status")).toInt() >= 300)
                ++m_refused;
            else
                ++m_acknowledged;
        }
        m_bulk.clear();
        m_bulkItems = 0;
        return true;
    }

    void pace()
    {
        if (m_rate <= 0)
            return;
        const auto due = m_start + std::chrono::microseconds(int64_t(double(m_sent) * 1e6 / m_rate));
        std::this_thread::sleep_until(due);
    }

    Target m_target;
    ListenSpec m_to;
    double m_rate;
    std::optional<QSslConfiguration> m_tls;
    std::chrono::steady_clock::time_point m_start;
    QByteArray m_host;
    QSslSocket m_tcp; // plain TCP unless connected encrypted
    QUdpSocket m_udp;
    QNetworkAccessManager m_network;
    QByteArray m_bulk;
    int m_bulkItems = 0;
    int64_t m_sent = 0;
    int64_t m_refused = 0;
    int64_t m_acknowledged = 0;
};

/// Hands each record's original text to the sender as the source reads it.
class ReplaySink : public model::RecordSink
{
public:
    explicit ReplaySink(Sender& sender) : m_sender(sender) {}
    void add(model::Event&& e) override
    {
        if (!m_error.isEmpty() || e.raw.empty())
            return;
        if (!m_sender.send(e.raw, e.rawFormat == model::RawFormat::Xml, m_error))
            return;
    }
    void skip(int64_t, std::string) override { ++m_skipped; }
    bool cancelled() const override { return g_stopReplay || !m_error.isEmpty(); }
    QString m_error;
    int64_t m_skipped = 0;

private:
    Sender& m_sender;
};

} // namespace

int runReplay(const QStringList& args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Send files as a live feed."));
    p.addOption({QStringLiteral("to"), QStringLiteral("syslog-tcp, syslog-udp, jsonl-tcp or bulk, then ADDR:PORT."), QStringLiteral("target")});
    p.addOption({QStringLiteral("rate"), QStringLiteral("Events per second (default: as fast as the receiver takes them)."), QStringLiteral("n")});
    p.addOption({QStringLiteral("loop"), QStringLiteral("Start again at the end, until Ctrl-C.")});
    p.addOption({QStringLiteral("token"), QStringLiteral("Bearer token for the bulk endpoint."), QStringLiteral("token")});
    p.addOption({QStringLiteral("tls-ca"),
                 QStringLiteral("Send over TLS (syslog-tcp, jsonl-tcp, bulk), trusting this PEM CA or the listener's own certificate."),
                 QStringLiteral("file")});
    p.addPositionalArgument(QStringLiteral("path"), QStringLiteral("Files or folders to send."));
    p.process(QStringList{QStringLiteral("doppelscope replay")} + args);
    // --to takes two words: the kind, then the address ("--to bulk 127.0.0.1:9200").
    QStringList positional = p.positionalArguments();
    const QString kind = p.value(QStringLiteral("to"));
    QString address;
    for (qsizetype i = 0; i < positional.size(); ++i) {
        static const QRegularExpression hostPort(QStringLiteral("^[^/\\\\]*:\\d+$"));
        if (hostPort.match(positional.at(i)).hasMatch() && !QFile::exists(positional.at(i))) {
            address = positional.takeAt(i);
            break;
        }
    }
    const std::pair<const char*, Target> targets[] = {{"syslog-tcp", Target::SyslogTcp}, {"syslog-udp", Target::SyslogUdp},
                                                     {"jsonl-tcp", Target::JsonlTcp}, {"bulk", Target::Bulk}};
    const auto target = std::find_if(std::begin(targets), std::end(targets),
                                     [&](const auto& t) { return kind == QLatin1String(t.first); });
    ListenSpec to;
    QString error;
    if (positional.isEmpty() || target == std::end(targets) || !parseListenAddress(address, to, error)) {
        if (!error.isEmpty())
            err() << "error: " << error << '\n';
        err() << "usage: doppelscope replay PATH... --to syslog-tcp|syslog-udp|jsonl-tcp|bulk ADDR:PORT [--rate N] [--loop] [--tls-ca FILE]\n";
        return ExitUsage;
    }
    to.token = p.value(QStringLiteral("token"));
    const double rate = p.value(QStringLiteral("rate")).toDouble();
    std::vector<std::string> paths;
    for (const QString& s : positional)
        paths.push_back(s.toStdString());
    paths = model::expandPaths(paths);

    std::signal(SIGINT, onReplaySignal);
    std::signal(SIGTERM, onReplaySignal);
    std::optional<QSslConfiguration> tls;
    if (p.isSet(QStringLiteral("tls-ca"))) {
        if (target->second == Target::SyslogUdp) {
            err() << "error: --tls-ca: syslog over UDP is sent in clear text\n";
            return ExitUsage;
        }
        tls.emplace();
        if (!loadClientTls(p.value(QStringLiteral("tls-ca")), *tls, error)) {
            err() << "error: " << error << '\n';
            return ExitFailure;
        }
    }
    Sender sender(target->second, to, rate, tls);
    int64_t skipped = 0;
    // What went out, and for bulk what the receiver said it stored: printed on success and on failure alike.
    auto summary = [&] {
        err() << "sent " << sender.sent() << " events to " << kind << ' ' << address
              << (skipped ? QStringLiteral(" (%1 unreadable records skipped)").arg(skipped) : QString())
              << (sender.acknowledged() >= 0 ? QStringLiteral(", %1 acknowledged as stored").arg(sender.acknowledged()) : QString())
              << (sender.refused() ? QStringLiteral(", %1 refused by the receiver").arg(sender.refused()) : QString()) << '\n';
    };
    if (!sender.connect(error)) {
        err() << "error: " << error << '\n';
        return ExitFailure;
    }
    model::SourceOptions options;
    options.evtxEngine = model::EvtxEngine::Libevtx; // its records come with their XML, which is what is sent
    do {
        for (const std::string& path : paths) {
            model::FileBytes bytes(path);
            if (!bytes.isOpen()) {
                err() << "error: cannot read " << QString::fromStdString(path) << '\n';
                return ExitFailure;
            }
            const model::InputFormat format = model::sniffFormat(bytes);
            auto source = model::makeSource(format, options);
            if (!source) {
                err() << "skipped " << QString::fromStdString(path) << ": " << model::formatName(format)
                      << " is not replayed (extract archives first)\n";
                continue;
            }
            ReplaySink sink(sender);
            std::string readError;
            if (!source->read(bytes, sink, readError))
                err() << "skipped " << QString::fromStdString(path) << ": " << QString::fromStdString(readError) << '\n';
            skipped += sink.m_skipped;
            if (!sink.m_error.isEmpty()) {
                err() << "error: " << sink.m_error << '\n';
                summary();
                return ExitFailure;
            }
            if (g_stopReplay)
                break;
        }
    } while (p.isSet(QStringLiteral("loop")) && !g_stopReplay);
    if (!sender.finish(error)) {
        err() << "error: " << error << '\n';
        summary();
        return ExitFailure;
    }
    summary();
    return sender.refused() > 0 ? ExitFailure : ExitOk;
}

} // namespace dscope::app
