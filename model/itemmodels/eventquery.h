// SPDX-License-Identifier: MIT
#pragma once

#include "domain/event.h"

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace dscope::model {

/// Columns of the event table. Unscoped so they index QAbstractItemModel columns directly.
enum EventColumn { EventColTime, EventColHost, EventColEventId, EventColSubject, EventColTarget, EventColSummary,
                   EventColumnCount };

/// What the Events page shows. Every value here comes from the user or from a log, so it is only ever bound.
struct EventFilter {
    std::vector<int64_t> eventIds;   ///< any of these; empty = all
    std::string host;                ///< exact host
    std::vector<std::string> processGuids; ///< any of these as subject, target or parent (lower case, no braces)
    std::string user;                ///< exact user (DOMAIN\\name), compared without case
    std::string text;                ///< substring of images, command line, file name, detail, user
    int64_t fromMs = kNoValue;       ///< inclusive
    int64_t toMs = kNoValue;         ///< inclusive
    int64_t inputId = kNoValue;      ///< only the events of this input (inputs.id)

    bool isEmpty() const;
    bool operator==(const EventFilter&) const = default;
};

struct EventSort {
    int column = EventColTime;
    bool descending = false;
    bool operator==(const EventSort&) const = default;
};

/// SQL text plus the values to bind to its `?` in order.
struct SqlQuery {
    std::string sql;
    std::vector<std::variant<int64_t, std::string>> params;
};

/// "SELECT id FROM events WHERE ... ORDER BY ...": the ordered id list the table is built from. The order always
/// ends with id so that equal keys have a stable order.
SqlQuery buildIdQuery(const EventFilter& filter, const EventSort& sort);

/// Escapes %, _ and the escape character itself for `LIKE ? ESCAPE '\'`.
std::string escapeLike(const std::string& text);

} // namespace dscope::model
