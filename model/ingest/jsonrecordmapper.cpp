// SPDX-License-Identifier: MIT
#include "jsonrecordmapper.h"

#include "eventbuilder.h"
#include "jsonvalues.h"
#include "domain/normalize.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace dscope::model {

namespace od = simdjson::ondemand;
using simdjson::error_code;
using simdjson::SUCCESS;
using namespace jsonvalues;

namespace {

bool isSentinel(JsonLayout l) { return l == JsonLayout::SentinelEvent || l == JsonLayout::SentinelSecurityEvent; }

} // namespace

const char* jsonLayoutName(JsonLayout layout)
{
    switch (layout) {
    case JsonLayout::SdNxlog: return "security-datasets-nxlog";
    case JsonLayout::SdMinimal: return "security-datasets-minimal";
    case JsonLayout::Winlogbeat6: return "winlogbeat-6";
    case JsonLayout::Winlogbeat7: return "winlogbeat-7-ecs";
    case JsonLayout::EvtxDump: return "evtx_dump";
    case JsonLayout::SentinelEvent: return "sentinel-event";
    case JsonLayout::SentinelSecurityEvent: return "sentinel-securityevent";
    case JsonLayout::SplunkNxlog: return "splunk-nxlog";
    case JsonLayout::Unknown: break;
    }
    return "json-unknown";
}

JsonRecordMapper::JsonRecordMapper()
{
    m_top.reserve(128);
    m_data.reserve(64);
    m_fallback.reserve(8);
}

error_code JsonRecordMapper::map(od::object& record, EventBuilder& builder)
{
    m_top.clear();
    m_data.clear();
    m_fallback.clear();
    m_slots = {};
    m_sentinelEventData = {};
    m_type = {};
    m_keys = 0;
    m_unplacedCreated = kNoValue;
    m_learnedHost = false;
    if (auto e = walkTop(record))
        return e;
    classify();
    if (isSentinel(m_layout) && !m_sentinelEventData.empty() && m_sentinelEventData.front() == '{') {
        // The inner document is data, not structure: if it is damaged the event keeps its System fields.
        if (parseSentinelEventData(m_sentinelEventData) != SUCCESS)
            m_data.clear();
    }
    apply(builder);
    return SUCCESS;
}

error_code JsonRecordMapper::walkTop(od::object& record)
{
    for (auto fr : record) {
        od::field field;
        if (auto e = std::move(fr).get(field))
            return e;
        std::string_view key;
        if (auto e = keyOf(field, key))
            return e;
        const TopKey tk = topKey(key);
        m_keys |= bit(tk);
        od::value& v = field.value();
        od::json_type t;
        if (auto e = v.type().get(t))
            return e;
        if (t == od::json_type::object) {
            od::object obj;
            if (auto e = v.get_object().get(obj))
                return e;
            error_code e = SUCCESS;
            // An Elasticsearch export (the search or scroll API, elasticdump) wraps each document: {"_index": ...,
            // "_id": ..., "_source": {the Winlogbeat document}}. The document is read as if it stood alone.
            if (key == "_source") {
                if (auto inner = walkTop(obj))
                    return inner;
                continue;
            }
            switch (tk) {
            case Winlog: e = walkWinlog(obj); break;
            case EventDataLower:
            case UserDataLower: e = walkData(obj, m_data); break;
            case EventObj: e = walkEvtxDump(obj); break;
            case Process: e = walkEcsProcess(obj, false); break;
            case File: e = walkEcsFile(obj); break;
            case Host: e = walkHost(obj); break;
            default: break; // unread objects are skipped by the iterator
            }
            if (e)
                return e;
            continue;
        }
        // The rendered message is the largest value of a record and is never needed: leave it unread.
        if (t == od::json_type::array || tk == Message || tk == MessageLower || tk == EventDataDynamic)
            continue;
        std::string_view text;
        bool present = false;
        if (auto e = scalarText(v, t, text, present))
            return e;
        if (!present)
            continue;
        if (tk == EventData) {
            m_sentinelEventData = text;
            continue;
        }
        if (tk == Type)
            m_type = text;
        m_top.push_back({key, text, uint8_t(tk)});
    }
    return SUCCESS;
}

