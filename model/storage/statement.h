// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/qglobal.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3_stmt;

namespace dscope::model {

class Database;

/// A prepared statement. Values are bound, never spliced: every string from a log is hostile.
class Statement
{
    Q_DISABLE_COPY_MOVE(Statement)
public:
    Statement(Database& db, std::string_view sql);
    ~Statement();

    bool isValid() const { return m_stmt != nullptr; }

    // Parameters are 1-based, as in SQLite.
    void bind(int index, int64_t value);
    void bind(int index, double value);
    /// Binds text; the caller keeps the bytes alive until step() (SQLITE_STATIC: no copy in the hot path).
    void bindText(int index, std::string_view value);
    /// Empty text becomes NULL, as the normalized schema stores absent values.
    void bindTextOrNull(int index, std::string_view value);
    void bindBlob(int index, std::string_view value);
    void bindNull(int index);
    /// kNoValue becomes NULL.
    void bindIntOrNull(int index, int64_t value);

    /// Steps once. True when a row is available; false at the end or on an error (failed()).
    bool next();
    /// True when the last step ended in an error rather than at the end of the rows.
    bool failed() const { return m_failed; }
    /// Starts the statement again from its first row, keeping the bound values.
    void rewind();
    Database& database() const { return m_db; }
    /// Steps to completion (INSERT/UPDATE). False on error, with Database::lastError() set.
    bool exec();
    void reset();

    int64_t columnInt(int col) const;
    double columnDouble(int col) const;
    bool columnIsNull(int col) const;
    std::string columnText(int col) const;
    std::string_view columnView(int col) const;
    int columnCount() const;

private:
    Database& m_db;
    sqlite3_stmt* m_stmt = nullptr;
    bool m_failed = false;
};

} // namespace dscope::model
