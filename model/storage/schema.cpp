// SPDX-License-Identifier: MIT
#include "schema.h"

#include "database.h"
#include "statement.h"
#include "writeridentity.h"

#include <sqlite3.h>

#include <chrono>
#include <functional>
#include <thread>
#include <vector>

namespace dscope::model::schema {

int currentVersion();

namespace {

// Version 1: the normalized event model. Raw events live in a side table: they are large and only the
// detail pane reads them, so keeping them out of the events rows keeps scans and indexes compact.
const char* kVersion1 = R"sql(
CREATE TABLE meta(
  key   TEXT PRIMARY KEY,
  value TEXT
) WITHOUT ROWID;

CREATE TABLE inputs(
  id           INTEGER PRIMARY KEY,
  path         TEXT NOT NULL,
  size         INTEGER,
  sha256       TEXT NOT NULL,
  format       TEXT,
  layout       TEXT,
  engine       TEXT,
  events       INTEGER NOT NULL DEFAULT 0,
  skipped      INTEGER NOT NULL DEFAULT 0,
  recovered    INTEGER NOT NULL DEFAULT 0,
  status       TEXT NOT NULL,          -- importing | complete | incomplete | failed
  errors       TEXT,                   -- JSON array of {position, message}, capped
  imported_utc INTEGER,
  seconds      REAL
);
CREATE INDEX inputs_sha256 ON inputs(sha256);

CREATE TABLE events(
  id               INTEGER PRIMARY KEY,
  input_id         INTEGER NOT NULL,
  position         INTEGER,
  record_id        INTEGER,
  utc_ms           INTEGER,
  host             TEXT,
  channel          TEXT,
  provider         TEXT,
  event_id         INTEGER,
  subject_guid     TEXT,
  subject_pid      INTEGER,
  subject_image    TEXT,
  target_guid      TEXT,
  target_pid       INTEGER,
  target_image     TEXT,
  parent_guid      TEXT,
  parent_pid       INTEGER,
  parent_image     TEXT,
  granted_access   INTEGER,
  call_trace       TEXT,
  start_address    TEXT,
  start_module     TEXT,
  start_function   TEXT,
  command_line     TEXT,
  user_name        TEXT,
  hashes           TEXT,
  target_filename  TEXT,
  transaction_id   TEXT,
  transaction_state TEXT,
  detail           TEXT,
  raw_block        INTEGER,            -- raw_blocks.id holding the original event
  raw_offset       INTEGER,            -- its bytes in the decompressed block
  raw_length       INTEGER
);

-- Original events, packed in blocks of about 128 KiB and compressed together: one frame per record would cost
-- more CPU than parsing and compress several times worse (measured on the corpus JSON: 2.8x vs 28x).
CREATE TABLE raw_blocks(
  id     INTEGER PRIMARY KEY,
  format INTEGER NOT NULL,               -- RawFormat of every event in the block
  codec  INTEGER NOT NULL,               -- 0 stored as is, 1 zstd frame, 2 size + LZ4 block
  data   BLOB NOT NULL
);
)sql";

// The secondary indexes of the events table. Kept apart from the table DDL: the first import into an empty case
// builds them after the load (measured on the corpus JSON: the two GUID indexes alone cost a fifth of the import
// when maintained row by row), and opening a case restores any that a killed import left missing.
const char* kEventIndexes = R"sql(
CREATE INDEX IF NOT EXISTS events_time ON events(utc_ms, id);
CREATE INDEX IF NOT EXISTS events_eid_time ON events(event_id, utc_ms);
CREATE INDEX IF NOT EXISTS events_subject ON events(subject_guid) WHERE subject_guid IS NOT NULL;
CREATE INDEX IF NOT EXISTS events_target ON events(target_guid) WHERE target_guid IS NOT NULL;
)sql";

// Version 2: who writes an input while it is "importing" (storage/writeridentity.h), so that opening a case
// marks incomplete only the inputs whose writer has ended, not those another process is importing right now.
const char* kVersion2 = R"sql(
ALTER TABLE inputs ADD COLUMN writer TEXT;
)sql";