error_code JsonRecordMapper::walkData(od::object obj, std::vector<Pair>& out)
{
    return forEachField(obj, [&](std::string_view key, od::value& v) -> error_code {
        std::string_view text;
        if (auto e = scalarOrText(v, text))
            return e;
        if (text.data())
            out.push_back({key, text, Other});
        return SUCCESS;
    });
}

error_code JsonRecordMapper::walkWinlog(od::object obj)
{
    return forEachField(obj, [&](std::string_view key, od::value& v) -> error_code {
        od::json_type t;
        if (key == "event_data" || key == "user_data") {
            if (auto e = v.type().get(t))
                return e;
            if (t != od::json_type::object)
                return SUCCESS;
            od::object data;
            if (auto e = v.get_object().get(data))
                return e;
            return walkData(data, m_data);
        }
        std::string_view* slot = nullptr;
        if (key == "event_id")
            slot = &m_slots.eventId;
        else if (key == "channel")
            slot = &m_slots.channel;
        else if (key == "computer_name")
            slot = &m_slots.host;
        else if (key == "provider_name")
            slot = &m_slots.provider;
        else if (key == "record_id")
            slot = &m_slots.recordId;
        if (!slot)
            return SUCCESS;
        if (auto e = v.type().get(t))
            return e;
        bool present = false;
        return scalarText(v, t, *slot, present);
    });
}

error_code JsonRecordMapper::walkEcsProcess(od::object obj, bool parent)
{
    // Winlogbeat 7.16's ingest moves these out of event_data; names are the Sysmon ones so the builder maps them.
    return forEachField(obj, [&](std::string_view key, od::value& v) -> error_code {
        od::json_type t;
        if (auto e = v.type().get(t))
            return e;
        if (key == "parent" && !parent && t == od::json_type::object) {
            od::object p;
            if (auto e = v.get_object().get(p))
                return e;
            return walkEcsProcess(p, true);
        }
        std::string_view name;
        if (key == "entity_id")
            name = parent ? "ParentProcessGuid" : "ProcessGuid";
        else if (key == "pid")
            name = parent ? "ParentProcessId" : "ProcessId";
        else if (key == "executable")
            name = parent ? "ParentImage" : "Image";
        else if (key == "command_line" && !parent)
            name = "CommandLine";
        else
            return SUCCESS;
        std::string_view text;
        bool present = false;
        if (auto e = scalarText(v, t, text, present))
            return e;
        if (present)
            m_fallback.push_back({name, text, Other});
        return SUCCESS;
    });
}

error_code JsonRecordMapper::walkEcsFile(od::object obj)
{
    return forEachField(obj, [&](std::string_view key, od::value& v) -> error_code {
        if (key != "path")
            return SUCCESS;
        od::json_type t;
        if (auto e = v.type().get(t))
            return e;
        std::string_view text;
        bool present = false;
        if (auto e = scalarText(v, t, text, present))
            return e;
        if (present)
            m_fallback.push_back({"TargetFilename", text, File});
        return SUCCESS;
    });
}

error_code JsonRecordMapper::walkHost(od::object obj)
{
    return forEachField(obj, [&](std::string_view key, od::value& v) -> error_code {
        if (key != "name")
            return SUCCESS;
        od::json_type t;
        if (auto e = v.type().get(t))
            return e;
        bool present = false;
        return scalarText(v, t, m_slots.hostFallback, present);
    });
}

