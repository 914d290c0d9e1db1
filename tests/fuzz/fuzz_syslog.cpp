// SPDX-License-Identifier: MIT
// libFuzzer target over what a live feed's sender controls: the TCP byte stream (cut by the deframer, in chunks
// whose size the first byte picks, with a small message limit so the reject paths run), each message's syslog
// header, and the event decoder behind it. Properties checked on the way: a message is never longer than the
// limit, the body parse() returns lies inside its message, and the stream framing never changes once decided.
#include "ingest/messagedecoder.h"
#include "live/syslog.h"

#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace dscope::model;
    if (size == 0)
        return 0;
    const size_t chunk = size_t(data[0] % 64) + 1;
    const std::string_view stream(reinterpret_cast<const char*>(data) + 1, size - 1);
    constexpr size_t kLimit = 4096;
    syslog::Deframer deframer(kLimit);
    MessageDecoder decoder;
    int64_t position = 0;
    auto onMessage = [&](std::string_view message) {
        if (message.size() > kLimit)
            std::abort();
        const syslog::Message m = syslog::parse(message);
        if (m.body.data() < message.data() || m.body.data() + m.body.size() > message.data() + message.size())
            std::abort();
        Event e;
        std::string reason;
        decoder.decode(m.body, ++position, e, reason);
    };
    auto onReject = [](int64_t offset, std::string reason) {
        if (offset < 0 || reason.empty())
            std::abort();
    };
    syslog::Deframer::Framing decided = syslog::Deframer::Framing::Unknown;
    for (size_t at = 0; at < stream.size(); at += chunk) {
        if (!deframer.feed(stream.substr(at, chunk), onMessage, onReject))
            return 0; // unframeable: the connection would be closed here
        if (decided != syslog::Deframer::Framing::Unknown && deframer.framing() != decided)
            std::abort();
        decided = deframer.framing();
        if (deframer.buffered() > kLimit + 16)
            std::abort();
    }
    deframer.finish(onMessage, onReject);
    // A UDP datagram is one message: the same input whole.
    onMessage(stream.substr(0, std::min(stream.size(), kLimit)));
    return 0;
}
