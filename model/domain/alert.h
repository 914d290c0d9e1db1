// SPDX-License-Identifier: MIT
#pragma once

#include "accessmask.h"
#include "severity.h"
#include "triage.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace dscope::model {

/// One event cited as evidence by an alert.
struct EvidenceRef {
    int64_t eventRowId = 0;   ///< events.id in the case
    std::string inputPath;    ///< the file it came from
    int64_t recordId = -1;    ///< EventRecordID, or -1 when the format has none
    int64_t position = -1;    ///< record index / line in the input (tie-breaker when recordId is -1)
    int64_t eventId = 0;
    int64_t utcMs = 0;
    std::string role;         ///< "handle", "thread", "tampering", ... : what this event shows in the chain
};

/// A process as an alert names it.
struct AlertProcess {
    std::string guid;         ///< lower case, no braces; empty when the telemetry has none
    int64_t pid = -1;
    std::string image;
};

/// One decoded access mask shown with an alert.
struct AlertMask {
    int64_t value = 0;
    access::ObjectType objectType = access::ObjectType::Process;
    std::string summary;      ///< names of the rights, e.g. "PROCESS_CREATE_THREAD | PROCESS_VM_OPERATION | ..."
};

/**
 * A detection result. Produced by detection/, shown by views/ through model item models, written by reports.
 * Plain value type: runs hand out `std::shared_ptr<const AlertSet>` snapshots to the GUI.
 */
struct Alert {
    std::string ruleId;       ///< "R1"
    std::string ruleName;
    std::string technique;    ///< "T1055.013", "T1055.001", ...
    Severity severity = Severity::Medium;
    std::string host;
    AlertProcess source;
    AlertProcess target;
    int64_t firstUtcMs = 0;
    int64_t lastUtcMs = 0;
    int64_t count = 0;        ///< events (or pairs) the alert aggregates
    std::vector<EvidenceRef> evidence;
    std::vector<AlertMask> masks;
    std::string explanation;  ///< plain words: which events, which bits, what time gap
    std::string checklistKey; ///< key of the response checklist for this rule
    /// Empty when the workbench's rules raised it from the case's events; else where it was imported from (a team's
    /// run of the exported rules: "hits.json, line 3"), and the case holds no evidence of it.
    std::string origin;

    // Filled when the alert is stored in the case (model/storage/alertstore.h); 0 and a new triage otherwise.
    int64_t caseId = 0;       ///< alerts.id: stable across runs, rule set versions and imports
    Triage triage;
    int64_t raisedUtcMs = 0;  ///< when detection first raised it (wall clock)
};

/// What makes two runs' alerts the same alert: rule, host, source and target process (GUID, or PID and image when
/// the telemetry has no GUID). Counts, times and evidence may grow; the identity does not.
std::string alertIdentity(const Alert& a);

/// What the case's telemetry cannot show, derived from the event ids present.
struct BlindSpot {
    std::string ruleId;       ///< rule that is blind or weakened, or empty for general
    std::string message;
};

/// The result of one detection run over a case.
struct AlertSet {
    std::vector<Alert> alerts;
    std::vector<BlindSpot> blindSpots;
    int64_t eventsScanned = 0;
    double seconds = 0;
    /// Alerts the case holds from earlier runs of the same rules that this run no longer raises (kept with their
    /// triage, marked stale), and why the alerts could not be stored, if they could not (a read-only case).
    int64_t staleAlerts = 0;
    std::string storeError;
    /// Raised by the incremental passes of a live feed: eventsScanned is then what the feed stored so far.
    bool live = false;
};

using AlertSetPtr = std::shared_ptr<const AlertSet>;

/// How many alerts each rule raised, by rule id: a noisy rule shows at once.
std::vector<std::pair<std::string, int>> alertsPerRule(const AlertSet& set);
/// The same as text: "R1 7, R2 13, R8 30".
std::string alertsPerRuleText(const AlertSet& set);

} // namespace dscope::model
