// SPDX-License-Identifier: MIT
#pragma once

#include "domain/alert.h"
#include "storage/database.h"

#include <QtCore/qglobal.h>

#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

namespace dscope::model {
class Statement;
}

namespace dscope::detection {

/// One event as the rules see it: the columns correlation needs, absent integers as -1.
struct Row {
    int64_t id = 0, inputId = 0, position = -1, recordId = -1, utcMs = 0, eventId = 0;
    std::string host, hostKey;   ///< as logged; lower-cased for joins
    std::string srcGuid, srcImage, tgtGuid, tgtImage, parentGuid, parentImage;
    int64_t srcPid = -1, tgtPid = -1, parentPid = -1;
    int64_t access = -1;         ///< GrantedAccess / AccessMask, -1 when absent
    std::string callTrace, startAddress, startModule, startFunction, commandLine, user, targetFilename,
        transactionId, transactionState, detail;
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

    /// Rows of one event id from one log, ordered by time, input and position. Cached for the run.
    const std::vector<Row>& rows(int eventId, Log log, const std::atomic_bool* cancel);
    /// Rows matching a fixed SQL condition written in the code (never text from a log or a rule file), in the
    /// same order; cached by the condition. Used with the detection indexes' exact terms.
    const std::vector<Row>& select(const std::string& condition, Log log, const std::atomic_bool* cancel);
    /// Rows for a fixed condition with bound integer (?1...) and text (?N after the integers) parameters.
    std::vector<Row> lookup(const std::string& condition, Log log, const std::vector<int64_t>& ints,
                            const std::vector<std::string>& texts = {});
    bool has(int eventId, Log log);
    int64_t eventCount();
    const std::string& inputPath(int64_t inputId);
    model::EvidenceRef evidence(const Row& row, const char* role);
    void interrupt() { m_db.interrupt(); }
    const std::string& lastError() const { return m_error; }

private:
    model::Database m_db;
    void readRows(model::Statement& st, std::vector<Row>& out, const std::atomic_bool* cancel);
    std::map<std::pair<std::string, int>, std::vector<Row>> m_cache;
    std::unordered_map<int64_t, std::string> m_inputs;
    std::string m_error;
};

std::string lower(std::string_view s);
/// Case-insensitive suffix test on a lower-cased pattern ("\\lsass.exe").
bool endsWithI(std::string_view text, std::string_view lowerSuffix);
bool containsI(std::string_view text, std::string_view lowerNeedle);
/// File name part of a Windows path.
std::string_view baseName(std::string_view path);

} // namespace dscope::detection
