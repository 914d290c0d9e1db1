// SPDX-License-Identifier: MIT
#pragma once

#include "evtx/evtxfiledecoder.h"
#include "ingest/eventsource.h"

#include <string>

namespace dscope::model {

/**
 * Doppelscope's own EVTX reader (see evtx/binxmldecoder.h). Files on disk are mapped, archive members read
 * into memory; either way the decoder works zero-copy on the image.
 *
 * Raw record: by default the event keeps its binary XML, and the chunk it sits in (which holds the templates and
 * names it refers to) is stored once, compressed; the XML is rendered only when the detail pane asks for it.
 * Rendering every record at import instead (EvtxRaw::Xml) costs about a third of the decode time.
 */
class NativeEvtxSource : public EventSource
{
public:
    explicit NativeEvtxSource(bool recover = false, evtx::EvtxRaw raw = evtx::EvtxRaw::Chunk, int threads = 2)
        : m_recover(recover)
        , m_raw(raw)
        , m_threads(threads)
    {
    }
    std::string layout() const override { return m_layout; }
    bool read(InputBytes& input, RecordSink& sink, std::string& error) override;

private:
    bool m_recover;
    evtx::EvtxRaw m_raw;
    int m_threads;
    std::string m_layout;
};

} // namespace dscope::model
