// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dscope::model {

/// Where an analyst stands on an alert. Benign and false positive need a reason: a later reader must know why.
enum class TriageState { New, InProgress, TruePositive, Benign, FalsePositive };

/// "new", "in progress", "true positive", "benign", "false positive": the words of the case file, JSON and views.
const char* triageStateName(TriageState s);
std::optional<TriageState> parseTriageState(std::string_view word);
/// Benign and false positive are closed and need a reason.
bool triageNeedsReason(TriageState s);
/// Still to be worked on: new or in progress.
bool triageIsOpen(TriageState s);

/// An analyst's decision on an alert: what, why, who and when.
struct Triage {
    TriageState state = TriageState::New;
    std::string reason;
    std::string analyst;
    int64_t utcMs = 0; ///< when it was decided; 0 for a new alert nobody has looked at
    bool operator==(const Triage&) const = default;
};

} // namespace dscope::model
