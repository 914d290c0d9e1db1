// SPDX-License-Identifier: MIT
#include "xmlsource.h"

#include "eventbuilder.h"
#include "eventxml.h"
#include "inputbytes.h"

#include <algorithm>
#include <cstring>
#include <string_view>

namespace dscope::model {

namespace {

constexpr size_t kMaxNameBytes = 256; // longer tag names are never "Event"/"Events": not worth more look-ahead

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool endsName(char c) { return isSpace(c) || c == '>' || c == '/'; }

std::string_view localName(std::string_view qname)
{
    const size_t colon = qname.rfind(':');
    return colon == std::string_view::npos ? qname : qname.substr(colon + 1);
}

/**
 * Splits a byte stream into `<Event>` elements. The buffer holds only the bytes not yet consumed: the current
 * event from its start tag, or the scan position when outside an event.
 */
class Splitter
{
public:
    Splitter(InputBytes& input, RecordSink& sink, size_t chunkBytes, size_t maxEventBytes)
        : m_input(input)
        , m_sink(sink)
        , m_chunkBytes(chunkBytes)
        , m_maxEventBytes(maxEventBytes)
    {
    }

    bool run(std::string& error);

    int64_t events() const { return m_index; }
    bool sawRoot() const { return m_sawRoot; }
    bool sawDeclaration() const { return m_sawDeclaration; }

private:
    enum class Mode { Outside, InEvent, Discarding };
    /// What the construct at m_pos is; NeedMore when the buffer ends inside it.
    enum class Kind { NeedMore, Skip, Declaration, StartTag, EndTag };
    struct Construct {
        Kind kind = Kind::Skip;
        size_t end = 0;            ///< buffer index after the construct
        std::string_view name;     ///< tag name for StartTag / EndTag
        bool selfClosing = false;
    };

    bool fill(std::string& error);
    Construct classify() const;
    size_t findTagEnd(size_t from) const;
    size_t find(std::string_view what, size_t from) const;
    void emitEvent(size_t begin, size_t end);
    std::string where() const
    {
        return "event " + std::to_string(m_index) + " at byte offset " + std::to_string(m_eventOffset);
    }

    InputBytes& m_input;
    RecordSink& m_sink;
    const size_t m_chunkBytes;
    const size_t m_maxEventBytes;

    std::string m_buf;
    int64_t m_bufOffset = 0; // input offset of m_buf[0]
    size_t m_pos = 0;
    bool m_eof = false;

    Mode m_mode = Mode::Outside;
    size_t m_eventStart = 0;
    int64_t m_eventOffset = 0;
    std::string m_qname; // the current event's tag name, prefix included
    int m_depth = 0;
    int64_t m_index = 0;
    bool m_sawRoot = false;
    bool m_sawDeclaration = false;

