// SPDX-License-Identifier: MIT
#pragma once

#include "domain/event.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace dscope::model {

class InputBytes;

/// Where a source hands its records. Implemented by the importer; sources never touch the database.
class RecordSink
{
public:
    virtual ~RecordSink() = default;
    /**
     * One decoded, normalized record. The sink takes its content, and may leave the buffers of an event it is
     * done with in `event` (stale content the caller clears before reuse): a source that keeps handing the
     * same Event (EventBuilder::handTo) then fills recycled strings instead of allocating new ones.
     */
    virtual void add(Event&& event) = 0;
    /// A record that could not be decoded: position is the record number, line or byte offset (say which in
    /// the reason). The rest of the input continues.
    virtual void skip(int64_t position, std::string reason) = 0;
    /// Damage reported that cost no record (an EVTX chunk whose checksum does not verify, its records still read
    /// one by one): the analyst is told, and nothing counts as skipped.
    virtual void warn(int64_t position, std::string message)
    {
        (void)position;
        (void)message;
    }
    /// A record decoded by recovery (slack space, chunks past the header's count): added and counted apart.
    virtual void noteRecovered() {}
    /**
     * Original bytes shared by the records added after it (an EVTX chunk): those whose rawFormat is the block's
     * and whose raw is empty point into it through rawOffset/rawLength. A sink that keeps no originals ignores it.
     */
    virtual void addSharedRaw(RawBlock&& block) { (void)block; }
    /// Polled between records: a cancelled import stops at the next record boundary.
    virtual bool cancelled() const = 0;
};

/// The input formats Doppelscope reads; the sniffer tells which one a byte stream is.
enum class InputFormat { Unknown, Evtx, Xml, Json, Zip, TarGz, Gzip };

const char* formatName(InputFormat f);

/// Looks at the first bytes of an input (magic numbers, first non-blank character).
InputFormat sniffFormat(InputBytes& input);

/// Which EVTX decoder to use.
enum class EvtxEngine { Native, Libevtx };

/// Options that reach the sources.
struct SourceOptions {
    EvtxEngine evtxEngine = EvtxEngine::Native;
    bool recoverEvtx = false; ///< also carve records from slack space and chunks past the header's count
    int evtxThreads = 2;      ///< threads the native reader may use for the chunks of one file
};

/**
 * Reads one input of one format and adds its records to the sink. Implementations: EVTX (native, libevtx), Windows event
 * XML, JSON / JSON lines. Archives and directories are expanded by the importer before sources see them.
 */
class EventSource
{
public:
    virtual ~EventSource() = default;
    /// The layout it detected, once read() has run (e.g. "winlogbeat-7", "evtx-3.1"): reported per input.
    virtual std::string layout() const = 0;
    /**
     * Reads the whole input. Returns false, with error naming the reason, only when the input cannot be read
     * at all (wrong format, unreadable header); damaged records are reported through sink.skip() instead.
     */
    virtual bool read(InputBytes& input, RecordSink& sink, std::string& error) = 0;
};

} // namespace dscope::model
