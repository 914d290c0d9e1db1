// SPDX-License-Identifier: MIT
#pragma once

#include "eventsource.h"

#include <cstddef>

namespace dscope::model {

/**
 * Windows event XML: Event Viewer "Save as XML" (`<Events><Event>...`), `wevtutil qe /f:xml` (bare `<Event>`
 * elements with no root), evtx_dump (an `<?xml?>` declaration before each event) and any mix of these.
 *
 * The input is never loaded whole: a small scanner finds each `<Event ...>` ... `</Event>` element in the byte
 * stream (any prefix, skipping comments, CDATA and processing instructions) and only that element is parsed,
 * so memory stays at one read chunk plus the largest event. A malformed event is skipped with its index and
 * byte offset, and the scan goes on with the next one.
 *
 * Layouts: "events-xml" (an `<Events>` root), "evtx_dump-xml" (declarations between events),
 * "concatenated-xml" (bare elements). Position = 1-based index of the event in the input.
 */
class XmlSource : public EventSource
{
public:
    static constexpr size_t kDefaultChunkBytes = size_t(1) << 20;
    /// An event element longer than this is skipped: it bounds memory against a missing end tag.
    static constexpr size_t kDefaultMaxEventBytes = size_t(32) << 20;

    /// The sizes are parameters so that tests can cut the stream at every byte.
    explicit XmlSource(size_t chunkBytes = kDefaultChunkBytes, size_t maxEventBytes = kDefaultMaxEventBytes);

    std::string layout() const override { return m_layout; }
    bool read(InputBytes& input, RecordSink& sink, std::string& error) override;

private:
    size_t m_chunkBytes;
    size_t m_maxEventBytes;
    std::string m_layout;
};

} // namespace dscope::model
