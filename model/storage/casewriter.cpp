// SPDX-License-Identifier: MIT
#include "casewriter.h"

#include "checkpointer.h"
#include "database.h"
#include "eventwriter.h"
#include "schema.h"
#include "statement.h"
#include "writeridentity.h"

#include <QtCore/qglobal.h>

#include <sqlite3.h>

#ifdef Q_OS_UNIX
#include <sys/resource.h>
#include <sys/statvfs.h>
#endif

namespace dscope::model {

namespace {

std::string mebibytes(uint64_t bytes)
{
    return std::to_string((bytes + (1 << 19)) >> 20) + " MiB";
}

/// What stands in the way of a write, as far as the system says: the room left beside the case, and a file size
/// limit on this process. SQLite reports both a full disk and a file size limit as a bare "disk I/O error".
std::string storageDiagnosis(const std::string& casePath)
{
    std::string out;
#ifdef Q_OS_UNIX
    const size_t slash = casePath.rfind('/');
    const std::string folder = slash == std::string::npos ? "." : slash == 0 ? "/" : casePath.substr(0, slash);
    struct statvfs fs = {};
    if (statvfs(folder.c_str(), &fs) == 0)
        out += "; " + mebibytes(uint64_t(fs.f_bavail) * fs.f_frsize) + " free in " + folder;
    struct rlimit limit = {};
    if (getrlimit(RLIMIT_FSIZE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY)
        out += "; this process may not write files larger than " + std::to_string(uint64_t(limit.rlim_cur))
               + " bytes (file size limit, ulimit -f)";
#endif
    return out;
}

} // namespace

CaseWriter::CaseWriter(std::string casePath)
    : m_path(std::move(casePath))
    , m_db(std::make_unique<Database>())
{
}

CaseWriter::~CaseWriter()
{
    m_checkpointer.reset();
    if (m_writer)
        m_writer->rollback();
    // m_session ends with this object: from then on readers see what it left unfinished as incomplete.
}

bool CaseWriter::open()
{
    std::string error;
    // Another writer (a second import, a listener) holds the write lock for one transaction at a time; waiting a
    // minute for it is better than failing an import that would have gone on a moment later.
    if (m_db->open(m_path))
        m_db->setBusyTimeout(60000);
    if (m_db->isOpen() && m_db->isReadOnly()) {
        // SQLite opens a write-protected file for reading without a word; writing would fail at the first batch.
        m_failed = true;
        m_error = "cannot import into case " + m_path + ": the case file is read-only (no permission to write it, "
                  "or a read-only file system); it can be opened and read, or copied to import into the copy";
        return false;
    }
    if (!m_db->isOpen() || !schema::prepareForWriting(*m_db, error)) {
        m_failed = true;
        const int code = m_db->lastErrorCode() & 0xff;
        const bool storage = code == SQLITE_IOERR || code == SQLITE_FULL || code == SQLITE_CANTOPEN;
        m_error = "cannot open case " + m_path + ": " + (error.empty() ? m_db->lastError() : error)
                  + (storage ? storageDiagnosis(m_path) : std::string());
        return false;
    }
    m_writer = std::make_unique<EventWriter>(*m_db);
    if (!m_writer->isValid()) {
        m_failed = true;
        m_error = "cannot prepare the case " + m_path + " for writing: " + m_db->lastError();
        return false;
    }
    m_session = std::make_unique<WriterSession>();
    // Indexes are kept up to date row by row in a 16 MiB page cache (64 MiB was no faster and cost 75 MiB of RSS).
    m_db->exec("PRAGMA cache_size=-16384");
    // Committed batches go into the case file on a thread of their own (the last checkpoint of an EVTX corpus
    // import went from 31 to 6 ms here). The writer checkpoints itself only if the log outgrows 4,000 pages: the
    // checkpointer could not keep up, or could not open the case.
    m_checkpointer = std::make_unique<BackgroundCheckpointer>(m_path);
    m_db->exec("PRAGMA wal_autocheckpoint=4000");
    return true;
}

int64_t CaseWriter::beginInput(const InputReport& report, Known* known)
{
    if (known)
        *known = Known::No;
    if (m_failed)
        return -1;
    // The check and the insert share one write transaction: of two writers starting the same bytes at once, the
    // second finds the first's row once it has the lock, instead of both checking before either has written.
    if (!m_writer->begin()) {
        fail("begin a transaction for " + report.path, m_db->lastError());
        return -1;
    }
    InputStatus status = InputStatus::Incomplete;
    std::string writer;
    const int64_t existing = m_writer->findInput(report.sha256, &status, &writer);
    const Known already = existing < 0                                                  ? Known::No
                          : status == InputStatus::Complete                            ? Known::Complete
                          : status == InputStatus::Importing && writer != m_session->identity()
                                  && writerMayBeRunning(writer)                         ? Known::BeingImported
                                                                                        : Known::No;
    if (already != Known::No) {
        if (known)
            *known = already;
        return -1;
    }
    if (existing >= 0 && !m_writer->deleteInput(existing)) {
        fail("remove the unfinished earlier import of " + report.path, m_db->lastError());
        return -1;
    }
    const int64_t id = m_writer->beginInput(report, m_session->identity());
    if (id < 0) {
        fail("add the input " + report.path, m_db->lastError());
        return -1;
    }
    m_inputs[id].path = report.path;
    return id;
}

bool CaseWriter::insert(int64_t inputId, std::vector<Event>& events, const std::vector<RawBlock>& blocks)
{
    if (m_failed)
        return false;
    auto it = m_inputs.find(inputId);
    if (it == m_inputs.end())
        return false;
    if (!m_writer->insert(events, blocks, inputId))
        return fail("store events", m_db->lastError());
    it->second.pending += int64_t(events.size());
    m_uncommitted += int64_t(events.size());
    return true;
}

bool CaseWriter::finishInput(int64_t inputId, InputReport& report, InputStatus status)
{
    if (m_failed)
        return false;
    auto it = m_inputs.find(inputId);
    if (it == m_inputs.end())
        return false;
    report.inputId = inputId;
    report.events = it->second.committed + it->second.pending;
    if (!m_writer->finishInput(report, status))
        return fail("record the end of " + report.path, m_db->lastError());
    it->second.finished = true;
    return true;
}

bool CaseWriter::commit()
{
    if (m_failed)
        return false;
    if (!checkCheckpointer())
        return false;
    // The events column of an unfinished input follows its events in the same transaction, so a reader (or a
    // later import) sees how many events an interrupted import left.
    for (auto& [id, in] : m_inputs)
        if (in.pending > 0 && !in.finished && !m_writer->setInputEvents(id, in.committed + in.pending))
            return fail("count the events of " + in.path, m_db->lastError());
    if (!m_writer->commit())
        return fail("commit", m_db->lastError());
    for (auto& [id, in] : m_inputs) {
        in.committed += in.pending;
        in.pending = 0;
        in.stored = in.stored || in.finished;
    }
    m_uncommitted = 0;
    if (m_checkpointer)
        m_checkpointer->committed();
    return true;
}

int64_t CaseWriter::committedEvents(int64_t inputId) const
{
    auto it = m_inputs.find(inputId);
    return it == m_inputs.end() ? 0 : it->second.committed;
}

bool CaseWriter::finishCommitted(int64_t inputId) const
{
    auto it = m_inputs.find(inputId);
    return it != m_inputs.end() && it->second.stored;
}

bool CaseWriter::deferIndexes()
{
    if (m_failed)
        return false;
    // A kill before close() leaves them missing: the next open for writing restores them.
    if (!schema::dropEventIndexes(*m_db))
        return fail("drop the indexes for a bulk load", m_db->lastError());
    m_indexesDeferred = true;
    return true;
}

bool CaseWriter::close(const std::function<void(const std::string&)>& stage)
{
    if (m_closed)
        return !m_failed;
    m_closed = true;
    if (!m_failed)
        commit();
    // The last checkpoint below must not find another one running; its failure, if any, is reported first.
    if (!m_failed)
        checkCheckpointer();
    m_checkpointer.reset();
    if (m_failed) {
        markUnfinishedIncomplete();
        return false;
    }
    if (m_indexesDeferred) {
        if (!schema::createEventIndexes(*m_db, stage ? stage : std::function<void(const std::string&)>()))
            return fail("build the indexes", m_db->lastError());
    }
    // Every transaction is committed (in the log) already; a failure here leaves the log beside the case file.
    if (!m_db->checkpoint())
        return fail("copy the log into the case file", m_db->lastError());
    return true;
}

bool CaseWriter::checkCheckpointer()
{
    if (!m_checkpointer)
        return true;
    const std::string failure = m_checkpointer->failure();
    if (failure.empty())
        return true;
    return fail("copy committed events from the log into the case file", failure);
}

bool CaseWriter::fail(const std::string& what, const std::string& cause)
{
    if (m_failed)
        return false;
    const std::string lost = pendingInputNames();
    m_writer->rollback();
    m_failed = true;
    m_error = "cannot write to the case " + m_path + " (" + what + "): " + cause + storageDiagnosis(m_path);
    if (!lost.empty())
        m_error += "; the events of " + lost + " since the last commit were not stored";
    for (auto& [id, in] : m_inputs) {
        in.pending = 0;
        in.finished = in.stored;
    }
    m_uncommitted = 0;
    return false;
}

std::string CaseWriter::pendingInputNames() const
{
    std::string names;
    for (const auto& [id, in] : m_inputs)
        if (in.pending > 0)
            names += (names.empty() ? "" : ", ") + in.path;
    return names;
}

void CaseWriter::markUnfinishedIncomplete()
{
    // Best effort after a failure: a full disk may refuse even this small update. The rows stay "importing" then,
    // naming this process as their writer, and read as incomplete once it has ended.
    for (auto& [id, in] : m_inputs) {
        Statement st(*m_db, "UPDATE inputs SET status='incomplete', events=?, writer=NULL "
                            "WHERE id=? AND status='importing'");
        st.bind(1, in.committed);
        st.bind(2, id);
        st.exec();
    }
}

} // namespace dscope::model
