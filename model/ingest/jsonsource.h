// SPDX-License-Identifier: MIT
#pragma once

#include "eventsource.h"

namespace dscope::model {

/// Placeholder until the source is written: reports that the format is not read yet.
class JsonSource : public EventSource
{
public:
    std::string layout() const override { return {}; }
    bool read(InputBytes&, RecordSink&, std::string& error) override
    {
        error = "this format is not supported yet";
        return false;
    }
};

} // namespace dscope::model
