// SPDX-License-Identifier: MIT
#include "eventrecord.h"

#include "database.h"
#include "domain/text.h"
#include "statement.h"

#include <array>
#include <vector>

namespace dscope::model {

namespace {

/// Where each field lives in the table and in EventRecord: exactly one of the two member pointers is set.
struct FieldInfo {
    const char* column;
    const char* name; ///< the EventRecord member's name, as rule descriptions write it
    int64_t EventRecord::*integer;
    std::string EventRecord::*text;
};

constexpr FieldInfo I(const char* column, const char* name, int64_t EventRecord::*m) { return {column, name, m, nullptr}; }
constexpr FieldInfo S(const char* column, const char* name, std::string EventRecord::*m) { return {column, name, nullptr, m}; }

// In EventField order.
constexpr std::array<FieldInfo, size_t(EventField::Count)> kFields = {{
    I("input_id", "inputId", &EventRecord::inputId),
    I("position", "position", &EventRecord::position),
    I("record_id", "recordId", &EventRecord::recordId),
    I("utc_ms", "utcMs", &EventRecord::utcMs),
    S("host", "host", &EventRecord::host),
    S("channel", "channel", &EventRecord::channel),
    S("provider", "provider", &EventRecord::provider),
    I("event_id", "eventId", &EventRecord::eventId),
    S("subject_guid", "subjectGuid", &EventRecord::subjectGuid),
    I("subject_pid", "subjectPid", &EventRecord::subjectPid),
    S("subject_image", "subjectImage", &EventRecord::subjectImage),
    S("target_guid", "targetGuid", &EventRecord::targetGuid),
    I("target_pid", "targetPid", &EventRecord::targetPid),
    S("target_image", "targetImage", &EventRecord::targetImage),
    S("parent_guid", "parentGuid", &EventRecord::parentGuid),
    I("parent_pid", "parentPid", &EventRecord::parentPid),
    S("parent_image", "parentImage", &EventRecord::parentImage),
    I("granted_access", "grantedAccess", &EventRecord::grantedAccess),
    S("call_trace", "callTrace", &EventRecord::callTrace),
    S("start_address", "startAddress", &EventRecord::startAddress),
    S("start_module", "startModule", &EventRecord::startModule),
    S("start_function", "startFunction", &EventRecord::startFunction),
    S("command_line", "commandLine", &EventRecord::commandLine),
    S("user_name", "user", &EventRecord::user),
    S("hashes", "hashes", &EventRecord::hashes),
    S("target_filename", "targetFilename", &EventRecord::targetFilename),
    S("transaction_id", "transactionId", &EventRecord::transactionId),
    S("transaction_state", "transactionState", &EventRecord::transactionState),
    S("detail", "detail", &EventRecord::detail),
}};

} // namespace

const char* eventFieldColumn(EventField f) { return kFields[size_t(f)].column; }
const char* eventFieldName(EventField f) { return kFields[size_t(f)].name; }

EventField eventFieldNamed(std::string_view name)
{
    for (size_t i = 0; i < kFields.size(); ++i)
        if (name == kFields[i].name)
            return EventField(i);
    return EventField::Count;
}
bool isIntegerField(EventField f) { return kFields[size_t(f)].integer != nullptr; }

int64_t EventRecord::integer(EventField f) const
{
    const auto member = kFields[size_t(f)].integer;
    return member ? this->*member : -1;
}

const std::string& EventRecord::text(EventField f) const
{
    static const std::string none;
    const auto member = kFields[size_t(f)].text;
    return member ? this->*member : none;
}

bool EventRecord::isSysmon() const { return containsI(channel, "sysmon") || containsI(provider, "sysmon"); }

struct EventReader::Private {
    Private(Database& db, const std::string& sql)
        : st(db, sql)
    {
    }
    Statement st;
    // The selected fields by result column (column 0 is the id), split by type so that the row loop does no
    // dispatch: an integer column and a text column each cost one assignment through a member pointer.
    struct IntegerColumn {
        int column;
        int64_t EventRecord::*member;
        int64_t absent;
    };
    std::vector<IntegerColumn> integers;
    std::vector<std::pair<int, std::string EventRecord::*>> texts;
    std::string error;
};

namespace {

std::string selectSql(EventFields fields, std::string_view where, std::string_view orderBy, int64_t limit)
{
    std::string sql = "SELECT id";
    for (size_t i = 0; i < kFields.size(); ++i)
        if (fields.has(EventField(i)))
            sql += std::string(", ") + kFields[i].column;
    sql += " FROM events";
    if (!where.empty())
        sql += std::string(" WHERE ") + std::string(where);
    if (!orderBy.empty())
        sql += std::string(" ORDER BY ") + std::string(orderBy);
    if (limit >= 0)
        sql += " LIMIT " + std::to_string(limit);
    return sql;
}

} // namespace

EventReader::EventReader(Database& db, EventFields fields, std::string_view where, std::string_view orderBy,
                         int64_t limit)
    : d(std::make_unique<Private>(db, selectSql(fields, where, orderBy, limit)))
{
    int column = 1;
    for (size_t i = 0; i < kFields.size(); ++i) {
        if (!fields.has(EventField(i)))
            continue;
        if (kFields[i].integer)
            d->integers.push_back({column, kFields[i].integer, EventField(i) == EventField::UtcMs ? kNoValue : -1});
        else
            d->texts.emplace_back(column, kFields[i].text);
        ++column;
    }
    if (!d->st.isValid())
        d->error = db.lastError();
}

EventReader::~EventReader() = default;

bool EventReader::isValid() const { return d->st.isValid(); }
Statement& EventReader::statement() { return d->st; }
const std::string& EventReader::error() const { return d->error; }

bool EventReader::next(EventRecord& out)
{
    Statement& st = d->st;
    if (!st.next()) {
        if (st.failed())
            d->error = st.database().lastError();
        return false;
    }
    out.id = st.columnInt(0);
    for (const auto& c : d->integers)
        out.*c.member = st.columnIsNull(c.column) ? c.absent : st.columnInt(c.column);
    for (const auto& [col, member] : d->texts)
        (out.*member).assign(st.columnView(col));
    return true;
}

void EventReader::rewind() { d->st.rewind(); }

} // namespace dscope::model
