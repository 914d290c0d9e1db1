// SPDX-License-Identifier: MIT
// Sigma: a rule per event selection, and a correlation rule (temporal_ordered, event_count) tying them for the
// rules that chain events. Fields are Sysmon's own names, Sigma's convention; backends' pipelines rename them.
#include "exportpatterns.h"
#include "ruleexport.h"

#include <QtCore/QUuid>

#include <set>
#include <sstream>

namespace dscope::detection {

namespace {

/// A YAML single-quoted scalar ('' for a quote).
std::string yaml(const std::string& s)
{
    std::string out = "'";
    for (char c : s)
        out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
}

std::string uuidFor(const std::string& name)
{
    // A namespace of the project's own: the same rule always gets the same id.
    static const QUuid ns(QStringLiteral("{5b3f0e2a-6c1d-4f7e-9a41-d0d0e1000000}"));
    return QUuid::createUuidV5(ns, QString::fromStdString(name)).toString(QUuid::WithoutBraces).toStdString();
}

std::string ruleName(const RuleDescription& r, const Selection& s)
{
    std::string id = r.id;
    for (char& c : id)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    return "doppelscope_" + id + "_" + s.name;
}

std::string timespan(int64_t ms)
{
    return ms % 60000 == 0 ? std::to_string(ms / 60000) + "m" : ms % 1000 == 0 ? std::to_string(ms / 1000) + "s" : std::to_string(ms) + "ms";
}

class Writer
{
public:
    Writer(const RuleDescription& rule, const RuleSet& set) : m_rule(rule), m_set(set) {}

    std::string field(const Selection& s, const std::string& name) const
    {
        return fieldName(FieldSet::Raw, s.log, s.eventId, name);
    }

    /// One search block (its lines, without the block name) for a condition, or empty with `why` set when Sigma
    /// cannot say it.
    bool block(const Selection& s, const Condition& c, std::string& lines, std::string& why) const
    {
        const std::string f = field(s, c.field);
        if (f.empty()) {
            why = "the event has no field for " + c.field;
            return false;
        }
        auto list = [](const std::vector<std::string>& values) {
            std::string out;
            for (const auto& v : values)
                out += "            - " + yaml(v) + "\n";
            return out;
        };
        switch (c.op) {
        // Present means a value, not an empty one: a regex for any character (anchored backends need the +).
        case Condition::Op::Present: lines = "        " + f + "|re: '.+'\n"; return true;
        case Condition::Op::Equals: lines = "        " + f + ":\n" + list(c.values); return true;
        case Condition::Op::EndsWith: lines = "        " + f + "|endswith:\n" + list(c.values); return true;
        case Condition::Op::StartsWith: lines = "        " + f + "|startswith:\n" + list(c.values); return true;
        case Condition::Op::Contains: lines = "        " + f + "|contains:\n" + list(c.values); return true;
        case Condition::Op::PathPattern: {
            std::vector<std::string> res;
            for (const auto& v : c.values)
                res.push_back(pathPatternRegex(v));
            lines = "        " + f + "|re|i:\n" + list(res);
            return true;
        }
        case Condition::Op::AllBits: lines = "        " + f + "|re: " + yaml(maskBitsRegex(c.mask)) + "\n"; return true;
        case Condition::Op::AnyMask:
        case Condition::Op::MaskIn: {
            std::vector<std::string> res;
            for (uint32_t m : c.masks)
                res.push_back(c.op == Condition::Op::AnyMask ? maskBitsRegex(m) : maskValueRegex(m));
            lines = "        " + f + "|re:\n" + list(res);
            return true;
        }
        case Condition::Op::SameAs:
            lines = "        " + f + "|fieldref: " + field(s, c.values.front()) + "\n";
            return true;
        case Condition::Op::AnyOf: why = "nested"; return false;
        }
        return false;
    }

