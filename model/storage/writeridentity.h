// SPDX-License-Identifier: MIT
#pragma once

#include <QtCore/qglobal.h>

#include <cstdint>
#include <string>

namespace dscope::model {

/**
 * Who writes an input into a case, stored in its inputs row while it is "importing", so that a reader or another
 * writer can tell a live import (leave it alone) from one that ended without finishing it (a crash, a kill, a
 * write failure that could not even record itself): the latter reads as incomplete and is redone by its next
 * import. The identity names the process (on Linux by boot id, process id and start time, so neither a reboot nor
 * a reused process id passes for it) and a session inside it, so that a session that ended inside a process that
 * goes on (the workbench) is known to have ended too.
 */
class WriterSession
{
    Q_DISABLE_COPY_MOVE(WriterSession)
public:
    WriterSession();
    /// From here on, readers see the inputs this session left "importing" as incomplete.
    ~WriterSession();
    const std::string& identity() const { return m_identity; }

private:
    uint64_t m_number;
    std::string m_identity;
};

/// False when the writer named by `identity` has certainly ended; true when it may still run. An empty identity
/// (inputs written before writers were recorded) counts as ended.
bool writerMayBeRunning(const std::string& identity);

} // namespace dscope::model
