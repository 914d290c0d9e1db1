// SPDX-License-Identifier: MIT
#include "database.h"

#include "statement.h"

#include <sqlite3.h>

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
    char* err = nullptr;
    const std::string text(sql);
    if (sqlite3_exec(m_db, text.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
        m_lastError = err ? err : "unknown error";
        sqlite3_free(err);
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
    m_lastError = std::string(context) + ": " + (m_db ? sqlite3_errmsg(m_db) : "out of memory");
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