    /// The detection section of one selection's rule; false with why when Sigma cannot express it.
    bool detection(const Selection& s, std::string& out, std::string& why) const
    {
        std::ostringstream d;
        d << "detection:\n    selection:\n        EventID: " << s.eventId << "\n";
        std::vector<std::string> terms{"selection"};
        int n = 0;
        auto add = [&](const Condition& c, const std::string& prefix) -> bool {
            std::string lines;
            if (!block(s, c, lines, why))
                return false;
            const std::string name = prefix + std::to_string(++n);
            d << "    " << name << ":\n" << lines;
            terms.push_back((c.negate ? "not " : "") + name);
            return true;
        };
        for (const Condition& c : s.where) {
            if (c.op != Condition::Op::AnyOf) {
                if (!add(c, c.negate ? "filter_" : "match_"))
                    return false;
                continue;
            }
            std::vector<std::string> alternatives;
            for (const Condition& inner : c.any) {
                std::string lines;
                if (!block(s, inner, lines, why))
                    return false;
                const std::string name = "any_" + std::to_string(++n);
                d << "    " << name << ":\n" << lines;
                alternatives.push_back((inner.negate ? "not " : "") + name);
            }
            std::string group;
            for (const auto& a : alternatives)
                group += (group.empty() ? "" : " or ") + a;
            terms.push_back((c.negate ? "not (" : "(") + group + ")");
        }
        if (s.allowLists)
            for (const AllowEntry& a : m_set.allowList()) {
                if (std::find(a.rules.begin(), a.rules.end(), m_rule.id) == a.rules.end())
                    continue;
                const std::string name = "filter_allow_" + std::to_string(++n);
                d << "    " << name << ": # " << a.id << "\n";
                if (!a.sourceImage.empty())
                    d << "        " << field(s, "subjectImage") << "|endswith: " << yaml(a.sourceImage) << "\n";
                if (!a.targetImage.empty())
                    d << "        " << field(s, "targetImage") << "|endswith: " << yaml(a.targetImage) << "\n";
                if (!a.startFunction.empty())
                    d << "        " << field(s, "startFunction") << ": " << yaml(a.startFunction) << "\n";
                terms.push_back("not " + name);
            }
        if (s.kernelStartAddresses)
            for (const AddressClass& c : m_set.addressClasses()) {
                if (c.verdict != AddressClass::Verdict::NotUserCode
                    || std::find(c.rules.begin(), c.rules.end(), m_rule.id) == c.rules.end())
                    continue;
                const std::string name = "filter_address_" + std::to_string(++n);
                d << "    " << name << ": # " << c.id << "\n        " << field(s, "startAddress") << "|re: "
                  << yaml(hexRangeRegex(c.from, c.to, c.width / 4)) << "\n";
                terms.push_back("not " + name);
            }
        std::string condition;
        for (const auto& t : terms)
            condition += (condition.empty() ? "" : " and ") + t;
        d << "    condition: " << condition << "\n";
        out = d.str();
        return true;
    }

    std::string document(const Selection& s, bool named, std::string& why) const
    {
        std::string detectionText;
        if (!detection(s, detectionText, why))
            return {};
        std::ostringstream d;
        // Machine-readable, for whoever turns matches back into alerts (and for the tests): the alert's key fields.
        d << "# Alert key: " << field(s, "host") << ", " << orDash(field(s, m_rule.sourceField)) << ", "
          << orDash(field(s, m_rule.targetField)) << "\n";
        d << "title: " << yaml(m_rule.id + " " + m_rule.name + (m_rule.selections.size() > 1 ? " (" + s.name + ")" : "")) << "\n"
          << "id: " << uuidFor(m_rule.id + "/" + s.name) << "\n";
        if (named)
            d << "name: " << ruleName(m_rule, s) << "\n";
        d << "status: experimental\n"
          << "description: " << yaml(m_rule.description) << "\n"
          << "author: Doppelscope rule set version " << m_rule.version << "\n"
          << "tags:\n    - attack.defense-evasion\n    - attack.privilege-escalation\n    - attack." << lower(m_rule.technique) << "\n"
          << "logsource:\n    product: windows\n    service: " << (s.log == "security" ? "security" : "sysmon") << "\n"
          << detectionText << "falsepositives:\n";
        for (const auto& f : m_rule.falsePositives)
            d << "    - " << yaml(f) << "\n";
        if (m_rule.falsePositives.empty())
            d << "    - Unknown\n";
        d << "level: " << (m_rule.severity == "critical" ? "critical" : m_rule.severity) << "\n";
        if (named)
            d << "generate: false\n";
        return d.str();
    }

