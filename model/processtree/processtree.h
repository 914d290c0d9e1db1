// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

#include <cstdint>
#include <memory>
#include <string>
#include <QMultiHash>
#include <vector>

namespace dscope::model {

/// Why a relation between two processes is drawn as injection rather than parentage.
enum InjectionKind : uint8_t {
    InjectionThread = 1, ///< Sysmon 8: a thread created in another process
    InjectionAccess = 2, ///< Sysmon 10 with rights to write memory and start threads (spawn handles excluded)
    InjectionAlert = 4,  ///< an alert names this source and target
};

/// One source -> target injection relation, aggregated over all events of the pair.
struct InjectionLink {
    int source = -1;             ///< node index
    int target = -1;             ///< node index
    uint8_t kinds = 0;           ///< InjectionKind bits
    int64_t count = 0;           ///< events (8 and 10) that show it
    int64_t firstUtcMs = 0;
    int64_t lastUtcMs = 0;
    int64_t firstEventRowId = 0; ///< events.id of the earliest event, 0 when only an alert shows it
};

/**
 * One process in the tree. Display strings are QStrings built on the builder thread so that data() on the GUI
 * thread only hands out implicitly shared copies.
 */
struct ProcessNode {
    QString host;
    QString guid;                ///< lower case, no braces; empty for PID-only telemetry (Security 4688)
    int64_t pid = -1;
    QString image;               ///< full path as logged
    QString commandLine;
    QString user;
    int64_t startUtcMs = 0;      ///< valid when hasStart
    int64_t endUtcMs = 0;        ///< valid when hasEnd
    bool hasStart = false;
    bool hasEnd = false;
    bool inferred = false;       ///< no creation event: seen only as a parent, source, target or at exit
    bool cycleBroken = false;    ///< its logged parent would have made it its own ancestor; shown as a root
    int64_t creationEventRowId = 0; ///< events.id of the Sysmon 1 / 4688, 0 when inferred
    int64_t firstSeenUtcMs = 0;  ///< earliest event naming it: the sort key of inferred nodes

    int parent = -1;             ///< node index, -1 for a root
    int row = 0;                 ///< position among the parent's children (or among the roots)
    std::vector<int> children;   ///< node indexes, ordered by start time
    std::vector<int> alerts;     ///< indexes into the AlertSet the tree was built with
    std::vector<int> injectionsOut; ///< indexes into ProcessTree::injections where this node is the source
    std::vector<int> injectionsIn;  ///< ... where this node is the target
};

/// Immutable result of a build: handed from the builder thread to the model as a shared snapshot.
struct ProcessTree {
    std::vector<ProcessNode> nodes;
    std::vector<int> roots;
    std::vector<InjectionLink> injections;
    int64_t eventsRead = 0;
    int cyclesBroken = 0;

    /// Node of (host, guid), or -1. GUIDs compare lower case without braces.
    int findByGuid(const QString& host, const QString& guid) const;
    /// Node of (host, pid) alive at utcMs (or the most recent one when utcMs is 0), or -1.
    int findByPid(const QString& host, int64_t pid, int64_t utcMs = 0) const;
    /// Node indexes from the root down to `node` (inclusive).
    std::vector<int> pathTo(int node) const;

    // Lookup tables filled by the builder.
    // Keyed without the host so filling them costs no string building per node; lookups check the host.
    QMultiHash<QString, int> byGuid; ///< guid -> nodes
    QMultiHash<qint64, int> byPid;   ///< pid -> nodes
};

using ProcessTreePtr = std::shared_ptr<const ProcessTree>;

} // namespace dscope::model
