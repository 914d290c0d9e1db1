// SPDX-License-Identifier: MIT
// libFuzzer target over the native EVTX reader. An input that does not start with the EVTX signature is
// taken as chunk data behind a valid file header, so mutations reach the chunk, record and binary XML
// decoders instead of dying at the signature check. Seeds: chunks cut out of real EVTX files.
#include "evtx/binxmldecoder.h"
#include "evtx/evtxfiledecoder.h"
#include "storage/rawevent.h"

#include <cstring>
#include <string>
#include <vector>

namespace {

using namespace dscope::model;

/// Renders every kept record from its stored chunk, as the detail pane's loader does.
class CountingSink : public RecordSink
{
public:
    void add(Event&& e) override
    {
        m_bytes += e.raw.size() + e.host.size();
        if (e.rawFormat != RawFormat::EvtxBinXml || m_chunk.empty())
            return;
        evtx::BinXmlDecoder decoder;
        decoder.beginChunk(reinterpret_cast<const uint8_t*>(m_chunk.data()), m_chunk.size());
        evtx::DecodedRecord record;
        std::string error;
        if (decoder.decodeRecord(e.rawOffset, e.rawOffset + e.rawLength, true, record, error))
            m_bytes += record.xml.size();
    }
    void addSharedRaw(RawBlock&& block) override
    {
        std::string error;
        if (!decodeRaw(block.codec, block.data, m_chunk, error))
            m_chunk.clear();
    }
    void skip(int64_t, std::string reason) override { m_bytes += reason.size(); }
    bool cancelled() const override { return false; }
    size_t m_bytes = 0;
    std::string m_chunk;
};

std::string image(const uint8_t* data, size_t size)
{
    if (size >= 8 && std::memcmp(data, "ElfFile\0", 8) == 0)
        return std::string(reinterpret_cast<const char*>(data), size);
    std::string out(4096, '\0');
    std::memcpy(out.data(), "ElfFile\0", 8);
    out[32] = char(128);    // header size
    out[36] = 1;            // minor version
    out[38] = 3;            // major version
    out[41] = 0x10;         // header block size 4096
    out[42] = 1;            // one chunk
    out.append(reinterpret_cast<const char*>(data), size);
    // Short inputs become a whole chunk (zero padded), so the record walk runs instead of the truncation path.
    if (size < 65536)
        out.resize(4096 + 65536, '\0');
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string file = image(data, size);
    // The import path (template plans, chunks kept and rendered back), the interpreter (XML), with recovery.
    using dscope::model::evtx::EvtxRaw;
    for (const auto& [recover, raw] : {std::pair{false, EvtxRaw::Chunk}, std::pair{false, EvtxRaw::Xml},
                                       std::pair{true, EvtxRaw::Chunk}}) {
        CountingSink sink;
        dscope::model::evtx::EvtxDecodeOptions options;
        options.recover = recover;
        options.raw = raw;
        options.threads = 1;
        std::string layout, error;
        dscope::model::evtx::decodeEvtxImage(reinterpret_cast<const uint8_t*>(file.data()), file.size(), sink,
                                             options, layout, error);
    }
    return 0;
}
