// SPDX-License-Identifier: MIT
#pragma once

#include "domain/alert.h"
#include "domain/importreport.h"

#include <string>
#include <string_view>
#include <vector>

namespace dscope::model {

class InputBytes;

/**
 * Alert rows from outside the workbench: the JSON lines a team's run of the exported Spark SQL returns (one object
 * per alert with rule, host, source_guid, target_guid, first_utc, last_utc and count, as `df.write.json` or
 * `toJSON` writes them). They are alerts, not events: they import as the case's alerts, marked with where they came
 * from, for triage; the events behind them are elsewhere.
 */
namespace alertrows {

/// True when the first JSON object of `head` is such a row (it has rule, host, source_guid and target_guid, and no
/// event field).
bool looksLikeAlertRows(std::string_view head);

/// Longest line read; longer ones are skipped with their line number.
inline constexpr size_t kMaxLineBytes = 64 * 1024;
/// Largest file of alert rows read (about a million alerts); a larger one is refused with the reason.
inline constexpr int64_t kMaxFileBytes = int64_t(256) << 20;

/// Reads every row of input. A row that is not valid (not an object, no rule or host, a time that does not parse,
/// a field too long) is skipped and reported with its line in report (skipped, issues). `origin` names the input
/// in each alert's origin and explanation. False with error only when the input cannot be read at all.
bool read(InputBytes& input, const std::string& origin, std::vector<Alert>& out, InputReport& report,
          std::string& error);

} // namespace alertrows
} // namespace dscope::model
