// SPDX-License-Identifier: MIT
#pragma once

#include "domain/alert.h"

#include <QString>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace dscope::model {

class Database;

/// What a marker on the TxF timeline stands for; also selects its shape and colour in the view.
enum class MarkerKind : int {
    TxState,       ///< Security 4985: KTM transaction state change
    TxHandle,      ///< Security 4656 with a TransactionId: a handle opened inside a transaction
    FileCreate,    ///< Sysmon 11
    ProcessCreate, ///< Sysmon 1, Security 4688
    ProcessAccess, ///< Sysmon 10
    RemoteThread,  ///< Sysmon 8
    Tampering,     ///< Sysmon 25
    ImageLoad,     ///< Sysmon 7
    Network,       ///< Sysmon 3
    Count
};

/// Short legend name of a marker kind ("Transaction state (4985)").
QString markerKindName(MarkerKind kind);

/// A process shown as one lane.
struct TimelineProcess {
    std::string host;
    std::string guid;  ///< empty for PID-only telemetry
    int64_t pid = -1;
    std::string image;
    std::string role;  ///< "loader", "new process", "target", "parent of ..."
};

/// Which processes and which time window a timeline shows.
struct TimelineRequest {
    QString title;
    std::vector<TimelineProcess> processes; ///< without parents: the builder adds them
    int64_t fromMs = 0;
    int64_t toMs = 0;
    std::string newProcessRole = "new process"; ///< lane role whose creation is the "create process" step
};

struct TimelineLane {
    TimelineProcess process;
    QString label;     ///< "invoice_viewer.exe (6240) - loader"
};

struct TimelineMarker {
    int64_t eventRowId = 0;
    int64_t utcMs = 0;
    int64_t eventId = 0;
    int lane = 0;
    MarkerKind kind = MarkerKind::TxState;
    QString text;      ///< one line: "4985 transaction {7d1f...} -> state 48"
};

/// One step of Process Doppelgänging and whether this case's telemetry shows it.
struct DoppelStep {
    enum class Visibility { Shown, NotInCase, NeverLogged };
    QString name;
    Visibility visibility = Visibility::NotInCase;
    QString evidence;  ///< which events show it, or why nothing can
};

/// Everything the TxF timeline page draws; immutable once built.
struct TxfTimeline {
    QString title;
    std::vector<TimelineLane> lanes;
    std::vector<TimelineMarker> markers; ///< by time
    std::vector<DoppelStep> steps;
    int64_t minMs = 0;
    int64_t maxMs = 0;
    bool truncated = false;               ///< more than kMaxMarkers events matched
};
using TxfTimelinePtr = std::shared_ptr<const TxfTimeline>;

/// The lanes of an alert: its source and target, window from its first to last event with a margin.
TimelineRequest timelineRequestForAlert(const Alert& alert);

/// Without an alert: the first process in the case with TxF activity (4985, or 4656 with a TransactionId) and
/// the processes it created around then. Empty `processes` when the case has none.
TimelineRequest timelineRequestForTxf(Database& db, std::string& error);

/// Reads the lanes' events and the Doppelgänging legend. Null with `error` on a database error.
TxfTimelinePtr buildTxfTimeline(Database& db, const TimelineRequest& request, std::string& error);

} // namespace dscope::model
