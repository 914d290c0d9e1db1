// SPDX-License-Identifier: MIT
// The generated case written out: its events as JSON lines for the importer, its answer key as JSON lines.
#include "demogenerator.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace dscope::model {

bool writeEventLines(const DemoCase& demo, const std::string& path, std::string& error)
{
    std::string text;
    for (const std::string& line : demo.lines)
        text += line + '\n';
    QSaveFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::WriteOnly) || file.write(text.data(), qint64(text.size())) != qint64(text.size()) || !file.commit()) {
        error = "cannot write " + path + ": " + file.errorString().toStdString();
        return false;
    }
    return true;
}

std::string answerKeyJsonLines(const DemoCase& demo)
{
    std::string out;
    const auto field = [](const std::string& v) { return v.empty() ? QJsonValue() : QJsonValue(QString::fromStdString(v)); };
    for (const ExpectedAlert& a : demo.answerKey) {
        const QJsonObject o{{QStringLiteral("rule"), field(a.rule)},           {QStringLiteral("host"), field(a.host)},
                            {QStringLiteral("source_guid"), field(a.sourceGuid)}, {QStringLiteral("target_guid"), field(a.targetGuid)},
                            {QStringLiteral("attack"), field(a.attack)},       {QStringLiteral("source_image"), field(a.sourceImage)},
                            {QStringLiteral("target_image"), field(a.targetImage)}};
        out += QJsonDocument(o).toJson(QJsonDocument::Compact).toStdString() + '\n';
    }
    return out;
}

} // namespace dscope::model
