// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <limits>
#include <string>

namespace dscope::model {

/// Sentinel for "this integer field is not present in the event".
inline constexpr int64_t kNoValue = std::numeric_limits<int64_t>::min();

/// How the original event text in Event::raw is encoded.
enum class RawFormat : int {
    None = 0,
    Xml = 1,
    Json = 2,
    /// The record's binary XML inside a stored EVTX chunk (the chunk holds the templates and names it uses).
    EvtxBinXml = 3,
};

/**
 * One normalized event, as it is written to the case file.
 *
 * Strings are UTF-8 std::string rather than QString: ingest builds millions of these on worker threads and
 * binds them to SQLite as UTF-8, so a UTF-16 round trip would be pure cost. Empty string means "absent"
 * (the normalizer already turned "-" into empty). Integers use kNoValue for absent.
 *
 * "Subject" is the process the event is about: the acting process for Sysmon 8/10 (Source*), the created
 * process for Sysmon 1 and Security 4688, the process named by ProcessGuid/ProcessId elsewhere.
 */
struct Event {
    // Where it came from (evidence and tie-breaking).
    int64_t inputId = kNoValue;   ///< row of the inputs table, set by the writer
    int64_t position = kNoValue;  ///< record index, line number or byte offset inside the input
    int64_t recordId = kNoValue;  ///< EventRecordID / RecordNumber where the format has one

    int64_t utcMs = kNoValue;     ///< milliseconds since the Unix epoch, UTC
    std::string host;
    std::string channel;
    std::string provider;
    int64_t eventId = kNoValue;

    std::string subjectGuid;      ///< lower case, no braces
    int64_t subjectPid = kNoValue;
    std::string subjectImage;

    std::string targetGuid;
    int64_t targetPid = kNoValue;
    std::string targetImage;

    std::string parentGuid;
    int64_t parentPid = kNoValue;
    std::string parentImage;

    int64_t grantedAccess = kNoValue; ///< GrantedAccess (Sysmon 10) or AccessMask (Security 4656)
    std::string callTrace;
    std::string startAddress;
    std::string startModule;
    std::string startFunction;
    std::string commandLine;
    std::string user;
    std::string hashes;
    std::string targetFilename;   ///< Sysmon TargetFilename, Security ObjectName
    std::string transactionId;    ///< Security 4985 / 4656 TransactionId, lower case, no braces
    std::string transactionState; ///< Security 4985 NewState
    std::string detail;           ///< a short event-specific value: Sysmon 25 Type, 8 NewThreadId, ...

    RawFormat rawFormat = RawFormat::None;
    std::string raw;              ///< the original event (XML, JSON or binary XML), for the detail pane
    // Set by the importer when it packs raw into a compressed block (raw is then cleared): which block of the
    // batch, and where the event's bytes sit in the block once decompressed.
    int64_t rawBlock = -1;
    uint32_t rawOffset = 0;
    uint32_t rawLength = 0;

    /// Empties every field but keeps the strings' buffers: ingest reuses events instead of allocating anew.
    void clear();
    /// Exchanges the contents (buffers included) of two events, field by field: std::swap would move one of
    /// them through a temporary Event, twice the copying of the string headers.
    friend void swap(Event& a, Event& b) noexcept;
};

/// How a raw block's bytes are stored (raw_blocks.codec).
enum class RawCodec : int {
    Stored = 0,
    Zstd = 1, ///< one zstd frame
    Lz4 = 2,  ///< the decoded size (4 bytes, little endian), then one LZ4 block
};

/// One block of original events, ready for the raw_blocks table. Text formats (XML, JSON) hold the events one
/// after the other; EvtxBinXml holds one EVTX chunk, whose records are rendered to XML when they are shown.
struct RawBlock {
    RawFormat format = RawFormat::None;
    int codec = 0;     ///< a RawCodec
    std::string data;
};

} // namespace dscope::model
