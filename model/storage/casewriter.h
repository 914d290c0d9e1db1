// SPDX-License-Identifier: MIT
#pragma once

#include "domain/event.h"
#include "domain/importreport.h"
#include "domain/inputstatus.h"

#include <QtCore/qglobal.h>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace dscope::model {

class BackgroundCheckpointer;
class Database;
class EventWriter;
class WriterSession;

/**
 * A writing session on one case: the single writer that file imports (and any other producer of events) store
 * through. It opens the case for writing (creating or migrating it in one exclusive step), stores inputs and their
 * events in transactions, and keeps, for every input, the count of events the case holds for certain: those in
 * committed transactions. That count, not what a parser produced, is what callers report.
 *
 * Every write is checked. The first failure (a full disk, an I/O error, a file size limit, a failed commit or
 * checkpoint) rolls back the open transaction, puts the session in the failed state (no more writes), and
 * error() says what failed, with the case path and the inputs whose events were lost with the transaction. The
 * case stays valid with every committed transaction; inputs left unfinished read as incomplete and are redone in
 * full by their next import.
 */
class CaseWriter
{
    Q_DISABLE_COPY_MOVE(CaseWriter)
public:
    explicit CaseWriter(std::string casePath);
    /// Rolls back what is not committed and stops the background checkpointer.
    ~CaseWriter();

    /// Opens (creating or migrating) the case. False with error() set when it cannot be written.
    bool open();

    /// What an input's SHA-256 already is in the case.
    enum class Known {
        No,                 ///< not in the case, or only an unfinished earlier import (replaced by beginInput)
        Complete,           ///< stored in full
        BeingImported,      ///< another writer that is still running is storing it now
    };

    /// Inserts the input's row as "importing" (visible with the next commit) and returns its id. An unfinished
    /// earlier import of the same bytes is removed first. Returns -1 when the case already has these bytes (known
    /// says how) or on a failure (failed()).
    int64_t beginInput(const InputReport& report, Known* known = nullptr);
    /// Stores events of an input (Event::rawBlock indexes `blocks`) in the open transaction.
    bool insert(int64_t inputId, std::vector<Event>& events, const std::vector<RawBlock>& blocks);
    /// Writes the input's final counts and status (in the open transaction); report.events becomes the events
    /// the input will hold once this transaction commits.
    bool finishInput(int64_t inputId, InputReport& report, InputStatus status);

    /// Commits the open transaction. Also fails when the background checkpointer has failed since the last call.
    bool commit();
    /// Events inserted since the last commit, over all inputs.
    int64_t uncommittedEvents() const { return m_uncommitted; }
    /// Events of the input in committed transactions: what the case holds for certain.
    int64_t committedEvents(int64_t inputId) const;
    /// True once the input's finishInput() is committed: its final status and counts are in the case.
    bool finishCommitted(int64_t inputId) const;

    /// Drops the events table's secondary indexes for a bulk first load; close() builds them again.
    bool deferIndexes();
    /// A cancelled load does not wait for the deferred indexes: the next open for writing (an import, a detection
    /// run) builds them, as after a kill.
    void leaveDeferredIndexesToNextOpen() { m_indexesDeferred = false; }
    bool indexesDeferred() const { return m_indexesDeferred; }
    /// Last commit, the deferred indexes, and a checkpoint of the log into the case file. False on a failure;
    /// committed transactions stay committed either way (in the log when the checkpoint failed).
    bool close(const std::function<void(const std::string&)>& stage = {});

    bool failed() const { return m_failed; }
    /// What failed, naming the case and the inputs concerned.
    const std::string& error() const { return m_error; }
    const std::string& casePath() const { return m_path; }
    Database& database() { return *m_db; }

private:
    struct InputState {
        std::string path;
        int64_t committed = 0;
        int64_t pending = 0;
        bool finished = false; ///< finishInput() written, maybe not committed yet
        bool stored = false;   ///< finishInput() committed
    };
    bool fail(const std::string& what, const std::string& cause);
    bool checkCheckpointer();
    void markUnfinishedIncomplete();
    std::string pendingInputNames() const;

    std::string m_path;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<EventWriter> m_writer;
    std::unique_ptr<BackgroundCheckpointer> m_checkpointer;
    std::map<int64_t, InputState> m_inputs;
    std::unique_ptr<WriterSession> m_session;
    int64_t m_uncommitted = 0;
    bool m_indexesDeferred = false;
    bool m_failed = false;
    bool m_closed = false;
    std::string m_error;
};

} // namespace dscope::model
