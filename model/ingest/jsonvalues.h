// SPDX-License-Identifier: MIT
#pragma once

// Internal to the JSON source: small readers over simdjson On-Demand values shared by the record mapper.
#include <simdjson.h>

#include <cstdint>
#include <string_view>

namespace dscope::model::jsonvalues {

/// Top-level keys that tell layouts apart or carry the envelope. Anything else is Other (event data in flat layouts).
enum TopKey : uint8_t {
    Other,
    EventID, Channel, Hostname, SourceName, RecordNumber, AtTimestamp, AtVersion, EventTime, TimeCreated,
    Computer, Provider, EventSourceName, Source, EventLog, TimeGenerated, TenantId, Type, EventData,
    EventDataDynamic, EventIdLower, LogName, ComputerName, SourceNameLower, RecordNumberLower, ProcessID, ThreadID,
    Message, MessageLower, UtcTime, Winlog, EventDataLower, UserDataLower, EventObj, Process, File, Host,
};

constexpr uint64_t bit(TopKey k) { return uint64_t(1) << k; }

TopKey topKey(std::string_view key);

/// The key as written, without copying it: keys with escapes (never seen in event logs) take the slow path.
simdjson::error_code keyOf(simdjson::ondemand::field& field, std::string_view& out);

/// Text of a scalar: strings unescaped (into the parser's buffer), numbers and booleans as written (evtx_dump PIDs
/// and NXLog int64 keywords stay exact). present is false for null, objects and arrays.
simdjson::error_code scalarText(simdjson::ondemand::value& v, simdjson::ondemand::json_type type,
                                std::string_view& out, bool& present);

/// "#text" of an evtx_dump element ({"#attributes":{...},"#text":4688}) when attr is empty, else the attribute attr
/// of its "#attributes".
simdjson::error_code evtxDumpText(simdjson::ondemand::object obj, std::string_view attr, std::string_view& out);

/// A scalar, or the "#text" of an evtx_dump element.
simdjson::error_code scalarOrText(simdjson::ondemand::value& v, std::string_view& out);

/// Calls visit(key, value) for every field of obj, stopping at the first error (visit returns SUCCESS to go on).
/// The field and key checks every object walk starts with, written once; a value visit leaves alone is skipped.
template <typename Visit>
simdjson::error_code forEachField(simdjson::ondemand::object obj, Visit&& visit)
{
    for (auto fr : obj) {
        simdjson::ondemand::field f;
        if (auto e = std::move(fr).get(f))
            return e;
        std::string_view key;
        if (auto e = keyOf(f, key))
            return e;
        if (auto e = visit(key, f.value()))
            return e;
    }
    return simdjson::SUCCESS;
}

} // namespace dscope::model::jsonvalues
