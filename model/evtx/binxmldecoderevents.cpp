// SPDX-License-Identifier: MIT
// The decoder's event side: element/attribute/text events become the record's System values, its named
// fields and (on demand) its XML text.
#include "binxmldecoder.h"

#include "binxmlroles.h"
#include "evtxvalues.h"

namespace dscope::model::evtx {

using namespace roles;

void BinXmlDecoder::openElement(std::string_view name)
{
    uint8_t role = RNone;
    if (m_stack.empty()) {
        role = REvent;
    } else {
        Frame& parent = m_stack.back();
        parent.hasChild = true;
        switch (parent.role) {
        case REvent:
            role = name == "System" ? RSystem : name == "EventData" ? REventData : name == "UserData" ? RUserData : RNone;
            break;
        case RSystem: role = systemChild(name); break;
        case REventData:
            if (name == "Data") {
                role = RData;
                m_dataHasName = false;
                m_dataName = {0, 0};
            }
            break;
        case RUserData: role = RUserWrapper; break; // <EventXML xmlns=...>: holds the values
        case RUserWrapper:
        case RUserLeaf: role = RUserLeaf; break;
        default: break;
        }
    }
    const auto nameOff = uint32_t(name.data() - m_pool.data());
    m_stack.push_back({nameOff, uint32_t(name.size()), uint32_t(m_text.size()), role, false, false,
                       uint32_t(m_xml.size())});
    if (m_render) {
        m_xml += '<';
        m_xml += name;
        m_startOpen = true;
    }
}

void BinXmlDecoder::closeStart(bool empty)
{
    if (m_render && m_startOpen) {
        m_xml += empty ? "/>" : ">";
        m_startOpen = false;
    }
}

void BinXmlDecoder::endElement(bool closedEmpty)
{
    if (m_stack.empty())
        return;
    const Frame f = m_stack.back();
    m_stack.pop_back();
    if (m_render) {
        if (m_startOpen) {
            m_xml += "/>"; // malformed stream without a close token: keep the XML well formed
            m_startOpen = false;
        } else if (!closedEmpty) {
            m_xml += "</";
            m_xml += pool(f.name, f.nameLen);
            m_xml += '>';
        }
    }
    if (f.suppressed) {
        if (m_render)
            m_xml.resize(f.xmlStart);
        m_text.resize(f.textStart);
        return;
    }
    const std::string_view content(m_text.data() + f.textStart, m_text.size() - f.textStart);
    auto store = [&](std::string_view s) {
        Ref r{uint32_t(m_store.size()), uint32_t(s.size())};
        m_store.append(s);
        return r;
    };
    switch (f.role) {
    case REventId: m_sys[SEventId] = store(content); break;
    case RRecordId: m_sys[SRecordId] = store(content); break;
    case RChannel: m_sys[SChannel] = store(content); break;
    case RComputer: m_sys[SComputer] = store(content); break;
    case RData: m_fields.push_back({m_dataName, store(content), DecodedRecord::kUnresolved}); break;
    case RUserLeaf:
        if (!f.hasChild) {
            const Ref value = store(content);
            m_fields.push_back({store(pool(f.name, f.nameLen)), value, DecodedRecord::kUnresolved});
        }
        break;
    default: break;
    }
    m_text.resize(f.textStart);
}

void BinXmlDecoder::beginAttribute(std::string_view name)
{
    m_inAttr = true;
    m_attr.clear();
    m_attrHasValue = false;
    m_attrFileTimes = 0;
    m_attrOther = false;
    m_attrRole = ANone;
    if (!m_stack.empty()) {
        switch (m_stack.back().role) {
        case RProvider: m_attrRole = name == "Name" ? AProviderName : ANone; break;
        case REventId: m_attrRole = name == "Qualifiers" ? AQualifiers : ANone; break;
        case RTimeCreated: m_attrRole = name == "SystemTime" ? ASystemTime : ANone; break;
        case RData: m_attrRole = name == "Name" ? ADataName : ANone; break;
        default: break;
        }
    }
    if (m_render) {
        m_attrXmlStart = m_xml.size();
        m_xml += ' ';
        m_xml += name;
        m_xml += "=\"";
    }
}

void BinXmlDecoder::finishAttribute()
{
    m_inAttr = false;
    if (m_render) {
        if (m_attrHasValue)
            m_xml += '"';
        else
            m_xml.resize(m_attrXmlStart); // only absent optional values: the attribute is not written
    }
    if (m_attrRole == ANone || !m_attrHasValue)
        return;
    const Ref r{uint32_t(m_store.size()), uint32_t(m_attr.size())};
    m_store.append(m_attr);
    switch (m_attrRole) {
    case AProviderName: m_sys[SProvider] = r; break;
    case AQualifiers: m_sys[SQualifiers] = r; break;
    case ASystemTime:
        m_sys[SSystemTime] = r;
        m_timeMs = (m_attrFileTimes == 1 && !m_attrOther) ? fileTimeToMillis(m_attrFileTime) : DecodedRecord::kNoTime;
        break;
    case ADataName:
        m_dataName = r;
        m_dataHasName = true;
        break;
    default: break;
    }
}

void BinXmlDecoder::text(std::string_view utf8)
{
    if (m_inAttr) {
        m_attr.append(utf8);
        m_attrHasValue = true;
    } else {
        m_text.append(utf8);
    }
    if (m_render)
        appendXmlEscaped(m_xml, utf8);
}

bool BinXmlDecoder::decodeRecord(uint32_t begin, uint32_t end, bool renderXml, DecodedRecord& out,
                                 std::string& error)
{
    m_render = renderXml;
    m_error.clear();
    m_xml.clear();
    m_text.clear();
    m_store.clear();
    m_stack.clear();
    m_values.clear();
    m_fields.clear();
    m_inAttr = false;
    m_startOpen = false;
    m_timeMs = DecodedRecord::kNoTime;
    for (Ref& r : m_sys)
        r = {0, 0};

    bool ok = begin <= end && end <= m_size;
    if (ok && !renderXml && planFragment(begin, end, kRootContext, 0) == kPlanOk) {
        // done: the plan path filled m_store, m_sys, m_fields and m_timeMs
    } else if (ok) {
        if (!renderXml) {
            // The plan path gave up part way: start the record afresh on the interpreter.
            m_store.clear();
            m_fields.clear();
            m_values.clear();
            m_timeMs = DecodedRecord::kNoTime;
            for (Ref& r : m_sys)
                r = {0, 0};
        }
        ok = readFragment(begin, end, 0);
    }
    if (!ok) {
        error = m_error.empty() ? std::string("bad record bounds") : m_error;
        return false;
    }
    auto view = [&](Ref r) { return std::string_view(m_store.data() + r.off, r.len); };
    out.provider = view(m_sys[SProvider]);
    out.channel = view(m_sys[SChannel]);
    out.computer = view(m_sys[SComputer]);
    out.eventId = view(m_sys[SEventId]);
    out.qualifiers = view(m_sys[SQualifiers]);
    out.eventRecordId = view(m_sys[SRecordId]);
    out.systemTime = view(m_sys[SSystemTime]);
    out.timeMs = m_timeMs;
    out.fields.clear();
    for (const FieldRef& f : m_fields)
        out.fields.push_back({view(f.name), view(f.value), f.id});
    out.xml = renderXml ? std::string_view(m_xml) : std::string_view();
    return true;
}

} // namespace dscope::model::evtx
