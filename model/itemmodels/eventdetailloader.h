// SPDX-License-Identifier: MIT
#pragma once

#include "eventdetail.h"

#include <QObject>
#include <QThread>

#include <atomic>
#include <memory>

namespace dscope::model {

class Database;
class EventDetailWorker;

/// Loads one event's detail (fields and original text) on a worker thread with its own connection. The latest
/// request wins: answers to older requests are dropped, so clicking down a table never queues stale work.
class EventDetailLoader : public QObject
{
    Q_OBJECT
public:
    explicit EventDetailLoader(QObject* parent = nullptr);
    ~EventDetailLoader() override;

    bool openCase(const QString& path, QString* error = nullptr);
    void closeCase();
    void request(qint64 eventRowId);

Q_SIGNALS:
    void detailAvailable(const dscope::model::EventDetail& detail);

private:
    QThread m_thread;
    std::unique_ptr<EventDetailWorker> m_worker;
    std::shared_ptr<std::atomic<quint64>> m_latest;
    quint64 m_requests = 0;
};

/// The worker side; public only for moc.
class EventDetailWorker : public QObject
{
    Q_OBJECT
public:
    EventDetailWorker(std::unique_ptr<Database> db, std::shared_ptr<std::atomic<quint64>> latest);
    ~EventDetailWorker() override;
    void load(qint64 eventRowId, quint64 request);

Q_SIGNALS:
    void loaded(quint64 request, const dscope::model::EventDetail& detail);

private:
    std::unique_ptr<Database> m_db;
    std::shared_ptr<std::atomic<quint64>> m_latest;
};

} // namespace dscope::model

Q_DECLARE_METATYPE(dscope::model::EventDetail)
