// SPDX-License-Identifier: MIT
#pragma once

#include <QStringList>

namespace dscope::app {

/// True when argv names a headless command (import, info, scan, ...): then no GUI is created.
bool isCliCommand(const QStringList& args);

/// Runs a headless command and returns the process exit code.
int runCli(const QStringList& args);

} // namespace dscope::app
