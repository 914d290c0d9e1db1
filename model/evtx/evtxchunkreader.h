// SPDX-License-Identifier: MIT
#pragma once

#include "binxmldecoder.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace dscope::model::evtx {

inline constexpr size_t kFileHeaderSize = 4096;
inline constexpr size_t kChunkSize = 65536;
inline constexpr size_t kChunkHeaderSize = 512;
inline constexpr size_t kRecordHeaderSize = 24;

/// The parts of the 4 KiB file header the reader uses.
struct EvtxFileInfo {
    uint16_t majorVersion = 0;
    uint16_t minorVersion = 0;
    uint16_t headerChunkCount = 0; ///< number of chunks the header claims
    uint32_t flags = 0;            ///< 1 = dirty, 2 = full
    bool headerChecksumOk = false;
    size_t chunksInFile = 0;       ///< chunk slots the file size holds (the last one may be partial)
};

/// Receives the records of a chunk in file order, and what could not be read.
class EvtxRecordHandler
{
public:
    virtual ~EvtxRecordHandler() = default;
    virtual void record(const DecodedRecord& record) = 0;
    /// Damage that cost records. offset: file offset of the damaged chunk or record; reason starts with
    /// "chunk C at offset X".
    virtual void issue(int64_t offset, std::string reason) = 0;
    /// Damage that cost no record: a checksum that does not verify, the records still read one by one.
    virtual void warning(int64_t offset, std::string reason) { issue(offset, std::move(reason)); }
};

/**
 * Reads EVTX chunks: checks signatures and both CRCs, walks the records (signature, size, size copy),
 * decodes each through BinXmlDecoder. Chunks are independent, so one reader per thread can read any chunk
 * of a file in any order.
 */
class EvtxChunkReader
{
public:
    EvtxChunkReader(bool renderXml, bool recover);

    /// Checks the file signature and reads the header. False (with error) when this is not an EVTX file.
    static bool readHeader(const uint8_t* data, size_t size, EvtxFileInfo& info, std::string& error);

    /// See BinXmlDecoder::setFieldResolver.
    void setFieldResolver(BinXmlDecoder::FieldResolver resolver) { m_decoder.setFieldResolver(resolver); }

    /// Reads chunk number index of the file (data, size = the whole file) and reports to handler.
    void readChunk(const uint8_t* data, size_t size, size_t index, EvtxRecordHandler& handler);

private:
    /// Looks for records in [from, to) of the chunk at byte granularity (recovery).
    void carve(const uint8_t* chunk, size_t chunkFileOffset, uint32_t from, uint32_t to,
               EvtxRecordHandler& handler);
    /// Decodes the record at pos whose header is already checked. False with error when its XML is bad.
    bool decode(const uint8_t* chunk, size_t chunkFileOffset, uint32_t pos, uint32_t size, bool recovered,
                EvtxRecordHandler& handler, std::string& error);

    BinXmlDecoder m_decoder;
    DecodedRecord m_record;
    bool m_render;
    bool m_recover;
};

} // namespace dscope::model::evtx
