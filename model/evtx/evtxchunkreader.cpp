// SPDX-License-Identifier: MIT
#include "evtxchunkreader.h"

#include "evtxvalues.h"

#include <algorithm>
#include <cstring>

namespace dscope::model::evtx {

namespace {

std::string where(size_t index, size_t fileOffset)
{
    return "chunk " + std::to_string(index) + " at offset " + std::to_string(fileOffset) + ": ";
}

bool allZero(const uint8_t* p, size_t n)
{
    for (size_t i = 0; i < n; ++i)
        if (p[i])
            return false;
    return true;
}

bool isRecordSignature(const uint8_t* p) { return p[0] == '*' && p[1] == '*' && p[2] == 0 && p[3] == 0; }

} // namespace

EvtxChunkReader::EvtxChunkReader(bool renderXml, bool recover)
    : m_render(renderXml)
    , m_recover(recover)
{
}

bool EvtxChunkReader::readHeader(const uint8_t* data, size_t size, EvtxFileInfo& info, std::string& error)
{
    if (size < 128 || std::memcmp(data, "ElfFile\0", 8) != 0) {
        error = "not an EVTX file (no ElfFile signature)";
        return false;
    }
    info.minorVersion = le16(data + 36);
    info.majorVersion = le16(data + 38);
    info.headerChunkCount = le16(data + 42);
    info.flags = le32(data + 120);
    info.headerChecksumOk = crc32(0, data, 120) == le32(data + 124);
    // Iterate by file size, not by the header's count: dirty files undercount their chunks.
    info.chunksInFile = size > kFileHeaderSize ? (size - kFileHeaderSize + kChunkSize - 1) / kChunkSize : 0;
    return true;
}

void EvtxChunkReader::readChunk(const uint8_t* data, size_t size, size_t index, EvtxRecordHandler& handler)
{
    const size_t off = kFileHeaderSize + index * kChunkSize;
    if (off >= size)
        return;
    const uint8_t* c = data + off;
    const size_t avail = std::min(kChunkSize, size - off);
    if (avail < kChunkSize) {
        if (allZero(c, avail))
            return;
        handler.issue(int64_t(off), where(index, off) + "truncated chunk (" + std::to_string(avail) + " of 65536 bytes)");
        if (m_recover && avail > kChunkHeaderSize) {
            m_decoder.beginChunk(c, avail);
            carve(c, off, kChunkHeaderSize, uint32_t(avail), handler);
        }
        return;
    }
    if (std::memcmp(c, "ElfChnk\0", 8) != 0) {
        if (allZero(c, kChunkHeaderSize))
            return; // preallocated, never used
        handler.issue(int64_t(off), where(index, off) + "bad chunk signature");
        if (m_recover) {
            m_decoder.beginChunk(c, kChunkSize);
            carve(c, off, kChunkHeaderSize, kChunkSize, handler);
        }
        return;
    }

    const uint32_t freeSpace = le32(c + 48);
    const uint32_t headerCrc = crc32(crc32(0, c, 120), c + 128, kChunkHeaderSize - 128);
    const bool headerOk = headerCrc == le32(c + 124);
    const bool boundsOk = freeSpace >= kChunkHeaderSize && freeSpace <= kChunkSize;
    const uint32_t recordsEnd = boundsOk ? freeSpace : uint32_t(kChunkSize);
    const bool dataOk = boundsOk && crc32(0, c + kChunkHeaderSize, recordsEnd - kChunkHeaderSize) == le32(c + 52);
    if (!headerOk || !dataOk) {
        // The records are still walked one by one (each has its own signature and size copy), but the reader
        // says the chunk did not verify: its values may be damaged.
        std::string what = !boundsOk ? "bad free space offset " + std::to_string(freeSpace)
                         : !headerOk ? std::string("chunk header checksum mismatch")
                                     : std::string("event records checksum mismatch");
        handler.warning(int64_t(off), where(index, off) + what + "; records read individually");
    }

    m_decoder.beginChunk(c, kChunkSize);
    uint32_t pos = kChunkHeaderSize;
    std::string error;
    while (pos + kRecordHeaderSize <= recordsEnd) {
        const size_t recOff = off + pos;
        if (!isRecordSignature(c + pos)) {
            if (!allZero(c + pos, recordsEnd - pos))
                handler.issue(int64_t(recOff), where(index, off) + "bad record signature at offset " + std::to_string(recOff)
                                                   + "; rest of chunk skipped");
            break;
        }
        const uint32_t recSize = le32(c + pos + 4);
        if (recSize < kRecordHeaderSize + 4 || recSize > kChunkSize - pos) {
            handler.issue(int64_t(recOff), where(index, off) + "record at offset " + std::to_string(recOff)
                                               + " has bad size " + std::to_string(recSize) + "; rest of chunk skipped");
            break;
        }
        if (le32(c + pos + recSize - 4) != recSize) {
            handler.issue(int64_t(recOff), where(index, off) + "record at offset " + std::to_string(recOff)
                                               + " is truncated (size copy mismatch); rest of chunk skipped");
            break;
        }
        if (!decode(c, off, pos, recSize, false, handler, error))
            handler.issue(int64_t(recOff), where(index, off) + "record " + std::to_string(le64(c + pos + 8))
                                               + " at offset " + std::to_string(recOff) + ": " + error);
        pos += recSize;
    }
    if (m_recover)
        carve(c, off, std::max<uint32_t>(pos, recordsEnd), uint32_t(kChunkSize), handler);
}

bool EvtxChunkReader::decode(const uint8_t* chunk, size_t chunkFileOffset, uint32_t pos, uint32_t size,
                             bool recovered, EvtxRecordHandler& handler, std::string& error)
{
    m_record.fileOffset = int64_t(chunkFileOffset + pos);
    m_record.headerRecordId = le64(chunk + pos + 8);
    m_record.headerWritten = le64(chunk + pos + 16);
    m_record.recovered = recovered;
    m_record.binXmlBegin = pos + uint32_t(kRecordHeaderSize);
    m_record.binXmlEnd = pos + size - 4;
    if (!m_decoder.decodeRecord(pos + uint32_t(kRecordHeaderSize), pos + size - 4, m_render, m_record, error))
        return false;
    handler.record(m_record);
    return true;
}

void EvtxChunkReader::carve(const uint8_t* chunk, size_t chunkFileOffset, uint32_t from, uint32_t to,
                            EvtxRecordHandler& handler)
{
    std::string error;
    uint32_t pos = from;
    while (pos + kRecordHeaderSize + 4 <= to) {
        const void* hit = std::memchr(chunk + pos, '*', to - pos);
        if (!hit)
            return;
        pos = uint32_t(static_cast<const uint8_t*>(hit) - chunk);
        if (pos + kRecordHeaderSize + 4 > to)
            return;
        if (isRecordSignature(chunk + pos)) {
            const uint32_t size = le32(chunk + pos + 4);
            if (size >= kRecordHeaderSize + 8 && size <= to - pos && le32(chunk + pos + size - 4) == size
                && decode(chunk, chunkFileOffset, pos, size, true, handler, error)) {
                pos += size;
                continue;
            }
        }
        ++pos;
    }
}

} // namespace dscope::model::evtx
