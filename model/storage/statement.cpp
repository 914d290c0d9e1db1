// SPDX-License-Identifier: MIT
#include "statement.h"

#include "database.h"
#include "domain/event.h"

#include <sqlite3.h>

namespace dscope::model {

Statement::Statement(Database& db, std::string_view sql)
    : m_db(db)
{
    if (sqlite3_prepare_v3(db.handle(), sql.data(), int(sql.size()), SQLITE_PREPARE_PERSISTENT, &m_stmt, nullptr)
        != SQLITE_OK) {
        db.setError("prepare");
        m_stmt = nullptr;
    }
}

Statement::~Statement() { sqlite3_finalize(m_stmt); }

void Statement::bind(int index, int64_t value) { sqlite3_bind_int64(m_stmt, index, value); }
void Statement::bind(int index, double value) { sqlite3_bind_double(m_stmt, index, value); }

void Statement::bindText(int index, std::string_view value)
{
    sqlite3_bind_text(m_stmt, index, value.data(), int(value.size()), SQLITE_STATIC);
}

void Statement::bindTextOrNull(int index, std::string_view value)
{
    if (value.empty())
        sqlite3_bind_null(m_stmt, index);
    else
        bindText(index, value);
}

void Statement::bindBlob(int index, std::string_view value)
{
    sqlite3_bind_blob(m_stmt, index, value.data(), int(value.size()), SQLITE_STATIC);
}

void Statement::bindNull(int index) { sqlite3_bind_null(m_stmt, index); }

void Statement::bindIntOrNull(int index, int64_t value)
{
    if (value == kNoValue)
        sqlite3_bind_null(m_stmt, index);
    else
        sqlite3_bind_int64(m_stmt, index, value);
}

bool Statement::next()
{
    if (!m_stmt)
        return false;
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    m_failed = rc != SQLITE_DONE;
    if (m_failed)
        m_db.setError("step");
    return false;
}

bool Statement::exec()
{
    if (!m_stmt)
        return false;
    const int rc = sqlite3_step(m_stmt);
    sqlite3_reset(m_stmt);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        m_db.setError("step");
        return false;
    }
    return true;
}

void Statement::rewind()
{
    sqlite3_reset(m_stmt);
    m_failed = false;
}

void Statement::reset()
{
    m_failed = false;
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

int64_t Statement::columnInt(int col) const { return sqlite3_column_int64(m_stmt, col); }
double Statement::columnDouble(int col) const { return sqlite3_column_double(m_stmt, col); }
bool Statement::columnIsNull(int col) const { return sqlite3_column_type(m_stmt, col) == SQLITE_NULL; }

std::string Statement::columnText(int col) const { return std::string(columnView(col)); }

std::string_view Statement::columnView(int col) const
{
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_blob(m_stmt, col));
    const int n = sqlite3_column_bytes(m_stmt, col);
    return p ? std::string_view(p, size_t(n)) : std::string_view();
}

int Statement::columnCount() const { return sqlite3_column_count(m_stmt); }

} // namespace dscope::model
