// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

/// Low-level helpers of the native EVTX reader: little-endian loads, CRC-32 and the text form of every
/// binary XML value type. The text forms follow what libevtx's XML export writes, so both engines give the
/// same values to the normalizer (and the differential test can compare them).
namespace dscope::model::evtx {

inline uint16_t le16(const uint8_t* p)
{
    uint16_t v;
    std::memcpy(&v, p, 2);
    return v;
}
inline uint32_t le32(const uint8_t* p)
{
    uint32_t v;
    std::memcpy(&v, p, 4);
    return v;
}
inline uint64_t le64(const uint8_t* p)
{
    uint64_t v;
    std::memcpy(&v, p, 8);
    return v;
}

/// CRC-32 (RFC 1952 polynomial, initial value 0) as the EVTX file and chunk headers use it.
uint32_t crc32(uint32_t crc, const uint8_t* data, size_t size);

/// Binary XML value types (the substitution descriptors' type byte). Arrays set kArrayFlag.
enum ValueType : uint8_t {
    kNull = 0x00, kString = 0x01, kAnsiString = 0x02, kInt8 = 0x03, kUInt8 = 0x04, kInt16 = 0x05,
    kUInt16 = 0x06, kInt32 = 0x07, kUInt32 = 0x08, kInt64 = 0x09, kUInt64 = 0x0a, kReal32 = 0x0b,
    kReal64 = 0x0c, kBool = 0x0d, kBinary = 0x0e, kGuid = 0x0f, kSizeT = 0x10, kFileTime = 0x11,
    kSysTime = 0x12, kSid = 0x13, kHexInt32 = 0x14, kHexInt64 = 0x15, kEvtHandle = 0x20, kBinXml = 0x21,
    kEvtXml = 0x23, kArrayFlag = 0x80,
};

/// Appends UTF-16LE text (count code units) as UTF-8; stops at the first NUL, as Windows' renderer does.
/// Unpaired surrogates become U+FFFD.
void appendUtf16(std::string& out, const uint8_t* data, size_t units);
/// Appends single-byte (Windows-1252) text as UTF-8; stops at the first NUL.
void appendAnsi(std::string& out, const uint8_t* data, size_t size);

/// Milliseconds since the Unix epoch for a FILETIME (100 ns ticks since 1601), floor-rounded.
inline constexpr int64_t kFileTimeEpochSeconds = 11644473600LL; // seconds from 1601-01-01 to 1970-01-01
inline int64_t fileTimeToMillis(uint64_t ft) { return int64_t(ft / 10000) - kFileTimeEpochSeconds * 1000; }

/// "2019-05-18T17:16:16.176921300Z" (libevtx spelling: 9 fraction digits).
void appendFileTime(std::string& out, uint64_t ft);

/**
 * Appends the text of one (non-array, non-BinXml) value of type t stored in size bytes. Returns false when
 * the size does not fit the type; the caller then reports the record as damaged.
 */
bool appendValue(std::string& out, uint8_t type, const uint8_t* data, size_t size);

/// Appends text with the five XML special characters escaped (for attribute values and content).
void appendXmlEscaped(std::string& out, std::string_view text);

} // namespace dscope::model::evtx