    static std::string orDash(const std::string& s) { return s.empty() ? std::string("-") : s; }

    static std::string lower(std::string s)
    {
        for (char& c : s)
            c = char(std::tolower(static_cast<unsigned char>(c)));
        return s;
    }

    std::string write(bool& expressible) const
    {
        std::ostringstream out;
        out << exportHeader(m_rule, ExportFormat::Sigma, FieldSet::Raw, "# ");
        const Correlation& c = m_rule.correlation;
        if (c.type == Correlation::Type::Join) {
            expressible = false;
            out << "# Not expressible in Sigma: the draft joins its two events on the source GUID at any distance in time,\n"
                   "# and every Sigma correlation needs a timespan.\n";
            return out.str();
        }
        const bool correlated = c.type != Correlation::Type::Single;
        bool first = true;
        for (const Selection& s : m_rule.selections) {
            std::string why;
            const std::string doc = document(s, correlated, why);
            if (doc.empty()) {
                expressible = false;
                out << "# Not expressible in Sigma: " << why << "\n";
                return out.str();
            }
            out << (first ? "" : "---\n") << doc;
            first = false;
        }
        if (!correlated)
            return out.str();
        // The keys: Sysmon 8 and 10 spell the GUID fields differently; aliases give each rule's own name.
        out << "---\ntitle: " << yaml(m_rule.id + " " + m_rule.name) << "\nid: " << uuidFor(m_rule.id) << "\n"
            << "status: experimental\ndescription: " << yaml(m_rule.description) << "\n"
            << "author: Doppelscope rule set version " << m_rule.version << "\n"
            << "correlation:\n    type: " << (c.type == Correlation::Type::Ordered ? "temporal_ordered" : "event_count") << "\n    rules:\n";
        for (const std::string& step : c.steps)
            out << "        - " << ruleName(m_rule, *m_rule.selection(step)) << "\n";
        out << "    group-by:\n";
        const Selection& only = *m_rule.selection(c.steps.front());
        for (const std::string& k : c.by)
            out << "        - " << (c.steps.size() == 1 ? fieldName(FieldSet::Raw, only.log, only.eventId, k) : aliasName(k)) << "\n";
        out << "    timespan: " << timespan(c.windowMs) << "\n";
        if (c.type == Correlation::Type::Count)
            out << "    condition:\n        gte: " << std::max<int64_t>(2, c.minCount) << "\n";
        // Aliases only where the steps spell a key differently (backends without alias support then still convert
        // a rule of one event kind, such as R7's count).
        std::string aliases;
        for (const std::string& k : c.by) {
            std::set<std::string> spellings;
            std::string lines;
            for (const std::string& step : c.steps) {
                const Selection& s = *m_rule.selection(step);
                spellings.insert(fieldName(FieldSet::Raw, s.log, s.eventId, k));
                lines += "            " + ruleName(m_rule, s) + ": " + fieldName(FieldSet::Raw, s.log, s.eventId, k) + "\n";
            }
            if (spellings.size() > 1)
                aliases += "        " + aliasName(k) + ":\n" + lines;
        }
        if (!aliases.empty())
            out << "    aliases:\n" << aliases;
        out << "level: " << m_rule.severity << "\n";
        return out.str();
    }

    static std::string aliasName(const std::string& key)
    {
        return key == "host" ? "Host" : key == "subjectGuid" ? "SourceGuid" : key == "targetGuid" ? "TargetGuid" : key;
    }

private:
    const RuleDescription& m_rule;
    const RuleSet& m_set;
};

} // namespace

std::string exportSigma(const RuleDescription& rule, const RuleSet& set, bool& expressible)
{
    expressible = true;
    return Writer(rule, set).write(expressible);
}

} // namespace dscope::detection
