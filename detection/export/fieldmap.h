// SPDX-License-Identifier: MIT
#pragma once

#include <string>

namespace dscope::detection {

/// The field names a team's events carry: Sysmon's own (as Windows writes them, the draft's table), ECS (Winlogbeat
/// with its Sysmon and Security pipelines), or OSSEM (the names of the HELK pipelines and the Security-Datasets).
enum class FieldSet { Raw, Ecs, Ossem };

const char* fieldSetName(FieldSet set);
bool parseFieldSet(const std::string& word, FieldSet& out);

/// The columns every event has, in a field set.
struct CommonFields {
    const char* host;
    const char* eventId;
    const char* channel;
    const char* time; ///< Raw and OSSEM: "yyyy-MM-dd HH:mm:ss.SSS" UTC text (Sysmon's UtcTime); ECS: ISO 8601
};
const CommonFields& commonFields(FieldSet set);

/// The name of a normalized field (the event table's column, camelCase: subjectGuid, targetImage, grantedAccess...)
/// for an event of this log ("sysmon", "security") and id, in a field set; empty when that event has no such field.
/// Sysmon spells the GUIDs of event 8 "SourceProcessGuid" and of event 10 "SourceProcessGUID": this is where that
/// difference lives.
std::string fieldName(FieldSet set, const std::string& log, int eventId, const std::string& field);

/// The channel text of a log ("Microsoft-Windows-Sysmon/Operational", "Security").
const char* channelOf(const std::string& log);

} // namespace dscope::detection
