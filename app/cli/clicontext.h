// SPDX-License-Identifier: MIT
#pragma once

#include <QTextStream>

namespace dscope::app {

/// Standard output and error as text streams (UTF-8), shared by the commands.
QTextStream& out();
QTextStream& err();

/// Exit codes of the headless commands.
enum ExitCode { ExitOk = 0, ExitFailure = 1, ExitUsage = 2 };

} // namespace dscope::app
