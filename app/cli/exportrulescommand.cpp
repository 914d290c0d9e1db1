// SPDX-License-Identifier: MIT
// `doppelscope export-rules [--rules R1,R2] --format sparksql|sigma|spl|eql|kql [--fields raw|ecs|ossem] [--out DIR]`:
// every rule's declarative description in a query language, one file per rule (or all of them on standard output).
#include "clicontext.h"

#include "export/ruleexport.h"
#include "ruleset.h"

#include <QCommandLineParser>
#include <QDir>
#include <QSaveFile>

namespace dscope::app {

int runExportRules(const QStringList& args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Export the rules to other query languages."));
    p.addOption({QStringLiteral("rules"), QStringLiteral("Rule ids (default: the default rules)."), QStringLiteral("ids")});
    p.addOption({QStringLiteral("format"), QStringLiteral("sparksql, sigma, spl, eql or kql."), QStringLiteral("format")});
    p.addOption({QStringLiteral("fields"), QStringLiteral("raw (Sysmon's names, default), ecs or ossem."), QStringLiteral("set"),
                 QStringLiteral("raw")});
    p.addOption({QStringLiteral("out"), QStringLiteral("Folder for one file per rule (default: standard output)."), QStringLiteral("dir")});
    p.addOption({QStringLiteral("rules-file"), QStringLiteral("Rule file to use instead of the built-in one."), QStringLiteral("file")});
    p.process(QStringList{QStringLiteral("doppelscope export-rules")} + args);
    detection::ExportFormat format;
    detection::FieldSet fields;
    if (!detection::parseExportFormat(p.value(QStringLiteral("format")).toStdString(), format)
        || !detection::parseFieldSet(p.value(QStringLiteral("fields")).toStdString(), fields)) {
        err() << "usage: doppelscope export-rules [--rules R1,R2] --format sparksql|sigma|spl|eql|kql [--fields raw|ecs|ossem] [--out DIR]\n";
        return ExitUsage;
    }
    std::string error;
    const auto set = detection::RuleSet::fromFile(
        p.isSet(QStringLiteral("rules-file")) ? p.value(QStringLiteral("rules-file")) : QString::fromLatin1(detection::kEmbeddedRules), error);
    if (!set) {
        err() << "error: " << QString::fromStdString(error) << '\n';
        return ExitFailure;
    }
    std::vector<const detection::Rule*> chosen;
    if (p.isSet(QStringLiteral("rules"))) {
        for (const QString& id : p.value(QStringLiteral("rules")).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            const detection::Rule* r = set->find(id.trimmed().toStdString());
            if (!r) {
                err() << "error: no rule " << id << '\n';
                return ExitUsage;
            }
            chosen.push_back(r);
        }
    } else {
        for (const detection::Rule& r : set->rules())
            if (r.enabledByDefault)
                chosen.push_back(&r);
    }
    const QString outDir = p.value(QStringLiteral("out"));
    if (!outDir.isEmpty() && !QDir().mkpath(outDir)) {
        err() << "error: cannot create " << outDir << '\n';
        return ExitFailure;
    }
    int failures = 0, notExpressible = 0;
    for (const detection::Rule* r : chosen) {
        detection::RuleDescription description;
        if (!detection::describeRule(*r, *set, description, error)) {
            err() << "skipped " << QString::fromStdString(r->id) << ": " << QString::fromStdString(error) << '\n';
            ++failures;
            continue;
        }
        bool expressible = true;
        const std::string text = detection::exportRule(description, *set, format, fields, &expressible);
        if (!expressible) {
            err() << QString::fromStdString(r->id) << ": not expressible in " << detection::exportFormatName(format)
                  << " (the file says why)\n";
            ++notExpressible;
        }
        if (outDir.isEmpty()) {
            out() << QString::fromStdString(text) << '\n';
            continue;
        }
        const QString path = QDir(outDir).filePath(QStringLiteral("%1.%2").arg(QString::fromStdString(r->id),
                                                                              QLatin1String(detection::exportExtension(format))));
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(QByteArray::fromStdString(text)) < 0 || !file.commit()) {
            err() << "error: cannot write " << path << ": " << file.errorString() << '\n';
            return ExitFailure;
        }
    }
    if (!outDir.isEmpty())
        err() << "exported " << (chosen.size() - size_t(failures)) << " rule(s) as " << detection::exportFormatName(format)
              << " over " << detection::fieldSetName(fields) << " fields into " << outDir << '\n';
    return failures ? ExitFailure : ExitOk;
}

} // namespace dscope::app
