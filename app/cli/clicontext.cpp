// SPDX-License-Identifier: MIT
#include "clicontext.h"

#include <cstdio>

namespace dscope::app {

QTextStream& out()
{
    static QTextStream s(stdout);
    return s;
}

QTextStream& err()
{
    static QTextStream s(stderr);
    return s;
}

} // namespace dscope::app
