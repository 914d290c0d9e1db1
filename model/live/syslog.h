// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace dscope::model::syslog {

enum class HeaderFormat { None, Rfc5424, Rfc3164 };

/// A syslog message split into its header fields and its body. Views into the message.
struct Message {
    HeaderFormat format = HeaderFormat::None;
    int pri = -1;                 ///< facility * 8 + severity, -1 without a PRI
    std::string_view timestamp;   ///< as sent (RFC 3339 for 5424, "Mmm dd hh:mm:ss" for 3164)
    std::string_view host;
    std::string_view app;         ///< APP-NAME (5424) or TAG (3164)
    std::string_view body;        ///< the event: from its first '<' or '{' when the header is followed by other text
};

/**
 * Reads the header of one message: RFC 5424 ("<PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG", structured data
 * with escaped brackets, a UTF-8 BOM before MSG), RFC 3164 ("<PRI>Mmm dd hh:mm:ss HOST TAG[PID]: MSG", also
 * without HOST), or none (a bare event). Never fails: what cannot be read as a header is body.
 */
Message parse(std::string_view message);

/**
 * Cuts a TCP byte stream into syslog messages. The framing is decided by the first byte of the connection, as
 * senders do not mix them: a digit means octet counting (RFC 6587 3.4.1, "LEN SP MSG"; rsyslog, syslog-ng,
 * logger --octet-count), anything else means a line feed ends each message (non-transparent framing, RFC 6587
 * 3.4.2). Memory is bounded by the message limit: a longer message is counted as rejected and its bytes skipped.
 */
class Deframer
{
public:
    enum class Framing { Unknown, OctetCounting, LineFeed };
    using MessageFn = std::function<void(std::string_view message)>;
    using RejectFn = std::function<void(int64_t offset, std::string reason)>;

    explicit Deframer(size_t maxMessageBytes);

    /**
     * Takes the next bytes of the stream: every message they complete goes to onMessage, every message over the
     * limit to onReject (with its byte offset in the stream). False when the stream cannot be framed (a length
     * that is not a number): the caller counts it and closes the connection, as there is no way to find the next
     * message.
     */
    bool feed(std::string_view bytes, const MessageFn& onMessage, const RejectFn& onReject);
    /// The end of the stream: a line without its line feed is a message; a partial counted frame is rejected.
    void finish(const MessageFn& onMessage, const RejectFn& onReject);

    Framing framing() const { return m_framing; }
    size_t buffered() const { return m_buffer.size(); }

private:
    size_t m_max;
    Framing m_framing = Framing::Unknown;
    std::string m_buffer;
    int64_t m_offset = 0;      ///< stream offset of m_buffer[0]
    uint64_t m_frameLength = 0; ///< length of the counted frame being read; 0 while reading its length
    uint64_t m_skip = 0;       ///< bytes of a rejected counted frame still to drop
    bool m_skipLine = false;   ///< dropping an over-long line up to its line feed
};

} // namespace dscope::model::syslog
