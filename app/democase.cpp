// SPDX-License-Identifier: MIT
#include "democase.h"

#include "demo/demogenerator.h"
#include "import/importer.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>

namespace dscope::app {

QString prepareDemoCase(QString& error)
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + QStringLiteral("/demo");
    if (!QDir().mkpath(dir)) {
        error = QStringLiteral("cannot create %1").arg(dir);
        return {};
    }
    // The realistic simulated case (the guided exercise's, seed 1), written as JSON lines so the importer reads it
    // like any input; the generator is deterministic, so its SHA-256 makes a second start a no-op.
    const QString events = dir + QStringLiteral("/demo-day-SIMULATED.jsonl");
    model::DemoOptions options;
    options.exercise = "guided";
    const model::DemoCase demo = model::generateDemoCase(options);
    std::string why;
    if (!model::writeEventLines(demo, events.toStdString(), why)) {
        error = QString::fromStdString(why);
        return {};
    }
    const QString casePath = dir + QStringLiteral("/demo-day-SIMULATED.dscase");
    model::Importer importer(casePath.toStdString());
    const model::ImportSummary summary = importer.run({events.toStdString()});
    if (!summary.fatal.empty() || summary.inputs.empty()
        || summary.inputs.front().status == model::InputReport::Status::Failed) {
        error = QString::fromStdString(!summary.fatal.empty() ? summary.fatal
                                       : summary.inputs.empty() ? std::string("nothing imported")
                                                                : summary.inputs.front().failure);
        return {};
    }
    return casePath;
}

} // namespace dscope::app
