// SPDX-License-Identifier: MIT
#pragma once

#include <string>

namespace dscope::detection {

/**
 * Partial indexes over the few rows each rule reads (handles with injection rights, handles to lsass.exe,
 * pathless images). With them a run reads thousands of rows instead of every Sysmon 10 of the case.
 * Best effort and idempotent: when the case is read-only or a writer holds it, the rules still run, by scan.
 */
bool ensureDetectionIndexes(const std::string& casePath, std::string* error = nullptr);

/// The WHERE terms the indexes cover; rule queries use them verbatim so SQLite can prove the index applies.
namespace where {
// Each index is on (event_id, utc_ms) like events_eid_time, so the planner prefers the smaller partial one
// for "event_id = 10 AND <term>" and still gets time order.
inline constexpr const char* kInjectionHandle = "(granted_access & 42) = 42";
inline constexpr const char* kDraftHandle = "(granted_access & 5184) = 5184";
inline constexpr const char* kLsassHandle = "target_image LIKE '%\\lsass.exe'";
inline constexpr const char* kPathlessTarget = "instr(target_image, '\\') = 0";
inline constexpr const char* kPathlessSubject = "instr(subject_image, '\\') = 0";
} // namespace where

} // namespace dscope::detection
