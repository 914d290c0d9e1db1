// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

/// Windows access masks, decoded. One table of documented constants serves detection, the detail pane and the
/// mask calculator, so a right is named the same way everywhere.
namespace dscope::model::access {

enum class ObjectType { Process, Thread, File };

/// "process", "thread", "file": the words of the JSON output and the views.
const char* objectTypeName(ObjectType type);
/// Which object an event's access mask is about: Security 4656/4663 name files (and transactions), Sysmon 10 and
/// the rest processes.
ObjectType maskObjectType(std::string_view channel, int64_t eventId);

/// One documented access right.
struct Right {
    uint32_t bit;
    const char* name;        ///< "PROCESS_VM_WRITE"
    const char* meaning;     ///< "write to the process's memory"
    bool injectionRelevant;  ///< part of what code injection needs (highlighted in the GUI)
};

/// A mask split into its rights.
struct Decoded {
    uint32_t mask = 0;
    std::vector<Right> rights;   ///< specific, standard and generic rights present, in bit order
    uint32_t unknownBits = 0;    ///< bits no documented right explains
    std::string names;           ///< "PROCESS_CREATE_THREAD | PROCESS_VM_OPERATION | ..." (with unknown bits as hex)
    std::string description;     ///< what the combination allows, in words (e.g. the injection set 0x2A)
};

/// All documented rights for the object type: its specific rights, then standard and generic rights.
const std::vector<Right>& rights(ObjectType type);

Decoded decode(uint32_t mask, ObjectType type);

/// The process rights code injection is made of.
inline constexpr uint32_t kProcessCreateThread = 0x0002; ///< PROCESS_CREATE_THREAD: start a thread in the process
inline constexpr uint32_t kProcessVmOperation = 0x0008;  ///< PROCESS_VM_OPERATION: allocate and protect its memory
inline constexpr uint32_t kProcessVmWrite = 0x0020;      ///< PROCESS_VM_WRITE: write its memory
/// PROCESS_CREATE_THREAD | PROCESS_VM_OPERATION | PROCESS_VM_WRITE: enough to write code into a process and start a
/// thread on it. R1 asks for all of them in the handle that precedes a remote thread.
inline constexpr uint32_t kInjectionSet = kProcessCreateThread | kProcessVmOperation | kProcessVmWrite; // 0x2a
/// The draft strategy's constant (DUP_HANDLE | QUERY_INFORMATION | QUERY_LIMITED_INFORMATION), and the sum of the
/// six rights it lists.
inline constexpr uint32_t kDraftMask = 0x1440;
inline constexpr uint32_t kDraftListedRights = 0x143A;
/// PROCESS_ALL_ACCESS on Windows Vista and later, and as Windows XP/2003 headers defined it.
inline constexpr uint32_t kProcessAllAccess = 0x001FFFFF;
inline constexpr uint32_t kProcessAllAccessXp = 0x001F0FFF;

/// Either spelling of PROCESS_ALL_ACCESS.
constexpr bool isProcessAllAccess(uint32_t mask) { return mask == kProcessAllAccess || mask == kProcessAllAccessXp; }
/**
 * A handle through which its holder can run code in the process by some route: start a thread in it
 * (PROCESS_CREATE_THREAD), or write its memory (PROCESS_VM_OPERATION with PROCESS_VM_WRITE) for an APC or a
 * hijacked thread. The relation the process tree draws: wider than R1's kInjectionSet, which pairs the handle with
 * the remote thread that follows.
 */
constexpr bool grantsCodeInjection(uint32_t mask)
{
    return (mask & kProcessCreateThread) || (mask & (kProcessVmOperation | kProcessVmWrite)) == (kProcessVmOperation | kProcessVmWrite);
}
/// Every bit of `rights` is in `mask`.
constexpr bool hasAll(uint32_t mask, uint32_t rights) { return (mask & rights) == rights; }

/// "0x1f3fff": the one way a mask is written, in alerts, the views and the detail pane.
std::string hex(uint32_t mask);

} // namespace dscope::model::access
