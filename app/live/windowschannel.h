// SPDX-License-Identifier: MIT
#pragma once

#include <functional>
#include <memory>
#include <string>

namespace dscope::app {

/**
 * A subscription to a Windows event log channel (Sysmon's by default) through the Windows event log API:
 * EvtSubscribe in push mode, each event rendered as its XML (EvtRender, EvtRenderEventXml) and handed over as UTF-8,
 * the same text a forwarder would send. Built on Windows only (windowschannel_win.cpp); elsewhere start() says so.
 * No Qt here: the Windows part compiles against the Windows SDK alone.
 */
class WindowsChannelSubscription
{
public:
    /// Called on a thread of the event log service, one event at a time, in channel order.
    using Deliver = std::function<void(std::string xmlUtf8)>;
    /// The subscription failed after it started (the channel was cleared or the service stopped, say).
    using Fail = std::function<void(std::string reason)>;

    WindowsChannelSubscription(std::string channel, Deliver deliver, Fail fail);
    ~WindowsChannelSubscription(); ///< stops
    WindowsChannelSubscription(const WindowsChannelSubscription&) = delete;
    WindowsChannelSubscription& operator=(const WindowsChannelSubscription&) = delete;

    /// Subscribes to the events to come, or with fromOldest to every event the channel holds and then those to come.
    /// False with an error that names the channel (no such channel, access denied: Sysmon's needs an administrator
    /// or the Event Log Readers group).
    bool start(bool fromOldest, std::string& error);
    /// No callback runs after this returns.
    void stop();
    const std::string& channel() const { return m_channel; }

    /// Whether this build can subscribe at all.
    static bool isAvailable();

private:
    struct Impl;
    std::string m_channel;
    Deliver m_deliver;
    Fail m_fail;
    std::unique_ptr<Impl> m_impl;
};

} // namespace dscope::app
