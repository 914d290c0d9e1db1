// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/qglobal.h>

#include <cstdint>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace dscope::model {

class Statement;

/// One SQLite connection. One per thread: the writer owns one, every reader opens its own.
class Database
{
    Q_DISABLE_COPY_MOVE(Database)
public:
    enum class Mode { ReadWrite, ReadOnly };

    Database() = default;
    ~Database();

    /// Opens (and for ReadWrite creates) the file; ":memory:" gives a private in-memory database.
    bool open(const std::string& path, Mode mode = Mode::ReadWrite);
    void close();
    bool isOpen() const { return m_db != nullptr; }
    /// The file could be opened for reading only (write-protected file or file system).
    bool isReadOnly() const;

    /// Runs one or more statements without results. Values must never be spliced in: use Statement.
    bool exec(std::string_view sql);
    /// First column of the first row as an integer, or fallback.
    int64_t scalar(std::string_view sql, int64_t fallback = 0);

    /// Asks a running query on this connection to stop; safe from any thread (sqlite3_interrupt).
    void interrupt();

    const std::string& lastError() const { return m_lastError; }
    /// SQLite's extended result code of the last failed call on this connection.
    int lastErrorCode() const;
    /// How long a statement waits for another connection's lock before it fails as busy (5 s by default).
    void setBusyTimeout(int milliseconds);
    /// Keeps an earlier error's text across a clean-up statement that would replace it.
    void setLastError(std::string error) { m_lastError = std::move(error); }
    /// Copies committed log frames into the database file (sqlite3_wal_checkpoint_v2, PASSIVE unless `truncate`).
    /// A checkpoint that other connections hold up is not a failure; an I/O error or a full disk is.
    bool checkpoint(bool truncate = false);
    const std::string& path() const { return m_path; }
    sqlite3* handle() const { return m_db; }
    int64_t lastInsertRowId() const;
    int changes() const;

    /// Quotes an identifier for SQL text; the only way identifiers may enter SQL built at run time.
    static std::string quoteIdentifier(std::string_view name);

private:
    friend class Statement;
    void setError(const char* context);
    /// For Mode::ReadOnly: whether the case can be read as usual (see reopenImmutable).
    bool canReadWalCase();
    bool reopenImmutable();
    /// SQLite's message for the last error, with the system's reason for an I/O error or a full disk.
    std::string describeError() const;

    sqlite3* m_db = nullptr;
    std::string m_path;
    std::string m_lastError;
};

/// RAII transaction: rolls back unless commit() was called.
class Transaction
{
    Q_DISABLE_COPY_MOVE(Transaction)
public:
    explicit Transaction(Database& db, bool immediate = true);
    ~Transaction();
    bool commit();
    bool isOpen() const { return m_open; }

private:
    Database& m_db;
    bool m_open = false;
};

} // namespace dscope::model
