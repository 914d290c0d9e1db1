// SPDX-License-Identifier: MIT
#include "eventxml.h"

#include "eventbuilder.h"

#include <pugixml.hpp>

#include <cstring>
#include <string_view>

namespace dscope::model {

namespace {

// No parse_eol: values keep their CR LF as written (command lines, script blocks); no parse_wconv_attribute
// either, attribute values are used verbatim. Escapes and CDATA are decoded.
constexpr unsigned kParseOptions = pugi::parse_cdata | pugi::parse_escapes;

/// "evt:Event" and "Event" are the same element: producers differ in prefixes, never in local names.
std::string_view localName(const char* qname)
{
    std::string_view n(qname);
    const size_t colon = n.rfind(':');
    return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

/// The text content of a leaf element: usually one PCDATA child; PCDATA mixed with CDATA is joined.
std::string_view textOf(pugi::xml_node node, std::string& scratch)
{
    pugi::xml_node first = node.first_child();
    while (first && first.type() != pugi::node_pcdata && first.type() != pugi::node_cdata)
        first = first.next_sibling();
    if (!first)
        return {};
    pugi::xml_node next = first.next_sibling();
    while (next && next.type() != pugi::node_pcdata && next.type() != pugi::node_cdata)
        next = next.next_sibling();
    if (!next)
        return first.value();
    scratch.clear();
    for (pugi::xml_node c = first; c; c = c.next_sibling()) {
        if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata)
            scratch.append(c.value());
    }
    return scratch;
}

bool hasElementChild(pugi::xml_node node)
{
    for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling()) {
        if (c.type() == pugi::node_element)
            return true;
    }
    return false;
}

void readSystem(pugi::xml_node system, EventBuilder& b, std::string& scratch)
{
    for (pugi::xml_node c = system.first_child(); c; c = c.next_sibling()) {
        if (c.type() != pugi::node_element)
            continue;
        const std::string_view name = localName(c.name());
        if (name == "Provider") {
            // Classic (pre-Vista) providers carry EventSourceName beside an empty Name.
            const char* provider = c.attribute("Name").value();
            if (!*provider)
                provider = c.attribute("EventSourceName").value();
            b.setProvider(provider);
        } else if (name == "EventID") {
            b.setEventId(textOf(c, scratch));
        } else if (name == "EventRecordID") {
            b.setRecordId(textOf(c, scratch));
        } else if (name == "TimeCreated") {
            b.setSystemTime(c.attribute("SystemTime").value());
        } else if (name == "Channel") {
            b.setChannel(textOf(c, scratch));
        } else if (name == "Computer") {
            b.setHost(textOf(c, scratch));
        }
    }
}

void readEventData(pugi::xml_node data, EventBuilder& b, std::string& scratch)
{
    for (pugi::xml_node c = data.first_child(); c; c = c.next_sibling()) {
        if (c.type() != pugi::node_element || localName(c.name()) != "Data")
            continue;
        // Unnamed <Data> (classic events, libevtx without a template name) has no meaning by itself: it stays
        // in the raw event.
        const pugi::xml_attribute n = c.attribute("Name");
        if (n && *n.value())
            b.setField(n.value(), textOf(c, scratch));
    }
}

/// UserData has a provider-specific tree; its leaves are fields named by their element. Iterative, because a
/// hostile event may nest deeper than the stack allows.
void readUserData(pugi::xml_node root, EventBuilder& b, std::string& scratch)
{
    pugi::xml_node n = root.first_child();
    while (n) {
        if (n.type() == pugi::node_element) {
            if (hasElementChild(n)) {
                n = n.first_child();
                continue;
            }
            b.setField(localName(n.name()), textOf(n, scratch));
        }
        while (n != root && !n.next_sibling())
            n = n.parent();
        if (n == root)
            break;
        n = n.next_sibling();
    }
}

} // namespace

struct EventXmlReader::Private {
    pugi::xml_document doc;
    std::string scratch;
};

EventXmlReader::EventXmlReader()
    : d(std::make_unique<Private>())
{
}

EventXmlReader::~EventXmlReader() = default;

bool EventXmlReader::read(char* text, size_t size, EventBuilder& builder, std::string& error)
{
    const pugi::xml_parse_result r = d->doc.load_buffer_inplace(text, size, kParseOptions, pugi::encoding_utf8);
    if (!r) {
        error = std::string(r.description()) + " at byte " + std::to_string(r.offset) + " of the element";
        return false;
    }
    const pugi::xml_node event = d->doc.document_element();
    if (!event || localName(event.name()) != "Event") {
        error = "the root element is not <Event>";
        return false;
    }
    for (pugi::xml_node c = event.first_child(); c; c = c.next_sibling()) {
        if (c.type() != pugi::node_element)
            continue;
        const std::string_view name = localName(c.name());
        if (name == "System")
            readSystem(c, builder, d->scratch);
        else if (name == "EventData")
            readEventData(c, builder, d->scratch);
        else if (name == "UserData")
            readUserData(c, builder, d->scratch);
        // RenderingInfo (Message, Level text...) is display text: it stays in the raw event.
    }
    return true;
}

} // namespace dscope::model
