// SPDX-License-Identifier: MIT
#pragma once

#include "domain/inputstatus.h"

#include <cstdint>
#include <string>
#include <vector>

namespace dscope::model {

class Database;

/// A row of the inputs table as readers see it.
struct InputRow {
    int64_t id = 0;
    std::string path;
    int64_t size = -1;
    std::string sha256, format, layout, engine;
    InputStatus status = InputStatus::Incomplete; ///< Importing only while its writer may still run
    int64_t events = 0, skipped = 0, recovered = 0;
    std::string errorsJson; ///< JSON array of {position, message}: the first reasons, as the importer kept them
    int64_t importedUtcMs = 0; ///< when its import began; 0 if unknown
    double seconds = 0;
};

/// What a case holds, for `doppelscope info`, the status bar and reports.
struct CaseInfo {
    struct Count {
        std::string key;
        int64_t events = 0;
    };
    int64_t events = 0;
    int64_t firstUtcMs = 0, lastUtcMs = 0; ///< valid when events > 0
    std::vector<Count> hosts, channels;
    std::vector<std::pair<int64_t, int64_t>> eventIds; ///< (event id, count), by id
    std::vector<InputRow> inputs;
};

/// Reads the summary through a reader connection.
bool loadCaseInfo(Database& db, CaseInfo& info, std::string& error);

/// Opens a case read-only and loads its summary.
bool loadCaseInfo(const std::string& casePath, CaseInfo& info, std::string& error);

} // namespace dscope::model
