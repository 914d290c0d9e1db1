// SPDX-License-Identifier: MIT
#pragma once

#include "domain/event.h"
#include "eventsource.h"

#include <string>
#include <string_view>

namespace dscope::model {

/**
 * Fills one normalized Event from (name, value) pairs, whatever the source format.
 *
 * Every source (EVTX, XML, the JSON layouts) reduces a record to System values and EventData pairs and feeds
 * them here, so each normalization rule exists once. Field names are matched case-insensitively
 * (SourceProcessGUID vs SourceProcessGuid). Fields whose meaning depends on the event id (Security 4688's
 * ProcessId is the creator) are kept aside and resolved in finish(), because JSON layouts deliver fields in
 * any order.
 */
class EventBuilder
{
public:
    /// Longest normalized string kept in a column; the raw event keeps everything up to kMaxRawBytes.
    static constexpr size_t kMaxFieldBytes = 64 * 1024;
    static constexpr size_t kMaxRawBytes = 4 * 1024 * 1024;

    EventBuilder();

    void reset();
    Event& event() { return *m_event; }
    /// Builds the following records straight into `slot` (cleared now, its buffers reused) until the next
    /// buildInto() or restoreOwnEvent(); take()/handTo() are then not used.
    void buildInto(Event& slot);
    void restoreOwnEvent() { m_event = &m_own; }

    void setEventId(int64_t id) { m_event->eventId = id; }
    void setEventId(std::string_view text);
    void setChannel(std::string_view v);
    void setHost(std::string_view v);
    void setProvider(std::string_view v);
    void setRecordId(int64_t id) { m_event->recordId = id; }
    void setRecordId(std::string_view text);
    /// System/TimeCreated or an envelope timestamp: used only when the event data has no UtcTime.
    void setSystemTime(std::string_view text);
    void setSystemTimeMillis(int64_t ms) { m_systemTimeMs = ms; }
    void setPosition(int64_t pos) { m_event->position = pos; }
    void setRaw(RawFormat format, std::string_view raw);

    /// One EventData (or flattened) field. Unknown names are ignored: they stay in the raw event.
    void setField(std::string_view name, std::string_view value);
    /// The id of a field name the builder uses (case-insensitive), or -1 for a name it ignores. A source that
    /// sees the same names again and again (an EVTX template) resolves them once and calls setField(id, ...).
    static int fieldId(std::string_view name);
    void setField(int id, std::string_view value);

    /// Resolves event-id dependent fields and the time. Returns false when the record has no event id.
    bool finish();

    /// Takes the finished event out and resets the builder.
    Event take();
    /// Hands the finished event to the sink and resets the builder, keeping whatever buffers the sink gave back.
    void handTo(RecordSink& sink);

private:
    Event m_own;
    Event* m_event = &m_own; // the event being built: m_own, or a caller's slot (buildInto)
    int64_t m_systemTimeMs;
    bool m_hasUtcTime = false;
    std::string m_processId;    // meaning depends on event id
    std::string m_processName;
    std::string m_subjectUser;  // Security SubjectDomainName \ SubjectUserName
    std::string m_subjectDomain;
    std::string m_sourceUser;
};

} // namespace dscope::model