// Version 3: events per input, host, channel and event id, with their first and last time, kept by the writer in
// the transaction of every batch. Opening a case and `info` read these few rows instead of grouping every event:
// on a 10 M-event case the grouping took most of a minute. Cases of version 2 get it once, here.
const char* kVersion3 = R"sql(
CREATE TABLE event_summary(
  input_id INTEGER NOT NULL,
  host     TEXT NOT NULL,                 -- '' when the events have none
  channel  TEXT NOT NULL,
  event_id INTEGER NOT NULL,
  events   INTEGER NOT NULL,
  first_ms INTEGER,
  last_ms  INTEGER,
  PRIMARY KEY(input_id, host, channel, event_id)
) WITHOUT ROWID;
INSERT INTO event_summary
  SELECT input_id, coalesce(host, ''), coalesce(channel, ''), coalesce(event_id, -1), count(*), min(utc_ms), max(utc_ms)
  FROM events GROUP BY 1, 2, 3, 4;
)sql";

// Version 4: what analysts record. Alerts are stored under a stable identity (rule, host, source, target: see
// alertIdentity) so that a re-run, a newer rule set or more data updates a row and keeps its triage; every triage
// change is kept in alert_history; checklist items and notes belong to an alert, an event or a process.
const char* kVersion4 = R"sql(
CREATE TABLE alerts(
  id               INTEGER PRIMARY KEY,
  identity         TEXT NOT NULL UNIQUE,
  rule_id          TEXT NOT NULL,
  rule_set_version INTEGER,
  severity         TEXT NOT NULL,
  host             TEXT,
  source_guid      TEXT,
  source_pid       INTEGER,
  source_image     TEXT,
  target_guid      TEXT,
  target_pid       INTEGER,
  target_image     TEXT,
  first_ms         INTEGER,
  last_ms          INTEGER,
  count            INTEGER,
  explanation      TEXT,
  raised_ms        INTEGER NOT NULL,       -- wall clock of the run that first raised it
  updated_ms       INTEGER NOT NULL,       -- wall clock of the last run that raised it
  stale            INTEGER NOT NULL DEFAULT 0, -- 1: the last run of its rule no longer raised it
  triage           TEXT NOT NULL DEFAULT 'new',
  triage_reason    TEXT,
  triage_by        TEXT,
  triage_ms        INTEGER
);
CREATE TABLE alert_history(
  alert_id INTEGER NOT NULL,
  at_ms    INTEGER NOT NULL,
  analyst  TEXT,
  change   TEXT NOT NULL                   -- "triage: true positive (reason)", "checklist: item done", ...
);
CREATE INDEX alert_history_alert ON alert_history(alert_id, at_ms);
CREATE TABLE checklist_state(
  alert_id INTEGER NOT NULL,
  item     TEXT NOT NULL,                  -- item id in the checklist file
  done     INTEGER NOT NULL,
  analyst  TEXT,
  at_ms    INTEGER,
  note     TEXT,
  PRIMARY KEY(alert_id, item)
) WITHOUT ROWID;
CREATE TABLE annotations(
  id       INTEGER PRIMARY KEY,
  kind     TEXT NOT NULL,                  -- alert | event | process
  ref      TEXT NOT NULL,                  -- alerts.id, events.id, or host + process GUID
  note     TEXT,
  tags     TEXT,                           -- comma-separated, lower case
  bookmark INTEGER NOT NULL DEFAULT 0,
  analyst  TEXT,
  at_ms    INTEGER NOT NULL
);
CREATE INDEX annotations_ref ON annotations(kind, ref);
)sql";

// Alerts from outside the workbench (a team's run of the exported rules, imported for triage) say where they came
// from; the workbench's own runs never mark them stale.
const char* kVersion5 = R"sql(
ALTER TABLE alerts ADD COLUMN origin TEXT;  -- NULL: raised by the workbench's rules; else the file and line imported
)sql";

struct Migration {
    int toVersion;
    const char* sql;
};

const std::vector<Migration>& migrations()
{
    static const std::vector<Migration> list = {
        {1, kVersion1},
        {2, kVersion2},
        {3, kVersion3},
        {4, kVersion4},
        {5, kVersion5},
    };
    return list;
}

