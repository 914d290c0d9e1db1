// SPDX-License-Identifier: MIT
#include "timelineloader.h"

#include "storage/database.h"
#include "storage/schema.h"

#include <QThread>

namespace dscope::model {

TimelineLoader::TimelineLoader(QObject* parent)
    : QObject(parent)
{
    m_pool.setMaxThreadCount(1);
}

TimelineLoader::~TimelineLoader()
{
    ++m_generation;
    m_pool.waitForDone();
}

void TimelineLoader::load(const QString& casePath, std::optional<Alert> alert)
{
    start(casePath, std::move(alert), std::nullopt);
}

void TimelineLoader::load(const QString& casePath, const TimelineRequest& request)
{
    start(casePath, std::nullopt, request);
}

void TimelineLoader::start(const QString& casePath, std::optional<Alert> alert,
                           std::optional<TimelineRequest> request)
{
    Q_ASSERT(QThread::currentThread() == thread());
    const quint64 generation = ++m_generation;
    ++m_running;
    const std::string path = casePath.toStdString();
    m_pool.start([this, generation, path, alert = std::move(alert), request = std::move(request)]() {
        std::string error;
        TxfTimelinePtr timeline;
        Database db;
        if (!db.open(path, Database::Mode::ReadOnly)) {
            error = "cannot open " + path + ": " + db.lastError();
        } else if (schema::prepareForReading(db, error)) {
            TimelineRequest r = request ? *request : alert ? timelineRequestForAlert(*alert)
                                                           : timelineRequestForTxf(db, error);
            if (error.empty())
                timeline = buildTxfTimeline(db, r, error);
        } else {
            error = path + ": " + error;
        }
        // Queued to the loader's thread; the destructor waits for this job, so `this` is alive here.
        QMetaObject::invokeMethod(
            this,
            [this, generation, timeline, error]() {
                --m_running;
                if (generation != m_generation)
                    return;
                if (timeline)
                    emit timelineAvailable(timeline);
                else
                    emit loadFailed(QString::fromStdString(error));
            },
            Qt::QueuedConnection);
    });
}

} // namespace dscope::model
