// SPDX-License-Identifier: MIT
// Elastic EQL: single-event rules as `any where`, ordered chains as `sequence by host.name ... with maxspan=`. Masks are
// tested bit by bit with number(), divide() and modulo() (EQL has no bit operators); strings without case (~).
#include "exportpatterns.h"
#include "ruleexport.h"

#include <set>
#include <sstream>

namespace dscope::detection {

namespace {

std::string quoted(const std::string& s)
{
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + "\"";
}

/// The regex for Elastic's `regex~` (Lucene's syntax: anchored by itself, no ^ or $).
std::string luceneRegex(std::string r)
{
    if (!r.empty() && r.front() == '^')
        r.erase(0, 1);
    if (!r.empty() && r.back() == '$')
        r.pop_back();
    return r;
}

class Writer
{
public:
    Writer(const RuleDescription& rule, const RuleSet& set, FieldSet fields) : m_rule(rule), m_set(set), m_fields(fields) {}

    std::string field(const Selection& s, const std::string& name) const { return fieldName(m_fields, s.log, s.eventId, name); }

    /// One condition; false with why when EQL cannot say it.
    bool condition(const Selection& s, const Condition& c, std::string& out, std::string& why) const
    {
        const std::string f = c.op == Condition::Op::AnyOf ? std::string() : field(s, c.field);
        if (c.op != Condition::Op::AnyOf && f.empty()) {
            why = "the event has no field for " + c.field;
            return false;
        }
        auto anyOf = [&](const char* fn, const std::vector<std::string>& values) {
            std::string e;
            for (const auto& v : values)
                e += (e.empty() ? "" : " or ") + std::string(fn) + "~(" + f + ", " + quoted(v) + ")";
            return "(" + e + ")";
        };
        auto bits = [&](uint32_t mask) {
            std::string e;
            for (int b = 0; b < 32; ++b)
                if (mask & (uint32_t(1) << b))
                    e += (e.empty() ? "" : " and ") + std::string("modulo(divide(number(") + f + ", 16), " + std::to_string(uint64_t(1) << b) + "), 2) == 1";
            return "(" + e + ")";
        };
        std::string e;
        switch (c.op) {
        case Condition::Op::Present: e = "(" + f + " != null and " + f + " != \"\")"; break;
        case Condition::Op::Equals: {
            std::string list;
            for (const auto& v : c.values)
                list += (list.empty() ? "" : ", ") + quoted(v);
            e = f + " : (" + list + ")";
            break;
        }
        case Condition::Op::EndsWith: e = anyOf("endsWith", c.values); break;
        case Condition::Op::StartsWith: e = anyOf("startsWith", c.values); break;
        case Condition::Op::Contains: e = anyOf("stringContains", c.values); break;
        case Condition::Op::PathPattern: {
            for (const auto& v : c.values)
                e += (e.empty() ? "" : " or ") + f + " regex~ " + quoted(luceneRegex(pathPatternRegex(v)));
            e = "(" + e + ")";
            break;
        }
        case Condition::Op::AllBits: e = bits(c.mask); break;
        case Condition::Op::AnyMask:
            for (uint32_t m : c.masks)
                e += (e.empty() ? "" : " or ") + bits(m);
            e = "(" + e + ")";
            break;
        case Condition::Op::MaskIn: {
            std::string list;
            for (uint32_t m : c.masks)
                list += (list.empty() ? "" : ", ") + std::to_string(m);
            e = "number(" + f + ", 16) in (" + list + ")";
            break;
        }
        case Condition::Op::SameAs:
            why = "Elastic EQL does not compare a field with another field (" + f + " with " + field(s, c.values.front()) + ")";
            return false;
        case Condition::Op::AnyOf:
            for (const Condition& inner : c.any) {
                std::string one;
                if (!condition(s, inner, one, why))
                    return false;
                e += (e.empty() ? "" : " or ") + one;
            }
            e = "(" + e + ")";
            break;
        }
        out = c.negate ? "not " + e : e;
        return true;
    }

