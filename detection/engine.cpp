// SPDX-License-Identifier: MIT
#include "engine.h"

#include "caseindexes.h"
#include "casedata.h"
#include "rulecontext.h"
#include "storage/alertstore.h"
#include "storage/database.h"
#include "storage/schema.h"

#include <QtCore/QDateTime>
#include <QtCore/QElapsedTimer>

#include <algorithm>
#include <map>

namespace dscope::detection {

using model::AlertSet;
using model::BlindSpot;

namespace {

using RuleFn = void (*)(RuleContext&, std::vector<model::Alert>&);

const std::map<std::string, RuleFn>& implementations()
{
    static const std::map<std::string, RuleFn> table = {
        {"R0", runR0}, {"R1", runR1}, {"R2", runR2}, {"R3", runR3}, {"R4", runR4},
        {"R5", runR5}, {"R6", runR6}, {"R7", runR7}, {"R8", runR8},
    };
    return table;
}

bool selected(const std::vector<std::string>& ids, const char* id)
{
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

/// What the telemetry in the case cannot show, from the event ids present (research §5.2, §7 UI guidance).
void blindSpots(CaseData& data, const std::vector<std::string>& ids, std::vector<BlindSpot>& out)
{
    const bool s1 = data.has(1, Log::Sysmon), s8 = data.has(8, Log::Sysmon), s10 = data.has(10, Log::Sysmon),
               s11 = data.has(11, Log::Sysmon), s25 = data.has(25, Log::Sysmon), e4688 = data.has(4688, Log::Security),
               e4985 = data.has(4985, Log::Security), e4656 = data.has(4656, Log::Security);
    auto add = [&](const char* rule, std::string message) {
        if (!*rule || selected(ids, rule))
            out.push_back({rule, std::move(message)});
    };
    if (!s10) {
        add("R0", "No Sysmon 10 (ProcessAccess) in the case: the draft analytic can never fire.");
        add("R1", "No Sysmon 10 (ProcessAccess) in the case: R1 is blind (SwiftOnSecurity's configuration logs none). "
                  "R2 still sees remote threads.");
        add("R4", "No Sysmon 10 in the case: the creator's handle to a section-created process is invisible; R4 is blind.");
        add("R8", "No Sysmon 10 in the case: handles to lsass.exe are invisible; only remote threads into it are seen.");
    }
    if (!s8) {
        add("R1", "No Sysmon 8 (CreateRemoteThread) in the case: R1 cannot pair handles with threads.");
        add("R2", "No Sysmon 8 (CreateRemoteThread) in the case: R2 is blind.");
        add("R7", "No Sysmon 8 (CreateRemoteThread) in the case: R7 is blind.");
    } else {
        // SwiftOnSecurity drops every Sysmon 8 starting in kernel32.dll; none at all is a hint of that filter.
        const auto& threads = data.rows(8, Log::Sysmon, nullptr);
        const bool anyKernel32 = std::any_of(threads.begin(), threads.end(),
                                             [](const Row& r) { return endsWithI(r.startModule, "kernel32.dll"); });
        if (!anyKernel32 && threads.size() >= 20)
            add("R2", "None of the " + std::to_string(threads.size()) + " Sysmon 8 events starts in kernel32.dll: if "
                      "the configuration excludes StartModule kernel32.dll (SwiftOnSecurity), LoadLibrary DLL "
                      "injection is invisible.");
    }
    if (!s25)
        add("R3", "No Sysmon 25 (ProcessTampering) in the case: R3 is blind (Sysmon before 13, or the event is "
                  "commented out as in SwiftOnSecurity's configuration).");
    if (!s1 && !e4688) {
        add("R5", "No process creation events (Sysmon 1 or Security 4688): R5 is blind, and R3/R4/R6 cannot name "
                  "parents or children.");
    }
    if (!s11)
        add("R4", "No Sysmon 11 (FileCreate): R4 cannot see the creator writing the image file (Herpaderping "
                  "escalation).");
    if (!e4985)
        add("R6", "No Security 4985: TxF transactions are invisible (needs Audit File System or the privilege-use "
                  "subcategories), so the Transact/Rollback steps of Doppelgänging cannot be seen.");
    if (!e4656)
        add("R6", "No Security 4656: transacted file opens (TransactionId) are invisible (needs a file-system SACL).");
    if (!s8 && !s10 && !s25 && !s1)
        add("", "The case holds no Sysmon process events at all: every injection and tampering rule is blind.");
}

} // namespace

Engine::Engine(RuleSet rules) : m_rules(std::move(rules))
{
    // The rules take their events through their descriptions' selections: compiled here, once per rule set.
    for (const Rule& rule : m_rules.rules()) {
        CompiledRule c;
        std::string error;
        if (compileRule(rule, m_rules, c, error))
            m_compiled.emplace(rule.id, std::move(c));
        else
            m_compileErrors[rule.id] = error;
    }
}

std::vector<std::string> Engine::defaultRuleIds() const
{
    std::vector<std::string> ids;
    for (const Rule& r : m_rules.rules())
        if (r.enabledByDefault)
            ids.push_back(r.id);
    return ids;
}

model::AlertSetPtr Engine::run(const std::string& casePath, const EngineOptions& options,
                               const std::atomic_bool* cancel, const ProgressFn& progress, std::string& error) const
{
    QElapsedTimer timer;
    timer.start();
    const std::vector<std::string> ids = options.ruleIds.empty() ? defaultRuleIds() : options.ruleIds;
    for (const std::string& id : ids) {
        if (!m_rules.find(id)) {
            error = "unknown rule " + id + " (the rule file defines no such id)";
            return nullptr;
        }
        if (!implementations().count(id)) {
            error = "rule " + id + " has no implementation in this build";
            return nullptr;
        }
        if (!m_compiled.count(id)) {
            const auto why = m_compileErrors.find(id);
            error = "rule " + id + " cannot run: " + (why == m_compileErrors.end() ? std::string("no description") : why->second);
            return nullptr;
        }
    }
    CaseData data;
    if (!data.open(casePath, error))
        return nullptr;
    // Incremental: one view of the case per distinct rule window (rules of the same window share their reads).
    std::map<int64_t, std::unique_ptr<CaseData>> windows;
    auto dataFor = [&](const Rule& rule) -> CaseData* {
        if (!options.sinceUtcMs)
            return &data;
        const int64_t since = *options.sinceUtcMs - rule.windowMs() - 1000;
        auto& view = windows[since];
        if (!view) {
            view = std::make_unique<CaseData>();
            if (!view->open(casePath, error))
                return nullptr;
            view->setSince(since);
        }
        return view.get();
    };
    if (options.createIndexes)
        ensureDetectionIndexes(casePath); // best effort: without them the same queries scan

    auto result = std::make_shared<AlertSet>();
    result->eventsScanned = data.eventCount();
    if (progress)
        progress(0, "checking telemetry");
    if (!options.sinceUtcMs) // an incremental pass sees a window: what the case lacks is said by the full runs
        blindSpots(data, ids, result->blindSpots);

    for (size_t i = 0; i < ids.size(); ++i) {
        if (cancel && cancel->load()) {
            error = "cancelled";
            return nullptr;
        }
        const Rule& rule = *m_rules.find(ids[i]);
        if (progress)
            progress(int(5 + 90 * i / ids.size()), "rule " + rule.id + ": " + rule.name);
        CaseData* view = dataFor(rule);
        if (!view)
            return nullptr;
        RuleContext ctx{rule, m_rules, *view, cancel, options.maxEvidence, &m_compiled.at(rule.id)};
        implementations().at(rule.id)(ctx, result->alerts);
        if (!ctx.missingStep.empty()) {
            error = "rule " + rule.id + ": its description has no event selection named '" + ctx.missingStep + "'";
            return nullptr;
        }
        if (!view->lastError().empty()) {
            error = "rule " + rule.id + ": " + view->lastError();
            return nullptr;
        }
    }
    if (cancel && cancel->load()) {
        error = "cancelled";
        return nullptr;
    }
    // Severity first, then time: the analyst reads the worst first.
    std::stable_sort(result->alerts.begin(), result->alerts.end(), [&](const model::Alert& a, const model::Alert& b) {
        if (a.severity != b.severity)
            return a.severity > b.severity;
        return a.firstUtcMs < b.firstUtcMs;
    });
    if (options.persist) {
        if (progress)
            progress(97, "storing the alerts in the case");
        model::Database db;
        std::string storeError;
        if (!db.open(casePath) || !model::schema::prepareForWriting(db, storeError)
            || !model::alertstore::merge(db, *result, options.sinceUtcMs ? std::vector<std::string>{} : ids,
                                         m_rules.version(), QDateTime::currentMSecsSinceEpoch(), storeError))
            result->storeError = storeError.empty() ? db.lastError() : storeError;
        else if (!options.sinceUtcMs)
            appendImported(db, *result);
    }
    result->seconds = double(timer.nsecsElapsed()) / 1e9;
    if (progress)
        progress(100, "done");
    return result;
}

void Engine::appendImported(model::Database& db, model::AlertSet& set) const
{
    // Alerts a team's run of the exported rules raised elsewhere, imported for triage, that this run did not raise
    // from the case's own events: listed after the workbench's, named and ranked by their rule.
    for (model::Alert& a : model::alertstore::importedAlerts(db)) {
        if (const Rule* rule = m_rules.find(a.ruleId)) {
            a.ruleName = rule->name;
            a.technique = rule->technique;
            a.severity = rule->severity;
            a.checklistKey = rule->checklistKey;
        } else {
            a.ruleName = "Imported alert of a rule this rule set does not have";
        }
        set.alerts.push_back(std::move(a));
    }
}

} // namespace dscope::detection
