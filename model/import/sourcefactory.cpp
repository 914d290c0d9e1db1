// SPDX-License-Identifier: MIT
#include "sourcefactory.h"

#include "evtx/nativeevtxsource.h"
#include "ingest/jsonsource.h"
#include "ingest/libevtxsource.h"
#include "ingest/xmlsource.h"

namespace dscope::model {

std::unique_ptr<EventSource> makeSource(InputFormat format, const SourceOptions& options)
{
    switch (format) {
    case InputFormat::Evtx:
        if (options.evtxEngine == EvtxEngine::Libevtx)
            return std::make_unique<LibevtxSource>(options.recoverEvtx);
        return std::make_unique<NativeEvtxSource>(options.recoverEvtx, evtx::EvtxRaw::Chunk, options.evtxThreads);
    case InputFormat::Xml: return std::make_unique<XmlSource>();
    case InputFormat::Json: return std::make_unique<JsonSource>();
    default: return nullptr;
    }
}

} // namespace dscope::model
