// SPDX-License-Identifier: MIT
#pragma once

#include "eventsource.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace dscope::model {

/// Memory bounds of the JSON reader. Defaults suit the corpus (largest line ≈ 1 MiB, largest file ≈ 117 MB).
struct JsonLimits {
    size_t windowBytes = size_t(16) << 20;         ///< JSON lines are parsed in windows of this size
    size_t maxLineBytes = size_t(64) << 20;        ///< a longer line is skipped with a reason
    int64_t maxDocumentBytes = int64_t(512) << 20; ///< a single object / array document is read whole up to this
};

/**
 * Windows events as JSON: JSON lines (one object per line), one pretty-printed object, or a top-level array of
 * objects, in any of the layouts of FORMATS.md section 3 (see JsonLayout in jsonrecordmapper.h for the names
 * layout() reports). Parsed with simdjson On-Demand straight from the read buffer.
 *
 * Positions: the 1-based line number for JSON lines (the only order key of layouts without a record number), the
 * 1-based element number for an array, 1 for a single object. A damaged line is skipped with "line N: <reason>" and
 * the rest is read; read() fails only when the input is not JSON at all or a document is over the limits.
 */
class JsonSource : public EventSource
{
public:
    explicit JsonSource(JsonLimits limits = {});
    ~JsonSource() override;

    /// The layouts seen, joined with '+' when records of one input differ (e.g. "sentinel-event+sentinel-securityevent").
    std::string layout() const override;
    bool read(InputBytes& input, RecordSink& sink, std::string& error) override;

private:
    class Reader;
    JsonLimits m_limits;
    uint32_t m_layouts = 0; ///< bit per JsonLayout seen
};

} // namespace dscope::model
