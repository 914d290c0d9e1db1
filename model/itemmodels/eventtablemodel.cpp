// SPDX-License-Identifier: MIT
#include "eventtablemodel.h"

#include "plaintooltip.h"
#include "storage/database.h"
#include "storage/schema.h"

#include <QDateTime>

#include <algorithm>

namespace dscope::model {

EventTableModel::EventTableModel(QObject* parent)
    : QAbstractTableModel(parent)
    , m_shared(std::make_shared<EventLoadShared>())
{
    qRegisterMetaType<EventIdBatch>();
    qRegisterMetaType<EventRowChunkPtr>();
    m_idThread.setObjectName(QStringLiteral("event ids"));
    m_rowThread.setObjectName(QStringLiteral("event rows"));
}

EventTableModel::~EventTableModel() { closeCase(); }

bool EventTableModel::openCase(const QString& path, QString* error)
{
    closeCase();
    // The connections are opened here (a few file operations) and then used only by their worker thread.
    auto open = [&](std::unique_ptr<Database>& db) {
        db = std::make_unique<Database>();
        std::string message;
        if (!db->open(path.toStdString(), Database::Mode::ReadOnly)) {
            message = db->lastError();
        } else if (schema::prepareForReading(*db, message)) {
            return true;
        }
        if (error)
            *error = path + QLatin1String(": ") + QString::fromStdString(message);
        return false;
    };
    std::unique_ptr<Database> idDb, rowDb;
    if (!open(idDb) || !open(rowDb))
        return false;

    m_idWorker = std::make_unique<EventIdWorker>(std::move(idDb), m_shared);
    m_rowWorker = std::make_unique<EventRowWorker>(std::move(rowDb), m_shared);
    m_idWorker->moveToThread(&m_idThread);
    m_rowWorker->moveToThread(&m_rowThread);
    connect(m_idWorker.get(), &EventIdWorker::idsAvailable, this, &EventTableModel::onIdsAvailable);
    connect(m_idWorker.get(), &EventIdWorker::idsFinished, this, &EventTableModel::onIdsFinished);
    connect(m_rowWorker.get(), &EventRowWorker::chunkAvailable, this, &EventTableModel::onChunkAvailable);
    connect(m_rowWorker.get(), &EventRowWorker::chunkDropped, this, &EventTableModel::onChunkDropped);
    m_idThread.start();
    m_rowThread.start();
    restart();
    return true;
}

void EventTableModel::closeCase()
{
    if (!m_idWorker)
        return;
    m_shared->generation.store(++m_generation);
    m_idWorker->interrupt();
    m_idThread.quit();
    m_rowThread.quit();
    m_idThread.wait();
    m_rowThread.wait();
    // Both threads have stopped, so nothing can touch the workers any more.
    m_idWorker.reset();
    m_rowWorker.reset();
    beginResetModel();
    m_ids.clear();
    m_ids.shrink_to_fit();
    m_chunks.clear();
    m_pending.clear();
    m_loading = false;
    endResetModel();
}

void EventTableModel::reload()
{
    if (isOpen())
        restart();
}

void EventTableModel::setFilter(const EventFilter& filter)
{
    m_filter = filter;
    reload();
}

void EventTableModel::setUtc(bool utc)
{
    if (utc == m_utc)
        return;
    m_utc = utc;
    if (!m_ids.empty())
        Q_EMIT dataChanged(index(0, EventColTime), index(rowCount() - 1, EventColTime), {Qt::DisplayRole});
    Q_EMIT headerDataChanged(Qt::Horizontal, EventColTime, EventColTime);
}

void EventTableModel::sort(int column, Qt::SortOrder order)
{
    const EventSort sort{column, order == Qt::DescendingOrder};
    if (sort == m_sort)
        return;
    m_sort = sort;
    reload();
}

void EventTableModel::restart()
{
    m_shared->generation.store(++m_generation);
    // A query of the previous generation may be deep in a full scan: stop it rather than wait for it.
    m_idWorker->interrupt();
    beginResetModel();
    m_ids.clear();
    m_chunks.clear();
    m_pending.clear();
    endResetModel();
    m_loading = true;
    Q_EMIT loadingStarted();
    QMetaObject::invokeMethod(
        m_idWorker.get(),
        [w = m_idWorker.get(), f = m_filter, s = m_sort, g = m_generation] { w->run(f, s, g); },
        Qt::QueuedConnection);
}

void EventTableModel::onIdsAvailable(quint64 generation, const EventIdBatch& ids)
{
    Q_ASSERT(QThread::currentThread() == thread());
    if (generation != m_generation || ids->empty())
        return;
    const int first = int(m_ids.size());
    beginInsertRows({}, first, first + int(ids->size()) - 1);
    m_ids.insert(m_ids.end(), ids->begin(), ids->end());
    endInsertRows();
    // A chunk that was loaded while it was the (short) tail of the table is now incomplete: drop it.
    const int tailChunk = first / kChunkRows;
    if (auto it = m_chunks.find(tailChunk); it != m_chunks.end() && int((*it)->rows.size()) < kChunkRows)
        m_chunks.erase(it);
}

void EventTableModel::onIdsFinished(quint64 generation, qint64 total, double seconds, const QString& error)
{
    Q_ASSERT(QThread::currentThread() == thread());
    if (generation != m_generation)
        return;
    m_loading = false;
    Q_EMIT loadingFinished(total, seconds, error);
}

void EventTableModel::requestChunk(int chunk) const
{
    m_shared->focusChunk.store(chunk);
    if (m_pending.contains(chunk))
        return;
    const int first = chunk * kChunkRows;
    const int last = std::min<int>(first + kChunkRows, int(m_ids.size()));
    if (first >= last)
        return;
    m_pending.insert(chunk);
    std::vector<int64_t> ids(m_ids.begin() + first, m_ids.begin() + last);
    QMetaObject::invokeMethod(
        m_rowWorker.get(),
        [w = m_rowWorker.get(), g = m_generation, chunk, first, ids = std::move(ids)] { w->fetch(g, chunk, first, ids); },
        Qt::QueuedConnection);
}

void EventTableModel::onChunkAvailable(quint64 generation, int chunk, const EventRowChunkPtr& rows)
{
    Q_ASSERT(QThread::currentThread() == thread());
    if (generation != m_generation)
        return;
    m_pending.remove(chunk);
    if (rows->rows.empty())
        return;
    m_chunks.insert(chunk, rows);
    evict();
    const int first = rows->first;
    const int last = std::min(first + int(rows->rows.size()), rowCount()) - 1;
    if (last >= first) {
        Q_EMIT dataChanged(index(first, 0), index(last, EventColumnCount - 1));
        Q_EMIT rowsLoaded(first, last);
    }
}

void EventTableModel::onChunkDropped(quint64 generation, int chunk)
{
    if (generation != m_generation)
        return;
    m_pending.remove(chunk);
    // If a view still shows these rows it repaints and asks again; if not, nothing happens.
    const int first = chunk * kChunkRows;
    const int last = std::min(first + kChunkRows, rowCount()) - 1;
    if (last >= first)
        Q_EMIT dataChanged(index(first, 0), index(last, EventColumnCount - 1));
}

void EventTableModel::evict()
{
    // Keep the chunks nearest to where the view looks; memory stays bounded however far the user scrolls.
    while (m_chunks.size() > kMaxCachedChunks) {
        const int focus = m_shared->focusChunk.load();
        auto farthest = m_chunks.begin();
        for (auto it = m_chunks.begin(); it != m_chunks.end(); ++it)
            if (std::abs(it.key() - focus) > std::abs(farthest.key() - focus))
                farthest = it;
        m_chunks.erase(farthest);
    }
}

const EventRow* EventTableModel::rowAt(int row) const
{
    const int chunk = row / kChunkRows;
    const auto it = m_chunks.constFind(chunk);
    if (it != m_chunks.constEnd()) {
        const int offset = row - (*it)->first;
        if (offset >= 0 && offset < int((*it)->rows.size()))
            return &(*it)->rows[size_t(offset)];
    }
    requestChunk(chunk);
    return nullptr;
}

int EventTableModel::rowOfEvent(qint64 eventRowId) const
{
    // Linear: a few milliseconds on 5 M ids, and only on an explicit "go to event".
    const auto it = std::find(m_ids.begin(), m_ids.end(), eventRowId);
    return it == m_ids.end() ? -1 : int(it - m_ids.begin());
}

qint64 EventTableModel::eventRowIdAt(int row) const
{
    return row >= 0 && row < int(m_ids.size()) ? m_ids[size_t(row)] : 0;
}

int EventTableModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(m_ids.size()); }

int EventTableModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : EventColumnCount; }

QString EventTableModel::timeText(qint64 utcMs) const
{
    if (utcMs == kNoValue)
        return {};
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(utcMs, m_utc ? Qt::UTC : Qt::LocalTime);
    return t.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
}

void EventTableModel::setAnnotations(AnnotatedRefsPtr refs)
{
    m_annotations = std::move(refs);
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, 0), {AnnotationMarkRole});
}

QVariant EventTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    if (role == EventRowIdRole && !rowAt(index.row()))
        return qint64(m_ids[size_t(index.row())]); // known without the row contents
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole && role < EventRowIdRole)
        return {};
    const EventRow* r = rowAt(index.row());
    if (role == EventLoadedRole)
        return r != nullptr;
    if (!r)
        return role == Qt::DisplayRole && index.column() == EventColTime ? QVariant(QStringLiteral("\u2026")) : QVariant();
    switch (role) {
    case EventRowIdRole: return qint64(r->id);
    case EventUtcMsRole: return qint64(r->utcMs);
    case EventSubjectGuidRole: return r->subjectGuid;
    case EventTargetGuidRole: return r->targetGuid;
    case EventHostRole: return r->host;
    case EventIdRole: return qint64(r->eventId);
    case AnnotationMarkRole:
        return m_annotations ? m_annotations->flags(Annotation::Kind::Event, std::to_string(r->id)) : 0;
    default: break;
    }
    QString text;
    switch (index.column()) {
    case EventColTime: text = timeText(r->utcMs); break;
    case EventColHost: text = r->host; break;
    case EventColEventId: text = r->eventLabel; break;
    case EventColSubject: text = r->subject; break;
    case EventColTarget: text = r->target; break;
    case EventColSummary: text = r->summary; break;
    default: return {};
    }
    return role == Qt::ToolTipRole ? plainToolTip(text) : text;
}

QVariant EventTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case EventColTime: return m_utc ? tr("Time (UTC)") : tr("Time (local)");
    case EventColHost: return tr("Host");
    case EventColEventId: return tr("Event");
    case EventColSubject: return tr("Process");
    case EventColTarget: return tr("Target");
    case EventColSummary: return tr("Summary");
    default: return {};
    }
}

} // namespace dscope::model
