// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>
#include <vector>

/// Windows access masks, decoded. One table of documented constants serves detection, the detail pane and the
/// mask calculator, so a right is named the same way everywhere.
namespace dscope::model::access {

enum class ObjectType { Process, Thread, File };

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

/// PROCESS_CREATE_THREAD | PROCESS_VM_OPERATION | PROCESS_VM_WRITE: enough to write code into a process and run it.
inline constexpr uint32_t kInjectionSet = 0x2A;
/// The draft strategy's constant, and the sum of the six rights it lists.
inline constexpr uint32_t kDraftMask = 0x1440;
inline constexpr uint32_t kDraftListedRights = 0x143A;

/// "0x1f3fff" style text.
std::string hex(uint32_t mask);

} // namespace dscope::model::access
