// SPDX-License-Identifier: MIT
// libFuzzer target over the normalizer: the event builder every source feeds, the value parsers and the access
// mask decoder. The input is split at NUL bytes into an event id, then (field name, value) pairs. Besides not
// crashing, the target checks properties the rest of the workbench relies on, and aborts when one fails:
// - a time that parses prints as ISO text that parses back to the same instant;
// - a GUID normalizes to lower case without braces, and normalizing it again changes nothing;
// - capLength keeps a prefix within the limit, never cut inside a UTF-8 sequence, and says it cut.
#include "domain/accessmask.h"
#include "domain/normalize.h"
#include "fuzzsink.h"
#include "ingest/eventbuilder.h"

#include <cstdint>
#include <algorithm>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace dscope::model;

void check(bool ok)
{
    if (!ok)
        std::abort();
}

void checkValue(std::string_view v)
{
    if (const auto ms = normalize::utcMillis(v)) {
        const std::string iso = normalize::isoUtc(*ms);
        const auto again = normalize::utcMillis(iso);
        check(again && *again == *ms);
    }
    const std::string g = normalize::guid(v);
    if (g.size() == 36 && g.find_first_not_of("0123456789abcdefABCDEF-") == std::string::npos) {
        check(g.find_first_of("ABCDEF") == std::string::npos);
        check(normalize::guid(g) == g);
    }
    (void)normalize::integer(v);
    if (const auto mask = normalize::hexInteger(v)) {
        for (auto type : {access::ObjectType::Process, access::ObjectType::Thread,
                          access::ObjectType::File})
            (void)access::decode(uint32_t(*mask), type);
    }
    (void)normalize::unescapeXml(v);
    (void)normalize::isAbsent(v);
    for (size_t limit : {size_t(0), size_t(1), size_t(7), size_t(64)}) {
        std::string s(v);
        const bool wasLonger = s.size() > limit;
        normalize::capLength(s, limit);
        if (!wasLonger) {
            check(s == v);
        } else {
            // What is kept is a prefix of the value, within the limit, cut before a UTF-8 lead byte, then the marker.
            const size_t marker = s.rfind("\xE2\x80\xA6[truncated ");
            check(marker != std::string::npos && marker <= limit);
            check(v.substr(0, marker) == std::string_view(s).substr(0, marker));
            check(marker == 0 || (uint8_t(v[marker]) & 0xC0) != 0x80);
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    std::vector<std::string_view> parts;
    std::string_view rest(reinterpret_cast<const char*>(data), size);
    while (!rest.empty() && parts.size() < 256) {
        const size_t nul = rest.find('\0');
        parts.push_back(rest.substr(0, nul));
        rest = nul == std::string_view::npos ? std::string_view() : rest.substr(nul + 1);
    }
    if (parts.empty())
        return 0;
    EventBuilder builder;
    builder.setEventId(parts[0]);
    builder.setPosition(1);
    for (size_t i = 1; i + 1 < parts.size(); i += 2) {
        checkValue(parts[i + 1]);
        if (parts[i] == "System.TimeCreated")
            builder.setSystemTime(parts[i + 1]);
        else if (parts[i] == "System.Computer")
            builder.setHost(parts[i + 1]);
        else if (parts[i] == "System.Channel")
            builder.setChannel(parts[i + 1]);
        else
            builder.setField(parts[i], parts[i + 1]);
    }
    dscope::fuzz::TouchingSink sink;
    if (builder.finish())
        builder.handTo(sink);
    return 0;
}
