// SPDX-License-Identifier: MIT
#pragma once

#include "domain/event.h"

#include <QtCore/qglobal.h>

#include <memory>
#include <string>
#include <string_view>

namespace dscope::model {

/**
 * One event from one message of a live feed, whatever its sender: a Windows event `<Event>` element (Sysmon for
 * Linux, forwarded Sysmon XML, OpenWEC Raw), one JSON object in any layout the JSON importer reads (NXLog flat
 * keys, Winlogbeat raw or with ECS fields, evtx_dump), or OpenWEC's envelopes: RawJson (`{"meta":{...}, "data":
 * "<Event...>"}`) and Json (`{"System":{...}, "EventData":{...}}`). The same parsers as the importers, one message
 * at a time; the decoder keeps its parser buffers between messages. Not thread-safe: one per feed thread.
 */
class MessageDecoder
{
    Q_DISABLE_COPY_MOVE(MessageDecoder)
public:
    MessageDecoder();
    ~MessageDecoder();

    /**
     * Decodes `message` into `out` (its raw text kept as the original), with `position` as its order key within
     * its feed. False with `reason` ("not XML or JSON", the parser's error, "no event id") when it is no event.
     */
    bool decode(std::string_view message, int64_t position, Event& out, std::string& reason);
    /// What the last decoded message was: "event-xml", "openwec-rawjson", or the JSON layout name.
    const std::string& layout() const { return m_layout; }

private:
    struct Private;
    std::unique_ptr<Private> d;
    std::string m_layout;
};

} // namespace dscope::model
