// SPDX-License-Identifier: MIT
// doppelscope export-timeline: the case, or one alert's evidence and context, as a Timesketch timeline.
#include "clicontext.h"
#include "report/timelineexport.h"
#include "storage/database.h"
#include "storage/schema.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QSaveFile>

namespace dscope::app {

using namespace dscope::model;

int runExportTimeline(const QStringList& args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Write the case's events as a Timesketch timeline (JSON lines or CSV)."));
    p.addOption({QStringLiteral("case"), QStringLiteral("The case file."), QStringLiteral("file")});
    p.addOption({QStringLiteral("out"), QStringLiteral("The timeline file (.jsonl or .csv)."), QStringLiteral("file")});
    p.addOption({QStringLiteral("format"), QStringLiteral("jsonl (default) or csv."), QStringLiteral("format")});
    p.addOption({QStringLiteral("host"), QStringLiteral("Only this host's events."), QStringLiteral("host")});
    p.addOption({QStringLiteral("alert"), QStringLiteral("Only the evidence of this stored alert (its case id)."),
                 QStringLiteral("id")});
    p.addOption({QStringLiteral("context-minutes"),
                 QStringLiteral("With --alert: every event of its host from N minutes before the alert to N after."),
                 QStringLiteral("n")});
    p.process(QStringList{QStringLiteral("doppelscope export-timeline")} + args);
    const QString casePath = p.value(QStringLiteral("case"));
    const QString outPath = p.value(QStringLiteral("out"));
    if (casePath.isEmpty() || outPath.isEmpty()) {
        err() << "usage: doppelscope export-timeline --case CASE.dscase --out FILE [--format jsonl|csv] [--host H] "
                 "[--alert ID [--context-minutes N]]\n";
        return ExitUsage;
    }
    TimelineOptions options;
    const QString format = p.value(QStringLiteral("format"));
    if (format == QLatin1String("csv") || (format.isEmpty() && outPath.endsWith(QLatin1String(".csv"))))
        options.format = TimelineOptions::Format::Csv;
    else if (!format.isEmpty() && format != QLatin1String("jsonl")) {
        err() << "error: --format takes jsonl or csv\n";
        return ExitUsage;
    }
    options.host = p.value(QStringLiteral("host")).toStdString();
    std::string error;
    if (p.isSet(QStringLiteral("alert"))) {
        const qint64 wanted = p.value(QStringLiteral("alert")).toLongLong();
        // maxEvidence: the timeline lists every event of the chain.
        const AlertSetPtr alerts = detectAndStore(casePath, 100000, nullptr, error);
        if (!alerts) {
            err() << "error: " << QString::fromStdString(error) << '\n';
            return ExitFailure;
        }
        const auto it = std::find_if(alerts->alerts.begin(), alerts->alerts.end(),
                                     [&](const Alert& a) { return a.caseId == wanted; });
        if (it == alerts->alerts.end()) {
            err() << "error: the case has no alert " << wanted << " that the current rules raise\n";
            return ExitFailure;
        }
        options.tag = "doppelscope:" + it->ruleId;
        if (p.isSet(QStringLiteral("context-minutes"))) {
            const int64_t margin = p.value(QStringLiteral("context-minutes")).toLongLong() * 60'000;
            options.host = it->host;
            options.fromMs = it->firstUtcMs - margin;
            options.toMs = it->lastUtcMs + margin;
        } else {
            for (const auto& e : it->evidence)
                options.eventIds.push_back(e.eventRowId);
        }
    }
    Database db;
    if (!db.open(casePath.toStdString(), Database::Mode::ReadOnly) || !schema::prepareForReading(db, error)) {
        err() << "error: " << casePath << ": " << QString::fromStdString(error.empty() ? db.lastError() : error) << '\n';
        return ExitFailure;
    }
    QSaveFile file(outPath);
    if (!file.open(QIODevice::WriteOnly)) {
        err() << "error: cannot write " << outPath << ": " << file.errorString() << '\n';
        return ExitFailure;
    }
    int64_t rows = 0;
    const bool ok = exportTimesketchTimeline(
        db, options, [&](const std::string& bytes) { return file.write(bytes.data(), qint64(bytes.size())) == qint64(bytes.size()); },
        rows, error);
    if (!ok || !file.commit()) {
        err() << "error: writing " << outPath << " failed: "
              << (error.empty() ? file.errorString() : QString::fromStdString(error)) << '\n';
        return ExitFailure;
    }
    out() << "wrote " << outPath << ": " << rows << " event(s) as a Timesketch timeline ("
          << (options.format == TimelineOptions::Format::Csv ? "CSV" : "JSON lines") << ")\n";
    return ExitOk;
}

} // namespace dscope::app
