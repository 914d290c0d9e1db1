// SPDX-License-Identifier: MIT
#pragma once

#include "domain/event.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

typedef struct ZSTD_CCtx_s ZSTD_CCtx;

namespace dscope::model {

class Database;

/**
 * Packs the original events of a batch into blocks of about 128 KiB and compresses each block once.
 * Raw JSON lines average about 2 KB (the rendered Message field); writing them verbatim would make SQLite the
 * bottleneck, and a zstd frame per record costs more CPU than the parse and shrinks them only 2.8x (block: 28x).
 * Runs on the parser threads; one packer per thread.
 */
class RawBlockPacker
{
public:
    RawBlockPacker(const RawBlockPacker&) = delete;
    RawBlockPacker& operator=(const RawBlockPacker&) = delete;

    static constexpr size_t kBlockBytes = 128 * 1024;

    RawBlockPacker();
    ~RawBlockPacker();

    /// Moves every event's raw into blocks appended to `blocks` (setting rawBlock/rawOffset/rawLength, clearing raw).
    /// Events whose raw is empty keep the block reference they have (see RecordSink::addSharedRaw).
    void pack(std::vector<Event>& events, std::vector<RawBlock>& blocks);
    /// Moves one event's raw into the open block, which goes to `blocks` once full (or at finish()). raw is
    /// cleared but keeps its buffer. The event's rawBlock is the index its block will have in `blocks`, so nothing
    /// else may be appended there before finish().
    void add(Event& event, std::vector<RawBlock>& blocks);
    /// Compresses the open block, if any, and appends it to `blocks`.
    void finish(std::vector<RawBlock>& blocks);
    /// One block of the given bytes, compressed with `codec` unless that does not make it smaller.
    RawBlock compress(RawFormat format, std::string_view bytes, RawCodec codec = RawCodec::Zstd);

private:
    ZSTD_CCtx* m_ctx;
    std::string m_scratch; // compressed output before it is copied to its exact size: a fresh buffer per block
                           // cost page faults and a memset of the bound on every chunk
    std::string m_pending;
    RawFormat m_pendingFormat = RawFormat::None;
};

/// The original event of one row, decompressed.
struct RawEvent {
    RawFormat format = RawFormat::None;
    std::string data;
};

/**
 * Renders one record of a block kept in a binary event format (RawFormat::EvtxBinXml: an EVTX chunk) as XML. The
 * case file keeps the bytes; the format's reader, a layer above storage (evtx/evtxrecordrenderer.h), renders them.
 */
class RawRecordRenderer
{
public:
    virtual ~RawRecordRenderer() = default;
    /// The record between byte offsets begin and end of the decompressed block.
    virtual bool renderXml(std::string_view block, uint32_t begin, uint32_t end, std::string& xml,
                           std::string& error) const = 0;
};

/// Loads events.id's original event; a binary record is rendered to XML by `binary` (when null, such a record
/// fails with a reason). False when there is none (or it cannot be decoded; error says why).
bool loadRawEvent(Database& db, int64_t eventRowId, const RawRecordRenderer* binary, RawEvent& out,
                  std::string& error);

/// Decodes a stored block (a RawCodec).
bool decodeRaw(int codec, std::string_view stored, std::string& out, std::string& error);

} // namespace dscope::model
