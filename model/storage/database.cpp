// SPDX-License-Identifier: MIT
#include "database.h"

#include "statement.h"

#include <sqlite3.h>

#include <cstdio>
#include <cstring>
#include <mutex>

namespace dscope::model {

namespace {
void configureSqliteOnce()
{
    static std::once_flag once;
    std::call_once(once, [] {
        // No global allocation statistics: they take a process-wide mutex on every SQLite malloc, which the
        // writer does several times per inserted row. Must precede SQLite's initialization; later it is a no-op.
        sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    });
}
} // namespace

Database::~Database() { close(); }

bool Database::open(const std::string& path, Mode mode)
{
    configureSqliteOnce();
    close();
    m_path = path;
    // NOMUTEX: each connection is used by one thread only; SQLite's own locking still guards the file.
    const int flags = (mode == Mode::ReadOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
                      | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path.c_str(), &m_db, flags, nullptr) != SQLITE_OK) {
        setError("open");
        sqlite3_close(m_db);
        m_db = nullptr;
        return false;
    }
    sqlite3_busy_timeout(m_db, 5000);
    sqlite3_extended_result_codes(m_db, 1);
    if (mode == Mode::ReadOnly && !canReadWalCase())
        return reopenImmutable();
    return true;
}

bool Database::canReadWalCase()
{
    // A case in WAL mode is read through its -shm index, which a reader that may not write the case's folder
    // (a case on read-only media, or another user's) cannot create: the first read then fails as read-only.
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(m_db, "PRAGMA user_version", -1, &st, nullptr) != SQLITE_OK) {
        sqlite3_finalize(st);
        return (sqlite3_errcode(m_db) & 0xff) != SQLITE_READONLY;
    }
    const int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || (rc & 0xff) != SQLITE_READONLY;
}

bool Database::reopenImmutable()
{
    // Such a case is read as immutable: no index, no lock. Nobody can write it through this reader either; a
    // writer elsewhere at the same time is the one risk, and the only way to read it at all.
    sqlite3_close_v2(m_db);
    m_db = nullptr;
    std::string uri = "file:";
    for (char c : m_path) {
        if (c == '%' || c == '?' || c == '#') {
            char hex[4];
            std::snprintf(hex, sizeof hex, "%%%02X", static_cast<unsigned char>(c));
            uri += hex;
        } else {
            uri += c;
        }
    }
    uri += "?immutable=1";
    if (sqlite3_open_v2(uri.c_str(), &m_db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, nullptr)
        != SQLITE_OK) {
        setError("open");
        sqlite3_close(m_db);
        m_db = nullptr;
        return false;
    }
    sqlite3_extended_result_codes(m_db, 1);
    return true;
}

void Database::close()
{
    if (m_db) {
        sqlite3_close_v2(m_db);
        m_db = nullptr;
    }
}

bool Database::exec(std::string_view sql)
{
    const std::string text(sql);
    if (sqlite3_exec(m_db, text.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK) {
        m_lastError = describeError();
        return false;
    }
    return true;
}

int64_t Database::scalar(std::string_view sql, int64_t fallback)
{
    Statement st(*this, sql);
    if (st.isValid() && st.next() && !st.columnIsNull(0))
        return st.columnInt(0);
    return fallback;
}

void Database::interrupt()
{
    if (m_db)
        sqlite3_interrupt(m_db);
}

bool Database::checkpoint(bool truncate)
{
    // Through the pragma rather than sqlite3_wal_checkpoint_v2(): on a connection that has not read the database
    // yet, the C call does not know the file is in WAL mode and copies nothing. A checkpoint that readers hold up
    // answers busy in its row, which is not a failure; an I/O error or a full disk fails the step.
    Statement st(*this, truncate ? "PRAGMA wal_checkpoint(TRUNCATE)" : "PRAGMA wal_checkpoint(PASSIVE)");
    if (!st.isValid())
        return false;
    st.next();
    const int rc = sqlite3_errcode(m_db);
    if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE || rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
        return true;
    setError("checkpoint");
    return false;
}

bool Database::isReadOnly() const { return m_db && sqlite3_db_readonly(m_db, "main") == 1; }

int Database::lastErrorCode() const { return m_db ? sqlite3_extended_errcode(m_db) : SQLITE_NOMEM; }

void Database::setBusyTimeout(int milliseconds)
{
    if (m_db)
        sqlite3_busy_timeout(m_db, milliseconds);
}

int64_t Database::lastInsertRowId() const { return sqlite3_last_insert_rowid(m_db); }
int Database::changes() const { return sqlite3_changes(m_db); }

std::string Database::quoteIdentifier(std::string_view name)
{
    std::string out = "\"";
    for (char c : name) {
        if (c == '"')
            out += '"';
        out += c;
    }
    out += '"';
    return out;
}

void Database::setError(const char* context)
{
    m_lastError = std::string(context) + ": " + describeError();
}

std::string Database::describeError() const
{
    if (!m_db)
        return "out of memory";
    std::string text = sqlite3_errmsg(m_db);
    // SQLite says "disk I/O error" for a file size limit, a failing disk and a read-only remount alike; the
    // system's reason tells them apart.
    const int primary = sqlite3_extended_errcode(m_db) & 0xff;
    const int systemErrno = sqlite3_system_errno(m_db);
    if ((primary == SQLITE_IOERR || primary == SQLITE_FULL || primary == SQLITE_CANTOPEN) && systemErrno != 0)
        text += std::string(" (") + std::strerror(systemErrno) + ")";
    return text;
}

Transaction::Transaction(Database& db, bool immediate)
    : m_db(db)
{
    m_open = m_db.exec(immediate ? "BEGIN IMMEDIATE" : "BEGIN");
}

Transaction::~Transaction()
{
    if (m_open)
        m_db.exec("ROLLBACK");
}

bool Transaction::commit()
{
    if (!m_open)
        return false;
    m_open = false;
    return m_db.exec("COMMIT");
}

} // namespace dscope::model
