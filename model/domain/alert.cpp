// SPDX-License-Identifier: MIT
#include "alert.h"

#include <map>

namespace dscope::model {

namespace {

std::string processKey(const AlertProcess& p)
{
    if (!p.guid.empty())
        return p.guid;
    std::string image = p.image;
    for (char& c : image)
        if (c >= 'A' && c <= 'Z')
            c = char(c - 'A' + 'a');
    return "pid " + std::to_string(p.pid) + " " + image;
}

} // namespace

std::string alertIdentity(const Alert& a)
{
    // Each part with its length in front: whatever bytes a log puts in a host or an image, two different tuples
    // never spell the same identity.
    std::string id;
    for (const std::string& part : {a.ruleId, a.host, processKey(a.source), processKey(a.target)})
        id += std::to_string(part.size()) + ':' + part;
    return id;
}

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
