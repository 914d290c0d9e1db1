// SPDX-License-Identifier: MIT
// Splunk SPL over Sysmon events as the Splunk Add-on for Sysmon indexes them (XmlWinEventLog, fields by Sysmon's
// names). Chains with streamstats over events sorted by time; masks with bit_and (Splunk 9.0 or later).
#include "exportpatterns.h"
#include "ruleexport.h"

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

std::string regexEscape(const std::string& s)
{
    std::string out;
    for (char c : s) {
        if (std::string(".\\+*?()[]{}^$|").find(c) != std::string::npos)
            out += '\\';
        out += c;
    }
    return out;
}

class Writer
{
public:
    Writer(const RuleDescription& rule, const RuleSet& set) : m_rule(rule), m_set(set) {}

    std::string field(const Selection& s, const std::string& name) const
    {
        const std::string f = fieldName(FieldSet::Raw, s.log, s.eventId, name);
        return f.empty() ? "null()" : f;
    }

    std::string number(const std::string& f) const { return "tonumber(replace(" + f + ", \"^0[xX]\", \"\"), 16)"; }

    std::string condition(const Selection& s, const Condition& c) const
    {
        const std::string f = c.op == Condition::Op::AnyOf ? std::string() : field(s, c.field);
        auto any = [&](const std::vector<std::string>& regexes) {
            std::string e;
            for (const auto& r : regexes)
                e += (e.empty() ? "" : " OR ") + std::string("match(lower(") + f + "), " + quoted(r) + ")";
            return "(" + e + ")";
        };
        std::vector<std::string> res;
        std::string e;
        switch (c.op) {
        case Condition::Op::Present: e = "(isnotnull(" + f + ") AND " + f + "!=\"\")"; break;
        case Condition::Op::Equals:
            for (const auto& v : c.values) res.push_back("^" + regexEscape(v) + "$");
            e = any(res);
            break;
        case Condition::Op::EndsWith:
            for (const auto& v : c.values) res.push_back(regexEscape(v) + "$");
            e = any(res);
            break;
        case Condition::Op::StartsWith:
            for (const auto& v : c.values) res.push_back("^" + regexEscape(v));
            e = any(res);
            break;
        case Condition::Op::Contains:
            for (const auto& v : c.values) res.push_back(regexEscape(v));
            e = any(res);
            break;
        case Condition::Op::PathPattern:
            for (const auto& v : c.values) res.push_back(pathPatternRegex(v));
            e = any(res);
            break;
        case Condition::Op::AllBits:
            e = "bit_and(" + number(f) + ", " + std::to_string(c.mask) + ")==" + std::to_string(c.mask);
            break;
        case Condition::Op::AnyMask:
            for (uint32_t m : c.masks)
                e += (e.empty() ? "" : " OR ") + std::string("bit_and(") + number(f) + ", " + std::to_string(m) + ")==" + std::to_string(m);
            e = "(" + e + ")";
            break;
        case Condition::Op::MaskIn: {
            for (uint32_t m : c.masks)
                e += (e.empty() ? "" : " OR ") + number(f) + "==" + std::to_string(m);
            e = "(" + e + ")";
            break;
        }
        case Condition::Op::SameAs:
            e = "(" + f + "!=\"\" AND lower(" + f + ")==lower(" + field(s, c.values.front()) + "))";
            break;
        case Condition::Op::AnyOf:
            for (const Condition& inner : c.any)
                e += (e.empty() ? "" : " OR ") + condition(s, inner);
            e = "(" + e + ")";
            break;
        }
        // A missing field makes an eval test null, which `where` and NOT would drop: if() makes it false.
        return "if(" + e + ", 1, 0)==" + (c.negate ? "0" : "1");
    }

    std::string selection(const Selection& s) const
    {
        std::string e = "EventCode==" + std::to_string(s.eventId);
        for (const Condition& c : s.where)
            e += " AND " + condition(s, c);
        if (s.allowLists)
            for (const AllowEntry& a : m_set.allowList()) {
                if (std::find(a.rules.begin(), a.rules.end(), m_rule.id) == a.rules.end())
                    continue;
                std::string entry;
                auto add = [&](const std::string& x) { entry += (entry.empty() ? "" : " AND ") + x; };
                if (!a.sourceImage.empty())
                    add("match(lower(" + field(s, "subjectImage") + "), " + quoted(regexEscape(a.sourceImage) + "$") + ")");
                if (!a.targetImage.empty())
                    add("match(lower(" + field(s, "targetImage") + "), " + quoted(regexEscape(a.targetImage) + "$") + ")");
                if (!a.startFunction.empty())
                    add("lower(" + field(s, "startFunction") + ")==" + quoted(a.startFunction));
                e += " AND if(" + entry + ", 1, 0)==0";
            }
        if (s.kernelStartAddresses)
            for (const AddressClass& c : m_set.addressClasses())
                if (c.verdict == AddressClass::Verdict::NotUserCode
                    && std::find(c.rules.begin(), c.rules.end(), m_rule.id) != c.rules.end())
                    e += " AND if(match(" + field(s, "startAddress") + ", " + quoted(hexRangeRegex(c.from, c.to, c.width / 4)) + "), 1, 0)==0";
        return e;
    }

