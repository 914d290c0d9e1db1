// SPDX-License-Identifier: MIT
// The Windows event log API side of WindowsChannelSubscription (Windows builds only; links wevtapi).
#include "windowschannel.h"

#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>
#include <winevt.h>

#include <atomic>
#include <vector>

namespace dscope::app {

namespace {

std::wstring widen(const std::string& utf8)
{
    if (utf8.empty())
        return {};
    const int n = MultiByteToWideChar(CP_UTF8, 0, utf8.data(), int(utf8.size()), nullptr, 0);
    std::wstring out(size_t(n), L'\0');
    MultiByteToWideChar(CP_UTF8, 0, utf8.data(), int(utf8.size()), out.data(), n);
    return out;
}

std::string narrow(const wchar_t* text, size_t length)
{
    if (length == 0)
        return {};
    const int n = WideCharToMultiByte(CP_UTF8, 0, text, int(length), nullptr, 0, nullptr, nullptr);
    std::string out(size_t(n), '\0');
    WideCharToMultiByte(CP_UTF8, 0, text, int(length), out.data(), n, nullptr, nullptr);
    return out;
}

std::string systemMessage(DWORD code)
{
    wchar_t* text = nullptr;
    const DWORD n = FormatMessageW(FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS,
                                   nullptr, code, 0, reinterpret_cast<wchar_t*>(&text), 0, nullptr);
    std::string out = n ? narrow(text, n) : "error " + std::to_string(code);
    if (text)
        LocalFree(text);
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r' || out.back() == ' ' || out.back() == '.'))
        out.pop_back();
    return out + " (" + std::to_string(code) + ")";
}

} // namespace

struct WindowsChannelSubscription::Impl {
    WindowsChannelSubscription* owner = nullptr;
    EVT_HANDLE subscription = nullptr;
    std::atomic_bool stopping{false};
    std::vector<wchar_t> buffer = std::vector<wchar_t>(16 * 1024);

    static DWORD WINAPI callback(EVT_SUBSCRIBE_NOTIFY_ACTION action, PVOID context, EVT_HANDLE event)
    {
        auto* self = static_cast<Impl*>(context);
        if (self->stopping)
            return ERROR_SUCCESS;
        if (action == EvtSubscribeActionError) {
            // For an error, the "event" handle is the Win32 error code.
            const DWORD code = DWORD(reinterpret_cast<ULONG_PTR>(event));
            if (self->owner->m_fail)
                self->owner->m_fail("windows-channel " + self->owner->m_channel + ": " + systemMessage(code));
            return ERROR_SUCCESS;
        }
        self->render(event);
        return ERROR_SUCCESS;
    }

    void render(EVT_HANDLE event)
    {
        DWORD used = 0, properties = 0;
        DWORD bytes = DWORD(buffer.size() * sizeof(wchar_t));
        if (!EvtRender(nullptr, event, EvtRenderEventXml, bytes, buffer.data(), &used, &properties)) {
            if (GetLastError() != ERROR_INSUFFICIENT_BUFFER)
                return; // an event that cannot be rendered: nothing to hand over
            buffer.resize(used / sizeof(wchar_t) + 1);
            bytes = DWORD(buffer.size() * sizeof(wchar_t));
            if (!EvtRender(nullptr, event, EvtRenderEventXml, bytes, buffer.data(), &used, &properties))
                return;
        }
        // `used` counts bytes with the terminating zero.
        size_t length = used / sizeof(wchar_t);
        while (length > 0 && buffer[length - 1] == L'\0')
            --length;
        owner->m_deliver(narrow(buffer.data(), length));
    }
};

WindowsChannelSubscription::WindowsChannelSubscription(std::string channel, Deliver deliver, Fail fail)
    : m_channel(std::move(channel)), m_deliver(std::move(deliver)), m_fail(std::move(fail))
{
}

WindowsChannelSubscription::~WindowsChannelSubscription() { stop(); }

bool WindowsChannelSubscription::start(bool fromOldest, std::string& error)
{
    stop();
    m_impl = std::make_unique<Impl>();
    m_impl->owner = this;
    const std::wstring channel = widen(m_channel);
    m_impl->subscription = EvtSubscribe(nullptr, nullptr, channel.c_str(), L"*", nullptr, m_impl.get(), &Impl::callback,
                                        fromOldest ? EvtSubscribeStartAtOldestRecord : EvtSubscribeToFutureEvents);
    if (!m_impl->subscription) {
        error = "windows-channel " + m_channel + ": " + systemMessage(GetLastError());
        m_impl.reset();
        return false;
    }
    return true;
}

void WindowsChannelSubscription::stop()
{
    if (!m_impl)
        return;
    m_impl->stopping = true;
    // EvtClose waits for a callback in progress to return.
    EvtClose(m_impl->subscription);
    m_impl.reset();
}

bool WindowsChannelSubscription::isAvailable() { return true; }

} // namespace dscope::app
