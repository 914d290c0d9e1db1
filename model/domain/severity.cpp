// SPDX-License-Identifier: MIT
#include "severity.h"

namespace dscope::model {

const char* severityName(Severity s)
{
    switch (s) {
    case Severity::Low: return "low";
    case Severity::Medium: return "medium";
    case Severity::High: return "high";
    case Severity::Critical: return "critical";
    }
    return "low";
}

std::optional<Severity> parseSeverity(std::string_view word)
{
    for (Severity s : {Severity::Low, Severity::Medium, Severity::High, Severity::Critical})
        if (word == severityName(s))
            return s;
    return std::nullopt;
}

} // namespace dscope::model