error_code JsonRecordMapper::walkEvtxDump(od::object obj)
{
    return forEachField(obj, [&](std::string_view key, od::value& v) -> error_code {
        od::json_type t;
        if (auto e = v.type().get(t))
            return e;
        if (t != od::json_type::object)
            return SUCCESS; // "EventData": null
        od::object child;
        if (auto e = v.get_object().get(child))
            return e;
        if (key == "System")
            return walkEvtxSystem(child);
        if (key == "EventData")
            return walkData(child, m_data);
        if (key != "UserData")
            return SUCCESS;
        // UserData wraps its fields in one provider-specific element.
        return forEachField(child, [&](std::string_view, od::value& u) -> error_code {
            od::json_type ut;
            if (auto e = u.type().get(ut))
                return e;
            if (ut != od::json_type::object)
                return SUCCESS;
            od::object inner;
            if (auto e = u.get_object().get(inner))
                return e;
            return walkData(inner, m_data);
        });
    });
}

error_code JsonRecordMapper::walkEvtxSystem(od::object obj)
{
    return forEachField(obj, [&](std::string_view key, od::value& v) -> error_code {
        if (key == "EventID")
            return scalarOrText(v, m_slots.eventId);
        if (key == "Channel")
            return scalarOrText(v, m_slots.channel);
        if (key == "Computer")
            return scalarOrText(v, m_slots.host);
        if (key == "EventRecordID")
            return scalarOrText(v, m_slots.recordId);
        if (key != "Provider" && key != "TimeCreated")
            return SUCCESS;
        od::json_type t;
        if (auto e = v.type().get(t))
            return e;
        if (t == od::json_type::string && key == "TimeCreated") // OpenWEC's Json format: the time as a string
            return scalarOrText(v, m_slots.systemTime);
        if (t != od::json_type::object)
            return SUCCESS;
        od::object o;
        if (auto e = v.get_object().get(o))
            return e;
        return key == "Provider" ? evtxDumpText(o, "Name", m_slots.provider)
                                 : evtxDumpText(o, "SystemTime", m_slots.systemTime);
    });
}

error_code JsonRecordMapper::parseSentinelEventData(std::string_view text)
{
    // The unescaped string lives in the outer parser's buffer without padding: copy it into a padded one.
    m_innerBuffer.reserve(text.size() + simdjson::SIMDJSON_PADDING);
    m_innerBuffer.assign(text);
    if (auto e = m_innerParser.iterate(m_innerBuffer.data(), m_innerBuffer.size(), m_innerBuffer.capacity())
                     .get(m_innerDoc))
        return e;
    od::object obj;
    if (auto e = m_innerDoc.get_object().get(obj))
        return e;
    return walkData(obj, m_data);
}

void JsonRecordMapper::classify()
{
    const uint64_t k = m_keys;
    if (k & bit(EventObj))
        m_layout = JsonLayout::EvtxDump;
    else if (k & bit(Winlog))
        m_layout = JsonLayout::Winlogbeat7;
    else if (k & (bit(EventIdLower) | bit(LogName) | bit(ComputerName)))
        m_layout = JsonLayout::Winlogbeat6;
    else if ((k & bit(Hostname)) && (k & bit(EventID))) {
        if (k & bit(RecordNumber))
            m_layout = (k & (bit(AtTimestamp) | bit(AtVersion))) ? JsonLayout::SdNxlog : JsonLayout::SplunkNxlog;
        else
            m_layout = JsonLayout::SdMinimal;
    } else if (k & (bit(Computer) | bit(TimeGenerated) | bit(TenantId))) {
        if (m_type == "SecurityEvent" || (k & bit(EventDataDynamic)))
            m_layout = JsonLayout::SentinelSecurityEvent;
        else if (m_type == "Event" || m_type == "WindowsEvent" || (k & bit(EventData)))
            m_layout = JsonLayout::SentinelEvent;
        else
            m_layout = JsonLayout::SentinelSecurityEvent; // untyped rows carry SecurityEvent-style flat columns
    } else {
        m_layout = JsonLayout::Unknown;
    }
}

