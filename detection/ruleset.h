// SPDX-License-Identifier: MIT
#pragma once

#include "domain/severity.h"

#include <QtCore/QJsonObject>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dscope::detection {

/// One rule as the rule file defines it: identity, documentation and logic parameters. The logic itself is in
/// the engine; the file decides thresholds, masks and lists so they can be tuned without a rebuild.
struct Rule {
    std::string id;          ///< "R1"
    std::string name;
    std::string technique;
    model::Severity severity = model::Severity::Medium; ///< base severity; rules may raise it per alert
    std::string description;
    bool enabledByDefault = true;
    std::vector<int> eventIds;
    QJsonObject params;
    /// The declarative description ("logic"): selections, correlation, alert keys (export/ruledescription.h).
    QJsonObject logic;
    std::vector<std::string> blindSpots;
    std::vector<std::string> falsePositives;
    std::string checklistKey; ///< the response checklist (resources/checklists/checklists.json)

    int64_t intParam(const char* key, int64_t fallback) const;
    /// The rule's longest correlation window (its "...WindowMs" parameters), 0 for a rule of single events.
    int64_t windowMs() const;
    /// A mask written as decimal or "0x" hex text.
    uint32_t maskParam(const char* key, uint32_t fallback) const;
    std::vector<uint32_t> maskList(const char* key) const;
    /// Lower-cased strings.
    std::vector<std::string> stringList(const char* key) const;

    /// A known-benign program, recognised by its image and by the program that starts it (path patterns).
    struct StartedBy {
        std::string image, parent, why;
    };
    /// A list of {"image", "parent", "why"} objects (R3's known-benign images, R8's known tools).
    std::vector<StartedBy> startedByList(const char* key) const;
};

/// A known-benign pattern, suppressing alerts of the listed rules. Empty fields match anything.
struct AllowEntry {
    std::string id;
    std::vector<std::string> rules;
    std::string sourceImage;   ///< lower-case path suffix
    std::string targetImage;
    std::string startFunction; ///< exact, case-insensitive
    std::string why;
};

/**
 * A class of thread start addresses (Sysmon 8 StartAddress) that says where the new thread's first instruction
 * lives, whoever Sysmon names as the source. Kernel space is the case in point: win32k starts threads in csrss.exe
 * (and other session processes) on behalf of any GUI process at kernel addresses, and Sysmon names that GUI process
 * as the source; code a user-mode process injects cannot start there.
 */
struct AddressClass {
    enum class Verdict {
        NotUserCode,   ///< the thread runs no code a user-mode process brought in: not evidence of injection
        LowerSeverity, ///< ambiguous: kept, at `severity`
    };
    std::string id;
    std::vector<std::string> rules;
    int width = 0;             ///< 64 or 32: the address as Sysmon writes it on a 64- or 32-bit system
    uint64_t from = 0, to = 0; ///< inclusive
    Verdict verdict = Verdict::NotUserCode;
    model::Severity severity = model::Severity::Low; ///< for LowerSeverity
    std::string why;

    /// Whether the address text falls in the class. Sysmon writes 16 hex digits on 64-bit Windows and 8 on 32-bit;
    /// a value above 32 bits is 64-bit whatever its spelling. A shorter spelling of a 32-bit value has no width and
    /// matches no 32-bit class: it might be a low 64-bit user address, which stays alerted.
    bool matches(std::string_view address) const;
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
    /// The rule file's "version": it changes whenever a rule's logic or data does.
    int version() const { return m_version; }
    const Rule* find(const std::string& id) const;
    /// The longest correlation window of any rule (every "...WindowMs" parameter): how far back an incremental run
    /// must read to see a chain whose last event is new.
    int64_t longestWindowMs() const;
    const std::vector<AllowEntry>& allowList() const { return m_allow; }
    const std::vector<AddressClass>& addressClasses() const { return m_addressClasses; }

private:
    int m_version = 0;
    std::vector<Rule> m_rules;
    std::vector<AllowEntry> m_allow;
    std::vector<AddressClass> m_addressClasses;
};

/// A mask as the rule file writes it: a number, or decimal or "0x" hex text; nothing when it is neither or too wide.
std::optional<uint32_t> parseMask(const QJsonValue& v);

/// Default location of the rule file embedded in the application.
inline constexpr const char* kEmbeddedRules = ":/rules/rules.json";

} // namespace dscope::detection
