// SPDX-License-Identifier: MIT
#pragma once

#include "domain/event.h"
#include "domain/importreport.h"
#include "domain/inputstatus.h"

#include <QtCore/qglobal.h>

#include <array>
#include <memory>
#include <string>
#include <vector>

namespace dscope::model {

class Database;
class Statement;
struct RawBlock;

/// The single writer of a case: inputs rows, events and raw events through prepared statements.
class EventWriter
{
    Q_DISABLE_COPY_MOVE(EventWriter)
public:
    explicit EventWriter(Database& db);
    ~EventWriter();

    bool isValid() const;
    const std::string& lastError() const;

    /// Opens a write transaction if none is open.
    bool begin();
    /// Commits the open transaction, if any. On a failure the transaction is rolled back (SQLite may already have
    /// done so for a full disk or an I/O error) and no transaction is open.
    bool commit();
    /// Abandons the open transaction, if any.
    void rollback();

    /// Existing input with this SHA-256: its id, status and writer, or -1.
    int64_t findInput(const std::string& sha256, InputStatus* status = nullptr, std::string* writer = nullptr);
    /// Removes an earlier, unfinished import of the same input (its events and raw rows).
    bool deleteInput(int64_t inputId);
    /// Inserts the inputs row in state "importing", naming its writer (in the open transaction: commit() makes it
    /// durable), and returns its id.
    int64_t beginInput(const InputReport& report, const std::string& writer = {});
    /// The input's events column: kept equal to its committed events at every commit.
    bool setInputEvents(int64_t inputId, int64_t events);
    /// Final counts, errors and status.
    bool finishInput(const InputReport& report, InputStatus status);

    /// Inserts the raw blocks, then the events (setting their inputId; Event::rawBlock indexes `blocks`).
    /// Returns false on a database error.
    bool insert(std::vector<Event>& events, const std::vector<RawBlock>& blocks, int64_t inputId);
    /// Packs the events' raw into blocks itself, then inserts (tests, generators).
    bool insert(std::vector<Event>& events, int64_t inputId);

private:
    void bindEventText(int index, const std::string& value);
    void bindEventInt(int index, int64_t value);

    Database& m_db;
    std::unique_ptr<Statement> m_insertEvent;
    // Which parameters of m_insertEvent hold NULL now (by SQLite's 1-based index). Bindings outlive sqlite3_reset,
    // so a value that was absent in the previous event and is absent again is not bound again: most columns are
    // absent in any one event, and binding them anew took about 8 % of the writer's time.
    std::array<bool, 33> m_eventParamIsNull;
    std::unique_ptr<Statement> m_insertRaw;
    bool m_inTransaction = false;

    /// Counts of the open transaction's events per (input, host, channel, event id), written into event_summary
    /// just before it commits, so that the summary always equals the committed events.
    struct SummaryRow {
        int64_t inputId;
        std::string host;
        std::string channel;
        int64_t eventId;
        int64_t events;
        int64_t firstMs;
        int64_t lastMs;
    };
    void countInSummary(const Event& e, int64_t inputId);
    bool writeSummary();
    std::vector<SummaryRow> m_summary;
    size_t m_lastSummaryRow = 0;
};

} // namespace dscope::model
