// SPDX-License-Identifier: MIT
// libFuzzer target over the archive reader (.zip, .tar.gz, .gz through libarchive) and what the importer does with
// each member: sniff it and read it with its source, in memory. Members are never written to disk, whatever their
// names say (tst_importer's hostile member names test checks that on real archives).
#include "fuzzsink.h"
#include "import/sourcefactory.h"
#include "ingest/archivereader.h"
#include "ingest/inputbytes.h"

#include <cstdint>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace dscope::model;
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    ArchiveReader archive("fuzz.zip", bytes);
    dscope::fuzz::TouchingSink sink;
    std::string error;
    int members = 0;
    archive.forEachMember(
        [&](InputBytes& member) {
            const InputFormat format = sniffFormat(member);
            SourceOptions options;
            options.evtxThreads = 1;
            if (auto source = makeSource(format, options)) {
                std::string readError;
                source->read(member, sink, readError);
            }
            return ++members < 64;
        },
        error);
    return 0;
}
