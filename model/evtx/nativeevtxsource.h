// SPDX-License-Identifier: MIT
#pragma once

#include "ingest/eventsource.h"

namespace dscope::model {

/// Placeholder until the native EVTX reader lands: reports that the engine is not available.
class NativeEvtxSource : public EventSource
{
public:
    explicit NativeEvtxSource(bool recover = false) { (void)recover; }
    std::string layout() const override { return {}; }
    bool read(InputBytes&, RecordSink&, std::string& error) override
    {
        error = "the native EVTX engine is not available yet; use --evtx-engine libevtx";
        return false;
    }
};

} // namespace dscope::model
