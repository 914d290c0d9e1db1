// SPDX-License-Identifier: MIT
// Links the Windows event log subscription into a console program with the MinGW-w64 cross compiler: the Windows-only
// code is compiled and linked against the Windows SDK's wevtapi in every run of the tests that has the compiler.
// Run on Windows, it prints the XML of the Sysmon channel's events.
#include "windowschannel.h"

#include <cstdio>

int main(int argc, char** argv)
{
    using dscope::app::WindowsChannelSubscription;
    const std::string channel = argc > 1 ? argv[1] : "Microsoft-Windows-Sysmon/Operational";
    WindowsChannelSubscription subscription(
        channel, [](std::string xml) { std::puts(xml.c_str()); }, [](std::string reason) { std::fprintf(stderr, "%s\n", reason.c_str()); });
    std::string error;
    if (!WindowsChannelSubscription::isAvailable() || !subscription.start(true, error)) {
        std::fprintf(stderr, "%s\n", error.c_str());
        return 1;
    }
    std::getchar();
    subscription.stop();
    return 0;
}
