// SPDX-License-Identifier: MIT
#include "nativeevtxsource.h"

#include "evtxfiledecoder.h"
#include "ingest/inputbytes.h"


namespace dscope::model {

namespace {

constexpr int64_t kMaxInMemoryBytes = int64_t(4) << 30; // archive members are read whole

} // namespace

bool NativeEvtxSource::read(InputBytes& input, RecordSink& sink, std::string& error)
{
    evtx::EvtxDecodeOptions options;
    options.recover = m_recover;
    options.raw = m_raw;
    options.threads = m_threads;
    bool ok;
    if (const std::span<const uint8_t> image = input.mapped(); !image.empty()) {
        ok = evtx::decodeEvtxImage(image.data(), image.size(), sink, options, m_layout, error);
    } else {
        std::string bytes;
        if (!input.readAll(bytes, kMaxInMemoryBytes, error))
            return false;
        ok = evtx::decodeEvtxImage(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size(), sink, options,
                                   m_layout, error);
    }
    if (!ok)
        error = input.name() + ": " + error;
    return ok;
}

} // namespace dscope::model
