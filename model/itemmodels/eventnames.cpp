// SPDX-License-Identifier: MIT
#include "eventnames.h"

#include <algorithm>
#include <array>
#include <utility>

namespace dscope::model {

namespace {

using Entry = std::pair<int64_t, std::string_view>;

// Sysmon event ids (Sysmon 15.x schema).
constexpr std::array<Entry, 30> kSysmon = {{
    {1, "Process created"},          {2, "File creation time changed"}, {3, "Network connection"},
    {4, "Sysmon state changed"},     {5, "Process terminated"},         {6, "Driver loaded"},
    {7, "Image loaded"},             {8, "Remote thread created"},      {9, "Raw disk read"},
    {10, "Process accessed"},        {11, "File created"},              {12, "Registry object added/deleted"},
    {13, "Registry value set"},      {14, "Registry object renamed"},   {15, "File stream created"},
    {16, "Sysmon config changed"},   {17, "Pipe created"},              {18, "Pipe connected"},
    {19, "WMI filter registered"},   {20, "WMI consumer registered"},   {21, "WMI binding registered"},
    {22, "DNS query"},               {23, "File deleted (archived)"},   {24, "Clipboard changed"},
    {25, "Process tampering"},       {26, "File deleted"},              {27, "Executable blocked"},
    {28, "File shredding blocked"},  {29, "Executable detected"},       {255, "Sysmon error"},
}};

// Security log ids that matter for process and injection work, plus common logon noise.
constexpr std::array<Entry, 24> kSecurity = {{
    {1102, "Audit log cleared"},        {4624, "Logon"},
    {4625, "Logon failed"},             {4634, "Logoff"},
    {4648, "Explicit credential logon"}, {4656, "Handle requested"},
    {4657, "Registry value modified"},  {4658, "Handle closed"},
    {4660, "Object deleted"},           {4663, "Object accessed"},
    {4672, "Special privileges"},       {4673, "Privileged service called"},
    {4688, "Process created"},          {4689, "Process exited"},
    {4690, "Handle duplicated"},        {4697, "Service installed"},
    {4698, "Scheduled task created"},   {4703, "Token rights adjusted"},
    {4720, "User account created"},     {4732, "Member added to group"},
    {4768, "Kerberos TGT requested"},   {4769, "Kerberos ticket requested"},
    {4985, "Transaction state changed"}, {5140, "Network share accessed"},
}};

// Ids that are unambiguous enough to name whatever the channel (System, PowerShell).
constexpr std::array<Entry, 6> kOther = {{
    {4103, "PowerShell pipeline"},  {4104, "PowerShell script block"},
    {7036, "Service state changed"}, {7040, "Service start type changed"},
    {7045, "Service installed"},     {104, "Log cleared"},
}};

template <size_t N>
std::string_view find(const std::array<Entry, N>& table, int64_t id)
{
    const auto it = std::find_if(table.begin(), table.end(), [id](const Entry& e) { return e.first == id; });
    return it == table.end() ? std::string_view() : it->second;
}

bool contains(std::string_view hay, std::string_view needle) { return hay.find(needle) != std::string_view::npos; }

} // namespace

std::string_view eventName(int64_t eventId, std::string_view channel)
{
    if (contains(channel, "Sysmon"))
        return find(kSysmon, eventId);
    if (channel == "Security")
        return find(kSecurity, eventId);
    if (channel.empty()) {
        // JSON exports sometimes lose the channel; the Security range does not collide with Sysmon's.
        if (eventId >= 1100)
            return find(kSecurity, eventId);
    }
    return find(kOther, eventId);
}

} // namespace dscope::model
