// SPDX-License-Identifier: MIT
// libFuzzer target over the Windows event XML source. The first byte picks the read chunk size (1 to 256 bytes, or
// the default), so that every element, comment, CDATA section and entity is also cut at a chunk boundary; the
// maximum event size is kept small so the "event too long" path runs too.
#include "fuzzsink.h"
#include "ingest/inputbytes.h"
#include "ingest/xmlsource.h"

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace dscope::model;
    if (size == 0)
        return 0;
    const size_t chunk = data[0] == 0 ? XmlSource::kDefaultChunkBytes : size_t(data[0]);
    MemoryBytes input(std::string(reinterpret_cast<const char*>(data) + 1, size - 1), "fuzz.xml");
    XmlSource source(chunk, 64 * 1024);
    dscope::fuzz::TouchingSink sink;
    std::string error;
    source.read(input, sink, error);
    (void)source.layout();
    return 0;
}