void JsonRecordMapper::setDataField(EventBuilder& b, std::string_view name, std::string_view value)
{
    // Some exporters stored XML-escaped text inside JSON ("&lt;unknown process&gt;").
    if (!value.empty() && std::memchr(value.data(), '&', value.size())) {
        m_scratch = normalize::unescapeXml(value);
        b.setField(name, m_scratch);
    } else {
        b.setField(name, value);
    }
}

void JsonRecordMapper::applyData(EventBuilder& b)
{
    for (const Pair& p : m_data)
        setDataField(b, p.key, p.value);
}

void JsonRecordMapper::apply(EventBuilder& b)
{
    switch (m_layout) {
    case JsonLayout::Winlogbeat6:
        for (const Pair& p : m_top) {
            switch (p.top) {
            case EventIdLower: b.setEventId(p.value); break;
            case LogName: b.setChannel(p.value); break;
            case ComputerName: b.setHost(p.value); break; // host.name is the WEC collector here
            case SourceNameLower: b.setProvider(p.value); break;
            case RecordNumberLower: b.setRecordId(p.value); break;
            case AtTimestamp: b.setSystemTime(p.value); break;
            default: break;
            }
        }
        applyData(b);
        return;
    case JsonLayout::Winlogbeat7:
    case JsonLayout::EvtxDump: {
        b.setEventId(m_slots.eventId);
        b.setChannel(m_slots.channel);
        b.setHost(m_slots.host.empty() ? m_slots.hostFallback : m_slots.host);
        b.setProvider(m_slots.provider);
        b.setRecordId(m_slots.recordId);
        if (!m_slots.systemTime.empty()) {
            b.setSystemTime(m_slots.systemTime);
        } else {
            for (const Pair& p : m_top)
                if (p.top == AtTimestamp)
                    b.setSystemTime(p.value);
        }
        bool hasTargetFilename = false, hasObjectName = false;
        for (const Pair& p : m_data) {
            hasTargetFilename = hasTargetFilename || p.key == "TargetFilename";
            hasObjectName = hasObjectName || p.key == "ObjectName";
        }
        // ECS copies first: whatever event_data still holds wins.
        const auto id = normalize::integer(m_slots.eventId);
        // Security's handle requests and accesses name their file ObjectName; ECS documents may carry it as file.path.
        const bool objectAccess = id && (*id == 4656 || *id == 4663) && !hasObjectName;
        for (const Pair& p : m_fallback) {
            if (p.top == File && objectAccess) {
                setDataField(b, "ObjectName", p.value);
                continue;
            }
            // file.path is the loaded image for Sysmon 7 and the like: only file events mean TargetFilename.
            if (p.top == File && (hasTargetFilename || !id || !(*id == 11 || *id == 2 || *id == 15 || *id == 23
                                                                  || *id == 26 || *id == 29)))
                continue;
            setDataField(b, p.key, p.value);
        }
        applyData(b);
        return;
    }
    default: applyFlat(b); return;
    }
}

