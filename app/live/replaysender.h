// SPDX-License-Identifier: MIT
#pragma once

#include "liveservice.h"

#include <QByteArray>
#include <QNetworkAccessManager>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QUdpSocket>

#include <chrono>
#include <optional>
#include <string>

namespace dscope::app {

/// The framings a live feed is replayed in: what the listeners of the same names take.
enum class ReplayTarget { SyslogTcp, SyslogUdp, JsonlTcp, Bulk };

/**
 * Sends events, one at a time, as a live sender would: RFC 5424 syslog with octet-counting framing (TCP) or one
 * datagram each (UDP), JSON lines, or Elasticsearch bulk requests of 500 items. Blocking (a worker's or a command's
 * thread): it keeps at most 4 MiB unsent, so a receiver that holds back holds the sender back too. Paced to a rate
 * when one is given. Used by `doppelscope replay` and by the workbench's live demonstration.
 */
class ReplaySender
{
public:
    ReplaySender(ReplayTarget target, const ListenSpec& to, double rate, std::optional<QSslConfiguration> tls);

    bool connect(QString& error);
    /// One event: its original XML or JSON text (XML goes over JSON lines inside OpenWEC's RawJson envelope).
    bool send(const std::string& raw, bool xml, QString& error);
    /// Sends what is batched and closes the connection once everything is written.
    bool finish(QString& error);

    int64_t sent() const { return m_sent; }
    int64_t refused() const { return m_refused; }
    /// Bulk: items the receiver answered as stored; -1 for the stream targets, which have no answers.
    int64_t acknowledged() const { return m_target == ReplayTarget::Bulk ? m_acknowledged : -1; }

private:
    static QByteArray jsonLine(const std::string& raw, bool xml);
    bool write(const QByteArray& bytes, QString& error);
    bool flushBulk(QString& error);
    void pace();

    ReplayTarget m_target;
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

} // namespace dscope::app
