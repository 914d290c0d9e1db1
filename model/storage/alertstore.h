// SPDX-License-Identifier: MIT
#pragma once

#include "domain/alert.h"
#include "domain/triage.h"

#include <cstdint>
#include <string>
#include <vector>

namespace dscope::model {

class Database;

/**
 * The alerts of a case as analysts work them: stored under their identity (alertIdentity), with triage, its
 * history and checklist state. Every function takes a connection opened for writing (schema::prepareForWriting)
 * and writes in one transaction of its own; callers run them off the GUI thread.
 */
namespace alertstore {

/**
 * Stores a detection run: an alert whose identity the case holds is updated (severity, times, count, explanation;
 * stale cleared) and keeps its triage; a new one is inserted as "new". Alerts of the rules in `rulesRun` that this
 * run did not raise are marked stale. Fills caseId, triage and raisedUtcMs of every alert in `set`, and
 * set.staleAlerts.
 */
bool merge(Database& db, AlertSet& set, const std::vector<std::string>& rulesRun, int ruleSetVersion, int64_t nowMs,
           std::string& error);

/**
 * Stores alerts that come from outside the workbench (alertrows: a team's run of the exported rules): a new one is
 * inserted as "new" with its origin; one the case holds already from the same source is widened (times, count) and
 * keeps its triage; one the workbench raised itself is left as it is. Runs inside the caller's write transaction (the
 * import's writer), so the alerts commit with their input. Fills caseId; `added` counts the new ones.
 */
bool storeImported(Database& db, std::vector<Alert>& alerts, int ruleSetVersion, int64_t nowMs, int64_t& added,
                   std::string& error);

/// The imported alerts (origin set) that the workbench has not raised itself since, with their triage; without
/// evidence. Oldest first.
std::vector<Alert> importedAlerts(Database& db);

/// Records a decision and a history row. Benign and false positive need a reason.
bool setTriage(Database& db, int64_t alertId, const Triage& triage, std::string& error);

struct ChecklistItemState {
    std::string item; ///< the item's id in the checklist file
    bool done = false;
    std::string analyst;
    int64_t utcMs = 0;
    std::string note;
    bool operator==(const ChecklistItemState&) const = default;
};
/// Ticks, unticks or annotates one item of an alert's checklist (and writes a history row).
bool setChecklistItem(Database& db, int64_t alertId, const ChecklistItemState& state, std::string& error);
/// The items of an alert's checklist that were ever ticked or annotated.
std::vector<ChecklistItemState> checklistState(Database& db, int64_t alertId);

struct HistoryEntry {
    int64_t utcMs = 0;
    std::string analyst;
    std::string change;
};
/// What was decided on an alert, oldest first.
std::vector<HistoryEntry> history(Database& db, int64_t alertId);

/// The alerts the last run of their rule no longer raised (a newer rule version, a narrower case): kept with what
/// analysts recorded on them, so that a decision never vanishes silently. Without evidence and masks; oldest first.
std::vector<Alert> staleAlerts(Database& db);

/// Triage of every stored alert by id (for a snapshot whose triage changed since it was made).
std::vector<std::pair<int64_t, Triage>> triageById(Database& db);

} // namespace alertstore
} // namespace dscope::model
