// SPDX-License-Identifier: MIT
#pragma once
// The sink every fuzz target hands records to: it reads every field of what it is given (so the sanitizers see
// any use of freed or uninitialised memory in it) and keeps nothing.
#include "ingest/eventsource.h"

#include <cstddef>
#include <string>

namespace dscope::fuzz {

class TouchingSink : public model::RecordSink
{
public:
    void add(model::Event&& e) override
    {
        for (const std::string* s : {&e.host, &e.channel, &e.provider, &e.subjectGuid, &e.subjectImage, &e.targetGuid,
                                     &e.targetImage, &e.parentGuid, &e.parentImage, &e.callTrace, &e.startAddress,
                                     &e.startModule, &e.startFunction, &e.commandLine, &e.user, &e.hashes,
                                     &e.targetFilename, &e.transactionId, &e.transactionState, &e.detail, &e.raw}) {
            for (char c : *s)
                m_bytes += uint8_t(c);
        }
        m_bytes += size_t(e.eventId) + size_t(e.utcMs) + size_t(e.grantedAccess) + size_t(e.subjectPid)
                   + size_t(e.targetPid) + size_t(e.parentPid) + size_t(e.recordId) + size_t(e.position);
        ++m_events;
    }
    void skip(int64_t position, std::string reason) override
    {
        m_bytes += reason.size() + size_t(position);
        ++m_skipped;
    }
    void warn(int64_t position, std::string message) override { m_bytes += message.size() + size_t(position); }
    bool cancelled() const override { return false; }

    size_t m_bytes = 0;
    size_t m_events = 0;
    size_t m_skipped = 0;
};

} // namespace dscope::fuzz