void JsonRecordMapper::applyFlat(EventBuilder& b)
{
    const bool nxlog = m_layout == JsonLayout::SdNxlog || m_layout == JsonLayout::SplunkNxlog;
    const bool sentinel = isSentinel(m_layout);
    std::string_view host, utcTime, timeCreated;
    for (const Pair& p : m_top) {
        switch (p.top) {
        case EventID: b.setEventId(p.value); break;
        case Channel:
        case EventLog: b.setChannel(p.value); break;
        case Hostname:
        case Computer:
            host = p.value;
            break;
        case SourceName:
        case Provider:
        case EventSourceName: b.setProvider(p.value); break;
        case Source:
            if (sentinel)
                b.setProvider(p.value);
            else
                setDataField(b, p.key, p.value);
            break;
        case RecordNumber: b.setRecordId(p.value); break;
        // Layout A: @timestamp is the UTC ingest time, EventTime local: only the first is usable. Layout G has
        // only EventTime (attack-range hosts log in UTC). Layout B's two times are false (see estimateMinimalTime).
        case AtTimestamp:
            if (m_layout == JsonLayout::SdNxlog)
                b.setSystemTime(p.value);
            break;
        case EventTime:
            if (m_layout == JsonLayout::SplunkNxlog)
                b.setSystemTime(p.value);
            break;
        case TimeGenerated: b.setSystemTime(p.value); break;
        case TimeCreated: timeCreated = p.value; break;
        case UtcTime:
            utcTime = p.value;
            setDataField(b, p.key, p.value);
            break;
        // NXLog's ProcessID/ThreadID are the event log writer (the Sysmon service), not event data.
        case ProcessID:
        case ThreadID:
            if (!nxlog)
                setDataField(b, p.key, p.value);
            break;
        case Type: // Sentinel's table name; Sysmon 25's Type elsewhere
            if (!sentinel)
                setDataField(b, p.key, p.value);
            break;
        case Other: {
            std::string_view name = p.key;
            // Log Analytics suffixes columns with their type when names clash: ProcessId_dynamic, ProcessId_string.
            if (sentinel) {
                if (name.size() > 8 && name.substr(name.size() - 8) == "_dynamic")
                    name.remove_suffix(8);
                else if (name.size() > 7 && name.substr(name.size() - 7) == "_string")
                    name.remove_suffix(7);
            }
            setDataField(b, name, p.value);
            break;
        }
        default: break;
        }
    }
    std::string hostText;
    if (host.find('&') != std::string_view::npos) {
        hostText = normalize::unescapeXml(host);
        host = hostText;
    }
    if (!host.empty())
        b.setHost(host);
    applyData(b);
    if (m_layout == JsonLayout::SdMinimal)
        estimateMinimalTime(b, host, utcTime, timeCreated);
}

void JsonRecordMapper::estimateMinimalTime(EventBuilder& b, std::string_view host, std::string_view utcTime,
                                           std::string_view timeCreated)
{
    // TimeCreated = local time on a 12-hour clock + a false "Z": UtcTime - TimeCreated is the zone offset, plus 12 h
    // in the afternoon. Sysmon records carry both, Security records only TimeCreated. The offset seen last (file
    // order, same host) places them within milliseconds of the truth.
    if (timeCreated.empty())
        return;
    const auto created = normalize::utcMillis(timeCreated);
    if (!created)
        return;
    auto it = std::find_if(m_minimalClocks.begin(), m_minimalClocks.end(),
                           [&](const MinimalClock& c) { return c.host == host; });
    if (!utcTime.empty()) {
        if (const auto utc = normalize::utcMillis(utcTime)) {
            if (it == m_minimalClocks.end()) {
                m_minimalClocks.push_back({std::string(host), *utc - *created, *utc});
                m_learnedHost = true;
            } else {
                it->offset = *utc - *created;
                it->lastUtc = *utc;
            }
        }
        return;
    }
    if (it == m_minimalClocks.end()) {
        m_unplacedCreated = *created;
        return;
    }
    b.setSystemTimeMillis(*placeMinimal(host, *created));
}

std::optional<int64_t> JsonRecordMapper::placeMinimal(std::string_view host, int64_t timeCreated) const
{
    const auto it = std::find_if(m_minimalClocks.begin(), m_minimalClocks.end(),
                                 [&](const MinimalClock& c) { return c.host == host; });
    if (it == m_minimalClocks.end())
        return std::nullopt;
    // The 12-hour clock drops AM/PM: past 1 o'clock since the offset was learned the reading is 12 h off. Take the
    // reading nearest to the host's last reliable time (datasets span minutes, not hours).
    constexpr int64_t kHalfDay = int64_t(12) * 3600 * 1000;
    int64_t t = timeCreated + it->offset;
    for (const int64_t alt : {t - kHalfDay, t + kHalfDay})
        if (std::llabs(alt - it->lastUtc) < std::llabs(t - it->lastUtc))
            t = alt;
    return t;
}

} // namespace dscope::model
