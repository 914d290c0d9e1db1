// SPDX-License-Identifier: MIT
// Builds for systems other than Windows: there is no event log API to subscribe to.
#include "windowschannel.h"

namespace dscope::app {

struct WindowsChannelSubscription::Impl {};

WindowsChannelSubscription::WindowsChannelSubscription(std::string channel, Deliver deliver, Fail fail)
    : m_channel(std::move(channel)), m_deliver(std::move(deliver)), m_fail(std::move(fail))
{
}

WindowsChannelSubscription::~WindowsChannelSubscription() = default;

bool WindowsChannelSubscription::start(bool, std::string& error)
{
    error = "windows-channel " + m_channel + ": a subscription to a Windows event log channel needs the Windows build";
    return false;
}

void WindowsChannelSubscription::stop() {}

bool WindowsChannelSubscription::isAvailable() { return false; }

} // namespace dscope::app
