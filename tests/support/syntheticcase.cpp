// SPDX-License-Identifier: MIT
#include "syntheticcase.h"

#include "storage/database.h"
#include "storage/eventwriter.h"
#include "storage/schema.h"

#include <vector>

namespace dscope::testing {

bool writeSyntheticCase(const QString& path, int64_t count, QString* error)
{
    using namespace dscope::model;
    Database db;
    std::string message;
    if (!db.open(path.toStdString()) || !schema::prepareForWriting(db, message)) {
        if (error)
            *error = QString::fromStdString(message.empty() ? db.lastError() : message);
        return false;
    }
    // Bulk settings for a throwaway file: the benchmark writes millions of rows.
    db.exec("PRAGMA synchronous=OFF");
    EventWriter writer(db);
    InputReport report;
    report.path = "synthetic.jsonl";
    report.sha256 = "synthetic-" + std::to_string(count);
    report.format = "json";
    const int64_t input = writer.beginInput(report);
    static const int64_t eids[] = {1, 8, 10, 11};
    std::vector<Event> batch;
    batch.reserve(50000);
    for (int64_t i = 0; i < count; ++i) {
        Event e;
        e.position = i;
        e.recordId = i + 1;
        e.utcMs = kSyntheticStartMs + i;
        e.host = (i % 2) ? "HOST-B" : "HOST-A";
        e.channel = "Microsoft-Windows-Sysmon/Operational";
        e.provider = "Microsoft-Windows-Sysmon";
        e.eventId = eids[i % 4];
        e.subjectGuid = "00000000-0000-0000-0000-00000000000" + std::to_string(i % 10);
        e.subjectPid = 1000 + i % 10;
        e.subjectImage = "C:\\Windows\\System32\\proc" + std::to_string(i % 10) + ".exe";
        if (e.eventId == 8 || e.eventId == 10) {
            e.targetGuid = "11111111-0000-0000-0000-000000000000";
            e.targetPid = 4;
            e.targetImage = "C:\\Windows\\System32\\lsass.exe";
        }
        if (i % 10 == 0 || e.eventId == 10)
            e.grantedAccess = 0x1410;
        if (e.eventId == 1)
            e.commandLine = "proc" + std::to_string(i % 10) + ".exe --run " + std::to_string(i);
        if (e.eventId == 11)
            e.targetFilename = "C:\\Temp\\file" + std::to_string(i) + ".tmp";
        e.rawFormat = RawFormat::Json;
        e.raw = "{\"EventID\":" + std::to_string(e.eventId) + ",\"n\":" + std::to_string(i) + "}";
        batch.push_back(std::move(e));
        if (batch.size() == batch.capacity() || i + 1 == count) {
            if (!writer.insert(batch, input) || !writer.commit()) {
                if (error)
                    *error = QString::fromStdString(writer.lastError());
                return false;
            }
            batch.clear();
        }
    }
    report.inputId = input;
    report.events = count;
    return writer.finishInput(report, dscope::model::InputStatus::Complete) && writer.commit();
}

} // namespace dscope::testing
