// SPDX-License-Identifier: MIT
#pragma once
// Runs a benchmark's child process (the doppelscope binary, a reference tool) and measures it: wall time, peak RSS
// from wait4, exit code, standard output, and standard error's progress lines with the time each arrived.
#include <QElapsedTimer>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>
#include <utility>
#include <vector>

namespace dscope::bench {

struct Child {
    double seconds = 0;
    long maxRssKiB = 0;
    int exitCode = -1;
    std::string stdoutText;
    std::vector<std::pair<double, std::string>> progress; ///< (seconds since start, line) per progress update
};

/// fork/exec, stdout and stderr read as they come (stderr's progress lines time-stamped), peak RSS from wait4.
/// interruptAfter > 0 sends SIGINT (Ctrl-C) then; the time from it to the exit is returned in interruptToExit.
inline Child run(const std::vector<std::string>& argv, double interruptAfter = 0, double* interruptToExit = nullptr,
                 bool keepStdout = true)
{
    Child c;
    int o[2], e[2];
    if (pipe(o) != 0 || pipe(e) != 0)
        return c;
    QElapsedTimer clock;
    clock.start();
    const pid_t pid = fork();
    if (pid == 0) {
        dup2(o[1], 1);
        dup2(e[1], 2);
        close(o[0]);
        close(e[0]);
        std::vector<char*> args;
        for (const auto& a : argv)
            args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        execvp(args[0], args.data());
        _exit(127);
    }
    close(o[1]);
    close(e[1]);
    std::string errBuffer;
    bool interrupted = false;
    double interruptAt = 0;
    pollfd fds[2] = {{o[0], POLLIN, 0}, {e[0], POLLIN, 0}};
    int open = 2;
    while (open > 0) {
        poll(fds, 2, 100);
        const double now = double(clock.nsecsElapsed()) / 1e9;
        if (interruptAfter > 0 && !interrupted && now >= interruptAfter) {
            kill(pid, SIGINT);
            interrupted = true;
            interruptAt = now;
        }
        char buf[65536];
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP)))
                continue;
            const ssize_t n = read(fds[i].fd, buf, sizeof buf);
            if (n <= 0) {
                close(fds[i].fd);
                fds[i].fd = -1;
                --open;
                continue;
            }
            if (i == 0) {
                if (keepStdout) // a reference tool's output is read and dropped, as a pipe to /dev/null would
                    c.stdoutText.append(buf, size_t(n));
                continue;
            }
            // Progress lines end in '\r' (rewritten in place on a terminal).
            errBuffer.append(buf, size_t(n));
            size_t cut;
            while ((cut = errBuffer.find_first_of("\r\n")) != std::string::npos) {
                const std::string line = errBuffer.substr(0, cut);
                errBuffer.erase(0, cut + 1);
                if (line.rfind("[", 0) == 0)
                    c.progress.emplace_back(now, line);
            }
        }
    }
    int status = 0;
    struct rusage ru {};
    wait4(pid, &status, 0, &ru);
    c.seconds = double(clock.nsecsElapsed()) / 1e9;
    if (interruptToExit)
        *interruptToExit = interrupted ? c.seconds - interruptAt : -1;
    c.maxRssKiB = ru.ru_maxrss;
    c.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return c;
}

} // namespace dscope::bench
