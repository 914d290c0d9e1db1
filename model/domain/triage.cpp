// SPDX-License-Identifier: MIT
#include "triage.h"

namespace dscope::model {

namespace {
constexpr TriageState kStates[] = {TriageState::New, TriageState::InProgress, TriageState::TruePositive,
                                   TriageState::Benign, TriageState::FalsePositive};
}

const char* triageStateName(TriageState s)
{
    switch (s) {
    case TriageState::New: return "new";
    case TriageState::InProgress: return "in progress";
    case TriageState::TruePositive: return "true positive";
    case TriageState::Benign: return "benign";
    case TriageState::FalsePositive: return "false positive";
    }
    return "new";
}

std::optional<TriageState> parseTriageState(std::string_view word)
{
    for (TriageState s : kStates)
        if (word == triageStateName(s))
            return s;
    return std::nullopt;
}

bool triageNeedsReason(TriageState s) { return s == TriageState::Benign || s == TriageState::FalsePositive; }

bool triageIsOpen(TriageState s) { return s == TriageState::New || s == TriageState::InProgress; }

} // namespace dscope::model
