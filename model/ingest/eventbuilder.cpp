// SPDX-License-Identifier: MIT
#include "eventbuilder.h"

#include "domain/normalize.h"

#include <array>
#include <unordered_map>

namespace dscope::model {

namespace {

enum class Field {
    UtcTime,
    ProcessGuid, ProcessId, Image, ProcessName,
    SourceProcessGuid, SourceProcessId, SourceImage,
    TargetProcessGuid, TargetProcessId, TargetImage,
    ParentProcessGuid, ParentProcessId, ParentImage, ParentProcessName,
    NewProcessId, NewProcessName,
    GrantedAccess, AccessMask, CallTrace, StartAddress, StartModule, StartFunction,
    CommandLine, User, SourceUser, SubjectUserName, SubjectDomainName,
    Hashes, TargetFilename, ObjectName, TransactionId, NewState, Type, NewThreadId,
};

const std::unordered_map<std::string_view, Field>& fieldTable()
{
    // Keys are lower case; setField() lower-cases the name before looking it up.
    static const std::unordered_map<std::string_view, Field> table = {
        {"utctime", Field::UtcTime},
        {"processguid", Field::ProcessGuid},
        {"processid", Field::ProcessId},
        {"image", Field::Image},
        {"processname", Field::ProcessName},
        {"sourceprocessguid", Field::SourceProcessGuid},
        {"sourceprocessid", Field::SourceProcessId},
        {"sourceimage", Field::SourceImage},
        {"targetprocessguid", Field::TargetProcessGuid},
        {"targetprocessid", Field::TargetProcessId},
        {"targetimage", Field::TargetImage},
        {"parentprocessguid", Field::ParentProcessGuid},
        {"parentprocessid", Field::ParentProcessId},
        {"parentimage", Field::ParentImage},
        {"parentprocessname", Field::ParentProcessName},
        {"newprocessid", Field::NewProcessId},
        {"newprocessname", Field::NewProcessName},
        {"grantedaccess", Field::GrantedAccess},
        {"accessmask", Field::AccessMask},
        {"calltrace", Field::CallTrace},
        {"startaddress", Field::StartAddress},
        {"startmodule", Field::StartModule},
        {"startfunction", Field::StartFunction},
        {"commandline", Field::CommandLine},
        {"user", Field::User},
        {"sourceuser", Field::SourceUser},
        {"subjectusername", Field::SubjectUserName},
        {"subjectdomainname", Field::SubjectDomainName},
        {"hashes", Field::Hashes},
        {"hash", Field::Hashes},
        {"targetfilename", Field::TargetFilename},
        // Sysmon 7: the DLL loaded is the file the event is about (R8 tells .NET processes by their runtime loads).
        {"imageloaded", Field::TargetFilename},
        {"objectname", Field::ObjectName},
        {"transactionid", Field::TransactionId},
        {"newstate", Field::NewState},
        {"type", Field::Type},
        {"newthreadid", Field::NewThreadId},
    };
    return table;
}

void setText(std::string& field, std::string_view value)
{
    if (normalize::isAbsent(value)) {
        field.clear();
        return;
    }
    field.assign(value);
    normalize::capLength(field, EventBuilder::kMaxFieldBytes);
}

void setInt(int64_t& field, std::string_view value)
{
    const auto v = normalize::integer(value);
    field = v ? *v : kNoValue;
}

} // namespace

EventBuilder::EventBuilder() { reset(); }

void EventBuilder::reset()
{
    m_event->clear();
    m_systemTimeMs = kNoValue;
    m_hasUtcTime = false;
    m_processId.clear();
    m_processName.clear();
    m_subjectUser.clear();
    m_subjectDomain.clear();
    m_sourceUser.clear();
}

void EventBuilder::setEventId(std::string_view text)
{
    const auto v = normalize::integer(text);
    m_event->eventId = v ? *v : kNoValue;
}

void EventBuilder::setChannel(std::string_view v) { setText(m_event->channel, v); }
void EventBuilder::setHost(std::string_view v) { setText(m_event->host, v); }
void EventBuilder::setProvider(std::string_view v) { setText(m_event->provider, v); }

void EventBuilder::setRecordId(std::string_view text)
{
    const auto v = normalize::integer(text);
    m_event->recordId = v ? *v : kNoValue;
}

void EventBuilder::setSystemTime(std::string_view text)
{
    const auto v = normalize::utcMillis(text);
    m_systemTimeMs = v ? *v : kNoValue;
}

void EventBuilder::setRaw(RawFormat format, std::string_view raw)
{
    m_event->rawFormat = format;
    m_event->raw.assign(raw.substr(0, kMaxRawBytes));
}

int EventBuilder::fieldId(std::string_view name)
{
    std::array<char, 32> lower{};
    if (name.size() >= lower.size())
        return -1;
    for (size_t i = 0; i < name.size(); ++i) {
        const char c = name[i];
        lower[i] = (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
    }
    const auto& table = fieldTable();
    const auto it = table.find(std::string_view(lower.data(), name.size()));
    return it == table.end() ? -1 : int(it->second);
}

void EventBuilder::setField(std::string_view name, std::string_view value)
{
    const int id = fieldId(name);
    if (id >= 0)
        setField(id, value);
}

void EventBuilder::setField(int id, std::string_view value)
{
    Event& e = *m_event;
    switch (Field(id)) {
    case Field::UtcTime:
        if (const auto t = normalize::utcMillis(value)) {
            e.utcMs = *t;
            m_hasUtcTime = true;
        }
        break;
    case Field::ProcessGuid:
    case Field::SourceProcessGuid: normalize::guidInto(e.subjectGuid, value); break;
    case Field::ProcessId: m_processId.assign(value); break;
    case Field::ProcessName: m_processName.assign(value); break;
    case Field::Image:
    case Field::SourceImage: setText(e.subjectImage, value); break;
    case Field::SourceProcessId: setInt(e.subjectPid, value); break;
    case Field::TargetProcessGuid: normalize::guidInto(e.targetGuid, value); break;
    case Field::TargetProcessId: setInt(e.targetPid, value); break;
    case Field::TargetImage: setText(e.targetImage, value); break;
    case Field::ParentProcessGuid: normalize::guidInto(e.parentGuid, value); break;
    case Field::ParentProcessId: setInt(e.parentPid, value); break;
    case Field::ParentImage:
    case Field::ParentProcessName: setText(e.parentImage, value); break;
    case Field::NewProcessId: setInt(e.subjectPid, value); break;
    case Field::NewProcessName: setText(e.subjectImage, value); break;
    case Field::GrantedAccess:
    case Field::AccessMask: {
        const auto v = normalize::hexInteger(value);
        e.grantedAccess = v ? *v : kNoValue;
        break;
    }
    case Field::CallTrace: setText(e.callTrace, value); break;
    case Field::StartAddress: setText(e.startAddress, value); break;
    case Field::StartModule: setText(e.startModule, value); break;
    case Field::StartFunction: setText(e.startFunction, value); break;
    case Field::CommandLine: setText(e.commandLine, value); break;
    case Field::User: setText(e.user, value); break;
    case Field::SourceUser: setText(m_sourceUser, value); break;
    case Field::SubjectUserName: setText(m_subjectUser, value); break;
    case Field::SubjectDomainName: setText(m_subjectDomain, value); break;
    case Field::Hashes: setText(e.hashes, value); break;
    case Field::TargetFilename:
    case Field::ObjectName: setText(e.targetFilename, value); break;
    case Field::TransactionId: normalize::guidInto(e.transactionId, value); break;
    case Field::NewState: setText(e.transactionState, value); break;
    case Field::Type:
    case Field::NewThreadId: setText(e.detail, value); break;
    }
}

bool EventBuilder::finish()
{
    Event& e = *m_event;
    if (!m_hasUtcTime)
        e.utcMs = m_systemTimeMs;

    // Security 4688 names the creator "ProcessId" and the new process "NewProcessId"; everywhere else
    // (Sysmon, Security 4656/4663/4985/4689) ProcessId is the acting process, sometimes in hex.
    if (!m_processId.empty()) {
        if (e.eventId == 4688)
            setInt(e.parentPid, m_processId);
        else if (e.subjectPid == kNoValue)
            setInt(e.subjectPid, m_processId);
    }
    if (!m_processName.empty()) {
        if (e.eventId == 4688) {
            if (e.parentImage.empty())
                setText(e.parentImage, m_processName);
        } else if (e.subjectImage.empty()) {
            setText(e.subjectImage, m_processName);
        }
    }
    if (e.user.empty()) {
        if (!m_sourceUser.empty())
            e.user = m_sourceUser;
        else if (!m_subjectUser.empty())
        {
            e.user.assign(m_subjectDomain);
            if (!e.user.empty())
                e.user += '\\';
            e.user += m_subjectUser;
        }
    }
    return e.eventId != kNoValue;
}

void EventBuilder::buildInto(Event& slot)
{
    m_event = &slot;
    reset();
}

void EventBuilder::handTo(RecordSink& sink)
{
    sink.add(std::move(*m_event));
    reset();
}

Event EventBuilder::take()
{
    Event out = std::move(*m_event);
    reset();
    return out;
}

} // namespace dscope::model
