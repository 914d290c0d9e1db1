// SPDX-License-Identifier: MIT
#pragma once

#include "live/livesession.h"

#include <QHostAddress>
#include <QObject>
#include <QSslConfiguration>

#include <map>
#include <memory>

class QHttpServer;
class QHttpServerRequest;
class QHttpServerResponder;

namespace dscope::app {

/**
 * An Elasticsearch-compatible endpoint, enough for an unmodified Winlogbeat or any Elasticsearch client to send to
 * the workbench: `GET /` (a version), `GET /_license`, the template and policy calls a Beats client makes before it
 * sends (answered so that it goes on), and `POST /_bulk` (also `/{index}/_bulk`). A bulk request is answered only
 * once its events are committed, with one result per item as Elasticsearch gives them: 201 for a stored event,
 * 400 for a document that is no event (not retried), 429 for all when the case cannot be written (retried).
 * Every answer carries `X-Elastic-Product: Elasticsearch`, which the official clients check.
 */
class BulkEndpoint : public QObject
{
    Q_OBJECT
public:
    BulkEndpoint(model::LiveSession& session, QString token, size_t maxRequestBytes, QObject* parent = nullptr);
    /// Ends the feeds of its clients.
    ~BulkEndpoint() override;

    /// HTTPS instead of HTTP, with this server identity; before listen().
    void useTls(const QSslConfiguration& tls) { m_tls = tls; m_usesTls = true; }
    bool listen(const QHostAddress& address, quint16 port, QString& error);
    quint16 port() const { return m_port; }

private:
    void handle(const QHttpServerRequest& request, QHttpServerResponder&& responder);
    void bulk(const QHttpServerRequest& request, std::shared_ptr<QHttpServerResponder> responder);
    int feedFor(const QHostAddress& peer);

    model::LiveSession& m_session;
    QString m_token;
    size_t m_maxRequest;
    std::unique_ptr<QHttpServer> m_server;
    quint16 m_port = 0;
    QString m_listener;
    std::map<QString, int> m_feeds; ///< by peer address
    std::map<int, int64_t> m_positions;
    QSslConfiguration m_tls;
    bool m_usesTls = false;
    qint64 m_nextId = 0; ///< the _id of each stored document in the answers
};

} // namespace dscope::app
