// SPDX-License-Identifier: MIT
#include "detection_helpers.h"

#include <QDir>

#include "import/importer.h"
#include "storage/database.h"
#include "storage/eventwriter.h"
#include "storage/schema.h"

namespace dscope::testing {

using namespace dscope::model;

QString rulesFilePath() { return QStringLiteral(DSCOPE_TEST_DATA "/../../resources/rules/rules.json"); }

detection::RuleSet loadRules()
{
    std::string error;
    auto set = detection::RuleSet::fromFile(rulesFilePath(), error);
    if (!set)
        qFatal("%s", error.c_str());
    return *set;
}

Event sysmon(int64_t eventId, int64_t ms, const std::string& host)
{
    Event e;
    e.eventId = eventId;
    e.utcMs = kBaseMs + ms;
    e.host = host;
    e.channel = "Microsoft-Windows-Sysmon/Operational";
    e.provider = "Microsoft-Windows-Sysmon";
    return e;
}

Event access10(int64_t ms, const std::string& src, const std::string& tgt, uint32_t mask, const std::string& srcImage,
               const std::string& tgtImage)
{
    Event e = sysmon(10, ms);
    e.subjectGuid = src;
    e.subjectPid = 100;
    e.subjectImage = srcImage;
    e.targetGuid = tgt;
    e.targetPid = 200;
    e.targetImage = tgtImage;
    e.grantedAccess = mask;
    e.callTrace = "C:\\Windows\\SYSTEM32\\ntdll.dll+9d204|C:\\Windows\\System32\\KERNELBASE.dll+2c13e|UNKNOWN(00007FF810786D22)";
    return e;
}

Event thread8(int64_t ms, const std::string& src, const std::string& tgt, const std::string& startModule,
              const std::string& startFunction, const std::string& srcImage, const std::string& tgtImage)
{
    Event e = sysmon(8, ms);
    e.subjectGuid = src;
    e.subjectPid = 100;
    e.subjectImage = srcImage;
    e.targetGuid = tgt;
    e.targetPid = 200;
    e.targetImage = tgtImage;
    e.startAddress = "0x000002AF644E0000";
    e.startModule = startModule;
    e.startFunction = startFunction;
    return e;
}

bool writeCase(const std::string& casePath, std::vector<Event> events, const std::string& inputName)
{
    Database db;
    std::string error;
    if (!db.open(casePath) || !schema::prepareForWriting(db, error))
        return false;
    EventWriter writer(db);
    InputReport report;
    report.path = inputName;
    report.sha256 = inputName + "-sha";
    report.format = "json";
    const int64_t id = writer.beginInput(report);
    for (size_t i = 0; i < events.size(); ++i) {
        if (events[i].position == kNoValue)
            events[i].position = int64_t(i);
        if (events[i].recordId == kNoValue)
            events[i].recordId = int64_t(i + 1);
    }
    report.inputId = id;
    report.events = int64_t(events.size());
    return id > 0 && writer.insert(events, id) && writer.finishInput(report, dscope::model::InputStatus::Complete) && writer.commit();
}

model::AlertSetPtr scanEvents(const QString& dir, std::vector<model::Event> events, std::vector<std::string> rules)
{
    static int n = 0;
    const std::string path = QDir(dir).filePath(QStringLiteral("fixture%1.dscase").arg(++n)).toStdString();
    if (!writeCase(path, std::move(events)))
        qFatal("cannot write fixture case %s", path.c_str());
    detection::Engine engine(loadRules());
    detection::EngineOptions options;
    options.ruleIds = std::move(rules);
    std::string error;
    auto result = engine.run(path, options, nullptr, {}, error);
    if (!result)
        qFatal("run failed: %s", error.c_str());
    return result;
}

} // namespace dscope::testing
