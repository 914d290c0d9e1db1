// SPDX-License-Identifier: MIT
#include "exercisescore.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <map>

namespace dscope::model {

namespace {

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return s;
}

std::string guidKey(const std::string& guid)
{
    std::string g = lower(guid);
    g.erase(std::remove_if(g.begin(), g.end(), [](char c) { return c == '{' || c == '}'; }), g.end());
    return g;
}

} // namespace

ExerciseScore scoreExercise(const std::vector<ExpectedAlert>& answerKey, const std::vector<Accusation>& accused, int64_t seconds)
{
    ExerciseScore score;
    score.seconds = seconds;
    std::map<std::pair<std::string, std::string>, size_t> culpritIndex;
    std::map<std::pair<std::string, std::string>, bool> victims;
    const auto addCulprit = [&](const ExpectedAlert& a, const std::string& guid, const std::string& image) {
        const auto key = std::make_pair(lower(a.host), guidKey(guid));
        auto [it, added] = culpritIndex.try_emplace(key, score.culprits.size());
        if (added)
            score.culprits.push_back({a.host, key.second, image, a.attack, {}, false});
        auto& rules = score.culprits[it->second].rules;
        if (std::find(rules.begin(), rules.end(), a.rule) == rules.end())
            rules.push_back(a.rule);
    };
    for (const ExpectedAlert& a : answerKey) {
        if (!a.sourceGuid.empty())
            addCulprit(a, a.sourceGuid, a.sourceImage);
        if (a.rule == "R8") // the credential dump's target is its victim, not the attacker's
            victims[{lower(a.host), guidKey(a.targetGuid)}] = true;
        else if (!a.targetGuid.empty())
            addCulprit(a, a.targetGuid, a.targetImage);
    }
    for (const auto& [key, index] : culpritIndex)
        victims.erase(key); // a process that is both (never in the story) counts as a culprit
    std::map<std::pair<std::string, std::string>, bool> seen;
    for (const Accusation& a : accused) {
        const auto key = std::make_pair(lower(a.host), guidKey(a.guid));
        if (!seen.try_emplace(key, true).second)
            continue; // the same process tagged twice (two of its events, say)
        if (auto it = culpritIndex.find(key); it != culpritIndex.end())
            score.culprits[it->second].found = true;
        else if (!victims.count(key))
            score.wronglyAccused.push_back(a);
    }
    for (const Culprit& c : score.culprits)
        (c.found ? score.found : score.missed) += 1;
    const int total = int(score.culprits.size());
    const int found = total ? score.found * 100 / total : 0;
    score.points = std::max(0, found - 10 * int(score.wronglyAccused.size()));
    return score;
}

std::vector<ExpectedAlert> parseAnswerKey(const std::string& jsonLines)
{
    std::vector<ExpectedAlert> out;
    size_t at = 0;
    while (at < jsonLines.size()) {
        size_t end = jsonLines.find('\n', at);
        if (end == std::string::npos)
            end = jsonLines.size();
        const QJsonObject o = QJsonDocument::fromJson(QByteArray(jsonLines.data() + at, qsizetype(end - at))).object();
        at = end + 1;
        if (o.isEmpty())
            continue;
        const auto text = [&](const char* key) { return o.value(QLatin1String(key)).toString().toStdString(); };
        out.push_back({text("rule"), text("host"), text("source_guid"), text("target_guid"), text("attack"),
                       text("source_image"), text("target_image")});
    }
    return out;
}

} // namespace dscope::model
