// SPDX-License-Identifier: MIT
#include "fieldmap.h"

#include <cstring>

namespace dscope::detection {

namespace {

struct Mapping {
    const char* log;
    int eventId; ///< 0: any event of the log
    const char* field;
    const char* raw;
    const char* ecs;
    const char* ossem;
};

// One row per (event, field): Sysmon's names as the event schema writes them, ECS as Winlogbeat's Sysmon and
// Security pipelines write them (the process that acts in process.*, the other one in winlog.event_data, where
// the pipeline renames Sysmon 8's TargetProcessGuid to TargetProcessGUID), OSSEM as HELK's pipelines do.
constexpr Mapping kMappings[] = {
    // Sysmon 10 ProcessAccess
    {"sysmon", 10, "subjectGuid", "SourceProcessGUID", "process.entity_id", "process_guid"},
    {"sysmon", 10, "subjectPid", "SourceProcessId", "process.pid", "process_id"},
    {"sysmon", 10, "subjectImage", "SourceImage", "process.executable", "process_path"},
    {"sysmon", 10, "targetGuid", "TargetProcessGUID", "winlog.event_data.TargetProcessGUID", "target_process_guid"},
    {"sysmon", 10, "targetPid", "TargetProcessId", "winlog.event_data.TargetProcessId", "target_process_id"},
    {"sysmon", 10, "targetImage", "TargetImage", "winlog.event_data.TargetImage", "target_process_path"},
    {"sysmon", 10, "grantedAccess", "GrantedAccess", "winlog.event_data.GrantedAccess", "process_granted_access"},
    {"sysmon", 10, "callTrace", "CallTrace", "winlog.event_data.CallTrace", "process_call_trace"},
    // Sysmon 8 CreateRemoteThread
    {"sysmon", 8, "subjectGuid", "SourceProcessGuid", "process.entity_id", "process_guid"},
    {"sysmon", 8, "subjectPid", "SourceProcessId", "process.pid", "process_id"},
    {"sysmon", 8, "subjectImage", "SourceImage", "process.executable", "process_path"},
    {"sysmon", 8, "targetGuid", "TargetProcessGuid", "winlog.event_data.TargetProcessGUID", "target_process_guid"},
    {"sysmon", 8, "targetPid", "TargetProcessId", "winlog.event_data.TargetProcessId", "target_process_id"},
    {"sysmon", 8, "targetImage", "TargetImage", "winlog.event_data.TargetImage", "target_process_path"},
    {"sysmon", 8, "startAddress", "StartAddress", "winlog.event_data.StartAddress", "thread_start_address"},
    {"sysmon", 8, "startModule", "StartModule", "winlog.event_data.StartModule", "thread_start_module"},
    {"sysmon", 8, "startFunction", "StartFunction", "winlog.event_data.StartFunction", "thread_start_function"},
    // Sysmon 1 ProcessCreate
    {"sysmon", 1, "subjectGuid", "ProcessGuid", "process.entity_id", "process_guid"},
    {"sysmon", 1, "subjectPid", "ProcessId", "process.pid", "process_id"},
    {"sysmon", 1, "subjectImage", "Image", "process.executable", "process_path"},
    {"sysmon", 1, "parentGuid", "ParentProcessGuid", "process.parent.entity_id", "process_parent_guid"},
    {"sysmon", 1, "parentPid", "ParentProcessId", "process.parent.pid", "process_parent_id"},
    {"sysmon", 1, "parentImage", "ParentImage", "process.parent.executable", "process_parent_path"},
    {"sysmon", 1, "commandLine", "CommandLine", "process.command_line", "process_command_line"},
    // Sysmon 25 ProcessTampering, 11 FileCreate, 7 ImageLoad
    {"sysmon", 25, "subjectGuid", "ProcessGuid", "process.entity_id", "process_guid"},
    {"sysmon", 25, "subjectImage", "Image", "process.executable", "process_path"},
    {"sysmon", 25, "detail", "Type", "winlog.event_data.Type", "event_type"},
    {"sysmon", 11, "subjectGuid", "ProcessGuid", "process.entity_id", "process_guid"},
    {"sysmon", 11, "subjectImage", "Image", "process.executable", "process_path"},
    {"sysmon", 11, "targetFilename", "TargetFilename", "file.path", "file_name"},
    {"sysmon", 7, "subjectGuid", "ProcessGuid", "process.entity_id", "process_guid"},
    {"sysmon", 7, "subjectImage", "Image", "process.executable", "process_path"},
    {"sysmon", 7, "targetFilename", "ImageLoaded", "file.path", "module_path"},
    // Security 4688: the new process acts; no GUIDs
    {"security", 4688, "subjectPid", "NewProcessId", "process.pid", "process_id"},
    {"security", 4688, "subjectImage", "NewProcessName", "process.executable", "process_path"},
    {"security", 4688, "parentPid", "ProcessId", "process.parent.pid", "process_parent_id"},
    {"security", 4688, "parentImage", "ParentProcessName", "process.parent.executable", "process_parent_path"},
    {"security", 4688, "commandLine", "CommandLine", "process.command_line", "process_command_line"},
    // Security 4656 (transacted opens) and 4985 (transaction state)
    {"security", 4656, "subjectPid", "ProcessId", "process.pid", "process_id"},
    {"security", 4656, "subjectImage", "ProcessName", "process.executable", "process_path"},
    {"security", 4656, "targetFilename", "ObjectName", "file.path", "object_name"},
    {"security", 4656, "transactionId", "TransactionId", "winlog.event_data.TransactionId", "transaction_id"},
    {"security", 4985, "subjectPid", "ProcessId", "process.pid", "process_id"},
    {"security", 4985, "subjectImage", "ProcessName", "process.executable", "process_path"},
    {"security", 4985, "transactionId", "TransactionId", "winlog.event_data.TransactionId", "transaction_id"},
    {"security", 4985, "detail", "NewState", "winlog.event_data.NewState", "transaction_new_state"},
};

constexpr CommonFields kRaw{"Computer", "EventID", "Channel", "UtcTime"};
constexpr CommonFields kEcs{"host.name", "event.code", "winlog.channel", "@timestamp"};
constexpr CommonFields kOssem{"host_name", "event_id", "channel", "utc_time"};

} // namespace

const char* fieldSetName(FieldSet set)
{
    switch (set) {
    case FieldSet::Raw: return "raw";
    case FieldSet::Ecs: return "ecs";
    case FieldSet::Ossem: return "ossem";
    }
    return "raw";
}

bool parseFieldSet(const std::string& word, FieldSet& out)
{
    for (FieldSet s : {FieldSet::Raw, FieldSet::Ecs, FieldSet::Ossem})
        if (word == fieldSetName(s)) {
            out = s;
            return true;
        }
    return false;
}

const CommonFields& commonFields(FieldSet set)
{
    return set == FieldSet::Ecs ? kEcs : set == FieldSet::Ossem ? kOssem : kRaw;
}

std::string fieldName(FieldSet set, const std::string& log, int eventId, const std::string& field)
{
    const CommonFields& common = commonFields(set);
    if (field == "host")
        return common.host;
    for (const Mapping& m : kMappings)
        if (log == m.log && (m.eventId == 0 || m.eventId == eventId) && field == m.field)
            return set == FieldSet::Ecs ? m.ecs : set == FieldSet::Ossem ? m.ossem : m.raw;
    return {};
}

const char* channelOf(const std::string& log)
{
    return log == "security" ? "Security" : "Microsoft-Windows-Sysmon/Operational";
}

} // namespace dscope::detection
