// SPDX-License-Identifier: MIT
#include "clicontext.h"

namespace dscope::app {

int runScreenshot(const QStringList&)
{
    err() << "error: screenshot is not available in this build yet\n";
    return ExitFailure;
}

} // namespace dscope::app
