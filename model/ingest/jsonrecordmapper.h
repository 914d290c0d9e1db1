// SPDX-License-Identifier: MIT
#pragma once

// Internal to the JSON source: includes simdjson, so only jsonsource.cpp and jsonrecordmapper.cpp see it.
#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dscope::model {

class EventBuilder;

/**
 * The JSON layouts of Windows events found in the wild (FORMATS.md section 3). Detected per record from the keys
 * it carries; the names are what JsonSource::layout() reports:
 *  - "security-datasets-nxlog"   (A) OTRF Security-Datasets NXLog/HELK flat lines: EventID, Hostname, RecordNumber, @timestamp
 *  - "security-datasets-minimal" (B) OTRF flat lines without RecordNumber (2020-10 onward); @timestamp/TimeCreated are false
 *  - "winlogbeat-6"              (C) event_id, log_name, computer_name, event_data{} (host.name is the collector)
 *  - "winlogbeat-7-ecs"          (D) winlog{channel, event_id, computer_name, event_data{}}, plus ECS process.* etc.
 *  - "evtx_dump"                 (E) {"Event":{"System":{...},"EventData":{...}}} as written by the Rust evtx crate
 *  - "sentinel-event"            (F) Log Analytics Event / WindowsEvent rows: Computer, EventData as a JSON string
 *  - "sentinel-securityevent"    (F) Log Analytics SecurityEvent rows: Computer, flattened fields, EventData_dynamic
 *  - "splunk-nxlog"              (G) NXLog lines without the HELK envelope: RecordNumber but no @timestamp
 */
enum class JsonLayout : uint8_t {
    Unknown,
    SdNxlog,
    SdMinimal,
    Winlogbeat6,
    Winlogbeat7,
    EvtxDump,
    SentinelEvent,
    SentinelSecurityEvent,
    SplunkNxlog,
};

const char* jsonLayoutName(JsonLayout layout);

/**
 * Maps one JSON record (an On-Demand object) to the EventBuilder, whatever its layout.
 *
 * On-Demand reads forward only and layouts share key names with different meanings (Sentinel's "Type" is the table
 * name, Sysmon 25's "Type" is data; NXLog's "ProcessID" is the Sysmon service), so a record is first walked once into
 * string_views (into the padded input or the parser's string buffer, no copies), then classified, then applied. A
 * walk that fails half-way therefore leaves the builder untouched.
 */
class JsonRecordMapper
{
public:
    JsonRecordMapper();

    /// Walks the record and fills the builder (not finished). A JSON error is returned before the builder is touched.
    simdjson::error_code map(simdjson::ondemand::object& record, EventBuilder& builder);
    /// The layout of the record last mapped.
    JsonLayout layout() const { return m_layout; }

    /// Layout B: the TimeCreated (as read, 12-hour local) of the record last mapped when no offset was known yet for
    /// its host, else kNoValue. The reader holds such events back until placeMinimal() can place them.
    int64_t unplacedTimeCreated() const { return m_unplacedCreated; }
    /// Layout B: true when the record last mapped taught the offset of a host seen for the first time.
    bool learnedHost() const { return m_learnedHost; }
    /// Layout B: UTC milliseconds for a TimeCreated reading of host, once that host's offset is known.
    std::optional<int64_t> placeMinimal(std::string_view host, int64_t timeCreated) const;

private:
    struct Pair {
        std::string_view key;
        std::string_view value;
        uint8_t top = 0; ///< TopKey of a top-level key (see the .cpp), so apply() need not look it up again
    };

    simdjson::error_code walkTop(simdjson::ondemand::object& record);
    simdjson::error_code walkData(simdjson::ondemand::object obj, std::vector<Pair>& out);
    simdjson::error_code walkWinlog(simdjson::ondemand::object obj);
    simdjson::error_code walkEcsProcess(simdjson::ondemand::object obj, bool parent);
    simdjson::error_code walkEcsFile(simdjson::ondemand::object obj);
    simdjson::error_code walkHost(simdjson::ondemand::object obj);
    simdjson::error_code walkEvtxDump(simdjson::ondemand::object obj);
    simdjson::error_code walkEvtxSystem(simdjson::ondemand::object obj);
    simdjson::error_code parseSentinelEventData(std::string_view text);
    void classify();
    void apply(EventBuilder& b);
    void applyFlat(EventBuilder& b);
    void applyData(EventBuilder& b);
    void estimateMinimalTime(EventBuilder& b, std::string_view host, std::string_view utcTime,
                             std::string_view timeCreated);
    void setDataField(EventBuilder& b, std::string_view name, std::string_view value);

    // Slots filled by the nested layouts (C envelope is in m_top, D/E here).
    struct Slots {
        std::string_view eventId, channel, host, provider, recordId, systemTime, hostFallback;
    };
    Slots m_slots;
    std::vector<Pair> m_top;      // top-level scalars (flattened layouts put the event data here)
    std::vector<Pair> m_data;     // nested event data (event_data, winlog.event_data, Event.EventData, Sentinel EventData)
    std::vector<Pair> m_fallback; // ECS fields lifted out of event_data (7.16): applied first, event_data overrides
    std::string_view m_sentinelEventData;
    uint64_t m_keys = 0;          // which telling keys the record has (see KeyFlag in the .cpp)
    JsonLayout m_layout = JsonLayout::Unknown;

    // Sentinel EventData is JSON inside a JSON string: it gets its own padded copy and parser.
    simdjson::ondemand::parser m_innerParser;
    std::string m_innerBuffer;
    simdjson::ondemand::document m_innerDoc;

    // Layout B: TimeCreated is local time on a 12-hour clock with a false "Z". Per host, the offset to UtcTime seen on
    // the last record that had both is applied to records without UtcTime (Security events); see estimateMinimalTime.
    struct MinimalClock {
        std::string host;
        int64_t offset;  ///< UtcTime - TimeCreated
        int64_t lastUtc; ///< the UtcTime it was learned from
    };
    std::vector<MinimalClock> m_minimalClocks;
    int64_t m_unplacedCreated = 0;
    bool m_learnedHost = false;
    std::string_view m_type; // Sentinel table name
    std::string m_scratch;
};

} // namespace dscope::model
