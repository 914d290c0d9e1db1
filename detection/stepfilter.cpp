// SPDX-License-Identifier: MIT
#include "stepfilter.h"

#include "pathpattern.h"
#include "rulecontext.h"

#include <algorithm>

namespace dscope::detection {

namespace {

using model::EventField;

bool present(const Row& row, EventField f)
{
    return model::isIntegerField(f) ? row.integer(f) >= 0 : !row.text(f).empty();
}

} // namespace

std::string correlationKey(const Row& row, const std::vector<EventField>& fields)
{
    std::string key;
    for (size_t i = 0; i < fields.size(); ++i) {
        const EventField f = fields[i];
        if (i > 0)
            key += '\x1f'; // between every two values, empty ones too: ("", "x") and ("x", "") differ
        if (f == EventField::Host)
            key += row.hostKey;
        else if (model::isIntegerField(f))
            key += std::to_string(row.integer(f));
        else
            key += row.text(f);
    }
    return key;
}

bool StepFilter::compileTest(const Condition& c, Test& out, const std::string& where, std::string& error) const
{
    out.op = c.op;
    out.values = c.values;
    out.mask = c.mask;
    out.masks = c.masks;
    out.negate = c.negate;
    if (c.op == Condition::Op::AnyOf) {
        for (size_t i = 0; i < c.any.size(); ++i) {
            Test inner;
            if (!compileTest(c.any[i], inner, where + ".anyOf[" + std::to_string(i) + "]", error))
                return false;
            out.any.push_back(std::move(inner));
        }
        return true;
    }
    out.field = model::eventFieldNamed(c.field);
    if (out.field == EventField::Count) {
        error = where + ": no event field named '" + c.field + "'";
        return false;
    }
    if (c.op == Condition::Op::SameAs) {
        out.other = c.values.empty() ? EventField::Count : model::eventFieldNamed(c.values.front());
        if (out.other == EventField::Count) {
            error = where + ": sameAs names no event field";
            return false;
        }
    }
    const bool maskOp = c.op == Condition::Op::AllBits || c.op == Condition::Op::AnyMask || c.op == Condition::Op::MaskIn;
    if (maskOp != model::isIntegerField(out.field) && c.op != Condition::Op::Present) {
        error = where + ": " + (maskOp ? "a mask test needs a number field" : "a text test needs a text field") + " ('"
                + c.field + "')";
        return false;
    }
    return true;
}

bool StepFilter::compile(const Selection& selection, const RuleSet& set, const std::string& ruleId, std::string& error)
{
    m_set = &set;
    m_rule = ruleId;
    m_allowLists = selection.allowLists;
    m_kernelStartAddresses = selection.kernelStartAddresses;
    m_eventId = selection.eventId;
    m_log = selection.log == "security" ? Log::Security : Log::Sysmon;
    return compileTests(selection.where, ruleId + ": events." + selection.name + ".where", error);
}

bool StepFilter::compileConditions(const std::vector<Condition>& conditions, const std::string& where, std::string& error)
{
    m_matchesNothing = conditions.empty();
    return compileTests(conditions, where, error);
}

const StepFilter& StepFilter::none()
{
    static const StepFilter filter = [] {
        StepFilter f;
        f.m_matchesNothing = true;
        return f;
    }();
    return filter;
}

bool StepFilter::compileTests(const std::vector<Condition>& conditions, const std::string& where, std::string& error)
{
    m_tests.clear();
    for (size_t i = 0; i < conditions.size(); ++i) {
        Test t;
        if (!compileTest(conditions[i], t, where + "[" + std::to_string(i) + "]", error))
            return false;
        m_tests.push_back(std::move(t));
    }
    return true;
}

bool StepFilter::holds(const Test& t, const Row& row)
{
    bool result = false;
    if (t.op == Condition::Op::AnyOf) {
        result = std::any_of(t.any.begin(), t.any.end(), [&](const Test& inner) { return holds(inner, row); });
    } else if (!present(row, t.field)) {
        result = false; // a missing value fails every test; negated, it passes
    } else {
        const auto texts = [&](auto&& test) {
            const std::string value = lowerAscii(row.text(t.field));
            return std::any_of(t.values.begin(), t.values.end(), [&](const std::string& v) { return test(value, v); });
        };
        const uint32_t number = uint32_t(row.integer(t.field));
        switch (t.op) {
        case Condition::Op::Present: result = true; break;
        case Condition::Op::Equals: result = texts([](const std::string& s, const std::string& v) { return s == v; }); break;
        case Condition::Op::EndsWith:
            result = texts([](const std::string& s, const std::string& v) { return s.size() >= v.size() && s.compare(s.size() - v.size(), v.size(), v) == 0; });
            break;
        case Condition::Op::StartsWith: result = texts([](const std::string& s, const std::string& v) { return s.rfind(v, 0) == 0; }); break;
        case Condition::Op::Contains: result = texts([](const std::string& s, const std::string& v) { return s.find(v) != std::string::npos; }); break;
        case Condition::Op::PathPattern: result = matchesAnyPath(row.text(t.field), t.values); break;
        case Condition::Op::AllBits: result = (number & t.mask) == t.mask; break;
        case Condition::Op::AnyMask:
            result = std::any_of(t.masks.begin(), t.masks.end(), [&](uint32_t m) { return (number & m) == m; });
            break;
        case Condition::Op::MaskIn: result = std::find(t.masks.begin(), t.masks.end(), number) != t.masks.end(); break;
        case Condition::Op::SameAs:
            result = present(row, t.other) && model::equalsIgnoreCase(row.text(t.field), row.text(t.other));
            break;
        case Condition::Op::AnyOf: break;
        }
    }
    return t.negate ? !result : result;
}

bool StepFilter::matches(const Row& row) const
{
    if (m_matchesNothing)
        return false;
    for (const Test& t : m_tests)
        if (!holds(t, row))
            return false;
    if (m_allowLists && allowListedFor(*m_set, m_rule, row))
        return false;
    if (m_kernelStartAddresses) {
        const AddressClass* c = startAddressClassFor(*m_set, m_rule, row);
        if (c && c->verdict == AddressClass::Verdict::NotUserCode)
            return false;
    }
    return true;
}

} // namespace dscope::detection
