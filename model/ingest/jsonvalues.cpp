// SPDX-License-Identifier: MIT
#include "jsonvalues.h"

namespace dscope::model::jsonvalues {

namespace od = simdjson::ondemand;
using simdjson::error_code;
using simdjson::SUCCESS;

// A switch on the length first: this runs for every top-level key of every record (≈30 per line).
TopKey topKey(std::string_view k)
{
    switch (k.size()) {
    case 4:
        if (k == "Type") return Type;
        if (k == "host") return Host;
        if (k == "file") return File;
        break;
    case 5:
        if (k == "Event") return EventObj;
        break;
    case 6:
        if (k == "winlog") return Winlog;
        if (k == "Source") return Source;
        break;
    case 7:
        if (k == "EventID") return EventID;
        if (k == "Channel") return Channel;
        if (k == "Message") return Message;
        if (k == "message") return MessageLower;
        if (k == "UtcTime") return UtcTime;
        if (k == "process") return Process;
        break;
    case 8:
        if (k == "Hostname") return Hostname;
        if (k == "@version") return AtVersion;
        if (k == "Computer") return Computer;
        if (k == "Provider") return Provider;
        if (k == "EventLog") return EventLog;
        if (k == "TenantId") return TenantId;
        if (k == "event_id") return EventIdLower;
        if (k == "log_name") return LogName;
        if (k == "ThreadID") return ThreadID;
        break;
    case 9:
        if (k == "EventTime") return EventTime;
        if (k == "EventData") return EventData;
        if (k == "ProcessID") return ProcessID;
        if (k == "user_data") return UserDataLower;
        break;
    case 10:
        if (k == "SourceName") return SourceName;
        if (k == "@timestamp") return AtTimestamp;
        if (k == "event_data") return EventDataLower;
        break;
    case 11:
        if (k == "TimeCreated") return TimeCreated;
        if (k == "source_name") return SourceNameLower;
        break;
    case 12:
        if (k == "RecordNumber") return RecordNumber;
        break;
    case 13:
        if (k == "TimeGenerated") return TimeGenerated;
        if (k == "computer_name") return ComputerName;
        if (k == "record_number") return RecordNumberLower;
        break;
    case 15:
        if (k == "EventSourceName") return EventSourceName;
        break;
    case 17:
        if (k == "EventData_dynamic") return EventDataDynamic;
        break;
    default: break;
    }
    return Other;
}

namespace {

void trimRight(std::string_view& v)
{
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t' || v.back() == '\r' || v.back() == '\n'))
        v.remove_suffix(1);
}

} // namespace

/// The key as written, without copying it: keys with escapes (never seen in event logs) take the slow path.
error_code keyOf(od::field& field, std::string_view& out)
{
    const char* start = field.key().raw();
    const char* p = start;
    // The closing quote exists: stage 1 indexed this string token.
    while (*p != '"') {
        if (*p == '\\')
            return field.unescaped_key().get(out);
        ++p;
    }
    out = std::string_view(start, size_t(p - start));
    return SUCCESS;
}

/// Text of a scalar: strings unescaped (into the parser's buffer), numbers and booleans as written (evtx_dump PIDs
/// and NXLog int64 keywords stay exact). present is false for null, objects and arrays.
error_code scalarText(od::value& v, od::json_type type, std::string_view& out, bool& present)
{
    present = false;
    switch (type) {
    case od::json_type::string:
        if (auto e = v.get_string().get(out))
            return e;
        present = true;
        return SUCCESS;
    case od::json_type::number:
    case od::json_type::boolean:
        out = v.raw_json_token(); // numbers are not validated here: normalize::integer() rejects junk
        trimRight(out);
        present = true;
        return SUCCESS;
    default: return SUCCESS;
    }
}

/// "#text" of an evtx_dump element ({"#attributes":{...},"#text":4688}), or attribute attr of "#attributes".
error_code evtxDumpText(od::object obj, std::string_view attr, std::string_view& out)
{
    return forEachField(obj, [&](std::string_view key, od::value& v) -> error_code {
        od::json_type t;
        if (auto e = v.type().get(t))
            return e;
        bool present = false;
        if (attr.empty() && key == "#text")
            return scalarText(v, t, out, present);
        if (attr.empty() || key != "#attributes" || t != od::json_type::object)
            return SUCCESS;
        od::object attrs;
        if (auto e = v.get_object().get(attrs))
            return e;
        return forEachField(attrs, [&](std::string_view name, od::value& a) -> error_code {
            if (name != attr)
                return SUCCESS;
            od::json_type at;
            if (auto e = a.type().get(at))
                return e;
            return scalarText(a, at, out, present);
        });
    });
}

/// A scalar, or the "#text" of an evtx_dump element.
error_code scalarOrText(od::value& v, std::string_view& out)
{
    od::json_type t;
    if (auto e = v.type().get(t))
        return e;
    if (t == od::json_type::object) {
        od::object o;
        if (auto e = v.get_object().get(o))
            return e;
        return evtxDumpText(o, {}, out);
    }
    bool present = false;
    return scalarText(v, t, out, present);
}

} // namespace dscope::model::jsonvalues