    std::string guid(const Selection& s, const std::string& name) const
    {
        return "lower(trim(" + field(s, name) + ", \"{}\"))";
    }

    std::string write() const
    {
        std::ostringstream q;
        q << exportHeader(m_rule, ExportFormat::Spl, FieldSet::Raw, "``` ");
        std::string sources;
        bool security = false, sysmon = false;
        for (const Selection& s : m_rule.selections)
            (s.log == "security" ? security : sysmon) = true;
        q << "``` Over the Splunk Add-on for Sysmon (XmlWinEventLog) and Windows Security events; bit_and needs Splunk 9.0 or later. ```\n";
        q << "search (" << (sysmon ? "source=\"XmlWinEventLog:Microsoft-Windows-Sysmon/Operational\"" : "")
          << (sysmon && security ? " OR " : "") << (security ? "source=\"*WinEventLog:Security\"" : "") << ")\n";
        // Each event's step, and its alert keys under one name whatever the event spells them.
        q << "| eval step=case(";
        for (size_t i = 0; i < m_rule.selections.size(); ++i) {
            const Selection& s = m_rule.selections[i];
            q << (i ? ",\n    " : "\n    ") << selection(s) << ", " << quoted(s.name);
        }
        q << ")\n| where isnotnull(step)\n| eval host_key=lower(Computer)";
        for (const char* key : {"subjectGuid", "targetGuid", "parentGuid"}) {
            q << ", " << key << "=case(";
            for (size_t i = 0; i < m_rule.selections.size(); ++i) {
                const Selection& s = m_rule.selections[i];
                q << (i ? ", " : "") << "step==" << quoted(s.name) << ", " << guid(s, key);
            }
            q << ")";
        }
        q << ", creatorGuid=\"\"\n";
        const Correlation& c = m_rule.correlation;
        // The creator's GUID needs the process's own Sysmon 1: not looked up here (the header says so), left empty.
        const std::string src = m_rule.sourceField == "creator.parentGuid" ? "creatorGuid" : m_rule.sourceField, tgt = m_rule.targetField;
        const std::string out = "| stats min(first_time) as first_time, max(_time) as last_time, count by host_key, " + src + ", " + tgt
                                + "\n| eval rule=" + quoted(m_rule.id) + ", first_utc=strftime(first_time, \"%Y-%m-%dT%H:%M:%S.%3QZ\"), "
                                  "last_utc=strftime(last_time, \"%Y-%m-%dT%H:%M:%S.%3QZ\")\n| rename host_key as host, " + src
                                + " as source_guid, " + tgt + " as target_guid\n| table rule host source_guid target_guid first_utc last_utc count\n";
        std::string by;
        for (const std::string& k : c.by)
            by += (by.empty() ? "" : " ") + (k == "host" ? std::string("host_key") : k);
        switch (c.type) {
        case Correlation::Type::Single: q << "| eval first_time=_time\n" << out; break;
        case Correlation::Type::Ordered:
            q << "| sort 0 _time\n| eval " << c.steps[0] << "_time=if(step==" << quoted(c.steps[0]) << ", _time, null())\n"
              << "| streamstats last(" << c.steps[0] << "_time) as first_time by " << by << "\n"
              << "| where step==" << quoted(c.steps[1]) << " AND _time>=first_time AND _time-first_time<=" << double(c.windowMs) / 1000.0 << "\n"
              << out;
            break;
        case Correlation::Type::Child: break; // exported as singleEventForm (ruleexport.cpp)
        case Correlation::Type::Count:
            q << "| sort 0 _time\n| streamstats time_window=" << c.windowMs / 1000 << "s count as in_window by " << by << "\n"
              << "| eventstats max(in_window) as peak by " << by << "\n| where peak>=" << std::max<int64_t>(2, c.minCount)
              << "\n| eval first_time=_time\n" << out;
            break;
        case Correlation::Type::Join:
            q << "| eventstats dc(step) as kinds, min(_time) as first_time by " << by << "\n| where kinds==2 AND step=="
              << quoted(c.steps[1]) << "\n" << out;
            break;
        }
        return q.str();
    }

private:
    const RuleDescription& m_rule;
    const RuleSet& m_set;
};

} // namespace

std::string exportSpl(const RuleDescription& rule, const RuleSet& set)
{
    return Writer(rule, set).write();
}

} // namespace dscope::detection
