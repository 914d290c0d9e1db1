// SPDX-License-Identifier: MIT
#include "liveservice.h"

#include "bulkendpoint.h"
#include "ingest/messagedecoder.h"
#include "live/syslog.h"
#include "tlsfiles.h"
#include "tlsserver.h"
#include "windowschannel.h"

#include <QFile>
#include <QFileInfo>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QUdpSocket>

#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

namespace dscope::app {

using model::Event;

const char* listenKindName(ListenSpec::Kind k)
{
    switch (k) {
    case ListenSpec::Kind::SyslogTcp: return "syslog-tcp";
    case ListenSpec::Kind::SyslogUdp: return "syslog-udp";
    case ListenSpec::Kind::JsonlTcp: return "jsonl-tcp";
    case ListenSpec::Kind::Bulk: return "bulk";
    case ListenSpec::Kind::Follow: return "follow";
    case ListenSpec::Kind::WindowsChannel: return "windows-channel";
    }
    return "?";
}

bool parseListenAddress(const QString& text, ListenSpec& spec, QString& error)
{
    const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
    bool ok = false;
    const uint port = colon >= 0 ? text.mid(colon + 1).toUInt(&ok) : 0;
    if (colon < 0 || !ok || port > 65535) {
        error = QStringLiteral("%1: expected ADDRESS:PORT, e.g. 127.0.0.1:5514").arg(text);
        return false;
    }
    QString host = text.left(colon);
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    spec.port = quint16(port);
    spec.address = host.isEmpty() ? QHostAddress(QHostAddress::LocalHost) : QHostAddress(host);
    if (spec.address.isNull()) {
        error = QStringLiteral("%1: %2 is not an IP address").arg(text, host);
        return false;
    }
    return true;
}

namespace {

QString endpoint(const QHostAddress& a, quint16 port)
{
    return (a.protocol() == QAbstractSocket::IPv6Protocol ? QLatin1Char('[') + a.toString() + QLatin1Char(']') : a.toString())
           + QLatin1Char(':') + QString::number(port);
}

constexpr qint64 kReadChunk = 256 * 1024; // per socket per turn: one busy sender does not starve the others

} // namespace

struct LiveService::TcpFeed {
    QTcpSocket* socket = nullptr;
    ListenSpec::Kind kind = ListenSpec::Kind::SyslogTcp;
    int feed = -1;
    model::syslog::Deframer deframer;
    model::MessageDecoder decoder;
    int64_t messages = 0;
    explicit TcpFeed(size_t max) : deframer(max) {}
};

struct LiveService::UdpFeed {
    int feed = -1;
    model::MessageDecoder decoder;
    int64_t messages = 0;
    std::map<std::string, int64_t> lastRecord; ///< host + channel -> last record id: gaps are lost datagrams
};

struct LiveService::ChannelFeed {
    std::unique_ptr<WindowsChannelSubscription> subscription;
    int serial = 0;
    int feed = -1;
    model::MessageDecoder decoder;
    int64_t messages = 0;
    // Filled on the event log's thread, drained on the service's.
    std::mutex lock;
    std::vector<std::string> pending;
    std::vector<std::string> failures;
    bool posted = false;
    std::atomic_bool closing{false};
};

struct LiveService::Follower {
    ListenSpec spec;
    int feed = -1;
    QFile file;
    ino_t inode = 0;
    qint64 offset = 0;
    std::string pending;       ///< bytes after the last complete message
    bool xml = false;          ///< decided by the file's first non-blank byte
    bool decided = false;
    int64_t messages = 0;
    model::MessageDecoder decoder;
};

LiveService::LiveService(model::LiveSession& session, size_t maxMessageBytes, QObject* parent)
    : QObject(parent), m_session(session), m_maxMessage(maxMessageBytes)
{
}

LiveService::~LiveService() { close(); }

bool LiveService::listen(const ListenSpec& spec, QString& error)
{
    const QString where = endpoint(spec.address, spec.port);
    switch (spec.kind) {
    case ListenSpec::Kind::SyslogTcp:
    case ListenSpec::Kind::JsonlTcp: {
        QTcpServer* server = nullptr;
        if (spec.usesTls()) {
            QSslConfiguration tls;
            if (!loadServerTls(spec.tlsCertificate, spec.tlsKey, tls, error)) {
                error = QStringLiteral("%1 %2: %3").arg(QLatin1String(listenKindName(spec.kind)), where, error);
                return false;
            }
            // TLS 1.2 for the stream listeners: a TLS 1.3 server sends session tickets after the handshake, which
            // a sender that only writes never reads; its kernel then closes with a reset, and a reset throws away
            // what this side had received and not yet read (seen: a fifth of a 150-message burst). Qt gives no way
            // to send no tickets. The bulk endpoint, whose clients read every answer, keeps TLS 1.3.
            tls.setProtocol(QSsl::TlsV1_2);
            auto* tlsServer = new TlsServer(tls, this);
            connect(tlsServer, &TlsServer::handshakeFailed, this, [this, tlsServer, spec](QTcpSocket* socket, const QString& reason) {
                refuseHandshake(spec, tlsServer, socket, reason);
            });
            server = tlsServer;
        } else {
            server = new QTcpServer(this);
        }
        // Connections wait in the kernel's backlog while the session holds the feeds back.
        server->setMaxPendingConnections(1024);
        if (!server->listen(spec.address, spec.port)) {
            error = QStringLiteral("%1 %2: %3").arg(QLatin1String(listenKindName(spec.kind)), where, server->errorString());
            delete server;
            return false;
        }
        // A TLS connection is pending once its handshake is done, not when it is accepted.
        connect(server, &QTcpServer::pendingConnectionAvailable, this, [this, server, spec] { acceptTcp(server, spec); });
        m_listeners.emplace_back(spec, server);
        return true;
    }
    case ListenSpec::Kind::SyslogUdp: {
        auto* socket = new QUdpSocket(this);
        if (!socket->bind(spec.address, spec.port)) {
            error = QStringLiteral("syslog-udp %1: %2").arg(where, socket->errorString());
            delete socket;
            return false;
        }
        // A large receive buffer rides out bursts while the writer commits.
        socket->setSocketOption(QAbstractSocket::ReceiveBufferSizeSocketOption, 8 * 1024 * 1024);
        const QString listener = endpoint(spec.address, socket->localPort());
        connect(socket, &QUdpSocket::readyRead, this, [this, socket, listener] { readUdp(socket, listener); });
        m_listeners.emplace_back(spec, socket);
        return true;
    }
    case ListenSpec::Kind::Bulk: {
        auto endpointObject = std::make_unique<BulkEndpoint>(m_session, spec.token, m_maxMessage * 64);
        QSslConfiguration tls;
        if (spec.usesTls()) {
            if (!loadServerTls(spec.tlsCertificate, spec.tlsKey, tls, error)) {
                error = QStringLiteral("bulk %1: %2").arg(where, error);
                return false;
            }
            endpointObject->useTls(tls);
        }
        if (!endpointObject->listen(spec.address, spec.port, error))
            return false;
        m_listeners.emplace_back(spec, nullptr); // the endpoint owns its server
        m_bulk.push_back(std::move(endpointObject));
        return true;
    }
    case ListenSpec::Kind::WindowsChannel: {
        auto c = std::make_unique<ChannelFeed>();
        static int serials = 0;
        c->serial = ++serials;
        ChannelFeed* raw = c.get();
        const std::string channel = (spec.path.isEmpty() ? QStringLiteral("Microsoft-Windows-Sysmon/Operational") : spec.path).toStdString();
        // Events come on the event log's thread: queued (bounded: the event log keeps what waits, so that thread is
        // held back rather than memory growing) and drained on this one.
        auto post = [this, raw] {
            if (!raw->posted) {
                raw->posted = true;
                // By serial number: the feed may be gone (listening stopped) when this runs.
                QMetaObject::invokeMethod(this, [this, serial = raw->serial] {
                    for (auto& channel : m_channels)
                        if (channel->serial == serial)
                            drainChannel(*channel);
                }, Qt::QueuedConnection);
            }
        };
        c->subscription = std::make_unique<WindowsChannelSubscription>(
            channel,
            [raw, post](std::string xml) {
                std::unique_lock hold(raw->lock);
                while (raw->pending.size() >= 8192 && !raw->closing) {
                    hold.unlock();
                    std::this_thread::sleep_for(std::chrono::milliseconds(2));
                    hold.lock();
                }
                raw->pending.push_back(std::move(xml));
                post();
            },
            [raw, post](std::string reason) {
                const std::lock_guard hold(raw->lock);
                raw->failures.push_back(std::move(reason));
                post();
            });
        std::string why;
        if (!c->subscription->start(false, why)) {
            error = QString::fromStdString(why);
            return false;
        }
        c->feed = m_session.openFeed("windows-channel", channel, {});
        m_channels.push_back(std::move(c));
        m_listeners.emplace_back(spec, nullptr);
        return true;
    }
    case ListenSpec::Kind::Follow: {
        auto f = std::make_unique<Follower>();
        f->spec = spec;
        f->feed = m_session.openFeed("follow", QFileInfo(spec.path).absoluteFilePath().toStdString(), {});
        m_followers.push_back(std::move(f));
        if (!m_followTimer) {
            m_followTimer = new QTimer(this);
            m_followTimer->setInterval(100);
            connect(m_followTimer, &QTimer::timeout, this, &LiveService::pollFollowers);
            m_followTimer->start();
        }
        m_listeners.emplace_back(spec, nullptr);
        pollFollowers();
        return true;
    }
    }
    return false;
}

QStringList LiveService::describe() const
{
    QStringList out;
    for (const auto& [spec, object] : m_listeners) {
        QString where = spec.path;
        if (auto* server = qobject_cast<QTcpServer*>(object))
            where = endpoint(server->serverAddress(), server->serverPort());
        else if (auto* socket = qobject_cast<QUdpSocket*>(object))
            where = endpoint(socket->localAddress(), socket->localPort());
        else if (spec.kind == ListenSpec::Kind::Bulk)
            where = endpoint(spec.address, boundPort(ListenSpec::Kind::Bulk));
        out << QLatin1String(listenKindName(spec.kind)) + QLatin1Char(' ') + where
                   + (spec.usesTls() ? QStringLiteral(" (TLS)") : QString());
    }
    return out;
}

quint16 LiveService::boundPort(ListenSpec::Kind kind) const
{
    for (const auto& [spec, object] : m_listeners) {
        if (spec.kind != kind)
            continue;
        if (auto* server = qobject_cast<QTcpServer*>(object))
            return server->serverPort();
        if (auto* socket = qobject_cast<QUdpSocket*>(object))
            return socket->localPort();
        if (kind == ListenSpec::Kind::Bulk && !m_bulk.empty())
            return m_bulk.front()->port();
    }
    return 0;
}

void LiveService::close()
{
    for (auto& [socket, feed] : m_tcp) {
        feed->socket->disconnect(this);
        readTcp(*feed);
        endTcp(*feed);
        feed->socket->abort();
    }
    m_tcp.clear();
    for (auto& [key, feed] : m_udp)
        m_session.closeFeed(feed->feed);
    m_udp.clear();
    for (auto& c : m_channels) {
        c->closing = true;
        c->subscription->stop(); // no more callbacks
        drainChannel(*c);
        m_session.closeFeed(c->feed);
    }
    m_channels.clear();
    pollFollowers(); // what was appended last
    for (auto& f : m_followers)
        m_session.closeFeed(f->feed);
    m_followers.clear();
    m_bulk.clear();
    for (auto& [spec, object] : m_listeners)
        delete object;
    m_listeners.clear();
}

namespace {
/// The protocol a sender's input row names: TLS is part of it.
std::string feedProtocol(const ListenSpec& spec)
{
    std::string name = listenKindName(spec.kind);
    if (const size_t tcp = name.find("-tcp"); spec.usesTls() && tcp != std::string::npos)
        name.replace(tcp, 4, "-tls");
    return name;
}
} // namespace

void LiveService::refuseHandshake(const ListenSpec& spec, QTcpServer* server, QTcpSocket* socket, const QString& reason)
{
    const int feed = m_session.openFeed(feedProtocol(spec), endpoint(server->serverAddress(), server->serverPort()).toStdString(),
                                        endpoint(socket->peerAddress(), socket->peerPort()).toStdString());
    m_session.reject(feed, 0, "TLS: " + reason.toStdString(), {});
    m_session.closeFeed(feed);
}

void LiveService::acceptTcp(QTcpServer* server, const ListenSpec& spec)
{
    const ListenSpec::Kind kind = spec.kind;
    while (QTcpSocket* socket = server->nextPendingConnection()) {
        auto f = std::make_unique<TcpFeed>(m_maxMessage);
        f->socket = socket;
        f->kind = kind;
        f->feed = m_session.openFeed(feedProtocol(spec), endpoint(server->serverAddress(), server->serverPort()).toStdString(),
                                     endpoint(socket->peerAddress(), socket->peerPort()).toStdString());
        // Bounded: Qt reads no further than this ahead of the decoder, the kernel's window does the rest.
        socket->setReadBufferSize(4 * kReadChunk);
        TcpFeed* raw = f.get();
        connect(socket, &QTcpSocket::readyRead, this, [this, raw] { readTcp(*raw); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            auto it = m_tcp.find(socket);
            if (it == m_tcp.end())
                return;
            readTcp(*it->second); // what arrived with the FIN
            endTcp(*it->second);
            socket->deleteLater();
            m_tcp.erase(it);
        });
        m_tcp.emplace(socket, std::move(f));
        if (socket->bytesAvailable())
            readTcp(*raw);
    }
}

void LiveService::endTcp(TcpFeed& f)
{
    f.deframer.finish(
        [&](std::string_view m) {
            std::vector<Event> batch;
            decodeInto(f.feed, f.decoder, m, ++f.messages, f.kind == ListenSpec::Kind::SyslogTcp, batch);
            const int64_t decoded = int64_t(batch.size());
            m_session.submit(f.feed, std::move(batch), decoded, m);
        },
        [&](int64_t offset, std::string reason) { m_session.reject(f.feed, offset, "byte " + std::to_string(offset) + ": " + reason); });
    m_session.closeFeed(f.feed);
}

void LiveService::decodeInto(int feed, model::MessageDecoder& decoder, std::string_view message, int64_t position,
                             bool syslog, std::vector<Event>& batch)
{
    const std::string_view body = syslog ? model::syslog::parse(message).body : message;
    Event e;
    std::string reason;
    if (decoder.decode(body, position, e, reason)) {
        m_session.setLayout(feed, decoder.layout());
        batch.push_back(std::move(e));
    } else {
        m_session.reject(feed, position, "message " + std::to_string(position) + ": " + reason, {});
    }
}

void LiveService::readTcp(TcpFeed& f)
{
    QByteArray chunk;
    while (f.socket->bytesAvailable() > 0) {
        chunk = f.socket->read(kReadChunk);
        if (chunk.isEmpty())
            break;
        std::vector<Event> batch;
        int64_t messages = 0;
        const bool syslog = f.kind == ListenSpec::Kind::SyslogTcp;
        const bool framed = f.deframer.feed(
            std::string_view(chunk.constData(), size_t(chunk.size())),
            [&](std::string_view m) {
                ++messages;
                decodeInto(f.feed, f.decoder, m, ++f.messages, syslog, batch);
            },
            [&](int64_t offset, std::string reason) { m_session.reject(f.feed, offset, "byte " + std::to_string(offset) + ": " + reason); });
        const int64_t decoded = int64_t(batch.size());
        m_session.submit(f.feed, std::move(batch), decoded, std::string_view(chunk.constData(), size_t(chunk.size())));
        if (!framed) { // no way to find the next message: the sender must reconnect
            f.socket->abort();
            return;
        }
    }
}

void LiveService::readUdp(QUdpSocket* socket, const QString& listener)
{
    while (socket->hasPendingDatagrams()) {
        QHostAddress from;
        quint16 port = 0;
        QByteArray datagram(int(std::max<qint64>(socket->pendingDatagramSize(), 0)), Qt::Uninitialized);
        const qint64 n = socket->readDatagram(datagram.data(), datagram.size(), &from, &port);
        if (n < 0)
            break;
        datagram.resize(n);
        // One feed per sending address: a source port changes with every logger run.
        const QString key = listener + QLatin1Char('|') + from.toString();
        auto& feed = m_udp[key];
        if (!feed) {
            feed = std::make_unique<UdpFeed>();
            feed->feed = m_session.openFeed("syslog-udp", listener.toStdString(), from.toString().toStdString());
        }
        const std::string_view message(datagram.constData(), size_t(datagram.size()));
        std::vector<Event> batch;
        decodeInto(feed->feed, feed->decoder, message, ++feed->messages, true, batch);
        // A record id that skips ahead on the same host and channel is a datagram that never came.
        for (const Event& e : batch) {
            if (e.recordId == model::kNoValue)
                continue;
            int64_t& last = feed->lastRecord[e.host + '\n' + e.channel];
            if (last > 0 && e.recordId > last + 1 && e.recordId - last < 1'000'000)
                m_session.noteLost(feed->feed, e.recordId - last - 1);
            last = std::max(last, e.recordId);
        }
        const int64_t decoded = int64_t(batch.size());
        m_session.submit(feed->feed, std::move(batch), decoded, message);
    }
}

void LiveService::drainChannel(ChannelFeed& c)
{
    std::vector<std::string> events, failures;
    {
        const std::lock_guard hold(c.lock);
        events.swap(c.pending);
        failures.swap(c.failures);
        c.posted = false;
    }
    for (const std::string& reason : failures)
        m_session.reject(c.feed, c.messages, reason, {});
    std::vector<Event> batch;
    std::string bytes;
    for (const std::string& xml : events) {
        decodeInto(c.feed, c.decoder, xml, ++c.messages, false, batch);
        bytes += xml;
    }
    if (!events.empty()) {
        const int64_t decoded = int64_t(batch.size());
        m_session.submit(c.feed, std::move(batch), decoded, bytes);
    }
}

void LiveService::pollFollowers()
{
    for (auto& fp : m_followers) {
        Follower& f = *fp;
        struct stat st {};
        const QByteArray path = QFile::encodeName(f.spec.path);
        const bool exists = ::stat(path.constData(), &st) == 0;
        // Rotation: a new file under the name (rename) or a shorter one (truncation) starts from its beginning,
        // after the rest of the old one has been read.
        const bool rotated = exists && f.file.isOpen() && (st.st_ino != f.inode || st.st_size < f.offset);
        auto drain = [&] {
            for (;;) {
                const QByteArray data = f.file.read(kReadChunk);
                if (data.isEmpty())
                    break;
                f.offset += data.size();
                f.pending.append(data.constData(), size_t(data.size()));
                if (!f.decided) {
                    const size_t first = f.pending.find_first_not_of(" \t\r\n");
                    if (first == std::string::npos)
                        continue;
                    f.xml = f.pending[first] == '<';
                    f.decided = true;
                }
                std::vector<Event> batch;
                size_t consumed = 0;
                for (;;) {
                    size_t begin = consumed, end = 0;
                    if (f.xml) { // whole <Event ...>...</Event> elements, however the lines fall
                        begin = f.pending.find("<Event", consumed);
                        const size_t close = begin == std::string::npos ? begin : f.pending.find("</Event>", begin);
                        if (close == std::string::npos)
                            break;
                        end = close + 8;
                    } else {
                        const size_t lf = f.pending.find('\n', consumed);
                        if (lf == std::string::npos)
                            break;
                        end = lf + 1;
                    }
                    const std::string_view message = std::string_view(f.pending).substr(begin, end - begin);
                    if (message.find_first_not_of(" \t\r\n") != std::string_view::npos)
                        decodeInto(f.feed, f.decoder, message, ++f.messages, false, batch);
                    consumed = end;
                }
                const int64_t decoded = int64_t(batch.size());
                m_session.submit(f.feed, std::move(batch), decoded, std::string_view(data.constData(), size_t(data.size())));
                f.pending.erase(0, consumed);
                if (f.pending.size() > m_maxMessage) {
                    m_session.reject(f.feed, f.offset, "a message longer than the limit of " + std::to_string(m_maxMessage) + " bytes");
                    f.pending.clear();
                }
            }
        };
        if (f.file.isOpen())
            drain();
        if (rotated || (!exists && f.file.isOpen())) {
            f.file.close();
            f.pending.clear();
        }
        if (exists && !f.file.isOpen()) {
            f.file.setFileName(f.spec.path);
            if (f.file.open(QIODevice::ReadOnly)) {
                f.inode = st.st_ino;
                f.offset = 0;
                drain();
            }
        }
    }
}

} // namespace dscope::app
