// SPDX-License-Identifier: MIT
#pragma once

#include "rulecontext.h"
#include "ruleset.h"

#include "domain/alert.h"

#include <atomic>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace dscope::model {
class Database;
}

namespace dscope::detection {

struct EngineOptions {
    /// Rules to run; empty runs every rule the file enables by default (R0 never is).
    std::vector<std::string> ruleIds;
    /// Evidence references kept per alert (the count still covers every event).
    size_t maxEvidence = 40;
    /// Add the detection indexes to the case when missing (needs write access; skipped silently otherwise).
    bool createIndexes = true;
    /// Store the alerts in the case (model/storage/alertstore.h): the same alert keeps its case id and triage from
    /// run to run. A case that cannot be written keeps them in memory only, and AlertSet::storeError says why.
    bool persist = false;
    /**
     * Incremental mode (live feeds): the time (UTC ms) of the oldest new event. Each rule's scans read only events
     * from that time minus the rule's own window (and a second of slack between logs), so that a chain begun before
     * the new events is seen whole while a rule of single events reads only the new ones. Stored alerts are updated
     * under their identity and none is marked stale (a window does not show what the case no longer raises).
     * Unset: the whole case.
     */
    std::optional<int64_t> sinceUtcMs;
};

/**
 * Runs rules over a case. Plain class, no QObject: the runner calls it on a pool thread, the command line on
 * the main thread. Opens its own read-only connection per run.
 */
class Engine
{
public:
    /// (percent 0-100, stage text)
    using ProgressFn = std::function<void(int, const std::string&)>;

    explicit Engine(RuleSet rules);

    /// Returns the alerts, or nullptr with error set (cancelled runs return nullptr with error "cancelled").
    model::AlertSetPtr run(const std::string& casePath, const EngineOptions& options,
                           const std::atomic_bool* cancel, const ProgressFn& progress, std::string& error) const;

    const RuleSet& rules() const { return m_rules; }
    /// The ids run by default, in file order.
    std::vector<std::string> defaultRuleIds() const;

private:
    /// The case's imported alerts (alertstore::importedAlerts) the run did not raise, added to its set.
    void appendImported(model::Database& db, model::AlertSet& set) const;

    RuleSet m_rules;
    /// Each described rule's selections, compiled once; a rule whose description does not compile says why here.
    std::map<std::string, CompiledRule> m_compiled;
    std::map<std::string, std::string> m_compileErrors;
};

} // namespace dscope::detection
