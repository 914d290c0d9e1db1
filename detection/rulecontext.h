// SPDX-License-Identifier: MIT
#pragma once

#include "casedata.h"
#include "ruleset.h"
#include "stepfilter.h"

#include "domain/alert.h"

#include <atomic>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace dscope::detection {

/// A rule's description (the rule file's "logic") with its event selections compiled for the engine.
struct CompiledRule {
    RuleDescription description;
    std::map<std::string, StepFilter> steps;
    StepFilter excused; ///< a child correlation's excused processes (R6); matches nothing when it has none
    StepFilter helper;  ///< one alert per target: the holders that are helpers, not the creator (R4); likewise
    std::vector<model::EventField> keys; ///< the correlation's "by": what the events of one chain share
};

/// Describes and compiles a rule; false with error (naming the rule and the place) when its description is
/// missing or names something that does not exist.
bool compileRule(const Rule& rule, const RuleSet& set, CompiledRule& out, std::string& error);

/// What one rule evaluation gets: its definition, the rule file (allow-lists), the case rows, cancellation.
struct RuleContext {
    const Rule& rule;
    const RuleSet& set;
    CaseData& data;
    const std::atomic_bool* cancel = nullptr;
    size_t maxEvidence = 40;
    const CompiledRule* compiled = nullptr; ///< set for every described rule (the engine refuses to run one without)

    /// A step the rule's code asks for that its description does not have (an edited rule file): the engine
    /// reports it as the rule's error.
    mutable std::string missingStep;

    /// The compiled selection `name` of the rule's description: what the rule takes of that step's events. A step
    /// the description lacks matches nothing and is noted in missingStep.
    const StepFilter& step(const std::string& name) const;
    /// The step's selection as described (its excused programs); an empty one, noted likewise, when it lacks it.
    const Selection& selection(const std::string& name) const;
    const Correlation& correlation() const { return compiled->description.correlation; }
    /// The row's key under the correlation's "by" (host, source and target GUIDs for R1 and R7).
    std::string key(const Row& row) const { return correlationKey(row, compiled->keys); }
    /// R6: the state change's process is one the rule excuses unless its child comes from the transaction.
    bool excused(const Row& row) const { return compiled->excused.matches(row); }
    /// R4: the handle's holder is a helper process, not the new process's creator.
    bool helper(const Row& row) const { return compiled->helper.matches(row); }
    /// True when the step excuses the row's process by its usual parent (excuseStartedBy), as its own Sysmon 1 names.
    bool excusedByParent(const Selection& step, const Row& row) const;

    bool cancelled() const { return cancel && cancel->load(std::memory_order_relaxed); }
    /// True when an allow-list entry for this rule covers the event (a known-benign pattern).
    bool allowListed(const Row& r) const;
    /// The rule file's class of the row's thread start address for this rule, if one matches.
    const AddressClass* startAddressClass(const Row& r) const;
};

/// True when an allow-list entry of the rule file for this rule covers the event.
bool allowListedFor(const RuleSet& set, const std::string& ruleId, const Row& r);
/// The rule file's class of the row's thread start address for this rule, if one matches.
const AddressClass* startAddressClassFor(const RuleSet& set, const std::string& ruleId, const Row& r);

/// One alert being built: the value plus what the rule collects for its explanation.
struct Acc {
    model::Alert alert;
    std::set<int64_t> evidenceIds;
    const Row* first = nullptr;      ///< first qualifying event of the first kind (handle, tampering, ...)
    const Row* second = nullptr;     ///< first event of the second kind (thread, child, file, ...)
    int64_t minGapMs = -1, maxGapMs = -1;
    int64_t nFirst = 0, nSecond = 0;
    std::set<std::string> values;    ///< start modules, types, states ... as the rule needs
    std::set<std::string> flags;     ///< reasons the severity was raised
    std::set<uint32_t> masks;
};

/// Alerts of one rule, one per host, source and target.
class AlertTable
{
public:
    explicit AlertTable(RuleContext& ctx) : m_ctx(ctx) {}

    /// The alert for (host, source, target), created from the row's fields on first use.
    Acc& at(const Row& row, const model::AlertProcess& source, const model::AlertProcess& target);
    void addEvidence(Acc& acc, const Row& row, const char* role);
    void addMask(Acc& acc, uint32_t mask, model::access::ObjectType type = model::access::ObjectType::Process);
    void gap(Acc& acc, int64_t ms);

    std::map<std::string, Acc>& entries() { return m_entries; }
    void appendTo(std::vector<model::Alert>& out);

private:
    RuleContext& m_ctx;
    std::map<std::string, Acc> m_entries; // ordered key: stable output order
};

model::AlertProcess sourceOf(const Row& r);
model::AlertProcess targetOf(const Row& r);
model::AlertProcess parentOf(const Row& r);
std::string describeRow(CaseData& data, const Row& r);
std::string fmtMs(int64_t ms);
/// The SQL condition for Sysmon 10 handles holding every bit of mask: the indexed terms for the default masks.
std::string handleCondition(uint32_t mask);
/// Same process on both sides (by GUID, or by PID when GUIDs are missing).
bool sameProcess(const Row& r);

// Rule implementations, by family.
void runR0(RuleContext& ctx, std::vector<model::Alert>& out);
void runR1(RuleContext& ctx, std::vector<model::Alert>& out);
void runR2(RuleContext& ctx, std::vector<model::Alert>& out);
void runR7(RuleContext& ctx, std::vector<model::Alert>& out);
void runR8(RuleContext& ctx, std::vector<model::Alert>& out);
void runR3(RuleContext& ctx, std::vector<model::Alert>& out);
void runR4(RuleContext& ctx, std::vector<model::Alert>& out);
void runR5(RuleContext& ctx, std::vector<model::Alert>& out);
void runR6(RuleContext& ctx, std::vector<model::Alert>& out);

} // namespace dscope::detection
