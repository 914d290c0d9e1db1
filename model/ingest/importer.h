// SPDX-License-Identifier: MIT
#pragma once

#include "eventsource.h"

#include <QtCore/qglobal.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace dscope::model {

struct ImportIssue {
    int64_t position = -1; ///< record number, line or byte offset, as the message says
    std::string message;
    bool warning = false; ///< reported damage that cost no record
};

/// What happened to one input path (a file on disk; archive members count towards their archive).
struct InputReport {
    enum class Status { Imported, Duplicate, Failed, Cancelled };
    std::string path;
    int64_t size = -1;
    std::string sha256;
    std::string format;   ///< "evtx", "json", "xml", "zip(json)", ...
    std::string layout;   ///< what the source detected, e.g. "security-datasets-nxlog"
    std::string engine;   ///< EVTX engine used, if any
    int64_t events = 0;
    int64_t skipped = 0;
    int64_t recovered = 0;
    int64_t warnings = 0; ///< damage reported that cost no record (not in skipped)
    int64_t issueCount = 0;
    std::vector<ImportIssue> issues; ///< the first kMaxIssues
    double seconds = 0;
    Status status = Status::Imported;
    std::string failure;  ///< why nothing could be read, for Failed
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
    std::string fatal; ///< the case itself could not be written
};

struct ImportOptions {
    SourceOptions source;
    int threads = 2;            ///< parser threads; the calling thread is the single writer
    int commitEvery = 8192;     ///< events per transaction (WAL); see docs in the README for the measurement
    /// A first load into an empty case bigger than this (input bytes) builds the indexes after the load rather
    /// than row by row, as their pages would outgrow the writer's cache.
    int64_t deferIndexesAbove = int64_t(1) << 30;
};

/**
 * Imports files, folders and archives into a case. Parsers run on worker threads, one input each (largest
 * first); the calling thread is the only writer and commits in batches, so a killed import leaves a valid case
 * holding every committed batch. Inputs already imported (same SHA-256) add nothing.
 */
class Importer
{
    Q_DISABLE_COPY_MOVE(Importer)
public:
    static constexpr size_t kMaxIssues = 100;
    using ProgressFn = std::function<void(const ImportProgress&)>;

    Importer(std::string casePath, ImportOptions options = {});
    ~Importer();

    ImportSummary run(const std::vector<std::string>& paths, const ProgressFn& progress = {},
                      const std::atomic_bool* cancel = nullptr);

private:
    std::string m_casePath;
    ImportOptions m_options;
};

/// Expands folders recursively (sorted, hidden files skipped). Paths that do not exist are kept: the importer
/// reports them.
std::vector<std::string> expandPaths(const std::vector<std::string>& paths);

const char* statusName(InputReport::Status s);

} // namespace dscope::model
