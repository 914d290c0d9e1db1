// SPDX-License-Identifier: MIT
#pragma once

#include "casedata.h"
#include "export/ruledescription.h"

#include <string>
#include <vector>

namespace dscope::detection {

/**
 * One event selection of a rule's description (its log, event id and conditions, with the rule file's allow-list
 * and kernel start-address classes when the selection asks for them), compiled once for the engine: the test the
 * rules apply to each row of that step, so that what a rule selects is written once, in the rule file, for the
 * engine and the exporters alike. What a selection cannot say (a look-up of another event, a severity) stays in
 * the rule's code.
 */
/// The correlation key of a row: the values of `fields` (the description's "by"), the host without case.
std::string correlationKey(const Row& row, const std::vector<model::EventField>& fields);

class StepFilter
{
public:
    /// False with error (naming the rule, the step and the field) when a condition names no event field.
    bool compile(const Selection& selection, const RuleSet& set, const std::string& ruleId, std::string& error);
    /// Conditions alone, without a log or the rule file's lists (R6's excused processes, R4's helpers); `where`
    /// names them in an error. With no conditions the filter matches nothing.
    bool compileConditions(const std::vector<Condition>& conditions, const std::string& where, std::string& error);
    /// A filter that matches nothing: what a rule gets for a step its description does not have.
    static const StepFilter& none();

    /// Whether the row passes every condition (a missing value fails a test; a negated test on it passes, as in
    /// the exported forms), is not allow-listed and does not start at a kernel address.
    bool matches(const Row& row) const;

    int eventId() const { return m_eventId; }
    Log log() const { return m_log; }

private:
    struct Test {
        Condition::Op op = Condition::Op::Present;
        model::EventField field = model::EventField::Count;
        model::EventField other = model::EventField::Count; ///< SameAs
        std::vector<std::string> values;                    ///< lower case
        uint32_t mask = 0;
        std::vector<uint32_t> masks;
        std::vector<Test> any;
        bool negate = false;
    };
    bool compileTest(const Condition& c, Test& out, const std::string& where, std::string& error) const;
    bool compileTests(const std::vector<Condition>& conditions, const std::string& where, std::string& error);
    static bool holds(const Test& t, const Row& row);

    std::vector<Test> m_tests;
    const RuleSet* m_set = nullptr;
    std::string m_rule;
    bool m_allowLists = false;
    bool m_kernelStartAddresses = false;
    bool m_matchesNothing = false;
    int m_eventId = 0;
    Log m_log = Log::Sysmon;
};

} // namespace dscope::detection