    bool selection(const Selection& s, std::string& out, std::string& why) const
    {
        const CommonFields& common = commonFields(m_fields);
        std::string e = std::string(common.eventId) + " : " + (m_fields == FieldSet::Ecs ? quoted(std::to_string(s.eventId)) : std::to_string(s.eventId))
                        + " and " + (s.log == "security" ? std::string(common.channel) + " : \"Security\""
                                                          : "stringContains~(" + std::string(common.channel) + ", \"sysmon\")");
        for (const Condition& c : s.where) {
            std::string one;
            if (!condition(s, c, one, why))
                return false;
            e += "\n    and " + one;
        }
        if (s.allowLists)
            for (const AllowEntry& a : m_set.allowList()) {
                if (std::find(a.rules.begin(), a.rules.end(), m_rule.id) == a.rules.end())
                    continue;
                std::string entry;
                auto add = [&](const std::string& x) { entry += (entry.empty() ? "" : " and ") + x; };
                if (!a.sourceImage.empty())
                    add("endsWith~(" + field(s, "subjectImage") + ", " + quoted(a.sourceImage) + ")");
                if (!a.targetImage.empty())
                    add("endsWith~(" + field(s, "targetImage") + ", " + quoted(a.targetImage) + ")");
                if (!a.startFunction.empty())
                    add(field(s, "startFunction") + " : " + quoted(a.startFunction));
                e += "\n    and not (" + entry + ") /* allow-list " + a.id + " */";
            }
        if (s.kernelStartAddresses)
            for (const AddressClass& c : m_set.addressClasses())
                if (c.verdict == AddressClass::Verdict::NotUserCode
                    && std::find(c.rules.begin(), c.rules.end(), m_rule.id) != c.rules.end())
                    e += "\n    and not " + field(s, "startAddress") + " regex~ " + quoted(luceneRegex(hexRangeRegex(c.from, c.to, c.width / 4)))
                         + " /* start address class " + c.id + " */";
        out = e;
        return true;
    }

    std::string write(bool& expressible) const
    {
        std::ostringstream q;
        q << exportHeader(m_rule, ExportFormat::Eql, m_fields, "// ");
        auto notExpressible = [&](const std::string& why) {
            expressible = false;
            q << "// Not expressible in EQL: " << why << "\n";
            return q.str();
        };
        const Correlation& c = m_rule.correlation;
        if (c.type == Correlation::Type::Join)
            return notExpressible("the draft joins its events in either order at any distance; an EQL sequence is ordered.");
        if (c.type == Correlation::Type::Count)
            return notExpressible("a count of events within a window is a threshold, which EQL sequences do not count (use the "
                                  "Sigma event_count or the Spark SQL).");
        // Machine-readable, for whoever turns matches back into alerts (and for the tests): the alert's key fields.
        const Selection& keyed = *m_rule.selection(m_rule.alertStep);
        auto orDash = [](const std::string& s) { return s.empty() ? std::string("-") : s; };
        q << "// Alert key: " << commonFields(m_fields).host << ", " << orDash(field(keyed, m_rule.sourceField)) << ", "
          << orDash(field(keyed, m_rule.targetField)) << "\n";
        std::vector<std::string> parts;
        for (const Selection& s : m_rule.selections) {
            std::string e, why;
            if (!selection(s, e, why))
                return notExpressible(why);
            parts.push_back(e);
        }
        if (c.type == Correlation::Type::Single) {
            q << "any where\n";
            for (size_t i = 0; i < parts.size(); ++i)
                q << (i ? "\n  or " : "  ") << (parts.size() > 1 ? "(" + parts[i] + ")" : parts[i]);
            q << "\n";
            return q.str();
        }
        // Ordered: keys shared by name go in "sequence by"; a key spelled differently per step goes in each step's by.
        const Selection& a = *m_rule.selection(c.steps[0]);
        const Selection& b = *m_rule.selection(c.steps[1]);
        std::string shared, perA, perB;
        for (const std::string& k : c.by) {
            const std::string fa = field(a, k), fb = field(b, k);
            if (fa == fb)
                shared += (shared.empty() ? "" : ", ") + fa;
            else {
                perA += (perA.empty() ? "" : ", ") + fa;
                perB += (perB.empty() ? "" : ", ") + fb;
            }
        }
        const std::string span = c.windowMs % 1000 == 0 ? std::to_string(c.windowMs / 1000) + "s" : std::to_string(c.windowMs) + "ms";
        q << "sequence" << (shared.empty() ? "" : " by " + shared) << " with maxspan=" << span << "\n"
          << "  [any where " << parts[0] << "]" << (perA.empty() ? "" : " by " + perA) << "\n"
          << "  [any where " << parts[1] << "]" << (perB.empty() ? "" : " by " + perB) << "\n";
        return q.str();
    }

private:
    const RuleDescription& m_rule;
    const RuleSet& m_set;
    FieldSet m_fields;
};

} // namespace

std::string exportEql(const RuleDescription& rule, const RuleSet& set, FieldSet fields, bool& expressible)
{
    expressible = true;
    return Writer(rule, set, fields).write(expressible);
}

} // namespace dscope::detection
