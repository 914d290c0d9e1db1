// SPDX-License-Identifier: MIT
#pragma once

#include "eventsource.h"

#include <cstdint>

namespace dscope::model {

/**
 * EVTX through libevtx (Debian 20181227). Files on disk are opened by path; archive members are read into
 * memory and opened through a libbfio memory-range handle, because libevtx seeks between chunks.
 *
 * Each record's XML rendering is parsed with the shared EventXmlReader: libevtx's string API gives EventData
 * values by position only, and normalization needs their names. A record libevtx cannot decode is skipped with
 * its index and libevtx's error backtrace; the other records continue.
 *
 * Threads: one libevtx_file per read(), never shared, which libevtx supports. Two lazy global initialisations
 * inside libevtx (the CRC-32 table and i18n) are not guarded; warmUp() runs them once under a mutex before
 * any handle is used, and read() calls it first, so two parser threads never race on them.
 *
 * Position = record index (recovered records continue after the last allocated one); recordId = libevtx's
 * record identifier. Layout "evtx-MAJOR.MINOR".
 */
class LibevtxSource : public EventSource
{
public:
    /// An archive member larger than this is refused rather than held in memory.
    static constexpr int64_t kMaxInMemoryBytes = int64_t(1) << 30;

    /// With recover, libevtx's recovered records (found in chunk slack space) are added too and counted apart.
    explicit LibevtxSource(bool recover = false)
        : m_recover(recover)
    {
    }

    std::string layout() const override { return m_layout; }
    bool read(InputBytes& input, RecordSink& sink, std::string& error) override;

    /// Runs libevtx's one-time global initialisations. Idempotent and thread-safe.
    static void warmUp();

private:
    bool m_recover;
    std::string m_layout;
};

} // namespace dscope::model
