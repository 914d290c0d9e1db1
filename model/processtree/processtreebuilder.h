// SPDX-License-Identifier: MIT
#pragma once

#include "domain/alert.h"
#include "processtree.h"
#include "storage/eventrecord.h"

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace dscope::model {

class Database;

/**
 * Builds the process tree from creation, exit and access events. GUI-free and single-threaded: the loader runs
 * it on a worker and hands the immutable result to the GUI.
 *
 * Identity: a process is (host, ProcessGuid) where the telemetry has a GUID. Without one (Security 4688/4689) a
 * PID names a process only between its creation and its exit, or the next creation of the same PID on the same
 * host; a PID referenced outside any such interval becomes its own inferred node, so PID reuse never joins two
 * processes. A Sysmon 1 and a Security 4688 for the same host and PID within two seconds are one process.
 */
class ProcessTreeBuilder
{
public:
    /// Event ids the builder reads; other rows passed to add() are ignored.
    static bool isTreeEvent(int64_t eventId, const std::string& channel);

    void add(EventRecord row);
    /// Runs the passes and returns the tree. `alerts` may be null. `cancel` is polled between passes.
    ProcessTreePtr finish(const AlertSet* alerts, const std::atomic_bool* cancel = nullptr);

private:
    std::vector<EventRecord> m_creations; // Sysmon 1, Security 4688
    std::vector<EventRecord> m_exits;     // Sysmon 5, Security 4689
    std::vector<EventRecord> m_accesses;  // Sysmon 8, 10
    int64_t m_read = 0;
};

/// Reads the tree events of a case through `db` (a reader connection) and builds the tree.
/// Returns null with `error` set when the case cannot be read or `cancel` was raised.
ProcessTreePtr buildProcessTree(Database& db, const AlertSet* alerts, std::string& error,
                                const std::atomic_bool* cancel = nullptr);

} // namespace dscope::model
