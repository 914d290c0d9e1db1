// SPDX-License-Identifier: MIT
#pragma once

#include "domain/alert.h"
#include "domain/checklist.h"
#include "storage/alertstore.h"
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

/// One alert with what analysts recorded on it.
struct ReportedAlert {
    Alert alert;
    std::vector<alertstore::ChecklistItemState> checklist;
    std::vector<alertstore::HistoryEntry> history;
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
};

/// Reads the case summary and, for the alerts the options keep, their checklist state and history.
bool buildCaseReport(Database& db, const AlertSet& alerts, std::shared_ptr<const Checklists> checklists,
                     const ReportOptions& options, CaseReport& out, std::string& error);

/// "All alerts", "Open alerts (new, in progress)", "True positives".
const char* reportAlertsName(ReportAlerts a);

} // namespace dscope::model
