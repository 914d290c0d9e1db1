// SPDX-License-Identifier: MIT
#pragma once

#include "domain/event.h"

#include <QtCore/qglobal.h>

#include <cstdint>
#include <string>
#include <string_view>

typedef struct ZSTD_CCtx_s ZSTD_CCtx;

namespace dscope::model {

class Database;

/**
 * Compresses original events before they reach the writer. Raw JSON lines average about 2 KB (the rendered
 * Message field), and writing them verbatim would make SQLite the bottleneck; zstd at its fastest level shrinks
 * them several times and runs on the parser threads, in parallel. One compressor per thread.
 */
class RawCompressor
{
    Q_DISABLE_COPY_MOVE(RawCompressor)
public:
    RawCompressor();
    ~RawCompressor();
    /// Replaces event.raw with its zstd frame (small raws stay as they are).
    void compress(Event& event);

private:
    ZSTD_CCtx* m_ctx;
    std::string m_buffer;
};

/// The original event of one row, decompressed.
struct RawEvent {
    RawFormat format = RawFormat::None;
    std::string data;
};

/// Loads events.id's original event. False when there is none (or it cannot be decoded; error says why).
bool loadRawEvent(Database& db, int64_t eventRowId, RawEvent& out, std::string& error);

/// Decodes a stored raw value (codec 0: as is, 1: zstd).
bool decodeRaw(int codec, std::string_view stored, std::string& out, std::string& error);

} // namespace dscope::model
