// SPDX-License-Identifier: MIT
#pragma once

#include <functional>
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
/// The same, one index at a time, telling `stage` which one ("building index 2 of 4 (events_eid_time), 12 s")
/// when it starts and about once a second while it runs: on tens of millions of events each takes a while.
bool createEventIndexes(Database& db, const std::function<void(const std::string&)>& stage);
/// Drops them: only for the first bulk load into an empty case, which rebuilds them at the end.
bool dropEventIndexes(Database& db);


} // namespace schema
} // namespace dscope::model
