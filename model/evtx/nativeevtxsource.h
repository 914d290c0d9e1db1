// SPDX-License-Identifier: MIT
#pragma once

#include "ingest/eventsource.h"

#include <string>

namespace dscope::model {

/**
 * Doppelscope's own EVTX reader (see evtx/binxmldecoder.h). Files on disk are mapped, archive members read
 * into memory; either way the decoder works zero-copy on the image.
 *
 * Raw record: the event is kept as rendered XML text (RawFormat::Xml). A record's binary XML refers to
 * templates and names elsewhere in its 64 KiB chunk, so the record bytes alone cannot be shown later; the
 * XML is rendered in the same walk that extracts the fields, which costs about a third of the decode time.
 */
class NativeEvtxSource : public EventSource
{
public:
    explicit NativeEvtxSource(bool recover = false, bool renderXml = true, int threads = 2)
        : m_recover(recover)
        , m_renderXml(renderXml)
        , m_threads(threads)
    {
    }
    std::string layout() const override { return m_layout; }
    bool read(InputBytes& input, RecordSink& sink, std::string& error) override;

private:
    bool m_recover;
    bool m_renderXml;
    int m_threads;
    std::string m_layout;
};

} // namespace dscope::model
