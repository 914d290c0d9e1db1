// SPDX-License-Identifier: MIT
#include "alert.h"

#include <map>

namespace dscope::model {

std::vector<std::pair<std::string, int>> alertsPerRule(const AlertSet& set)
{
    std::map<std::string, int> counts;
    for (const Alert& a : set.alerts)
        ++counts[a.ruleId];
    return {counts.begin(), counts.end()};
}

std::string alertsPerRuleText(const AlertSet& set)
{
    std::string text;
    for (const auto& [rule, n] : alertsPerRule(set))
        text += (text.empty() ? "" : ", ") + rule + " " + std::to_string(n);
    return text;
}

} // namespace dscope::model