bool isDoppelscopeCase(Database& db)
{
    return db.scalar("SELECT count(*) FROM sqlite_master WHERE name IN ('events','inputs','meta')") == 3;
}

/// Creates or migrates the schema in one exclusive step. The version is read only once the write lock is held
/// (BEGIN IMMEDIATE), so of two processes creating the same new case, the second waits for the first, finds the
/// schema in place and goes on; reading it before the lock made both create the tables.
bool migrate(Database& db, std::string& error)
{
    Transaction tx(db);
    if (!tx.isOpen()) {
        error = "cannot lock the case for writing: " + db.lastError();
        return false;
    }
    int version = int(db.scalar("PRAGMA user_version"));
    if (version == 0 && db.scalar("SELECT count(*) FROM sqlite_master") > 0 && !isDoppelscopeCase(db)) {
        error = "not a Doppelscope case: the file is an SQLite database with other tables";
        return false;
    }
    if (version > currentVersion()) {
        error = "the case was written by a newer Doppelscope (schema " + std::to_string(version) + ")";
        return false;
    }
    if (version == currentVersion())
        return true; // nothing to change: the transaction ends without a write
    for (const auto& m : migrations()) {
        if (m.toVersion <= version)
            continue;
        if (!db.exec(m.sql) || !db.exec("PRAGMA user_version=" + std::to_string(m.toVersion))) {
            error = "schema migration to version " + std::to_string(m.toVersion) + " failed: " + db.lastError();
            return false;
        }
    }
    if (!tx.commit()) {
        error = "schema migration failed: " + db.lastError();
        return false;
    }
    return true;
}

