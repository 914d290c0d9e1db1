// SPDX-License-Identifier: MIT
#include "eventdetailloader.h"

#include "storage/database.h"
#include "storage/schema.h"

namespace dscope::model {

EventDetailLoader::EventDetailLoader(QObject* parent)
    : QObject(parent)
    , m_latest(std::make_shared<std::atomic<quint64>>(0))
{
    qRegisterMetaType<EventDetail>();
    m_thread.setObjectName(QStringLiteral("event detail"));
}

EventDetailLoader::~EventDetailLoader() { closeCase(); }

bool EventDetailLoader::openCase(const QString& path, QString* error)
{
    closeCase();
    auto db = std::make_unique<Database>();
    std::string message;
    const bool ok = db->open(path.toStdString(), Database::Mode::ReadOnly) ? schema::prepareForReading(*db, message)
                                                                           : (message = db->lastError(), false);
    if (!ok) {
        if (error)
            *error = path + QLatin1String(": ") + QString::fromStdString(message);
        return false;
    }
    m_worker = std::make_unique<EventDetailWorker>(std::move(db), m_latest);
    m_worker->moveToThread(&m_thread);
    connect(m_worker.get(), &EventDetailWorker::loaded, this, [this](quint64 request, const EventDetail& d) {
        if (request == m_latest->load())
            Q_EMIT detailAvailable(d);
    });
    m_thread.start();
    return true;
}

void EventDetailLoader::closeCase()
{
    if (!m_worker)
        return;
    m_latest->store(++m_requests);
    m_thread.quit();
    m_thread.wait();
    m_worker.reset();
}

void EventDetailLoader::request(qint64 eventRowId)
{
    if (!m_worker)
        return;
    const quint64 request = ++m_requests;
    m_latest->store(request);
    QMetaObject::invokeMethod(
        m_worker.get(), [w = m_worker.get(), eventRowId, request] { w->load(eventRowId, request); },
        Qt::QueuedConnection);
}

EventDetailWorker::EventDetailWorker(std::unique_ptr<Database> db, std::shared_ptr<std::atomic<quint64>> latest)
    : m_db(std::move(db))
    , m_latest(std::move(latest))
{
}

EventDetailWorker::~EventDetailWorker() = default;

void EventDetailWorker::load(qint64 eventRowId, quint64 request)
{
    if (request != m_latest->load())
        return;
    Q_EMIT loaded(request, loadEventDetail(*m_db, eventRowId));
}

} // namespace dscope::model
