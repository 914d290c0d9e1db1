// SPDX-License-Identifier: MIT
#pragma once

#include "domain/alert.h"
#include "domain/checklist.h"
#include "storage/alertstore.h"
#include "storage/annotationstore.h"
#include "storage/caseinfo.h"

#include <memory>
#include <string>
#include <vector>

namespace dscope::model {

class Database;

/// Which alerts a report holds, by triage.
enum class ReportAlerts { All, Open, TruePositives };

struct ReportOptions {
    std::string caseName;      ///< shown on every page: the case file's name
    std::string host;          ///< only this host's alerts (compared without case); empty: every host
    ReportAlerts alerts = ReportAlerts::All;
    std::string generator;     ///< "Doppelscope 0.1.0"
    int ruleSetVersion = 0;
    int64_t generatedUtcMs = 0;
};

/// One process of an alert's process-tree excerpt, in drawing order: ancestors, then the process, then children.
struct ReportProcess {
    int depth = 0;                 ///< 0 for the first line of each chain
    std::string image;
    int64_t pid = -1;
    std::string guid;
    std::string user;
    std::string commandLine;
    int64_t startUtcMs = 0;        ///< 0 when the case holds no creation event for it
    std::string role;              ///< "source", "target", "child of the target" or empty
};

/// An annotation with what it is on, in words (an event's input and record, a process's image).
using ReportNote = DescribedAnnotation;

/// One alert with what analysts recorded on it.
struct ReportedAlert {
    Alert alert;
    std::vector<alertstore::ChecklistItemState> checklist;
    std::vector<alertstore::HistoryEntry> history;
    std::vector<ReportProcess> tree;   ///< the source's and the target's chains from the case's process tree
    std::vector<ReportNote> notes;     ///< on the alert, its source and target, and its evidence events
};

/// Everything a report shows, read once from the case: the renderers only format it.
struct CaseReport {
    ReportOptions options;
    CaseInfo info;
    std::vector<ReportedAlert> alerts;  ///< severity first, then time
    std::vector<BlindSpot> blindSpots;
    int64_t eventsScanned = 0;
    int64_t alertsInCase = 0;           ///< before the host and triage choice
    std::shared_ptr<const Checklists> checklists;
    std::vector<ReportNote> notes;      ///< every annotation of the reported hosts, newest first
    std::vector<Alert> staleAlerts;     ///< stored alerts the last run no longer raised (of the reported hosts)
};

/// Reads the case summary and, for the alerts the options keep, their checklist state, history, notes and a
/// process-tree excerpt (the case's process tree is built once for it, as the Process tree page builds it).
bool buildCaseReport(Database& db, const AlertSet& alerts, std::shared_ptr<const Checklists> checklists,
                     const ReportOptions& options, CaseReport& out, std::string& error);

/// "All alerts", "Open alerts (new, in progress)", "True positives".
const char* reportAlertsName(ReportAlerts a);

} // namespace dscope::model
