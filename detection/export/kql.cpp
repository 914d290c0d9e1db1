// SPDX-License-Identifier: MIT
// KQL for Microsoft Sentinel over Sysmon events parsed into columns by Sysmon's names (a function named SysmonEvents,
// as the Sysmon parsers for the Event table provide), with a note on what Defender for Endpoint's tables can and
// cannot stand in for.
#include "exportpatterns.h"
#include "ruleexport.h"

#include <sstream>

namespace dscope::detection {

namespace {

std::string verbatim(const std::string& s)
{
    // KQL verbatim string: no escapes, a quote doubled.
    std::string out = "@\"";
    for (char c : s)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

class Writer
{
public:
    Writer(const RuleDescription& rule, const RuleSet& set) : m_rule(rule), m_set(set) {}

    std::string field(const Selection& s, const std::string& name) const
    {
        const std::string f = fieldName(FieldSet::Raw, s.log, s.eventId, name);
        return f.empty() ? "\"\"" : "tostring(" + f + ")";
    }

    std::string number(const std::string& f) const
    {
        return "tolong(strcat(\"0x\", replace_regex(" + f + ", @\"^0[xX]\", \"\")))";
    }

    std::string condition(const Selection& s, const Condition& c) const
    {
        const std::string f = c.op == Condition::Op::AnyOf ? std::string() : field(s, c.field);
        auto any = [&](const char* op, const std::vector<std::string>& values) {
            std::string e;
            for (const auto& v : values)
                e += (e.empty() ? "" : " or ") + f + " " + op + " " + verbatim(v);
            return "(" + e + ")";
        };
        std::string e;
        switch (c.op) {
        case Condition::Op::Present: e = "isnotempty(" + f + ")"; break;
        case Condition::Op::Equals: {
            std::string list;
            for (const auto& v : c.values)
                list += (list.empty() ? "" : ", ") + verbatim(v);
            e = f + " in~ (" + list + ")";
            break;
        }
        case Condition::Op::EndsWith: e = any("endswith", c.values); break;
        case Condition::Op::StartsWith: e = any("startswith", c.values); break;
        case Condition::Op::Contains: e = any("contains", c.values); break;
        case Condition::Op::PathPattern: {
            std::vector<std::string> res;
            for (const auto& v : c.values)
                res.push_back("(?i)" + pathPatternRegex(v));
            e = any("matches regex", res);
            break;
        }
        case Condition::Op::AllBits: e = "binary_and(" + number(f) + ", " + std::to_string(c.mask) + ") == " + std::to_string(c.mask); break;
        case Condition::Op::AnyMask:
            for (uint32_t m : c.masks)
                e += (e.empty() ? "" : " or ") + std::string("binary_and(") + number(f) + ", " + std::to_string(m) + ") == " + std::to_string(m);
            e = "(" + e + ")";
            break;
        case Condition::Op::MaskIn: {
            std::string list;
            for (uint32_t m : c.masks)
                list += (list.empty() ? "" : ", ") + std::to_string(m);
            e = number(f) + " in (" + list + ")";
            break;
        }
        case Condition::Op::SameAs: e = "(isnotempty(" + f + ") and " + f + " =~ " + field(s, c.values.front()) + ")"; break;
        case Condition::Op::AnyOf:
            for (const Condition& inner : c.any)
                e += (e.empty() ? "" : " or ") + condition(s, inner);
            e = "(" + e + ")";
            break;
        }
        return c.negate ? "not(" + e + ")" : e;
    }

    std::string selection(const Selection& s) const
    {
        std::ostringstream q;
        q << "let " << s.name << " = " << (s.log == "security" ? "SecurityEvent" : "SysmonEvents") << "\n    | where EventID == " << s.eventId;
        for (const Condition& c : s.where)
            q << "\n    | where " << condition(s, c);
        if (s.allowLists)
            for (const AllowEntry& a : m_set.allowList()) {
                if (std::find(a.rules.begin(), a.rules.end(), m_rule.id) == a.rules.end())
                    continue;
                std::string entry;
                auto add = [&](const std::string& x) { entry += (entry.empty() ? "" : " and ") + x; };
                if (!a.sourceImage.empty())
                    add(field(s, "subjectImage") + " endswith " + verbatim(a.sourceImage));
                if (!a.targetImage.empty())
                    add(field(s, "targetImage") + " endswith " + verbatim(a.targetImage));
                if (!a.startFunction.empty())
                    add(field(s, "startFunction") + " =~ " + verbatim(a.startFunction));
                q << "\n    | where not(" << entry << ") // allow-list " << a.id;
            }
        if (s.kernelStartAddresses)
            for (const AddressClass& c : m_set.addressClasses())
                if (c.verdict == AddressClass::Verdict::NotUserCode
                    && std::find(c.rules.begin(), c.rules.end(), m_rule.id) != c.rules.end())
                    q << "\n    | where not(" << field(s, "startAddress") << " matches regex " << verbatim(hexRangeRegex(c.from, c.to, c.width / 4))
                      << ") // start address class " << c.id;
        auto guid = [&](const char* name) { return "tolower(trim(@\"[{}]\", " + field(s, name) + "))"; };
        q << "\n    | project host_key = tolower(Computer), host = Computer, time = TimeGenerated, subjectGuid = " << guid("subjectGuid")
          << ", targetGuid = " << guid("targetGuid") << ", parentGuid = " << guid("parentGuid") << ", creatorGuid = \"\", rid = new_guid();\n";
        return q.str();
    }

    std::string write() const
    {
        std::ostringstream q;
        q << exportHeader(m_rule, ExportFormat::Kql, FieldSet::Raw, "// ");
        q << "// Microsoft Sentinel: SysmonEvents is a function that returns Sysmon events with one column per field under\n"
             "// Sysmon's names (as the Sysmon parsers for the Event table do); Security events come from SecurityEvent.\n"
             "// Defender for Endpoint has no Sysmon: DeviceEvents with ActionType OpenProcessApiCall stands in for Sysmon 10\n"
             "// (DesiredAccess in AdditionalFields) and CreateRemoteThreadApiCall for Sysmon 8; DeviceProcessEvents for\n"
             "// Sysmon 1. Lost there: process GUIDs (match on DeviceId, process ids and creation times instead), the CallTrace,\n"
             "// StartModule and StartFunction, Sysmon 25, and the Security 4985/4656 transaction events.\n";
        for (const Selection& s : m_rule.selections)
            q << selection(s);
        const Correlation& c = m_rule.correlation;
        // The creator's GUID needs the process's own Sysmon 1: not looked up here (the header says so), left empty.
        const std::string src = m_rule.sourceField == "creator.parentGuid" ? "creatorGuid" : m_rule.sourceField, tgt = m_rule.targetField;
        std::string keys;
        for (const std::string& k : c.by)
            keys += (keys.empty() ? "" : ", ") + (k == "host" ? std::string("host_key") : k);
        const std::string tail = "| project rule = " + verbatim(m_rule.id) + ", host, source_guid = " + src + ", target_guid = " + tgt
                                 + ", first_utc, last_utc, count\n";
        switch (c.type) {
        case Correlation::Type::Single: {
            std::string all;
            for (const Selection& s : m_rule.selections)
                all += (all.empty() ? "" : ", ") + s.name;
            q << "union " << all << "\n| summarize host = take_any(host), first_utc = min(time), last_utc = max(time), count = count() by host_key, "
              << src << ", " << tgt << "\n" << tail;
            break;
        }
        case Correlation::Type::Ordered:
        case Correlation::Type::Join:
            q << c.steps[0] << "\n| join kind=inner (" << c.steps[1] << ") on " << keys << "\n";
            if (c.type == Correlation::Type::Ordered)
                q << "| where time1 between (time .. time + " << c.windowMs << "ms)\n";
            q << "| summarize host = take_any(host1), first_utc = min(time), last_utc = max(time1), count = dcount(rid1) by host_key, "
              << src << "1, " << tgt << "1\n| project-rename " << src << " = " << src << "1, " << tgt << " = " << tgt << "1\n" << tail;
            break;
        case Correlation::Type::Child: break; // exported as singleEventForm (ruleexport.cpp)
        case Correlation::Type::Count:
            q << c.steps[0] << "\n"
              << "| join kind=inner (" << c.steps[0] << " | project " << keys << ", later = time) on " << keys << "\n"
              << "| where later between (time .. time + " << c.windowMs << "ms)\n"
              << "| summarize in_window = count() by host_key, " << src << ", " << tgt << ", rid, host, time\n"
              << "| summarize host = take_any(host), first_utc = min(time), last_utc = max(time), count = dcount(rid), peak = max(in_window) by host_key, "
              << src << ", " << tgt << "\n| where peak >= " << std::max<int64_t>(2, c.minCount) << "\n" << tail;
            break;
        }
        return q.str();
    }

private:
    const RuleDescription& m_rule;
    const RuleSet& m_set;
};

} // namespace

std::string exportKql(const RuleDescription& rule, const RuleSet& set)
{
    return Writer(rule, set).write();
}

} // namespace dscope::detection
