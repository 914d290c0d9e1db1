// SPDX-License-Identifier: MIT
#pragma once

#include "live/livesession.h"

#include <QHostAddress>
#include <QObject>
#include <QString>

#include <map>
#include <memory>

class QTcpServer;
class QTcpSocket;
class QTimer;
class QUdpSocket;

namespace dscope::model {
class MessageDecoder;
}

namespace dscope::app {

class BulkEndpoint;

/// One listener as the command line and File > Listen name it.
struct ListenSpec {
    enum class Kind { SyslogTcp, SyslogUdp, JsonlTcp, Bulk, Follow, WindowsChannel };
    Kind kind = Kind::SyslogTcp;
    QHostAddress address = QHostAddress::LocalHost;
    quint16 port = 0;
    QString path;   ///< Follow: the file; WindowsChannel: the channel (Windows builds only)
    QString token;  ///< Bulk: required as "Authorization: Bearer TOKEN" or "ApiKey TOKEN" when set
    /// TCP kinds and bulk: TLS with this certificate (chain) and private key, PEM files (RFC 5425 for syslog).
    QString tlsCertificate;
    QString tlsKey;
    bool usesTls() const { return !tlsCertificate.isEmpty(); }
};

const char* listenKindName(ListenSpec::Kind k);
/// "127.0.0.1:5514", "[::1]:5514", ":5514" (loopback) into spec.address and spec.port; false with error.
bool parseListenAddress(const QString& text, ListenSpec& spec, QString& error);

/**
 * The network side of live ingestion: syslog over TCP and UDP, JSON lines over TCP, an Elasticsearch-compatible
 * bulk endpoint and followed files, each sender its own feed of the LiveSession. Lives on one thread (its own
 * QThread in the workbench, the main thread on the command line): messages are framed, decoded and handed to the
 * session there. When the session's queue is full, handing over blocks and the sockets are not read, so senders
 * are slowed by TCP rather than memory growing.
 */
class LiveService : public QObject
{
    Q_OBJECT
public:
    explicit LiveService(model::LiveSession& session, size_t maxMessageBytes = size_t(1) << 20, QObject* parent = nullptr);
    ~LiveService() override;

    /// Starts one listener. False with error (the address in use, a file that cannot be followed...).
    bool listen(const ListenSpec& spec, QString& error);
    /// "syslog-tcp 127.0.0.1:5514": the listeners started, with the ports actually bound (port 0 picks one).
    QStringList describe() const;
    /// The port a listener of this kind got (the first of its kind), 0 when there is none.
    quint16 boundPort(ListenSpec::Kind kind) const;
    /// Stops accepting and closes every connection (their feeds end). The session is not stopped.
    void close();

private:
    struct TcpFeed;
    struct UdpFeed;
    struct Follower;
    struct ChannelFeed;
    /// Windows builds: the events the subscription handed over since the last drain, decoded and submitted here.
    void drainChannel(ChannelFeed& c);
    void acceptTcp(QTcpServer* server, const ListenSpec& spec);
    /// A sender whose TLS handshake failed: a feed of its own with the reason, so that it is counted and shown.
    void refuseHandshake(const ListenSpec& spec, QTcpServer* server, QTcpSocket* socket, const QString& reason);
    void readTcp(TcpFeed& f);
    /// The sender is gone (or listening stops): what it left unfinished is a message or a rejected frame.
    void endTcp(TcpFeed& f);
    void readUdp(QUdpSocket* socket, const QString& listener);
    void pollFollowers();
    /// Decodes one message of a feed and adds the event to `batch` (or rejects it with its position).
    void decodeInto(int feed, model::MessageDecoder& decoder, std::string_view message, int64_t position, bool syslog,
                    std::vector<model::Event>& batch);

    model::LiveSession& m_session;
    size_t m_maxMessage;
    std::vector<std::pair<ListenSpec, QObject*>> m_listeners;
    std::map<QObject*, std::unique_ptr<TcpFeed>> m_tcp;   ///< by socket
    std::map<QString, std::unique_ptr<UdpFeed>> m_udp;    ///< by listener + peer
    std::vector<std::unique_ptr<Follower>> m_followers;
    std::vector<std::unique_ptr<ChannelFeed>> m_channels;
    std::vector<std::unique_ptr<BulkEndpoint>> m_bulk;
    QTimer* m_followTimer = nullptr;
};

} // namespace dscope::app
