// SPDX-License-Identifier: MIT
#include "writeridentity.h"

#include <QCoreApplication>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>

#ifdef Q_OS_UNIX
#include <signal.h>
#include <unistd.h>
#include <cerrno>
#endif

namespace dscope::model {

namespace {

#ifdef Q_OS_LINUX
std::string bootId()
{
    std::ifstream in("/proc/sys/kernel/random/boot_id");
    std::string id;
    std::getline(in, id);
    return id;
}

/// Field 22 of /proc/PID/stat: the start time in clock ticks since boot. The command name (field 2) may hold
/// spaces and parentheses, so fields are counted after its last ')'.
std::string startTicks(long pid)
{
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(in, line))
        return {};
    const size_t close = line.rfind(')');
    if (close == std::string::npos)
        return {};
    std::istringstream fields(line.substr(close + 1));
    std::string f;
    for (int i = 3; i <= 22; ++i)
        if (!(fields >> f))
            return {};
    return f;
}
#endif

/// "boot:pid:start" on Linux, "pid:N" elsewhere: the process part of an identity.
const std::string& thisProcess()
{
    static const std::string id = [] {
#ifdef Q_OS_LINUX
        const long pid = long(getpid());
        return bootId() + ":" + std::to_string(pid) + ":" + startTicks(pid);
#else
        return "pid:" + std::to_string(QCoreApplication::applicationPid());
#endif
    }();
    return id;
}

std::mutex g_liveMutex;
std::set<uint64_t> g_live; // sessions of this process that have not ended
std::atomic<uint64_t> g_nextSession{1};

bool processMayBeRunning(const std::string& process)
{
#ifdef Q_OS_LINUX
    const size_t a = process.find(':');
    const size_t b = process.find(':', a + 1);
    if (a == std::string::npos || b == std::string::npos || process.compare(0, a, bootId()) != 0)
        return false; // malformed, or written before the last boot
    const long pid = std::strtol(process.c_str() + a + 1, nullptr, 10);
    if (pid <= 0 || (kill(pid_t(pid), 0) != 0 && errno == ESRCH))
        return false;
    return startTicks(pid) == process.substr(b + 1); // another process with a reused pid is not the writer
#elif defined(Q_OS_UNIX)
    const long pid = std::strtol(process.c_str() + process.find(':') + 1, nullptr, 10);
    return pid > 0 && !(kill(pid_t(pid), 0) != 0 && errno == ESRCH);
#else
    return false; // no check here: an unfinished input reads as incomplete, as before writers were recorded
#endif
}

} // namespace

WriterSession::WriterSession()
    : m_number(g_nextSession.fetch_add(1))
    , m_identity(thisProcess() + "#" + std::to_string(m_number))
{
    std::lock_guard lock(g_liveMutex);
    g_live.insert(m_number);
}

WriterSession::~WriterSession()
{
    std::lock_guard lock(g_liveMutex);
    g_live.erase(m_number);
}

bool writerMayBeRunning(const std::string& identity)
{
    const size_t hash = identity.rfind('#');
    if (identity.empty() || hash == std::string::npos)
        return false;
    const std::string process = identity.substr(0, hash);
    if (process == thisProcess()) {
        const uint64_t number = std::strtoull(identity.c_str() + hash + 1, nullptr, 10);
        std::lock_guard lock(g_liveMutex);
        return g_live.count(number) > 0;
    }
    return processMayBeRunning(process);
}

} // namespace dscope::model
