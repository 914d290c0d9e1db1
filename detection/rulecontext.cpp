// SPDX-License-Identifier: MIT
#include "rulecontext.h"

#include "caseindexes.h"
#include "pathpattern.h"
#include "domain/accessmask.h"
#include "domain/normalize.h"

#include <algorithm>

namespace dscope::detection {

bool compileRule(const Rule& rule, const RuleSet& set, CompiledRule& out, std::string& error)
{
    if (!describeRule(rule, set, out.description, error))
        return false;
    for (const Selection& s : out.description.selections)
        if (!out.steps[s.name].compile(s, set, rule.id, error))
            return false;
    const Correlation& c = out.description.correlation;
    for (const std::string& k : c.by) {
        out.keys.push_back(model::eventFieldNamed(k));
        if (out.keys.back() == model::EventField::Count) {
            error = rule.id + ": correlation.by: no event field named '" + k + "'";
            return false;
        }
    }
    return out.excused.compileConditions(c.excused, rule.id + ": correlation.excused", error)
           && out.helper.compileConditions(out.description.helper, rule.id + ": alert.helper", error);
}

const StepFilter& RuleContext::step(const std::string& name) const
{
    const auto it = compiled->steps.find(name);
    if (it != compiled->steps.end())
        return it->second;
    missingStep = name;
    return StepFilter::none();
}

const Selection& RuleContext::selection(const std::string& name) const
{
    static const Selection empty;
    if (const Selection* s = compiled->description.selection(name))
        return *s;
    missingStep = name;
    return empty;
}

bool RuleContext::allowListed(const Row& r) const { return allowListedFor(set, rule.id, r); }

const AddressClass* RuleContext::startAddressClass(const Row& r) const { return startAddressClassFor(set, rule.id, r); }

bool RuleContext::excusedByParent(const Selection& step, const Row& row) const
{
    const auto program = std::find_if(step.excuseStartedBy.begin(), step.excuseStartedBy.end(),
                                      [&](const Rule::StartedBy& p) { return matchesPath(row.subjectImage, p.image); });
    if (program == step.excuseStartedBy.end())
        return false;
    const Row* created = data.creationOf(row.hostKey, row.subjectGuid);
    return created && matchesPath(created->parentImage, program->parent);
}

bool allowListedFor(const RuleSet& set, const std::string& ruleId, const Row& r)
{
    for (const AllowEntry& a : set.allowList()) {
        if (std::find(a.rules.begin(), a.rules.end(), ruleId) == a.rules.end())
            continue;
        if (!a.sourceImage.empty() && !endsWithI(r.subjectImage, a.sourceImage))
            continue;
        if (!a.targetImage.empty() && !endsWithI(r.targetImage, a.targetImage))
            continue;
        if (!a.startFunction.empty() && lowerAscii(r.startFunction) != a.startFunction)
            continue;
        return true;
    }
    return false;
}

const AddressClass* startAddressClassFor(const RuleSet& set, const std::string& ruleId, const Row& r)
{
    if (r.startAddress.empty())
        return nullptr;
    for (const AddressClass& c : set.addressClasses())
        if (std::find(c.rules.begin(), c.rules.end(), ruleId) != c.rules.end() && c.matches(r.startAddress))
            return &c;
    return nullptr;
}

Acc& AlertTable::at(const Row& row, const model::AlertProcess& source, const model::AlertProcess& target)
{
    // GUIDs identify a process instance; without them PID + image is the best available key.
    const std::string srcKey = source.guid.empty() ? std::to_string(source.pid) + '|' + lowerAscii(source.image) : source.guid;
    const std::string tgtKey = target.guid.empty() ? std::to_string(target.pid) + '|' + lowerAscii(target.image) : target.guid;
    const std::string key = row.hostKey + '\x1f' + srcKey + '\x1f' + tgtKey;
    auto it = m_entries.find(key);
    if (it != m_entries.end())
        return it->second;
    Acc& acc = m_entries[key];
    model::Alert& a = acc.alert;
    a.ruleId = m_ctx.rule.id;
    a.ruleName = m_ctx.rule.name;
    a.technique = m_ctx.rule.technique;
    a.severity = m_ctx.rule.severity;
    a.host = row.host;
    a.source = source;
    a.target = target;
    a.firstUtcMs = row.utcMs;
    a.lastUtcMs = row.utcMs;
    a.checklistKey = m_ctx.rule.checklistKey;
    return acc;
}

void AlertTable::addEvidence(Acc& acc, const Row& row, const char* role)
{
    acc.alert.firstUtcMs = std::min(acc.alert.firstUtcMs, row.utcMs);
    acc.alert.lastUtcMs = std::max(acc.alert.lastUtcMs, row.utcMs);
    if (acc.evidenceIds.size() >= m_ctx.maxEvidence || !acc.evidenceIds.insert(row.id).second)
        return;
    acc.alert.evidence.push_back(m_ctx.data.evidence(row, role));
}

void AlertTable::addMask(Acc& acc, uint32_t mask, model::access::ObjectType type)
{
    if (!acc.masks.insert(mask).second)
        return;
    const auto d = model::access::decode(mask, type);
    acc.alert.masks.push_back({int64_t(mask), type, model::access::hex(mask) + " = " + d.names});
}

void AlertTable::gap(Acc& acc, int64_t ms)
{
    acc.minGapMs = acc.minGapMs < 0 ? ms : std::min(acc.minGapMs, ms);
    acc.maxGapMs = std::max(acc.maxGapMs, ms);
}

void AlertTable::appendTo(std::vector<model::Alert>& out)
{
    for (auto& [key, acc] : m_entries) {
        // Evidence in time order, ties by input and record, as the rules reason about it.
        std::stable_sort(acc.alert.evidence.begin(), acc.alert.evidence.end(),
                         [](const model::EvidenceRef& a, const model::EvidenceRef& b) {
                             if (a.utcMs != b.utcMs)
                                 return a.utcMs < b.utcMs;
                             return a.eventRowId < b.eventRowId;
                         });
        out.push_back(std::move(acc.alert));
    }
    m_entries.clear();
}

model::AlertProcess sourceOf(const Row& r) { return {r.subjectGuid, r.subjectPid, r.subjectImage}; }
model::AlertProcess targetOf(const Row& r) { return {r.targetGuid, r.targetPid, r.targetImage}; }
model::AlertProcess parentOf(const Row& r) { return {r.parentGuid, r.parentPid, r.parentImage}; }

std::string fmtMs(int64_t ms)
{
    if (ms < 1000)
        return std::to_string(ms) + " ms";
    const int64_t tenths = (ms + 50) / 100;
    return std::to_string(tenths / 10) + '.' + std::to_string(tenths % 10) + " s";
}

std::string describeRow(CaseData& data, const Row& r)
{
    const bool security = r.eventId == 4985 || r.eventId == 4656 || r.eventId == 4688;
    std::string s = (security ? "Security " : "Sysmon ") + std::to_string(r.eventId);
    s += " at " + model::normalize::isoUtc(r.utcMs);
    if (r.recordId >= 0)
        s += " (record " + std::to_string(r.recordId);
    else
        s += " (position " + std::to_string(r.position);
    const std::string& path = data.inputPath(r.inputId);
    s += " in " + std::string(baseName(path)) + ")";
    return s;
}

std::string handleCondition(uint32_t mask)
{
    // The default masks give the indexed terms verbatim; a rule file's other mask gives the same form, unindexed.
    return "event_id = 10 AND " + where::handleWith(mask);
}

bool sameProcess(const Row& r)
{
    if (!r.subjectGuid.empty() && !r.targetGuid.empty())
        return r.subjectGuid == r.targetGuid;
    return r.subjectPid >= 0 && r.subjectPid == r.targetPid;
}

} // namespace dscope::detection
