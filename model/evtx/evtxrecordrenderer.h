// SPDX-License-Identifier: MIT
#pragma once

#include "storage/rawevent.h"

namespace dscope::model::evtx {

/// Renders a record kept inside its stored EVTX chunk (RawFormat::EvtxBinXml) as XML, with the chunk's templates.
class EvtxRecordRenderer final : public RawRecordRenderer
{
public:
    bool renderXml(std::string_view chunk, uint32_t begin, uint32_t end, std::string& xml,
                   std::string& error) const override;
};

} // namespace dscope::model::evtx
