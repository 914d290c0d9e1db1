// SPDX-License-Identifier: MIT
#include "clicontext.h"

namespace dscope::app {

int runScan(const QStringList&)
{
    err() << "error: scan is not available in this build yet\n";
    return ExitFailure;
}

} // namespace dscope::app
