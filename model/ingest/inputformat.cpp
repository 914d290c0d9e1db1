// SPDX-License-Identifier: MIT
#include "eventsource.h"
#include "inputbytes.h"

#include <cstring>

namespace dscope::model {

const char* formatName(InputFormat f)
{
    switch (f) {
    case InputFormat::Evtx: return "evtx";
    case InputFormat::Xml: return "xml";
    case InputFormat::Json: return "json";
    case InputFormat::Zip: return "zip";
    case InputFormat::TarGz: return "tar.gz";
    case InputFormat::Gzip: return "gz";
    case InputFormat::Unknown: break;
    }
    return "unknown";
}

InputFormat sniffFormat(InputBytes& input)
{
    const std::string_view h = input.head(4096);
    if (h.size() >= 8 && std::memcmp(h.data(), "ElfFile\0", 8) == 0)
        return InputFormat::Evtx;
    if (h.size() >= 4 && std::memcmp(h.data(), "PK\x03\x04", 4) == 0)
        return InputFormat::Zip;
    if (h.size() >= 2 && static_cast<unsigned char>(h[0]) == 0x1f && static_cast<unsigned char>(h[1]) == 0x8b) {
        // .tar.gz and .gz look alike until decompressed; the archive reader handles both.
        return InputFormat::TarGz;
    }
    size_t i = 0;
    if (h.size() >= 3 && std::memcmp(h.data(), "\xEF\xBB\xBF", 3) == 0)
        i = 3; // UTF-8 byte order mark
    while (i < h.size() && (h[i] == ' ' || h[i] == '\t' || h[i] == '\r' || h[i] == '\n'))
        ++i;
    // evtx_dump writes "Record N" on a line of its own before each XML event.
    if (h.substr(i, 7) == "Record ") {
        size_t j = i + 7;
        while (j < h.size() && h[j] >= '0' && h[j] <= '9')
            ++j;
        const bool digits = j > i + 7;
        while (j < h.size() && (h[j] == ' ' || h[j] == '\t' || h[j] == '\r' || h[j] == '\n'))
            ++j;
        if (digits && j < h.size() && h[j] == '<')
            return InputFormat::Xml;
    }
    if (i < h.size()) {
        if (h[i] == '<')
            return InputFormat::Xml;
        if (h[i] == '{' || h[i] == '[')
            return InputFormat::Json;
    }
    return InputFormat::Unknown;
}

} // namespace dscope::model
