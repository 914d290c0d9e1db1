// SPDX-License-Identifier: MIT
#pragma once

#include "domain/event.h"

#include <QtCore/qglobal.h>

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>

namespace dscope::model {

class Database;
class Statement;

/// The normalized columns of the events table, in storage order: the one list the writer's INSERT and every
/// reader's SELECT are made from (eventFieldColumn()).
enum class EventField : uint8_t {
    InputId, Position, RecordId, UtcMs, Host, Channel, Provider, EventId,
    SubjectGuid, SubjectPid, SubjectImage, TargetGuid, TargetPid, TargetImage, ParentGuid, ParentPid, ParentImage,
    GrantedAccess, CallTrace, StartAddress, StartModule, StartFunction, CommandLine, User, Hashes, TargetFilename,
    TransactionId, TransactionState, Detail,
    Count
};

/// The column name of a field ("subject_guid").
const char* eventFieldColumn(EventField f);
/// The name of a field as EventRecord and the rule descriptions write it ("subjectGuid").
const char* eventFieldName(EventField f);
/// The field of that name; EventField::Count when none has it.
EventField eventFieldNamed(std::string_view name);
/// Whether a field holds an integer (else text).
bool isIntegerField(EventField f);

/// A set of fields: what a reader selects. Readers that need a few columns of millions of rows do not pay for the
/// others (detection reads 10 million rows in about a second; every column costs).
class EventFields
{
public:
    constexpr EventFields() = default;
    constexpr EventFields(std::initializer_list<EventField> fields)
    {
        for (EventField f : fields)
            m_bits |= bit(f);
    }
    static constexpr EventFields all()
    {
        EventFields s;
        s.m_bits = (uint64_t(1) << unsigned(EventField::Count)) - 1;
        return s;
    }
    constexpr bool has(EventField f) const { return m_bits & bit(f); }

private:
    static constexpr uint64_t bit(EventField f) { return uint64_t(1) << unsigned(f); }
    uint64_t m_bits = 0;
};

/**
 * One row of the events table as its readers see it: detection, the process tree, the TxF timeline, the Events
 * page and the detail pane. The field names are domain::Event's. Fields a reader did not select stay as they are
 * (empty or absent). Absent integers are -1: every id, pid, mask and record number is non-negative, so a sign test
 * says "present". An absent time is kNoValue, since times before 1970 are times.
 */
struct EventRecord {
    int64_t id = 0; ///< events.id
    int64_t inputId = -1, position = -1, recordId = -1;
    int64_t utcMs = kNoValue;
    std::string host, channel, provider;
    int64_t eventId = -1;
    std::string subjectGuid;
    int64_t subjectPid = -1;
    std::string subjectImage;
    std::string targetGuid;
    int64_t targetPid = -1;
    std::string targetImage;
    std::string parentGuid;
    int64_t parentPid = -1;
    std::string parentImage;
    int64_t grantedAccess = -1;
    std::string callTrace, startAddress, startModule, startFunction, commandLine, user, hashes, targetFilename,
        transactionId, transactionState, detail;

    /// True for Sysmon's channel or provider (its event ids overlap with other logs').
    bool isSysmon() const;
    /// A field by name, for code that walks all of them (the detail pane, exports). The field's kind must match.
    int64_t integer(EventField f) const;
    const std::string& text(EventField f) const;
};

/**
 * Reads rows of the events table into EventRecord: the one query and row-reading layer over that table. The
 * condition and order are SQL written in the code (never text from a log or a rule file); values are bound
 * through statement() as ?1, ?2 ...
 */
class EventReader
{
    Q_DISABLE_COPY_MOVE(EventReader)
public:
    /// `limit` < 0: every matching row.
    EventReader(Database& db, EventFields fields, std::string_view where = {}, std::string_view orderBy = {},
                int64_t limit = -1);
    ~EventReader();

    bool isValid() const;
    /// For binding the condition's parameters (and resetting between runs of a point lookup).
    Statement& statement();
    /// The next row into `out`: its id and the selected fields (string buffers are reused). False at the end, or
    /// on an error (error() is then set).
    bool next(EventRecord& out);
    /// Runs the query again from the start with new parameter values bound through statement().
    void rewind();
    const std::string& error() const;

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace dscope::model
