// SPDX-License-Identifier: MIT
#include "tlsserver.h"

#include <QPointer>
#include <QSslSocket>
#include <QTimer>

namespace dscope::app {

TlsServer::TlsServer(QSslConfiguration tls, QObject* parent, int handshakeTimeoutMs)
    : QTcpServer(parent), m_tls(std::move(tls)), m_timeoutMs(handshakeTimeoutMs)
{
}

void TlsServer::incomingConnection(qintptr descriptor)
{
    auto* socket = new QSslSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    socket->setSslConfiguration(m_tls);
    connect(socket, &QSslSocket::encrypted, this, [this, socket] {
        socket->disconnect(this); // from here on the socket is the listener's, not the handshake's
        addPendingConnection(socket); // emits pendingConnectionAvailable
    });
    connect(socket, &QAbstractSocket::errorOccurred, this, [this, socket](QAbstractSocket::SocketError) {
        fail(socket, socket->errorString());
    });
    connect(socket, &QSslSocket::sslErrors, this, [this, socket](const QList<QSslError>& errors) {
        fail(socket, errors.isEmpty() ? QStringLiteral("TLS error") : errors.first().errorString());
    });
    // A sender that connects and never completes the handshake holds a descriptor and nothing more, then goes.
    QTimer::singleShot(m_timeoutMs, socket, [this, socket] {
        if (!socket->isEncrypted())
            fail(socket, QStringLiteral("no TLS handshake within %1 s").arg(m_timeoutMs / 1000));
    });
    socket->startServerEncryption();
}

void TlsServer::fail(QSslSocket* socket, const QString& reason)
{
    if (socket->property("dscopeFailed").toBool())
        return; // one report per connection, though OpenSSL and the socket may both speak
    socket->setProperty("dscopeFailed", true);
    socket->disconnect(this);
    Q_EMIT handshakeFailed(socket, reason);
    socket->abort();
    socket->deleteLater();
}

} // namespace dscope::app
