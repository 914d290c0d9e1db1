// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/QJsonObject>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace dscope::detection {

/// One rule as the rule file defines it: identity, documentation and logic parameters. The logic itself is in
/// the engine; the file decides thresholds, masks and lists so they can be tuned without a rebuild.
struct Rule {
    std::string id;          ///< "R1"
    std::string name;
    std::string technique;
    std::string severity;    ///< base severity; rules may raise it per alert
    std::string description;
    bool enabledByDefault = true;
    std::vector<int> eventIds;
    QJsonObject params;
    std::vector<std::string> blindSpots;
    std::vector<std::string> falsePositives;
    std::string checklistKey;

    int64_t intParam(const char* key, int64_t fallback) const;
    /// A mask written as decimal or "0x" hex text.
    uint32_t maskParam(const char* key, uint32_t fallback) const;
    std::vector<uint32_t> maskList(const char* key) const;
    /// Lower-cased strings.
    std::vector<std::string> stringList(const char* key) const;
};

/// A known-benign pattern, suppressing alerts of the listed rules. Empty fields match anything.
struct AllowEntry {
    std::string id;
    std::vector<std::string> rules;
    std::string sourceImage;   ///< lower-case path suffix
    std::string targetImage;
    std::string startFunction; ///< exact, case-insensitive
    bool kernelStartAddress = false;
    std::string why;
};

struct Checklist {
    std::string key;
    std::string title;
    std::vector<std::string> steps;
};

/// The parsed rule file.
class RuleSet
{
public:
    /// Parses rule-file JSON; on failure returns nothing and says why (with the rule index or key).
    static std::optional<RuleSet> fromJson(const QByteArray& json, std::string& error);
    /// Reads a file path or a Qt resource path (":/rules/rules.json").
    static std::optional<RuleSet> fromFile(const QString& path, std::string& error);

    const std::vector<Rule>& rules() const { return m_rules; }
    const Rule* find(const std::string& id) const;
    const std::vector<AllowEntry>& allowList() const { return m_allow; }
    const Checklist* checklist(const std::string& key) const;
    const std::map<std::string, Checklist>& checklists() const { return m_checklists; }

private:
    std::vector<Rule> m_rules;
    std::vector<AllowEntry> m_allow;
    std::map<std::string, Checklist> m_checklists;
};

/// Default location of the rule file embedded in the application.
inline constexpr const char* kEmbeddedRules = ":/rules/rules.json";

} // namespace dscope::detection
