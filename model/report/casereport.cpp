// SPDX-License-Identifier: MIT
#include "casereport.h"

#include "storage/database.h"

#include <QString>

namespace dscope::model {

const char* reportAlertsName(ReportAlerts a)
{
    switch (a) {
    case ReportAlerts::All: return "All alerts";
    case ReportAlerts::Open: return "Open alerts (new, in progress)";
    case ReportAlerts::TruePositives: return "True positives";
    }
    return "All alerts";
}

bool buildCaseReport(Database& db, const AlertSet& alerts, std::shared_ptr<const Checklists> checklists,
                     const ReportOptions& options, CaseReport& out, std::string& error)
{
    out = CaseReport{};
    out.options = options;
    out.checklists = std::move(checklists);
    out.blindSpots = alerts.blindSpots;
    out.eventsScanned = alerts.eventsScanned;
    out.alertsInCase = int64_t(alerts.alerts.size());
    if (!loadCaseInfo(db, out.info, error))
        return false;
    const QString host = QString::fromStdString(options.host);
    for (const Alert& a : alerts.alerts) {
        if (!host.isEmpty() && QString::fromStdString(a.host).compare(host, Qt::CaseInsensitive) != 0)
            continue;
        if (options.alerts == ReportAlerts::Open && !triageIsOpen(a.triage.state))
            continue;
        if (options.alerts == ReportAlerts::TruePositives && a.triage.state != TriageState::TruePositive)
            continue;
        ReportedAlert r;
        r.alert = a;
        if (a.caseId > 0) {
            r.checklist = alertstore::checklistState(db, a.caseId);
            r.history = alertstore::history(db, a.caseId);
        }
        out.alerts.push_back(std::move(r));
    }
    return true;
}

} // namespace dscope::model
