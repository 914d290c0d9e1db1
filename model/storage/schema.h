// SPDX-License-Identifier: MIT
#pragma once

#include <string>

namespace dscope::model {

class Database;

/**
 * The case file layout. Versioned through PRAGMA user_version; each migration moves one version up inside a
 * transaction, so an old case opens in a new build and a failed migration leaves the old version intact.
 */
namespace schema {

/// The version this build writes.
int currentVersion();

/// Creates or migrates the schema and sets the connection up for the single writer (WAL, NORMAL sync).
/// Inputs left "importing" by a writer that has ended are marked "incomplete": their committed batches stay.
bool prepareForWriting(Database& db, std::string& error);

/// Reader connections: checks the version, sets reader pragmas. Refuses a case newer than this build.
bool prepareForReading(Database& db, std::string& error);

/// Creates the secondary indexes of the events table where missing (prepareForWriting does this on every open).
bool createEventIndexes(Database& db);
/// Drops them: only for the first bulk load into an empty case, which rebuilds them at the end.
bool dropEventIndexes(Database& db);


} // namespace schema
} // namespace dscope::model
