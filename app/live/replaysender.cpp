// SPDX-License-Identifier: MIT
#include "replaysender.h"

#include <QDateTime>
#include <QEventLoop>
#include <QHostInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkReply>

#include <thread>

namespace dscope::app {

ReplaySender::ReplaySender(ReplayTarget target, const ListenSpec& to, double rate, std::optional<QSslConfiguration> tls)
    : m_target(target), m_to(to), m_rate(rate), m_tls(std::move(tls))
{
    m_start = std::chrono::steady_clock::now();
    m_host = QHostInfo::localHostName().toUtf8();
}

bool ReplaySender::connect(QString& error)
{
    if (m_target == ReplayTarget::SyslogTcp || m_target == ReplayTarget::JsonlTcp) {
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

bool ReplaySender::send(const std::string& raw, bool xml, QString& error)
{
    pace();
    switch (m_target) {
    case ReplayTarget::SyslogTcp:
    case ReplayTarget::SyslogUdp: {
        // RFC 5424, as Sysmon for Linux through rsyslog sends it: user.info, app "sysmon".
        QByteArray message = "<14>1 " + QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toUtf8() + ' '
                             + m_host + " sysmon - - - " + QByteArray::fromStdString(raw);
        if (m_target == ReplayTarget::SyslogUdp) {
            if (m_udp.writeDatagram(message, m_to.address, m_to.port) < 0) {
                error = m_udp.errorString();
                return false;
            }
        } else if (!write(QByteArray::number(message.size()) + ' ' + message, error)) {
            return false;
        }
        break;
    }
    case ReplayTarget::JsonlTcp:
        if (!write(jsonLine(raw, xml) + '\n', error))
            return false;
        break;
    case ReplayTarget::Bulk:
        m_bulk += "{\"create\":{\"_index\":\"doppelscope-replay\"}}\n" + jsonLine(raw, xml) + '\n';
        if (++m_bulkItems >= 500 && !flushBulk(error))
            return false;
        break;
    }
    ++m_sent;
    return true;
}

bool ReplaySender::finish(QString& error)
{
    if (m_target == ReplayTarget::Bulk && m_bulkItems > 0 && !flushBulk(error))
        return false;
    if (m_tcp.state() == QAbstractSocket::ConnectedState) {
        m_tcp.disconnectFromHost();
        if (m_tcp.state() != QAbstractSocket::UnconnectedState)
            m_tcp.waitForDisconnected(10000);
    }
    return true;
}

QByteArray ReplaySender::jsonLine(const std::string& raw, bool xml)
{
    if (xml)
        return QJsonDocument(QJsonObject{{QStringLiteral("meta"), QJsonObject{{QStringLiteral("Source"), QStringLiteral("doppelscope replay")}}},
                                         {QStringLiteral("data"), QString::fromStdString(raw)}})
            .toJson(QJsonDocument::Compact);
    if (raw.find('\n') == std::string::npos)
        return QByteArray::fromStdString(raw);
    return QJsonDocument::fromJson(QByteArray::fromStdString(raw)).toJson(QJsonDocument::Compact);
}

bool ReplaySender::write(const QByteArray& bytes, QString& error)
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

bool ReplaySender::flushBulk(QString& error)
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

void ReplaySender::pace()
{
    if (m_rate <= 0)
        return;
    const auto due = m_start + std::chrono::microseconds(int64_t(double(m_sent) * 1e6 / m_rate));
    std::this_thread::sleep_until(due);
}

} // namespace dscope::app
