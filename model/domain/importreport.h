// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace dscope::model {

/// Reasons kept per input (skips, warnings); the rest are counted in InputReport::issueCount.
inline constexpr size_t kMaxImportIssues = 100;

struct ImportIssue {
    int64_t position = -1; ///< record number, line or byte offset, as the message says
    std::string message;
    bool warning = false; ///< reported damage that cost no record
};

/// What happened to one input path (a file on disk; archive members count towards their archive).
struct InputReport {
    enum class Status {
        Imported,   ///< every readable record is stored
        Duplicate,  ///< the case already holds these bytes (or another running import is storing them)
        Failed,     ///< nothing could be read
        Cancelled,  ///< stopped by the user: what was committed stays, the input is incomplete
        Incomplete, ///< stopped by a write failure: what was committed stays (events), the rest is not stored
    };
    std::string path;
    int64_t size = -1;
    std::string sha256;
    std::string format;   ///< "evtx", "json", "xml", "zip(json)", ...
    std::string layout;   ///< what the source detected, e.g. "security-datasets-nxlog"
    std::string engine;   ///< EVTX engine used, if any
    int64_t events = 0;
    int64_t alerts = 0;   ///< alert rows read from an input of alerts (a team's run of the exported rules)
    int64_t skipped = 0;
    int64_t recovered = 0;
    int64_t warnings = 0; ///< damage reported that cost no record (not in skipped)
    int64_t issueCount = 0;
    std::vector<ImportIssue> issues; ///< the first kMaxImportIssues
    double seconds = 0;
    Status status = Status::Imported;
    std::string failure;  ///< why nothing could be read (Failed), or why the import stopped (Incomplete)
    int64_t inputId = -1;
};

struct ImportProgress {
    int filesTotal = 0;
    int filesDone = 0;
    int64_t bytesTotal = 0;
    int64_t bytesDone = 0;
    int64_t events = 0;
    std::string current;
};

struct ImportSummary {
    std::vector<InputReport> inputs;
    int64_t events = 0;
    double seconds = 0;
    bool cancelled = false;
    std::string fatal; ///< the case itself could not be opened or written: the import stopped there
};

const char* statusName(InputReport::Status s);

} // namespace dscope::model
