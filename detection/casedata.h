// SPDX-License-Identifier: MIT
#pragma once

#include "domain/alert.h"
#include "domain/text.h"
#include "storage/database.h"
#include "storage/eventrecord.h"

#include <QtCore/qglobal.h>

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace dscope::detection {

/// One event as the rules see it: the events table's row (storage/eventrecord.h), with its host lower-cased once
/// for joins (hosts compare without case, as Windows names do).
struct Row : model::EventRecord {
    std::string hostKey;
};

/// Which log an event id belongs to: ids overlap between channels (System 1/10/25 are not Sysmon's).
enum class Log { Sysmon, Security };

/// True when a comes before b: by time, then within one input by record id (or position). Events of different
/// inputs in the same millisecond count as simultaneous, so both orders are accepted.
bool notAfter(const Row& a, const Row& b);

/**
 * Read-only access to a case for one detection run: its own connection, the rows each event id needs (loaded
 * once and shared by rules), input paths for evidence.
 */
class CaseData
{
    Q_DISABLE_COPY_MOVE(CaseData)
public:
    CaseData() = default;
    bool open(const std::string& casePath, std::string& error);
    /// Scans (rows, select, selectForSubjects) read only events at or after this time from now on; look-ups by
    /// process are not bounded. The incremental mode of live feeds.
    void setSince(int64_t utcMs) { m_since = utcMs; }

    /// Rows of one event id from one log, ordered by time, input and position. Cached for the run.
    const std::vector<Row>& rows(int eventId, Log log, const std::atomic_bool* cancel);
    /// Rows matching a fixed SQL condition written in the code (never text from a log or a rule file), in the
    /// same order; cached by the condition. Used with the detection indexes' exact terms.
    const std::vector<Row>& select(const std::string& condition, Log log, const std::atomic_bool* cancel);
    /// Rows for a fixed condition from processes in `subjectGuids` only (bound as one JSON array, walked through the
    /// subject GUID index), in the same order; cached by the condition for the run (one set per condition). A rule
    /// that pairs events of the same source reads the few sources of its rarer event instead of every row.
    const std::vector<Row>& selectForSubjects(const std::string& condition, const std::vector<std::string>& subjectGuids,
                                              Log log, const std::atomic_bool* cancel);
    /// Rows for a fixed condition with bound integer (?1...) and text (?N after the integers) parameters.
    std::vector<Row> lookup(const std::string& condition, Log log, const std::vector<int64_t>& ints,
                            const std::vector<std::string>& texts = {});
    /// The Sysmon 1 of a process (host key and GUID), cached for the run; null when the case has none.
    const Row* creationOf(const std::string& hostKey, const std::string& guid);
    /// The files (DLLs) a process loaded, from its Sysmon 7 events, lower case; cached for the run.
    const std::vector<std::string>& imagesLoadedBy(const std::string& hostKey, const std::string& guid);
    bool has(int eventId, Log log);
    int64_t eventCount();
    const std::string& inputPath(int64_t inputId);
    model::EvidenceRef evidence(const Row& row, const char* role);
    void interrupt() { m_db.interrupt(); }
    const std::string& lastError() const { return m_error; }

private:
    model::Database m_db;
    std::optional<int64_t> m_since;
    std::string scanWhere(const std::string& condition, Log log) const;
    void readRows(model::EventReader& reader, std::vector<Row>& out, const std::atomic_bool* cancel);
    std::map<std::pair<std::string, int>, std::vector<Row>> m_cache;
    std::unordered_map<int64_t, std::string> m_inputs;
    // Prepared once per condition: rules look up thousands of processes (their creation, their image loads).
    std::map<std::pair<std::string, int>, std::unique_ptr<model::EventReader>> m_lookups;
    std::unordered_map<std::string, std::unique_ptr<Row>> m_creations;
    std::unordered_map<std::string, std::vector<std::string>> m_loads;
    std::unique_ptr<model::EventReader> m_loadsReader;
    std::string m_error;
};

using model::baseName;
using model::containsI;
using model::endsWithI;
using model::lowerAscii;

} // namespace dscope::detection