/// Puts the case in WAL mode. Of several processes opening the same new case at once, those that do not get the
/// switch's exclusive lock are told "locked" at once, without waiting on the busy handler: they retry until the
/// mode is WAL (set by whichever process won) or a few seconds have passed.
bool enableWal(Database& db)
{
    for (int attempt = 0;; ++attempt) {
        {
            Statement st(db, "PRAGMA journal_mode=WAL");
            // An in-memory database (tests) stays in "memory" mode.
            if (st.next() && (st.columnView(0) == "wal" || st.columnView(0) == "memory"))
                return true;
        }
        if ((db.lastErrorCode() & 0xff) != SQLITE_BUSY || attempt >= 500)
            return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

/// Inputs left "importing" by a writer that has ended (crash, kill, power loss, write failure) become
/// "incomplete": their committed batches stay, and importing them again completes them. An input another process
/// is importing now is left alone.
bool markEndedImportsIncomplete(Database& db)
{
    std::vector<int64_t> ended;
    {
        Statement st(db, "SELECT id, writer FROM inputs WHERE status='importing'");
        while (st.next())
            if (!writerMayBeRunning(st.columnText(1)))
                ended.push_back(st.columnInt(0));
    }
    for (int64_t id : ended) {
        Statement up(db, "UPDATE inputs SET status='incomplete' WHERE id=? AND status='importing'");
        up.bind(1, id);
        if (!up.exec())
            return false;
    }
    return true;
}

} // namespace

int currentVersion() { return migrations().back().toVersion; }


bool prepareForWriting(Database& db, std::string& error)
{
    // Refuse what this build must not touch before anything is written: switching a foreign or newer file to WAL
    // would change its header. (migrate() checks again under the write lock, for a case created meanwhile.)
    {
        const int64_t version = db.scalar("PRAGMA user_version", -1);
        if (version < 0) {
            error = "cannot read the case file: " + db.lastError();
            return false;
        }
        if (version > currentVersion()) {
            error = "the case was written by a newer Doppelscope (schema " + std::to_string(version) + ")";
            return false;
        }
        if (version == 0 && db.scalar("SELECT count(*) FROM sqlite_master") > 0 && !isDoppelscopeCase(db)) {
            error = "not a Doppelscope case: the file is an SQLite database with other tables";
            return false;
        }
    }
    // WAL: readers (GUI, detection) see committed batches while the single writer goes on, and a killed
    // import leaves every committed batch in place. NORMAL sync is durable against process crashes.
    // 32 KiB pages (effective only for a new file): fewer B-tree splits, and several compressed EVTX chunks
    // (about 9 KiB each) share a page where a 16 KiB page held one. Measured against 16 KiB: corpus imports 2-4 %
    // faster (EVTX and JSON), all rules over a 10 M-event case 3 % slower. Against 4 KiB: those rules 15 % slower,
    // storing an event 18 % faster, and the Events page has a 5 M-event case's ids in 0.53 s instead of 0.63 s.
    if (!db.exec("PRAGMA page_size=32768") || !enableWal(db)
        || !db.exec("PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY; PRAGMA foreign_keys=OFF;")) {
        error = "cannot set up the case file: " + db.lastError();
        return false;
    }
    if (!migrate(db, error))
        return false;
    if (!markEndedImportsIncomplete(db) || !createEventIndexes(db)) {
        error = db.lastError();
        return false;
    }
    return true;
}

bool createEventIndexes(Database& db) { return createEventIndexes(db, {}); }

bool createEventIndexes(Database& db, const std::function<void(const std::string&)>& stage)
{
    // Building an index sorts every event. With temp_store=MEMORY the sorter's spill files live in RAM as well:
    // building the indexes after a 20 GB import took the writer to 1.4 GB of RSS. On disk they stay within the
    // page cache the kernel can take back.
    db.exec("PRAGMA temp_store=FILE");
    std::vector<std::string> statements;
    for (std::string_view rest = kEventIndexes; !rest.empty();) {
        const size_t end = rest.find(';');
        std::string_view one = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
        if (one.find("CREATE") != std::string_view::npos)
            statements.emplace_back(one);
    }
    struct Heartbeat {
        const std::function<void(const std::string&)>* stage;
        std::string label;
        std::chrono::steady_clock::time_point start, last;
    } beat{&stage, {}, {}, {}};
    if (stage) {
        // SQLite calls this every few thousand virtual machine steps of the running statement.
        sqlite3_progress_handler(db.handle(), 100000, [](void* p) -> int {
            auto* b = static_cast<Heartbeat*>(p);
            const auto now = std::chrono::steady_clock::now();
            if (now - b->last >= std::chrono::seconds(1)) {
                b->last = now;
                const auto secs = std::chrono::duration_cast<std::chrono::seconds>(now - b->start).count();
                (*b->stage)(b->label + ", " + std::to_string(secs) + " s");
            }
            return 0;
        }, &beat);
    }
    bool ok = true;
    for (size_t i = 0; ok && i < statements.size(); ++i) {
        if (stage) {
            const size_t name = statements[i].find("events_");
            beat.label = "building index " + std::to_string(i + 1) + " of " + std::to_string(statements.size()) + " ("
                         + statements[i].substr(name, statements[i].find(' ', name) - name) + ")";
            beat.start = beat.last = std::chrono::steady_clock::now();
            stage(beat.label);
        }
        ok = db.exec(statements[i]);
    }
    if (stage)
        sqlite3_progress_handler(db.handle(), 0, nullptr, nullptr);
    db.exec("PRAGMA temp_store=MEMORY");
    return ok;
}

bool dropEventIndexes(Database& db)
{
    return db.exec("DROP INDEX IF EXISTS events_time; DROP INDEX IF EXISTS events_eid_time; "
                   "DROP INDEX IF EXISTS events_subject; DROP INDEX IF EXISTS events_target;");
}

bool prepareForReading(Database& db, std::string& error)
{
    const int version = int(db.scalar("PRAGMA user_version", -1));
    if (version < 0) { // SQLite's own reason says more: not a database, malformed, cannot be opened
        error = "cannot read the case file: " + db.lastError();
        return false;
    }
    if (version == 0 || !isDoppelscopeCase(db)) {
        error = "not a Doppelscope case file";
        return false;
    }
    if (version > currentVersion()) {
        error = "the case was written by a newer Doppelscope (schema " + std::to_string(version) + ")";
        return false;
    }
    db.exec("PRAGMA temp_store=MEMORY; PRAGMA cache_size=-65536;");
    return true;
}

} // namespace dscope::model::schema
