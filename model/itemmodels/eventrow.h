// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QString>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace dscope::model {

class Database;

/// One row of the event table, with its display strings built once on the loader thread: data() then only hands
/// out implicitly shared QStrings, which keeps scrolling cheap (the Wireshark columnString idea).
struct EventRow {
    int64_t id = 0;
    int64_t utcMs = 0;        ///< kNoValue when the event had no time
    int64_t eventId = 0;
    QString host;
    QString eventLabel;       ///< "10 Process accessed"
    QString subject;          ///< "powershell.exe (4242)"
    QString target;
    QString summary;
    QString subjectGuid;
    QString targetGuid;
};

struct EventRecord;
/// One line that says what an event is about, per event id (the column analysts scan first); at most 300
/// characters, on one line. The record needs the fields the event table reads.
QString eventSummary(const EventRecord& r);
/// "powershell.exe (4242)", "PID 4242", or the image's file name alone.
QString eventProcessLabel(const std::string& image, int64_t pid);

/// Rows for a contiguous range of table rows.
struct EventRowChunk {
    int first = 0;            ///< table row of rows[0]
    std::vector<EventRow> rows;
};
using EventRowChunkPtr = std::shared_ptr<const EventRowChunk>;

/// Reads rows by id (a point lookup on the rowid each, so a chunk costs the same anywhere in a 5 M table).
class EventRowReader
{
public:
    explicit EventRowReader(Database& db);
    ~EventRowReader();
    bool isValid() const;
    /// Fills `out` in the order of `ids`; ids that no longer exist give a row with id 0.
    void read(const std::vector<int64_t>& ids, std::vector<EventRow>& out);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace dscope::model
