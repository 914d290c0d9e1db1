// SPDX-License-Identifier: MIT
#pragma once

#include "domain/alert.h"

#include <QTextStream>

#include <string>

namespace dscope::app {

/// Standard output and error as text streams (UTF-8), shared by the commands.
QTextStream& out();
QTextStream& err();

/// Exit codes of the headless commands.
enum ExitCode { ExitOk = 0, ExitFailure = 1, ExitUsage = 2 };

/// Runs the built-in rules on a case and stores their alerts in it (so that they carry the triage analysts
/// recorded): what `report` and `export-timeline` start from. nullptr with error set when the rules do not load or
/// the run fails; ruleSetVersion, when given, receives the rule set's version.
model::AlertSetPtr detectAndStore(const QString& casePath, size_t maxEvidence, int* ruleSetVersion, std::string& error);

} // namespace dscope::app
