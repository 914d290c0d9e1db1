// SPDX-License-Identifier: MIT
#pragma once

#include "domain/importreport.h"
#include "ingest/eventsource.h"

#include <QtCore/qglobal.h>

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace dscope::model {

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

} // namespace dscope::model
