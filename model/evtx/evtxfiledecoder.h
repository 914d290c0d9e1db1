// SPDX-License-Identifier: MIT
#pragma once

#include "ingest/eventsource.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace dscope::model::evtx {

/// What a decoded event keeps of its original record, for the detail pane.
enum class EvtxRaw {
    None,  ///< nothing
    Xml,   ///< the rendered event XML (costs about a third of the decode time)
    Chunk, ///< the record's binary XML in its compressed chunk (RecordSink::addSharedRaw); rendered when shown
};

struct EvtxDecodeOptions {
    EvtxRaw raw = EvtxRaw::Chunk;
    bool recover = false;  ///< also carve records from slack space and damaged chunks
    int threads = 2;       ///< chunks are independent: decode them on this many threads
};

/**
 * Decodes a whole EVTX file image into normalized events, in file order. Chunks are split between threads
 * in windows; each thread fills per-chunk buffers that are handed to the sink in chunk order, so the output
 * order does not depend on the thread count. Returns false (with error) only when the image is not EVTX.
 */
bool decodeEvtxImage(const uint8_t* data, size_t size, RecordSink& sink, const EvtxDecodeOptions& options,
                     std::string& layout, std::string& error);

} // namespace dscope::model::evtx
