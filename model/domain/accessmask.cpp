// SPDX-License-Identifier: MIT
#include "accessmask.h"

#include "text.h"

#include <cstdio>

namespace dscope::model::access {

namespace {

// Values from winnt.h and Microsoft "Process Security and Access Rights" / "Thread Security and Access Rights" /
// "File Access Rights Constants". Kept in one place so detection, the detail pane and the calculator agree.

// Process-specific rights (low 16 bits).
constexpr uint32_t PROCESS_TERMINATE = 0x0001;
constexpr uint32_t PROCESS_CREATE_THREAD = kProcessCreateThread;
constexpr uint32_t PROCESS_SET_SESSIONID = 0x0004; // winnt.h; not in Microsoft's table
constexpr uint32_t PROCESS_VM_OPERATION = kProcessVmOperation;
constexpr uint32_t PROCESS_VM_READ = 0x0010;
constexpr uint32_t PROCESS_VM_WRITE = kProcessVmWrite;
constexpr uint32_t PROCESS_DUP_HANDLE = 0x0040;
constexpr uint32_t PROCESS_CREATE_PROCESS = 0x0080;
constexpr uint32_t PROCESS_SET_QUOTA = 0x0100;
constexpr uint32_t PROCESS_SET_INFORMATION = 0x0200;
constexpr uint32_t PROCESS_QUERY_INFORMATION = 0x0400;
constexpr uint32_t PROCESS_SUSPEND_RESUME = 0x0800;
constexpr uint32_t PROCESS_QUERY_LIMITED_INFORMATION = 0x1000; // granted with QUERY_INFORMATION automatically
constexpr uint32_t PROCESS_SET_LIMITED_INFORMATION = 0x2000;

// Standard rights (bits 16-20), shared by every securable object.
constexpr uint32_t DELETE = 0x00010000;
constexpr uint32_t READ_CONTROL = 0x00020000;
constexpr uint32_t WRITE_DAC = 0x00040000;
constexpr uint32_t WRITE_OWNER = 0x00080000;
constexpr uint32_t SYNCHRONIZE = 0x00100000;
constexpr uint32_t ACCESS_SYSTEM_SECURITY = 0x01000000;
constexpr uint32_t MAXIMUM_ALLOWED = 0x02000000;
// Generic rights (bits 28-31): mapped to specific rights by the object type.
constexpr uint32_t GENERIC_ALL = 0x10000000;
constexpr uint32_t GENERIC_EXECUTE = 0x20000000;
constexpr uint32_t GENERIC_WRITE = 0x40000000;
constexpr uint32_t GENERIC_READ = 0x80000000;

// PROCESS_ALL_ACCESS = STANDARD_RIGHTS_REQUIRED (0xF0000) | SYNCHRONIZE | 0xFFFF on Vista and later;
// XP/2003 headers used 0xFFF for the specific part.
constexpr uint32_t PROCESS_ALL_ACCESS = kProcessAllAccess;
constexpr uint32_t PROCESS_ALL_ACCESS_XP = kProcessAllAccessXp;
constexpr uint32_t THREAD_ALL_ACCESS = 0x001FFFFF;
constexpr uint32_t THREAD_ALL_ACCESS_XP = 0x001F03FF;
constexpr uint32_t FILE_ALL_ACCESS = 0x001F01FF;

// Thread-specific rights.
constexpr uint32_t THREAD_TERMINATE = 0x0001;
constexpr uint32_t THREAD_SUSPEND_RESUME = 0x0002;
constexpr uint32_t THREAD_ALERT = 0x0004; // winnt.h
constexpr uint32_t THREAD_GET_CONTEXT = 0x0008;
constexpr uint32_t THREAD_SET_CONTEXT = 0x0010;
constexpr uint32_t THREAD_SET_INFORMATION = 0x0020;
constexpr uint32_t THREAD_QUERY_INFORMATION = 0x0040;
constexpr uint32_t THREAD_SET_THREAD_TOKEN = 0x0080;
constexpr uint32_t THREAD_IMPERSONATE = 0x0100;
constexpr uint32_t THREAD_DIRECT_IMPERSONATION = 0x0200;
constexpr uint32_t THREAD_SET_LIMITED_INFORMATION = 0x0400;
constexpr uint32_t THREAD_QUERY_LIMITED_INFORMATION = 0x0800;
constexpr uint32_t THREAD_RESUME = 0x1000;

// File rights (the directory aliases share the bits: LIST_DIRECTORY, ADD_FILE, ADD_SUBDIRECTORY, TRAVERSE).
constexpr uint32_t FILE_READ_DATA = 0x0001;
constexpr uint32_t FILE_WRITE_DATA = 0x0002;
constexpr uint32_t FILE_APPEND_DATA = 0x0004;
constexpr uint32_t FILE_READ_EA = 0x0008;
constexpr uint32_t FILE_WRITE_EA = 0x0010;
constexpr uint32_t FILE_EXECUTE = 0x0020;
constexpr uint32_t FILE_DELETE_CHILD = 0x0040;
constexpr uint32_t FILE_READ_ATTRIBUTES = 0x0080;
constexpr uint32_t FILE_WRITE_ATTRIBUTES = 0x0100;

std::vector<Right> withCommon(std::vector<Right> specific, bool deleteRelevant)
{
    const std::vector<Right> common = {
        {DELETE, "DELETE", "delete the object", deleteRelevant},
        {READ_CONTROL, "READ_CONTROL", "read the object's security descriptor", false},
        {WRITE_DAC, "WRITE_DAC", "change the object's access control list", false},
        {WRITE_OWNER, "WRITE_OWNER", "take ownership of the object", false},
        {SYNCHRONIZE, "SYNCHRONIZE", "wait on the object", false},
        {ACCESS_SYSTEM_SECURITY, "ACCESS_SYSTEM_SECURITY", "read or change the object's audit list (SACL)", false},
        {MAXIMUM_ALLOWED, "MAXIMUM_ALLOWED", "ask for every right the caller may have", false},
        {GENERIC_ALL, "GENERIC_ALL", "all access (mapped to the object's ALL_ACCESS)", true},
        {GENERIC_EXECUTE, "GENERIC_EXECUTE", "generic execute access", false},
        {GENERIC_WRITE, "GENERIC_WRITE", "generic write access", true},
        {GENERIC_READ, "GENERIC_READ", "generic read access", false},
    };
    specific.insert(specific.end(), common.begin(), common.end());
    return specific;
}

const std::vector<Right>& processRights()
{
    static const std::vector<Right> table = withCommon(
        {
            {PROCESS_TERMINATE, "PROCESS_TERMINATE", "terminate the process", false},
            {PROCESS_CREATE_THREAD, "PROCESS_CREATE_THREAD", "create a thread in the process", true},
            {PROCESS_SET_SESSIONID, "PROCESS_SET_SESSIONID", "set the process's session id", false},
            {PROCESS_VM_OPERATION, "PROCESS_VM_OPERATION",
             "allocate, protect or free memory in the process (VirtualAllocEx, VirtualProtectEx)", true},
            {PROCESS_VM_READ, "PROCESS_VM_READ", "read the process's memory", false},
            {PROCESS_VM_WRITE, "PROCESS_VM_WRITE", "write to the process's memory", true},
            {PROCESS_DUP_HANDLE, "PROCESS_DUP_HANDLE", "duplicate handles out of or into the process", false},
            {PROCESS_CREATE_PROCESS, "PROCESS_CREATE_PROCESS",
             "use the process as the parent of a new process", false},
            {PROCESS_SET_QUOTA, "PROCESS_SET_QUOTA", "set memory limits of the process", false},
            {PROCESS_SET_INFORMATION, "PROCESS_SET_INFORMATION", "set information such as the priority class", false},
            {PROCESS_QUERY_INFORMATION, "PROCESS_QUERY_INFORMATION",
             "query information such as the token, exit code and priority", false},
            {PROCESS_SUSPEND_RESUME, "PROCESS_SUSPEND_RESUME", "suspend or resume the process", false},
            {PROCESS_QUERY_LIMITED_INFORMATION, "PROCESS_QUERY_LIMITED_INFORMATION",
             "query limited information such as the image name (granted with QUERY_INFORMATION)", false},
            {PROCESS_SET_LIMITED_INFORMATION, "PROCESS_SET_LIMITED_INFORMATION",
             "set limited information", false},
        },
        false);
    return table;
}

const std::vector<Right>& threadRights()
{
    static const std::vector<Right> table = withCommon(
        {
            {THREAD_TERMINATE, "THREAD_TERMINATE", "terminate the thread", false},
            {THREAD_SUSPEND_RESUME, "THREAD_SUSPEND_RESUME", "suspend or resume the thread", true},
            {THREAD_ALERT, "THREAD_ALERT", "alert the thread", false},
            {THREAD_GET_CONTEXT, "THREAD_GET_CONTEXT", "read the thread's registers", true},
            {THREAD_SET_CONTEXT, "THREAD_SET_CONTEXT",
             "change the thread's registers or queue an APC to it", true},
            {THREAD_SET_INFORMATION, "THREAD_SET_INFORMATION", "set information in the thread", false},
            {THREAD_QUERY_INFORMATION, "THREAD_QUERY_INFORMATION", "query information such as the token", false},
            {THREAD_SET_THREAD_TOKEN, "THREAD_SET_THREAD_TOKEN", "set the thread's impersonation token", false},
            {THREAD_IMPERSONATE, "THREAD_IMPERSONATE", "use the thread's security information", false},
            {THREAD_DIRECT_IMPERSONATION, "THREAD_DIRECT_IMPERSONATION",
             "let a server impersonate the client thread", false},
            {THREAD_SET_LIMITED_INFORMATION, "THREAD_SET_LIMITED_INFORMATION", "set limited information", false},
            {THREAD_QUERY_LIMITED_INFORMATION, "THREAD_QUERY_LIMITED_INFORMATION", "query limited information",
             false},
            {THREAD_RESUME, "THREAD_RESUME", "resume the thread", false},
        },
        false);
    return table;
}

const std::vector<Right>& fileRights()
{
    static const std::vector<Right> table = withCommon(
        {
            {FILE_READ_DATA, "FILE_READ_DATA", "read the file (or list the directory)", false},
            {FILE_WRITE_DATA, "FILE_WRITE_DATA", "write to the file (or add a file to the directory)", true},
            {FILE_APPEND_DATA, "FILE_APPEND_DATA", "append to the file (or add a subdirectory)", true},
            {FILE_READ_EA, "FILE_READ_EA", "read extended attributes", false},
            {FILE_WRITE_EA, "FILE_WRITE_EA", "write extended attributes", false},
            {FILE_EXECUTE, "FILE_EXECUTE", "execute the file (or traverse the directory)", false},
            {FILE_DELETE_CHILD, "FILE_DELETE_CHILD", "delete entries of the directory", false},
            {FILE_READ_ATTRIBUTES, "FILE_READ_ATTRIBUTES", "read attributes", false},
            {FILE_WRITE_ATTRIBUTES, "FILE_WRITE_ATTRIBUTES", "write attributes", false},
        },
        true); // a delete-pending image file is how Process Ghosting hides its payload
    return table;
}

bool has(uint32_t mask, uint32_t bits) { return (mask & bits) == bits; }

void add(std::string& text, const std::string& sentence)
{
    if (!text.empty())
        text += ' ';
    text += sentence;
}

std::string describeProcess(uint32_t mask)
{
    std::string d;
    if (mask == PROCESS_ALL_ACCESS)
        add(d, "PROCESS_ALL_ACCESS (Windows Vista and later): every right on the process.");
    else if (mask == PROCESS_ALL_ACCESS_XP)
        add(d, "PROCESS_ALL_ACCESS as defined by Windows XP/2003 headers (0x1f0fff); "
               "it lacks PROCESS_QUERY_LIMITED_INFORMATION.");
    if (mask & GENERIC_ALL)
        add(d, "GENERIC_ALL maps to PROCESS_ALL_ACCESS.");

    const bool injection = has(mask, kInjectionSet) || (mask & GENERIC_ALL);
    if (injection) {
        add(d, "Can allocate and write memory in another process and start a thread in it "
               "(CREATE_THREAD | VM_OPERATION | VM_WRITE, the injection set 0x2a).");
        if (has(mask, kDraftListedRights))
            add(d, "Contains all six rights the draft strategy lists, which sum to 0x143a.");
    } else {
        if (has(mask, PROCESS_VM_WRITE | PROCESS_VM_OPERATION))
            add(d, "Can allocate and write memory in the process but not create a thread in it "
                   "(code would need a thread handle, an APC or a hijacked thread to run).");
        else if (mask & PROCESS_VM_WRITE)
            add(d, "Can write to the process's memory but not allocate or change protection.");
        if (mask & PROCESS_CREATE_THREAD)
            add(d, "Can start a thread in the process but not write code into it.");
    }
    if ((mask & PROCESS_VM_READ) && !injection)
        add(d, "Can read the process's memory (what credential theft from lsass.exe needs).");
    if (has(mask, kDraftMask) && !has(mask, kInjectionSet))
        add(d, "Matches the draft's 0x1440 test (DUP_HANDLE | QUERY_INFORMATION | QUERY_LIMITED_INFORMATION), "
               "which is not an injection mask: it lacks VM_OPERATION, VM_WRITE and CREATE_THREAD.");
    if ((mask & PROCESS_DUP_HANDLE) && !injection)
        add(d, "Can duplicate handles out of the process.");
    if ((mask & PROCESS_CREATE_PROCESS) && !injection)
        add(d, "Can use the process as parent of a new process (parent spoofing).");
    if ((mask & PROCESS_TERMINATE) && !injection)
        add(d, "Can terminate the process.");
    if ((mask & PROCESS_SUSPEND_RESUME) && !injection)
        add(d, "Can suspend or resume the process.");

    constexpr uint32_t queryOnly = PROCESS_QUERY_INFORMATION | PROCESS_QUERY_LIMITED_INFORMATION
        | PROCESS_SET_LIMITED_INFORMATION | SYNCHRONIZE | READ_CONTROL;
    if (mask != 0 && (mask & ~queryOnly) == 0)
        add(d, "Query or wait only: cannot read, write or run code in the process.");
    if (mask == 0)
        add(d, "No access.");
    return d;
}

std::string describeThread(uint32_t mask)
{
    std::string d;
    if (mask == THREAD_ALL_ACCESS)
        add(d, "THREAD_ALL_ACCESS (Windows Vista and later): every right on the thread.");
    else if (mask == THREAD_ALL_ACCESS_XP)
        add(d, "THREAD_ALL_ACCESS as defined by Windows XP/2003 headers (0x1f03ff).");
    if (has(mask, THREAD_SUSPEND_RESUME | THREAD_GET_CONTEXT | THREAD_SET_CONTEXT) || (mask & GENERIC_ALL))
        add(d, "Can suspend the thread and redirect its instruction pointer (thread hijacking).");
    else if (mask & THREAD_SET_CONTEXT)
        add(d, "Can change the thread's registers or queue an APC to it (APC injection).");
    if (mask & THREAD_IMPERSONATE)
        add(d, "Can use the thread's security context.");
    if (mask == 0)
        add(d, "No access.");
    return d;
}

std::string describeFile(uint32_t mask)
{
    std::string d;
    if (mask == FILE_ALL_ACCESS)
        add(d, "FILE_ALL_ACCESS: every right on the file.");
    const bool write = (mask & (FILE_WRITE_DATA | FILE_APPEND_DATA | GENERIC_WRITE | GENERIC_ALL)) != 0;
    if (write)
        add(d, "Can change the file's content (an image changed after its section was mapped is the "
               "Herpaderping/Doppelgänging pattern).");
    if (mask & (DELETE | GENERIC_ALL))
        add(d, "Can delete the file (a delete-pending image is the Ghosting pattern).");
    if (!write && (mask & (FILE_READ_DATA | GENERIC_READ)))
        add(d, "Can read the file.");
    if (mask == 0)
        add(d, "No access.");
    return d;
}

} // namespace

const std::vector<Right>& rights(ObjectType type)
{
    switch (type) {
    case ObjectType::Thread:
        return threadRights();
    case ObjectType::File:
        return fileRights();
    case ObjectType::Process:
        break;
    }
    return processRights();
}

const char* objectTypeName(ObjectType type)
{
    switch (type) {
    case ObjectType::Process: return "process";
    case ObjectType::Thread: return "thread";
    case ObjectType::File: return "file";
    }
    return "process";
}

ObjectType maskObjectType(std::string_view channel, int64_t eventId)
{
    if (equalsIgnoreCase(channel, "Security") && (eventId == 4656 || eventId == 4663))
        return ObjectType::File;
    return ObjectType::Process;
}

std::string hex(uint32_t mask)
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%x", mask);
    return buf;
}

Decoded decode(uint32_t mask, ObjectType type)
{
    Decoded out;
    out.mask = mask;
    uint32_t known = 0;
    for (const Right& r : rights(type)) {
        known |= r.bit;
        if (mask & r.bit) {
            out.rights.push_back(r);
            if (!out.names.empty())
                out.names += " | ";
            out.names += r.name;
        }
    }
    out.unknownBits = mask & ~known;
    if (out.unknownBits) {
        if (!out.names.empty())
            out.names += " | ";
        out.names += hex(out.unknownBits);
    }
    switch (type) {
    case ObjectType::Process:
        out.description = describeProcess(mask);
        break;
    case ObjectType::Thread:
        out.description = describeThread(mask);
        break;
    case ObjectType::File:
        out.description = describeFile(mask);
        break;
    }
    if (out.unknownBits)
        add(out.description, "Bits " + hex(out.unknownBits) + " are not documented rights"
                + (type == ObjectType::Process && mask == PROCESS_ALL_ACCESS
                       ? std::string(" (PROCESS_ALL_ACCESS sets the whole 0xffff specific range).")
                       : std::string(".")));
    return out;
}

} // namespace dscope::model::access
