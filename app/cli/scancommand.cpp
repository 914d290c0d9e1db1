// SPDX-License-Identifier: MIT
// `doppelscope scan PATH... [--case CASE.dscase] [--rules R1,R3] [--json FILE] [--rules-file FILE]`
#include "clicontext.h"

#include "alertjson.h"
#include "engine.h"
#include "import/importer.h"
#include "domain/normalize.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>

namespace dscope::app {

using namespace dscope::model;
using namespace dscope::detection;

// Shared with the import command (importcommand.cpp).
int printImportSummary(const ImportSummary& summary);
bool parseImportOptions(QCommandLineParser& p, ImportOptions& options, QString& error);
void addImportOptions(QCommandLineParser& p);
std::vector<std::string> importPaths(const QStringList& args);
ImportSummary importWithProgress(const std::string& casePath, const std::vector<std::string>& paths,
                                 const ImportOptions& options);

namespace {

QString cell(const std::string& s, int width)
{
    QString q = QString::fromStdString(s);
    if (q.size() > width)
        q = q.left(width - 1) + QChar(0x2026);
    return q.leftJustified(width);
}

QString processText(const AlertProcess& p)
{
    QString image = QString::fromStdString(p.image);
    const qsizetype slash = image.lastIndexOf(QLatin1Char('\\'));
    if (slash >= 0)
        image = image.mid(slash + 1);
    if (image.isEmpty())
        image = QStringLiteral("?");
    return p.pid >= 0 ? QStringLiteral("%1(%2)").arg(image).arg(p.pid) : image;
}

void printAlerts(const AlertSet& set)
{
    out() << QStringLiteral("%1 alert(s) over %2 events in %3 s\n")
                 .arg(set.alerts.size())
                 .arg(set.eventsScanned)
                 .arg(set.seconds, 0, 'f', 3);
    if (!set.alerts.empty())
        out() << "per rule: " << QString::fromStdString(alertsPerRuleText(set)) << '\n';
    if (!set.alerts.empty()) {
        out() << "RULE SEVERITY  FIRST (UTC)               HOST                 SOURCE -> TARGET                        COUNT\n";
        for (const Alert& a : set.alerts) {
            out() << cell(a.ruleId, 4) << ' ' << cell(severityName(a.severity), 9) << ' '
                  << cell(normalize::isoUtc(a.firstUtcMs), 25) << ' ' << cell(a.host, 20) << ' '
                  << QString(processText(a.source) + QLatin1String(" -> ") + processText(a.target)).leftJustified(39)
                  << ' ' << a.count << '\n';
            out() << "     " << QString::fromStdString(a.explanation) << '\n';
        }
    }
    if (!set.blindSpots.empty()) {
        out() << "\nBlind spots:\n";
        for (const BlindSpot& b : set.blindSpots)
            out() << "  " << (b.ruleId.empty() ? QStringLiteral("all") : QString::fromStdString(b.ruleId)) << ": "
                  << QString::fromStdString(b.message) << '\n';
    }
    out().flush();
}

} // namespace

int runScan(const QStringList& args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Import logs (what the case does not hold yet) and run detection."));
    p.addOption({QStringLiteral("case"), QStringLiteral("Case file (created if missing; a temporary case otherwise)."),
                 QStringLiteral("file")});
    p.addOption({QStringLiteral("rules"), QStringLiteral("Comma-separated rule ids (default: all default rules; R0 is "
                                                         "the draft analytic, for comparison only)."),
                 QStringLiteral("ids")});
    p.addOption({QStringLiteral("json"), QStringLiteral("Write one JSON object per alert per line to FILE."),
                 QStringLiteral("file")});
    p.addOption({QStringLiteral("rules-file"), QStringLiteral("Rule file to use instead of the built-in one."),
                 QStringLiteral("file")});
    addImportOptions(p);
    p.addPositionalArgument(QStringLiteral("paths"), QStringLiteral("Files, folders or archives; - for standard input."),
                            QStringLiteral("PATH..."));
    p.process(QStringList{QStringLiteral("doppelscope scan")} + args);

    const QString casePathArg = p.value(QStringLiteral("case"));
    if (casePathArg.isEmpty() && p.positionalArguments().isEmpty()) {
        err() << "usage: doppelscope scan PATH... [--case CASE.dscase] [--rules R1,R3] [--json FILE]\n";
        return ExitUsage;
    }
    ImportOptions importOptions;
    QString optionError;
    if (!parseImportOptions(p, importOptions, optionError)) {
        err() << "error: " << optionError << '\n';
        return ExitUsage;
    }

    std::string ruleError;
    const QString rulesPath = p.isSet(QStringLiteral("rules-file")) ? p.value(QStringLiteral("rules-file"))
                                                                   : QString::fromLatin1(kEmbeddedRules);
    auto rules = RuleSet::fromFile(rulesPath, ruleError);
    if (!rules) {
        err() << "error: " << QString::fromStdString(ruleError) << '\n';
        return ExitFailure;
    }
    EngineOptions engineOptions;
    // A named case keeps its alerts (and what analysts recorded on them); a temporary one is thrown away.
    engineOptions.persist = !casePathArg.isEmpty();
    for (const QString& id : p.value(QStringLiteral("rules")).split(QLatin1Char(','), Qt::SkipEmptyParts))
        engineOptions.ruleIds.push_back(id.trimmed().toUpper().toStdString());

    QTemporaryDir tempDir;
    std::string casePath = casePathArg.toStdString();
    if (casePath.empty()) {
        if (!tempDir.isValid()) {
            err() << "error: cannot create a temporary case: " << tempDir.errorString() << '\n';
            return ExitFailure;
        }
        casePath = QDir(tempDir.path()).filePath(QStringLiteral("scan.dscase")).toStdString();
    }

    if (!p.positionalArguments().isEmpty()) {
        const ImportSummary summary = importWithProgress(casePath, importPaths(p.positionalArguments()), importOptions);
        err() << '\n';
        // Inputs that failed are reported but do not stop the scan: the rest of the case is still evidence.
        printImportSummary(summary);
        if (!summary.fatal.empty())
            return ExitFailure;
        if (summary.cancelled) {
            err() << "import cancelled; scanning what was committed\n";
        }
    }

    Engine engine(std::move(*rules));
    std::string error;
    const AlertSetPtr result = engine.run(casePath, engineOptions, nullptr,
                                          [](int percent, const std::string& stage) {
                                              err() << QStringLiteral("\r[%1%] %2").arg(percent, 3)
                                                           .arg(QString::fromStdString(stage), -72);
                                              err().flush();
                                          },
                                          error);
    err() << '\n';
    if (!result) {
        err() << "error: " << QString::fromStdString(error) << '\n';
        return ExitFailure;
    }
    printAlerts(*result);
    if (!result->storeError.empty())
        err() << "warning: the alerts were not stored in the case: " << QString::fromStdString(result->storeError)
              << '\n';

    if (p.isSet(QStringLiteral("json"))) {
        QFile file(p.value(QStringLiteral("json")));
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            err() << "error: cannot write " << file.fileName() << ": " << file.errorString() << '\n';
            return ExitFailure;
        }
        for (const Alert& a : result->alerts) {
            file.write(alertJsonLine(a));
            file.write("\n");
        }
        if (!file.flush()) {
            err() << "error: writing " << file.fileName() << " failed: " << file.errorString() << '\n';
            return ExitFailure;
        }
    }
    return ExitOk;
}

} // namespace dscope::app
