// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
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
/// Handles holding every bit of `mask` (an integer, written here: nothing from outside enters the SQL text).
std::string handleWith(uint32_t mask);
/// R1's handles (access::kInjectionSet) and the draft's (access::kDraftMask).
std::string injectionHandle();
std::string draftHandle();
inline constexpr const char* kLsassHandle = "target_image LIKE '%\\lsass.exe'";
inline constexpr const char* kPathlessTarget = "instr(target_image, '\\') = 0";
inline constexpr const char* kPathlessSubject = "instr(subject_image, '\\') = 0";
} // namespace where

} // namespace dscope::detection
