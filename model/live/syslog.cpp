// SPDX-License-Identifier: MIT
#include "syslog.h"

#include <algorithm>
#include <cstring>

namespace dscope::model::syslog {

namespace {

bool isDigit(char c) { return c >= '0' && c <= '9'; }

/// The next space-delimited token of s (moved past it and one space).
std::string_view token(std::string_view& s)
{
    const size_t space = s.find(' ');
    const std::string_view t = s.substr(0, space);
    s.remove_prefix(space == std::string_view::npos ? s.size() : space + 1);
    return t;
}

/// Where the event starts in text: its first '<' or '{' (a prefix such as "sysmon: " or a JSON wrapper's tag is
/// not the event). The whole text when there is neither.
std::string_view eventPart(std::string_view text)
{
    const size_t at = text.find_first_of("<{");
    return at == std::string_view::npos ? text : text.substr(at);
}

bool isMonth(std::string_view s)
{
    static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    return s.size() >= 3 && std::any_of(std::begin(months), std::end(months), [&](const char* m) { return s.substr(0, 3) == m; });
}

} // namespace

Message parse(std::string_view text)
{
    Message m;
    m.body = text;
    // PRI: "<" 1-3 digits ">". An event's own "<Event" is not a PRI.
    if (text.size() < 3 || text[0] != '<' || !isDigit(text[1]))
        return m;
    size_t close = 1;
    int pri = 0;
    while (close < text.size() && close <= 4 && isDigit(text[close]))
        pri = pri * 10 + (text[close++] - '0');
    if (close >= text.size() || text[close] != '>' || pri > 191)
        return m;
    m.pri = pri;
    std::string_view rest = text.substr(close + 1);
    if (rest.size() >= 2 && rest[0] == '1' && rest[1] == ' ') {
        // RFC 5424: VERSION TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA [MSG]
        m.format = HeaderFormat::Rfc5424;
        rest.remove_prefix(2);
        m.timestamp = token(rest);
        m.host = token(rest);
        m.app = token(rest);
        token(rest); // PROCID
        token(rest); // MSGID
        if (rest.starts_with("-")) {
            rest.remove_prefix(std::min<size_t>(2, rest.size()));
        } else {
            // SD-ELEMENTs: "[id k="v" ...]" repeated; '\' escapes '"', '\' and ']' inside values.
            while (!rest.empty() && rest.front() == '[') {
                size_t i = 1;
                bool quoted = false;
                for (; i < rest.size(); ++i) {
                    const char c = rest[i];
                    if (c == '\\' && quoted) {
                        ++i;
                        continue;
                    }
                    if (c == '"')
                        quoted = !quoted;
                    else if (c == ']' && !quoted)
                        break;
                }
                rest.remove_prefix(std::min(rest.size(), i + 1));
            }
            if (!rest.empty() && rest.front() == ' ')
                rest.remove_prefix(1);
        }
        if (rest.starts_with("\xEF\xBB\xBF"))
            rest.remove_prefix(3);
        m.body = eventPart(rest);
        return m;
    }
    // RFC 3164: "Mmm dd hh:mm:ss HOST TAG: MSG"; HOST is absent from some senders (logger to a socket).
    m.format = HeaderFormat::Rfc3164;
    if (isMonth(rest) && rest.size() >= 16 && rest[15] == ' ') {
        m.timestamp = rest.substr(0, 15);
        rest.remove_prefix(16);
    }
    // The tag ends with ':' or '[' before the first space; a token ending otherwise is the host.
    auto isTag = [](std::string_view t) { return !t.empty() && (t.back() == ':' || t.find('[') != std::string_view::npos); };
    std::string_view probe = rest;
    std::string_view first = token(probe);
    if (!first.empty() && first.front() != '<' && first.front() != '{' && !isTag(first)) {
        m.host = first;
        rest = probe;
        probe = rest;
        first = token(probe);
    }
    if (isTag(first)) {
        m.app = first.substr(0, std::min(first.find('['), first.find(':')));
        rest = probe;
    }
    m.body = eventPart(rest);
    return m;
}

Deframer::Deframer(size_t maxMessageBytes) : m_max(maxMessageBytes) {}

bool Deframer::feed(std::string_view bytes, const MessageFn& onMessage, const RejectFn& onReject)
{
    while (!bytes.empty()) {
        if (m_skip > 0) { // the rest of a rejected counted frame
            const size_t n = size_t(std::min<uint64_t>(m_skip, bytes.size()));
            bytes.remove_prefix(n);
            m_skip -= n;
            m_offset += int64_t(n);
            continue;
        }
        if (m_framing == Framing::Unknown)
            m_framing = isDigit(bytes.front()) ? Framing::OctetCounting : Framing::LineFeed;
        if (m_framing == Framing::LineFeed) {
            const void* lf = std::memchr(bytes.data(), '\n', bytes.size());
            const size_t take = lf ? size_t(static_cast<const char*>(lf) - bytes.data()) : bytes.size();
            if (m_skipLine) {
                m_offset += int64_t(take + (lf ? 1 : 0));
                bytes.remove_prefix(take + (lf ? 1 : 0));
                m_skipLine = !lf;
                continue;
            }
            if (m_buffer.size() + take > m_max) {
                onReject(m_offset, "a message longer than the limit of " + std::to_string(m_max) + " bytes");
                m_offset += int64_t(m_buffer.size() + take + (lf ? 1 : 0));
                m_buffer.clear();
                bytes.remove_prefix(take + (lf ? 1 : 0));
                m_skipLine = !lf;
                continue;
            }
            m_buffer.append(bytes.data(), take);
            bytes.remove_prefix(take + (lf ? 1 : 0));
            if (!lf)
                break;
            std::string_view message(m_buffer);
            if (!message.empty() && message.back() == '\r')
                message.remove_suffix(1);
            if (!message.empty())
                onMessage(message);
            m_offset += int64_t(m_buffer.size() + 1);
            m_buffer.clear();
            continue;
        }
        // Octet counting: "LEN SP MSG". The length digits first, then the frame.
        if (m_frameLength == 0) {
            const size_t space = bytes.find(' ');
            const size_t take = space == std::string_view::npos ? bytes.size() : space;
            m_buffer.append(bytes.data(), take);
            bytes.remove_prefix(take);
            const std::string_view digits(m_buffer);
            if (digits.size() > 10 || !std::all_of(digits.begin(), digits.end(), isDigit)
                || (!digits.empty() && digits.front() == '0') || (space == 0 && digits.empty())) {
                onReject(m_offset, "not a syslog frame: octet counting expects a length, found \""
                                       + std::string(digits.substr(0, 16)) + "\"");
                m_buffer.clear();
                return false;
            }
            if (space == std::string_view::npos)
                continue; // more digits to come
            bytes.remove_prefix(1);
            const uint64_t length = std::stoull(m_buffer);
            m_offset += int64_t(m_buffer.size() + 1);
            m_buffer.clear();
            if (length > m_max) {
                onReject(m_offset, "a message of " + std::to_string(length) + " bytes, over the limit of "
                                       + std::to_string(m_max));
                m_skip = length;
                continue;
            }
            m_frameLength = length;
            m_buffer.reserve(size_t(length));
            continue;
        }
        const size_t take = size_t(std::min<uint64_t>(m_frameLength - m_buffer.size(), bytes.size()));
        m_buffer.append(bytes.data(), take);
        bytes.remove_prefix(take);
        if (m_buffer.size() == m_frameLength) {
            onMessage(m_buffer);
            m_offset += int64_t(m_frameLength);
            m_buffer.clear();
            m_frameLength = 0;
        }
    }
    return true;
}

void Deframer::finish(const MessageFn& onMessage, const RejectFn& onReject)
{
    if (m_framing == Framing::LineFeed && !m_buffer.empty() && !m_skipLine) {
        onMessage(m_buffer);
    } else if (m_framing == Framing::OctetCounting && (m_frameLength > 0 || !m_buffer.empty())) {
        onReject(m_offset, "the connection closed inside a frame");
    }
    m_buffer.clear();
    m_frameLength = 0;
}

} // namespace dscope::model::syslog
