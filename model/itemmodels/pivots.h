// SPDX-License-Identifier: MIT
#pragma once

#include "domain/alert.h"
#include "itemmodels/eventquery.h"

#include <string>

namespace dscope::model {

class Database;

/// What a checklist pivot shows for one alert: the Events page filter, and in words what it holds and what it
/// could not resolve (for example a source process whose user the case does not know).
struct Pivot {
    EventFilter filter;
    std::string description; ///< "The same user's other activity on HOST: CORP\\alice, from ... to ..."
    std::string caveat;      ///< empty, or what the filter lacks and why
};

/**
 * Builds the filter of a checklist pivot (resources/checklists/checklists.json, "pivots") for an alert. Reads the
 * case for what the alert does not carry (the source's user, the target's parent): run it off the GUI thread.
 * Returns false with error for a pivot this build does not know.
 */
bool resolvePivot(Database& db, const std::string& pivot, const Alert& alert, Pivot& out, std::string& error);

} // namespace dscope::model
