// SPDX-License-Identifier: MIT
#include "messagedecoder.h"

#include "eventbuilder.h"
#include "eventxml.h"
#include "jsonrecordmapper.h"

namespace dscope::model {

namespace od = simdjson::ondemand;

struct MessageDecoder::Private {
    EventBuilder builder;
    EventXmlReader xml;
    JsonRecordMapper mapper;
    od::parser parser;
    od::document doc;
    std::string buffer; ///< the message copied with simdjson's padding, or the XML parsed in place
    std::string inner;  ///< OpenWEC RawJson: the XML of its "data" string
};

namespace {

std::string_view trimmed(std::string_view s)
{
    const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\0'; };
    while (!s.empty() && blank(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && blank(s.back()))
        s.remove_suffix(1);
    return s;
}

} // namespace

MessageDecoder::MessageDecoder() : d(std::make_unique<Private>()) {}
MessageDecoder::~MessageDecoder() = default;

bool MessageDecoder::decode(std::string_view message, int64_t position, Event& out, std::string& reason)
{
    const std::string_view text = trimmed(message);
    EventBuilder& b = d->builder;
    b.reset();
    b.setPosition(position);
    auto finish = [&]() {
        if (!b.finish()) {
            b.reset();
            reason = "no event id (" + m_layout + ")";
            return false;
        }
        out = b.take();
        return true;
    };
    auto decodeXml = [&](std::string_view xml, std::string_view raw) {
        b.setRaw(RawFormat::Xml, raw);
        d->buffer.assign(xml); // parsed in place
        std::string error;
        if (!d->xml.read(d->buffer.data(), d->buffer.size(), b, error)) {
            b.reset();
            reason = "XML: " + error;
            return false;
        }
        return finish();
    };
    if (text.empty()) {
        reason = "empty message";
        return false;
    }
    if (text.front() == '<') {
        m_layout = "event-xml";
        return decodeXml(text, text);
    }
    if (text.front() != '{') {
        reason = "neither an XML event nor a JSON object";
        return false;
    }
    // OpenWEC's Json format is evtx_dump's object without its "Event" wrapper (System comes first): add it.
    const bool openwecJson = text.starts_with("{\"System\":");
    d->buffer.clear();
    d->buffer.reserve(text.size() + 16 + simdjson::SIMDJSON_PADDING);
    if (openwecJson)
        d->buffer.append("{\"Event\":");
    d->buffer.append(text);
    if (openwecJson)
        d->buffer.push_back('}');
    const size_t length = d->buffer.size();
    simdjson::error_code e = d->parser.iterate(d->buffer.data(), length, d->buffer.capacity()).get(d->doc);
    od::object obj;
    if (!e)
        e = d->doc.get_object().get(obj);
    // OpenWEC RawJson: {"meta": {...}, "data": "<Event ...>"}: the event is the XML string.
    if (!e && text.find("\"data\"") != std::string_view::npos && text.find("\"meta\"") != std::string_view::npos) {
        std::string_view data;
        if (!obj.find_field_unordered("data").get_string().get(data) && trimmed(data).starts_with('<')) {
            m_layout = "openwec-rawjson";
            d->inner.assign(data); // out of d->buffer, which the XML parse below reuses
            return decodeXml(d->inner, d->inner);
        }
        // Not an envelope after all: parse again from the start (a document that met an error cannot be rewound).
        e = d->parser.iterate(d->buffer.data(), length, d->buffer.capacity()).get(d->doc);
        if (!e)
            e = d->doc.get_object().get(obj);
    }
    if (!e)
        e = d->mapper.map(obj, b);
    if (!e && d->doc.current_location().error() != simdjson::OUT_OF_BOUNDS)
        e = simdjson::TRAILING_CONTENT;
    if (e) {
        b.reset();
        reason = std::string("JSON: ") + (e == simdjson::INCORRECT_TYPE ? "not a JSON object" : simdjson::error_message(e));
        return false;
    }
    m_layout = openwecJson ? "openwec-json" : jsonLayoutName(d->mapper.layout());
    if (d->mapper.layout() == JsonLayout::Unknown) {
        b.reset();
        reason = "JSON of an unknown layout";
        return false;
    }
    if (d->mapper.unplacedTimeCreated() != kNoValue) {
        b.reset();
        reason = "a local time with no known offset for its host (" + m_layout + ")";
        return false;
    }
    b.setRaw(RawFormat::Json, text);
    return finish();
}

} // namespace dscope::model