    EventXmlReader m_reader;
    EventBuilder m_builder;
};

size_t Splitter::find(std::string_view what, size_t from) const
{
    const size_t at = std::string_view(m_buf).find(what, from);
    return at == std::string_view::npos ? std::string::npos : at + what.size();
}

/// The index after the '>' closing the tag that starts at from, honouring quoted attribute values.
size_t Splitter::findTagEnd(size_t from) const
{
    char quote = 0;
    for (size_t i = from; i < m_buf.size(); ++i) {
        const char c = m_buf[i];
        if (quote) {
            if (c == quote)
                quote = 0;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '>') {
            return i + 1;
        }
    }
    return std::string::npos;
}

Splitter::Construct Splitter::classify() const
{
    Construct c;
    const std::string_view rest = std::string_view(m_buf).substr(m_pos);
    auto needMore = [&](size_t n) { return rest.size() < n && !m_eof; };
    if (needMore(2))
        return {Kind::NeedMore};
    if (rest.size() < 2) {
        c.end = m_pos + 1;
        return c;
    }
    const char second = rest[1];
    if (second == '!') {
        if (needMore(9))
            return {Kind::NeedMore};
        size_t end;
        if (rest.substr(0, 4) == "<!--")
            end = find("-->", m_pos + 4);
        else if (rest.substr(0, 9) == "<![CDATA[")
            end = find("]]>", m_pos + 9);
        else
            end = find(">", m_pos + 2); // DOCTYPE and friends: nothing of ours inside
        if (end == std::string::npos)
            return m_eof ? Construct{Kind::Skip, m_buf.size()} : Construct{Kind::NeedMore};
        c.end = end;
        return c;
    }
    if (second == '?') {
        const size_t end = find("?>", m_pos + 2);
        if (end == std::string::npos)
            return m_eof ? Construct{Kind::Skip, m_buf.size()} : Construct{Kind::NeedMore};
        c.end = end;
        if (rest.size() > 6 && rest.substr(0, 5) == "<?xml" && isSpace(rest[5]))
            c.kind = Kind::Declaration;
        return c;
    }
    c.end = m_pos + 1; // anything we do not care about: the next '<' is found by the caller
    const bool endTag = second == '/';
    const size_t nameStart = endTag ? 2 : 1;
    if (m_mode != Mode::Outside) {
        // Inside an event only our own tag name matters; anything else is skipped cheaply.
        if (needMore(nameStart + m_qname.size() + 1))
            return {Kind::NeedMore};
        if (rest.size() < nameStart + m_qname.size() + 1 || rest.substr(nameStart, m_qname.size()) != m_qname
            || !endsName(rest[nameStart + m_qname.size()]))
            return c;
        c.name = rest.substr(nameStart, m_qname.size());
    } else {
        size_t i = nameStart;
        while (i < rest.size() && i < kMaxNameBytes && !endsName(rest[i]) && rest[i] != '<')
            ++i;
        if (i == rest.size() && !m_eof)
            return {Kind::NeedMore};
        if (i == rest.size() || i == kMaxNameBytes || rest[i] == '<' || i == nameStart)
            return c;
        c.name = rest.substr(nameStart, i - nameStart);
        const std::string_view local = localName(c.name);
        if (local != "Event" && local != "Events")
            return c;
    }
    const size_t end = findTagEnd(m_pos + nameStart + c.name.size());
    if (end == std::string::npos)
        return m_eof ? c : Construct{Kind::NeedMore};
    c.kind = endTag ? Kind::EndTag : Kind::StartTag;
    c.end = end;
    c.selfClosing = !endTag && m_buf[end - 2] == '/';
    return c;
}

bool Splitter::fill(std::string& error)
{
    // Drop what is consumed: the event being collected is kept from its start tag.
    const size_t keep = m_mode == Mode::InEvent ? m_eventStart : m_pos;
    if (keep > 0) {
        m_buf.erase(0, keep);
        m_bufOffset += int64_t(keep);
        m_pos -= keep;
        if (m_mode == Mode::InEvent)
            m_eventStart = 0;
    }
    const size_t have = m_buf.size();
    m_buf.resize(have + m_chunkBytes);
    const int64_t n = m_input.read(m_buf.data() + have, int64_t(m_chunkBytes));
    if (n < 0) {
        m_buf.resize(have);
        error = "read error at byte offset " + std::to_string(m_bufOffset + int64_t(have)) + ": "
                + m_input.errorString();
        return false;
    }
    m_buf.resize(have + size_t(n));
    if (n == 0)
        m_eof = true;
    return true;
}

void Splitter::emitEvent(size_t begin, size_t end)
{
    m_builder.reset();
    m_builder.setPosition(m_index);
    // Raw first: the reader parses the buffer in place.
    m_builder.setRaw(RawFormat::Xml, std::string_view(m_buf).substr(begin, end - begin));
    std::string err;
    if (!m_reader.read(m_buf.data() + begin, end - begin, m_builder, err)) {
        m_builder.reset();
        m_sink.skip(m_index, where() + ": " + err);
        return;
    }
    if (!m_builder.finish()) {
        m_builder.reset();
        m_sink.skip(m_index, where() + ": no EventID");
        return;
    }
    m_builder.handTo(m_sink);
}

bool Splitter::run(std::string& error)
{
    for (;;) {
        if (m_sink.cancelled())
            return true;
        const void* lt = m_pos < m_buf.size() ? std::memchr(m_buf.data() + m_pos, '<', m_buf.size() - m_pos) : nullptr;
        Construct c;
        if (!lt) {
            m_pos = m_buf.size();
            c.kind = Kind::NeedMore;
        } else {
            m_pos = size_t(static_cast<const char*>(lt) - m_buf.data());
            c = classify();
        }
        if (c.kind == Kind::NeedMore) {
            if (m_eof)
                break;
            if (m_mode == Mode::InEvent && m_buf.size() - m_eventStart > m_maxEventBytes) {
                m_sink.skip(m_index, where() + ": no end tag within " + std::to_string(m_maxEventBytes)
                                         + " bytes, skipped");
                m_mode = Mode::Discarding;
            } else if (m_mode != Mode::InEvent && m_buf.size() - m_pos > m_maxEventBytes) {
                ++m_pos; // an endless comment or tag outside any event: read on as text
                continue;
            }
            if (!fill(error))
                return false;
            continue;
        }
        switch (c.kind) {
        case Kind::Declaration:
            if (m_mode == Mode::Outside)
                m_sawDeclaration = true;
            break;
        case Kind::StartTag:
            if (m_mode == Mode::Outside) {
                if (localName(c.name) == "Events") {
                    m_sawRoot = true;
                    break;
                }
                ++m_index;
                m_eventStart = m_pos;
                m_eventOffset = m_bufOffset + int64_t(m_pos);
                if (c.selfClosing) {
                    emitEvent(m_pos, c.end);
                    break;
                }
                m_qname.assign(c.name);
                m_depth = 1;
                m_mode = Mode::InEvent;
            } else if (!c.selfClosing) {
                ++m_depth;
            }
            break;
        case Kind::EndTag:
            if (m_mode != Mode::Outside && --m_depth == 0) {
                if (m_mode == Mode::InEvent)
                    emitEvent(m_eventStart, c.end);
                m_mode = Mode::Outside;
            }
            break;
        default:
            break;
        }
        m_pos = c.end;
    }
    if (m_mode == Mode::InEvent)
        m_sink.skip(m_index, where() + ": cut off, no </" + m_qname + "> before the end of the input");
    return true;
}

} // namespace

XmlSource::XmlSource(size_t chunkBytes, size_t maxEventBytes)
    : m_chunkBytes(std::max<size_t>(1, chunkBytes))
    , m_maxEventBytes(maxEventBytes)
{
}

bool XmlSource::read(InputBytes& input, RecordSink& sink, std::string& error)
{
    Splitter splitter(input, sink, m_chunkBytes, m_maxEventBytes);
    // The importer names the input in front of the message.
    if (!splitter.run(error))
        return false;
    m_layout = splitter.sawRoot() ? "events-xml" : splitter.sawDeclaration() ? "evtx_dump-xml" : "concatenated-xml";
    if (splitter.events() == 0 && !splitter.sawRoot()) {
        error = "no Windows event <Event> element found";
        return false;
    }
    return true;
}

} // namespace dscope::model
