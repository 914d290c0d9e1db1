// SPDX-License-Identifier: MIT
#pragma once

#include <QSslConfiguration>
#include <QTcpServer>

class QSslSocket;

namespace dscope::app {

/**
 * A TCP server whose connections are TLS: a connection becomes pending once its handshake is done, and one whose
 * handshake fails or does not finish in time is reported and closed. (Qt 6.4's QSslServer reports nothing for a
 * client that speaks clear text to it, and such a sender must be counted and shown.)
 */
class TlsServer : public QTcpServer
{
    Q_OBJECT
public:
    explicit TlsServer(QSslConfiguration tls, QObject* parent = nullptr, int handshakeTimeoutMs = 10000);

Q_SIGNALS:
    /// The socket is closed after this and deleted later; its peer address is still readable.
    void handshakeFailed(QTcpSocket* socket, const QString& reason);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    void fail(QSslSocket* socket, const QString& reason);

    QSslConfiguration m_tls;
    int m_timeoutMs;
};

} // namespace dscope::app
