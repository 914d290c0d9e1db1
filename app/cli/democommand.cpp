// SPDX-License-Identifier: MIT
// doppelscope demo: writes the simulated training case (its events as JSON lines next to the case, imported by the
// normal importer) and, on request, its answer key.
#include "clicontext.h"
#include "demo/demogenerator.h"
#include "import/importer.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

namespace dscope::app {

namespace {

bool writeWhole(const QString& path, const std::string& text, QString& error)
{
    QSaveFile file(path); // whole or not at all
    if (!file.open(QIODevice::WriteOnly) || file.write(text.data(), qint64(text.size())) != qint64(text.size()) || !file.commit()) {
        error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace

int runDemo(const QStringList& args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Generate the simulated training case: a working day on several hosts "
                                               "with a Process Doppelgänging attack hidden in it."));
    p.addOption({QStringLiteral("case"), QStringLiteral("The case to create (must not exist)."), QStringLiteral("file")});
    p.addOption({QStringLiteral("seed"), QStringLiteral("Generator seed (default 1): the same seed gives the same case."), QStringLiteral("n")});
    p.addOption({QStringLiteral("answer-key"), QStringLiteral("Also write the alerts the case must raise, as JSON lines."), QStringLiteral("file")});
    QString names;
    for (const model::Exercise& e : model::exercises())
        names += QStringLiteral("\n  %1: %2").arg(QString::fromStdString(e.name), QString::fromStdString(e.description));
    p.addOption({QStringLiteral("exercise"), QStringLiteral("An exercise (it sets the hosts and what the logging lacks):") + names,
                 QStringLiteral("name")});
    p.addOption({QStringLiteral("hosts"), QStringLiteral("Hosts, the last one a server (default 4, at least 2)."), QStringLiteral("n")});
    p.process(QStringList{QStringLiteral("doppelscope demo")} + args);
    const QString casePath = p.value(QStringLiteral("case"));
    bool ok = true;
    model::DemoOptions options;
    if (p.isSet(QStringLiteral("seed")))
        options.seed = p.value(QStringLiteral("seed")).toULongLong(&ok);
    if (ok && p.isSet(QStringLiteral("hosts")))
        options.hosts = p.value(QStringLiteral("hosts")).toInt(&ok);
    options.exercise = p.value(QStringLiteral("exercise")).toStdString();
    if (!options.exercise.empty() && !model::findExercise(options.exercise)) {
        err() << "error: no exercise named " << p.value(QStringLiteral("exercise")) << "; there are:" << names << '\n';
        return ExitUsage;
    }
    if (casePath.isEmpty() || !ok || options.hosts < 2 || options.hosts > 50) {
        err() << "usage: doppelscope demo --case OUT.dscase [--seed N] [--exercise NAME] [--hosts N] [--answer-key FILE]\n";
        return ExitUsage;
    }
    if (QFileInfo::exists(casePath)) {
        err() << "error: " << casePath << " exists: the demo case is written into a new file\n";
        return ExitFailure;
    }
    const model::DemoCase demo = model::generateDemoCase(options);
    // The events stay beside the case: the input the case cites, and what `replay` sends in a live demonstration.
    const QFileInfo info(casePath);
    const QString eventsPath = info.dir().filePath(info.completeBaseName() + QStringLiteral(".events.jsonl"));
    QString error;
    std::string why;
    if (!model::writeEventLines(demo, eventsPath.toStdString(), why)) {
        err() << "error: " << QString::fromStdString(why) << '\n';
        return ExitFailure;
    }
    const model::ImportSummary summary = model::Importer(casePath.toStdString()).run({eventsPath.toStdString()});
    if (!summary.fatal.empty() || summary.events != int64_t(demo.lines.size())) {
        err() << "error: the simulated events did not import whole (" << summary.events << " of " << demo.lines.size()
              << ")" << (summary.fatal.empty() ? QString() : QStringLiteral(": ") + QString::fromStdString(summary.fatal)) << '\n';
        return ExitFailure;
    }
    if (p.isSet(QStringLiteral("answer-key")) && !writeWhole(p.value(QStringLiteral("answer-key")), model::answerKeyJsonLines(demo), error)) {
        err() << "error: " << error << '\n';
        return ExitFailure;
    }
    out() << "simulated case " << casePath << ": " << demo.lines.size() << " events on " << demo.hosts.size()
          << " hosts (" << demo.attackEvents << " of them the attack), seed " << options.seed
          << (options.exercise.empty() ? QString() : QStringLiteral(", exercise ") + QString::fromStdString(options.exercise)) << "; "
          << demo.answerKey.size() << " alerts expected, " << demo.lookAlikes.size() << " benign look-alikes planted (kind and host)\n";
    out() << "events: " << eventsPath << '\n';
    return ExitOk;
}

} // namespace dscope::app
