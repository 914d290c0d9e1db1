// SPDX-License-Identifier: MIT
#include "evtxrecordrenderer.h"

#include "binxmldecoder.h"

namespace dscope::model::evtx {

bool EvtxRecordRenderer::renderXml(std::string_view chunk, uint32_t begin, uint32_t end, std::string& xml,
                                   std::string& error) const
{
    BinXmlDecoder decoder;
    decoder.beginChunk(reinterpret_cast<const uint8_t*>(chunk.data()), chunk.size());
    DecodedRecord record;
    if (!decoder.decodeRecord(begin, end, true, record, error))
        return false;
    xml.assign(record.xml);
    return true;
}

} // namespace dscope::model::evtx
