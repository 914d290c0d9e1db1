// SPDX-License-Identifier: MIT
// doppelscope report: the case report as HTML, PDF and OCSF JSON, from the case's stored alerts and triage.
#include "clicontext.h"
#include "engine.h"
#include "reportfiles.h"
#include "report/casereport.h"
#include "ruleset.h"
#include "storage/database.h"
#include "storage/schema.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>

namespace dscope::app {

using namespace dscope::detection;
using namespace dscope::model;


int runReport(const QStringList& args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Write the case report: alerts with triage, evidence, checklists and "
                                               "notes, as HTML, PDF and OCSF JSON."));
    p.addOption({QStringLiteral("case"), QStringLiteral("The case file."), QStringLiteral("file")});
    p.addOption({QStringLiteral("html"), QStringLiteral("Write the self-contained HTML report to FILE."), QStringLiteral("file")});
    p.addOption({QStringLiteral("pdf"), QStringLiteral("Write the PDF report to FILE."), QStringLiteral("file")});
    p.addOption({QStringLiteral("json"), QStringLiteral("Write OCSF Detection Findings (JSON) to FILE."), QStringLiteral("file")});
    p.addOption({QStringLiteral("host"), QStringLiteral("Only this host's alerts."), QStringLiteral("host")});
    p.addOption({QStringLiteral("alerts"), QStringLiteral("all (default), open or tp (true positives)."),
                 QStringLiteral("which")});
    p.process(QStringList{QStringLiteral("doppelscope report")} + args);
    const QString casePath = p.value(QStringLiteral("case"));
    if (casePath.isEmpty() || (!p.isSet(QStringLiteral("html")) && !p.isSet(QStringLiteral("pdf"))
                               && !p.isSet(QStringLiteral("json")))) {
        err() << "usage: doppelscope report --case CASE.dscase [--html FILE] [--pdf FILE] [--json FILE] [--host H] "
                 "[--alerts all|open|tp]\n";
        return ExitUsage;
    }
    ReportOptions options;
    const QString which = p.value(QStringLiteral("alerts"));
    if (which.isEmpty() || which == QLatin1String("all"))
        options.alerts = ReportAlerts::All;
    else if (which == QLatin1String("open"))
        options.alerts = ReportAlerts::Open;
    else if (which == QLatin1String("tp"))
        options.alerts = ReportAlerts::TruePositives;
    else {
        err() << "error: --alerts takes all, open or tp, not '" << which << "'\n";
        return ExitUsage;
    }
    if (!QFileInfo(casePath).isFile()) {
        err() << "error: no case file at " << casePath << '\n';
        return ExitFailure;
    }
    QElapsedTimer timer;
    timer.start();
    std::string error;
    auto checklists = Checklists::load(kEmbeddedChecklists, error);
    if (!checklists) {
        err() << "error: " << QString::fromStdString(error) << '\n';
        return ExitFailure;
    }
    options.caseName = QFileInfo(casePath).fileName().toStdString();
    options.host = p.value(QStringLiteral("host")).trimmed().toStdString();
    options.generator = "Doppelscope " DSCOPE_VERSION;
    options.generatedUtcMs = QDateTime::currentMSecsSinceEpoch();
    // Detection runs again so that the report shows what the current rules find, with the triage the case holds.
    const AlertSetPtr alerts = detectAndStore(casePath, EngineOptions{}.maxEvidence, &options.ruleSetVersion, error);
    if (!alerts) {
        err() << "error: " << QString::fromStdString(error) << '\n';
        return ExitFailure;
    }
    if (!alerts->storeError.empty())
        err() << "warning: the case could not be written, so the report shows no triage recorded earlier: "
              << QString::fromStdString(alerts->storeError) << '\n';
    Database db;
    CaseReport report;
    if (!db.open(casePath.toStdString(), Database::Mode::ReadOnly) || !schema::prepareForReading(db, error)
        || !buildCaseReport(db, *alerts, std::make_shared<const Checklists>(std::move(*checklists)), options, report,
                            error)) {
        err() << "error: " << casePath << ": " << QString::fromStdString(error.empty() ? db.lastError() : error) << '\n';
        return ExitFailure;
    }
    QStringList written;
    QString writeError;
    const bool ok = views::writeReportFiles(report, p.value(QStringLiteral("html")), p.value(QStringLiteral("pdf")),
                                            p.value(QStringLiteral("json")), written, writeError);
    for (const QString& w : written)
        out() << "wrote " << w << '\n';
    if (!ok)
        err() << "error: " << writeError << '\n';
    const int status = ok ? ExitOk : ExitFailure;
    err() << QStringLiteral("report of %1 alert(s) in %2 s\n").arg(report.alerts.size()).arg(double(timer.elapsed()) / 1000.0, 0, 'f', 2);
    return status;
}

} // namespace dscope::app
