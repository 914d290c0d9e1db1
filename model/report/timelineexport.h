// SPDX-License-Identifier: MIT
#pragma once

#include "domain/event.h"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace dscope::model {

class Database;

/// Which events a timeline holds and how it is written.
struct TimelineOptions {
    enum class Format { JsonLines, Csv };
    Format format = Format::JsonLines;
    std::string host;               ///< exact host, or every host
    int64_t fromMs = kNoValue;      ///< inclusive
    int64_t toMs = kNoValue;        ///< inclusive
    std::vector<int64_t> eventIds;  ///< only these events (events.id: an alert's evidence), or every event
    std::string tag;                ///< a Timesketch tag put on every row (e.g. "doppelscope:R1"), or none
};

/**
 * The case's events as a Timesketch timeline, in time order: `message`, `datetime` (ISO 8601, UTC),
 * `timestamp_desc` and `timestamp` (microseconds), then the event's normalized fields under their own names
 * (event_id, computer_name, channel, process and target images, PIDs and GUIDs, command line, user, access mask in
 * hex, start address, file, transaction) and where it came from (input file and record). JSON lines carry values
 * exactly; CSV quotes every field and puts a ' before a value that a spreadsheet would read as a formula.
 * `write` receives the file in pieces and returns false to stop (a failed write). Rows are read with bounded
 * memory, whatever the case's size.
 */
bool exportTimesketchTimeline(Database& db, const TimelineOptions& options,
                              const std::function<bool(const std::string&)>& write, int64_t& rows, std::string& error);

} // namespace dscope::model
