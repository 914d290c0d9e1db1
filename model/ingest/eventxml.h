// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/qglobal.h>

#include <memory>
#include <string>

namespace dscope::model {

class EventBuilder;

/**
 * Reads one Windows event `<Event>` element (the schema of Event Viewer, wevtutil, libevtx and evtx_dump) into
 * an EventBuilder: System values, EventData `<Data Name=...>` pairs and UserData leaves by element name.
 *
 * Shared by the XML source and the libevtx source, which both end up with the XML text of one event. Element
 * names are matched by local name, so a prefix (`evt:Event`) or a default namespace changes nothing. The parser
 * document is kept between calls so that its memory pages are reused.
 */
class EventXmlReader
{
    Q_DISABLE_COPY_MOVE(EventXmlReader)
public:
    EventXmlReader();
    ~EventXmlReader();

    /**
     * Parses text[0, size) in place (the buffer is modified) and feeds the builder. The caller sets position
     * and raw text before or after. Returns false with error holding pugixml's description and the byte offset
     * inside the element when the text is not well-formed, or when its root is not an Event element.
     * The builder is fed only on success.
     */
    bool read(char* text, size_t size, EventBuilder& builder, std::string& error);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace dscope::model
