// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string_view>

namespace dscope::model {

/// How urgent an alert is, in increasing order: comparisons (<, std::max) rank them.
enum class Severity { Low, Medium, High, Critical };

/// "low", "medium", "high", "critical": the words of the rule file, the JSON output and the views.
const char* severityName(Severity s);
/// The severity a word names (as severityName writes it), or nothing.
std::optional<Severity> parseSeverity(std::string_view word);

} // namespace dscope::model
