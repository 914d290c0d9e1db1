// SPDX-License-Identifier: MIT
#include "democase.h"

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
    // The events file is copied out of the binary so the importer reads it like any input; its SHA-256 makes a
    // second start a no-op.
    const QString events = dir + QStringLiteral("/demo-case-SIMULATED.jsonl");
    QFile::remove(events);
    if (!QFile::copy(QStringLiteral(":/demo/demo-case.jsonl"), events)) {
        error = QStringLiteral("the demo events are missing from this build");
        return {};
    }
    const QString casePath = dir + QStringLiteral("/demo-SIMULATED.dscase");
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
