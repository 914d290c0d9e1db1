// SPDX-License-Identifier: MIT
#pragma once

#include "annotationmarks.h"

#include "eventloaders.h"
#include "eventquery.h"
#include "eventrow.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QSet>
#include <QThread>

#include <memory>
#include <vector>

namespace dscope::model {

/// Item roles shared by every model that shows events, so views pivot through any proxy without casting.
enum EventRoles {
    EventRowIdRole = Qt::UserRole + 1, ///< events.id (qint64), 0 while the row is not loaded
    EventUtcMsRole,                    ///< qint64
    EventSubjectGuidRole,              ///< QString
    EventTargetGuidRole,               ///< QString
    EventHostRole,                     ///< QString
    EventIdRole,                       ///< qint64 event id (4688, 10, ...)
    EventLoadedRole,                   ///< bool
};

/**
 * The whole case as a table, for millions of rows.
 *
 * The current filter and order are one SQL query whose ids are materialised in a vector (like Wireshark's
 * visible rows): rowCount() is the number of ids received so far, and the ids stream in from a worker thread in
 * a few large insertions. Row contents load lazily in chunks of kChunkRows on a second worker thread, each with
 * its own read-only connection, and are cached in a bounded map. Every reload bumps a generation; chunks and id
 * batches of an older generation are dropped. No query here ever uses LIMIT/OFFSET.
 */
class EventTableModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    static constexpr int kChunkRows = 256;
    static constexpr int kMaxCachedChunks = 256;

    explicit EventTableModel(QObject* parent = nullptr);
    ~EventTableModel() override;

    /// Opens read-only connections for the loaders and starts loading with the current filter.
    bool openCase(const QString& path, QString* error = nullptr);
    void closeCase();
    bool isOpen() const { return m_idWorker != nullptr; }
    /// Runs the current query again (after an import added events).
    void reload();

    void setFilter(const EventFilter& filter);
    const EventFilter& filter() const { return m_filter; }
    const EventSort& sortOrder() const { return m_sort; }
    /// UTC (default) or the machine's local time in the time column.
    void setUtc(bool utc);
    bool isUtc() const { return m_utc; }
    /// Which events carry a note, tags or a bookmark (AnnotationMarkRole).
    void setAnnotations(AnnotatedRefsPtr refs);

    bool isLoading() const { return m_loading; }
    /// Row showing this event in the current order, or -1 (not matched by the filter, or not loaded yet).
    int rowOfEvent(qint64 eventRowId) const;
    qint64 eventRowIdAt(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

Q_SIGNALS:
    void loadingStarted();
    /// All ids of the current query are in; `error` is empty on success.
    void loadingFinished(qint64 rows, double seconds, const QString& error);
    /// A chunk of row contents arrived (tests wait on this).
    void rowsLoaded(int first, int last);

private:
    void restart();
    void requestChunk(int chunk) const;
    void onIdsAvailable(quint64 generation, const EventIdBatch& ids);
    void onIdsFinished(quint64 generation, qint64 total, double seconds, const QString& error);
    void onChunkAvailable(quint64 generation, int chunk, const EventRowChunkPtr& rows);
    void onChunkDropped(quint64 generation, int chunk);
    void evict();
    const EventRow* rowAt(int row) const;
    QString timeText(qint64 utcMs) const;

    AnnotatedRefsPtr m_annotations;
    std::shared_ptr<EventLoadShared> m_shared;
    QThread m_idThread;
    QThread m_rowThread;
    std::unique_ptr<EventIdWorker> m_idWorker;
    std::unique_ptr<EventRowWorker> m_rowWorker;

    EventFilter m_filter;
    EventSort m_sort;
    bool m_utc = true;
    bool m_loading = false;
    quint64 m_generation = 0;
    std::vector<int64_t> m_ids;
    // Mutable: data() is const but is where the view tells us which rows it needs.
    mutable QHash<int, EventRowChunkPtr> m_chunks;
    mutable QSet<int> m_pending;
};

} // namespace dscope::model
