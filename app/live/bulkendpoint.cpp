// SPDX-License-Identifier: MIT
#include "bulkendpoint.h"

#include "ingest/gunzip.h"
#include "ingest/messagedecoder.h"

#include <QHash>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QUuid>

namespace dscope::app {

namespace {

using Status = QHttpServerResponder::StatusCode;

const QByteArray kJson = QByteArrayLiteral("application/json");

void reply(QHttpServerResponder& r, const QJsonObject& body, Status status = Status::Ok)
{
    r.write(QJsonDocument(body).toJson(QJsonDocument::Compact),
            {{QByteArrayLiteral("Content-Type"), kJson}, {QByteArrayLiteral("X-Elastic-Product"), QByteArrayLiteral("Elasticsearch")}},
            status);
}

QJsonObject errorBody(const QString& type, const QString& reason, int status)
{
    return {{QStringLiteral("error"), QJsonObject{{QStringLiteral("type"), type}, {QStringLiteral("reason"), reason}}},
            {QStringLiteral("status"), status}};
}

/// One action of a bulk body: its verb, the index it names, and its document (empty for delete).
struct Item {
    QString action;
    QString index;
    std::string_view document;
    bool decoded = false;
    QString error;
};

} // namespace

BulkEndpoint::BulkEndpoint(model::LiveSession& session, QString token, size_t maxRequestBytes, QObject* parent)
    : QObject(parent), m_session(session), m_token(std::move(token)), m_maxRequest(maxRequestBytes)
{
}

BulkEndpoint::~BulkEndpoint()
{
    m_server.reset(); // no more requests
    for (const auto& [peer, feed] : m_feeds)
        m_session.closeFeed(feed);
}

bool BulkEndpoint::listen(const QHostAddress& address, quint16 port, QString& error)
{
    m_server = std::make_unique<QHttpServer>();
    m_server->setMissingHandler([this](const QHttpServerRequest& request, QHttpServerResponder&& responder) {
        handle(request, std::move(responder));
    });
    if (m_usesTls)
        m_server->sslSetup(m_tls);
    m_port = m_server->listen(address, port);
    if (m_port == 0) {
        error = QStringLiteral("bulk %1:%2: cannot listen there (in use, or not an address of this machine)")
                    .arg(address.toString())
                    .arg(port);
        m_server.reset();
        return false;
    }
    m_listener = address.toString() + QLatin1Char(':') + QString::number(m_port);
    return true;
}

int BulkEndpoint::feedFor(const QHostAddress& peer)
{
    auto [it, added] = m_feeds.try_emplace(peer.toString(), -1);
    if (added)
        it->second = m_session.openFeed(m_usesTls ? "bulk-tls" : "bulk", m_listener.toStdString(), peer.toString().toStdString());
    return it->second;
}

void BulkEndpoint::handle(const QHttpServerRequest& request, QHttpServerResponder&& responder)
{
    if (!m_token.isEmpty()) {
        const QByteArray auth = request.value(QByteArrayLiteral("Authorization"));
        if (auth != "Bearer " + m_token.toUtf8() && auth != "ApiKey " + m_token.toUtf8()) {
            reply(responder, errorBody(QStringLiteral("security_exception"), QStringLiteral("missing or wrong token"), 401),
                  Status::Unauthorized);
            return;
        }
    }
    const QString path = request.url().path();
    const auto method = request.method();
    // The Python client sends its bulk requests with PUT, Beats with POST.
    if ((method == QHttpServerRequest::Method::Post || method == QHttpServerRequest::Method::Put)
        && (path == QLatin1String("/_bulk") || path.endsWith(QLatin1String("/_bulk")))) {
        bulk(request, std::make_shared<QHttpServerResponder>(std::move(responder)));
        return;
    }
    if (method == QHttpServerRequest::Method::Get && (path == QLatin1String("/") || path.isEmpty())) {
        // What a client reads before it sends: a version it supports.
        reply(responder, {{QStringLiteral("name"), QStringLiteral("doppelscope")},
                          {QStringLiteral("cluster_name"), QStringLiteral("doppelscope")},
                          {QStringLiteral("cluster_uuid"), QStringLiteral("doppelscope-live")},
                          {QStringLiteral("version"), QJsonObject{{QStringLiteral("number"), QStringLiteral("8.11.0")},
                                                                  {QStringLiteral("build_flavor"), QStringLiteral("default")},
                                                                  {QStringLiteral("lucene_version"), QStringLiteral("9.8.0")},
                                                                  {QStringLiteral("minimum_wire_compatibility_version"), QStringLiteral("7.17.0")},
                                                                  {QStringLiteral("minimum_index_compatibility_version"), QStringLiteral("7.0.0")}}},
                          {QStringLiteral("tagline"), QStringLiteral("You Know, for Search")}});
        return;
    }
    if (path == QLatin1String("/_license")) {
        reply(responder, {{QStringLiteral("license"), QJsonObject{{QStringLiteral("status"), QStringLiteral("active")},
                                                                  {QStringLiteral("type"), QStringLiteral("basic")},
                                                                  {QStringLiteral("uid"), QStringLiteral("doppelscope")}}}});
        return;
    }
    // Templates, pipelines, policies, aliases: Beats ask and create them before sending. Nothing is stored; the
    // answers say that it exists, so the client goes on to send its events.
    if (method == QHttpServerRequest::Method::Head || method == QHttpServerRequest::Method::Get) {
        reply(responder, {});
        return;
    }
    if (method == QHttpServerRequest::Method::Put || method == QHttpServerRequest::Method::Post) {
        reply(responder, {{QStringLiteral("acknowledged"), true}});
        return;
    }
    reply(responder, errorBody(QStringLiteral("illegal_argument_exception"), QStringLiteral("not supported: ") + path, 400),
          Status::BadRequest);
}

void BulkEndpoint::bulk(const QHttpServerRequest& request, std::shared_ptr<QHttpServerResponder> responder)
{
    const QByteArray received = request.body();
    if (size_t(received.size()) > m_maxRequest) {
        reply(*responder, errorBody(QStringLiteral("content_too_long_exception"),
                                    QStringLiteral("a request of %1 bytes is over the limit").arg(received.size()), 413),
              Status::PayloadTooLarge);
        return;
    }
    // Beats 8 compress their requests by default (compression_level 1), as do clients with http_compress.
    std::string inflated;
    const bool gzipped = request.value(QByteArrayLiteral("Content-Encoding")).trimmed().toLower() == "gzip";
    if (gzipped) {
        std::string why;
        if (!model::gunzip(std::string_view(received.constData(), size_t(received.size())), m_maxRequest, inflated, why)) {
            const bool tooLarge = why.find("more than") != std::string::npos;
            reply(*responder, errorBody(tooLarge ? QStringLiteral("content_too_long_exception") : QStringLiteral("parse_exception"),
                                        QStringLiteral("gzip body: ") + QString::fromStdString(why), tooLarge ? 413 : 400),
                  tooLarge ? Status::PayloadTooLarge : Status::BadRequest);
            return;
        }
    }
    const std::string_view body = gzipped ? std::string_view(inflated) : std::string_view(received.constData(), size_t(received.size()));
    const int feed = feedFor(request.remoteAddress());
    int64_t& position = m_positions[feed];
    // NDJSON: an action line, then (but for delete) a document line.
    const std::string_view text = body;
    std::vector<Item> items;
    size_t at = 0;
    auto nextLine = [&](std::string_view& line) {
        while (at < text.size()) {
            const size_t lf = text.find('\n', at);
            line = text.substr(at, (lf == std::string_view::npos ? text.size() : lf) - at);
            at = lf == std::string_view::npos ? text.size() : lf + 1;
            if (line.find_first_not_of(" \t\r") != std::string_view::npos)
                return true;
        }
        return false;
    };
    std::string_view line;
    while (nextLine(line)) {
        Item item;
        // {"create":{"_index":"x",...}}: the verb is the first key. Read with plain string searches (a JSON parser
        // per line cost a fifth of the endpoint's time); names that need JSON escapes are not index names.
        const auto quoted = [&](size_t from, std::string_view& out) {
            const size_t open = line.find('"', from);
            const size_t close = open == std::string_view::npos ? open : line.find('"', open + 1);
            if (close == std::string_view::npos)
                return std::string_view::npos;
            out = line.substr(open + 1, close - open - 1);
            return close + 1;
        };
        std::string_view verb, index;
        const size_t afterVerb = line.starts_with('{') ? quoted(1, verb) : std::string_view::npos;
        if (afterVerb == std::string_view::npos) {
            item.action = QStringLiteral("index");
            item.error = QStringLiteral("the action line is not a JSON object");
        } else {
            item.action = QString::fromUtf8(verb.data(), qsizetype(verb.size()));
            const size_t key = line.find("\"_index\"", afterVerb);
            const size_t colon = key == std::string_view::npos ? key : line.find(':', key + 8);
            if (colon != std::string_view::npos && quoted(colon, index) != std::string_view::npos)
                item.index = QString::fromUtf8(index.data(), qsizetype(index.size()));
        }
        if (item.action != QLatin1String("delete") && !nextLine(item.document))
            item.error = QStringLiteral("an action without its document");
        if (item.error.isEmpty() && item.action != QLatin1String("index") && item.action != QLatin1String("create"))
            item.error = QStringLiteral("only index and create are supported, not ") + item.action;
        items.push_back(std::move(item));
    }
    model::MessageDecoder decoder;
    std::vector<model::Event> events;
    for (Item& item : items) {
        if (!item.error.isEmpty())
            continue;
        model::Event e;
        std::string reason;
        ++position;
        if (decoder.decode(item.document, position, e, reason)) {
            item.decoded = true;
            m_session.setLayout(feed, decoder.layout());
            events.push_back(std::move(e));
        } else {
            item.error = QString::fromStdString(reason);
            m_session.reject(feed, position, "document " + std::to_string(position) + ": " + reason, {});
        }
    }
    // The answer is written on this thread once the writer has committed (or failed to).
    QPointer<BulkEndpoint> self(this);
    auto answer = [self, responder, items = std::move(items)](bool stored) {
        QMetaObject::invokeMethod(self, [self, responder, items, stored] {
            // Written as text: a QJsonArray of thousands of items cost more than storing them.
            QByteArray body;
            body.reserve(qsizetype(items.size()) * 96 + 64);
            bool errors = false;
            QByteArray results;
            // Names from the request, as JSON strings (escaped once per distinct name: they repeat).
            QHash<QString, QByteArray> quotedNames;
            auto quoted = [&](const QString& name) -> const QByteArray& {
                auto it = quotedNames.find(name);
                if (it == quotedNames.end()) {
                    const QByteArray a = QJsonDocument(QJsonArray{name}).toJson(QJsonDocument::Compact);
                    it = quotedNames.insert(name, a.mid(1, a.size() - 2));
                }
                return *it;
            };
            for (const Item& item : items) {
                results += (results.isEmpty() ? "{" : ",{") + quoted(item.action) + ":{\"_index\":"
                           + quoted(item.index.isEmpty() ? QStringLiteral("doppelscope") : item.index) + ",\"_id\":\""
                           + QByteArray::number(++self->m_nextId) + "\",";
                if (item.decoded && stored) {
                    results += "\"status\":201,\"result\":\"created\"}}";
                } else if (item.decoded) { // the case could not take it: the client retries later
                    errors = true;
                    results += "\"status\":429,\"error\":{\"type\":\"es_rejected_execution_exception\",\"reason\":\"the case cannot be written\"}}}";
                } else {
                    errors = true;
                    const QByteArray reason = QJsonDocument(QJsonArray{item.error}).toJson(QJsonDocument::Compact);
                    results += "\"status\":400,\"error\":{\"type\":\"document_parsing_exception\",\"reason\":"
                               + reason.mid(1, reason.size() - 2) + "}}}";
                }
            }
            body = "{\"took\":1,\"errors\":" + QByteArray(errors ? "true" : "false") + ",\"items\":[" + results + "]}";
            responder->write(body, {{QByteArrayLiteral("Content-Type"), kJson},
                                    {QByteArrayLiteral("X-Elastic-Product"), QByteArrayLiteral("Elasticsearch")}});
        }, Qt::QueuedConnection);
    };
    const int64_t decoded = int64_t(events.size());
    m_session.submit(feed, std::move(events), decoded, text, std::move(answer));
}

} // namespace dscope::app
