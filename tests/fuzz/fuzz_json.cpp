// SPDX-License-Identifier: MIT
// libFuzzer target over the JSON source and, through it, every layout mapper (NXLog, Winlogbeat 6/7/ECS, evtx_dump,
// Sentinel, Splunk, OpenWEC). The first byte picks small windows and line limits, so that lines cut at a window
// edge, over-long lines and over-large documents take their own paths.
#include "fuzzsink.h"
#include "ingest/inputbytes.h"
#include "ingest/jsonsource.h"

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace dscope::model;
    if (size == 0)
        return 0;
    JsonLimits limits;
    if (data[0] & 1) {
        limits.windowBytes = 64 + size_t(data[0]) * 8;
        limits.maxLineBytes = 32 + size_t(data[0]) * 4;
        limits.maxDocumentBytes = 4096;
    }
    MemoryBytes input(std::string(reinterpret_cast<const char*>(data) + 1, size - 1), "fuzz.json");
    JsonSource source(limits);
    dscope::fuzz::TouchingSink sink;
    std::string error;
    source.read(input, sink, error);
    (void)source.layout();
    return 0;
}
