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
    int64_t EventRecord::*integer;
    std::string EventRecord::*text;
};

constexpr FieldInfo I(const char* column, int64_t EventRecord::*m) { return {column, m, nullptr}; }
constexpr FieldInfo S(const char* column, std::string EventRecord::*m) { return {column, nullptr, m}; }

// In EventField order.
constexpr std::array<FieldInfo, size_t(EventField::Count)> kFields = {{
    I("input_id", &EventRecord::inputId),
    I("position", &EventRecord::position),
    I("record_id", &EventRecord::recordId),
    I("utc_ms", &EventRecord::utcMs),
    S("host", &EventRecord::host),
    S("channel", &EventRecord::channel),
    S("provider", &EventRecord::provider),
    I("event_id", &EventRecord::eventId),
    S("subject_guid", &EventRecord::subjectGuid),
    I("subject_pid", &EventRecord::subjectPid),
    S("subject_image", &EventRecord::subjectImage),
    S("target_guid", &EventRecord::targetGuid),
    I("target_pid", &EventRecord::targetPid),
    S("target_image", &EventRecord::targetImage),
    S("parent_guid", &EventRecord::parentGuid),
    I("parent_pid", &EventRecord::parentPid),
    S("parent_image", &EventRecord::parentImage),
    I("granted_access", &EventRecord::grantedAccess),
    S("call_trace", &EventRecord::callTrace),
    S("start_address", &EventRecord::startAddress),
    S("start_module", &EventRecord::startModule),
    S("start_function", &EventRecord::startFunction),
    S("command_line", &EventRecord::commandLine),
    S("user_name", &EventRecord::user),
    S("hashes", &EventRecord::hashes),
    S("target_filename", &EventRecord::targetFilename),
    S("transaction_id", &EventRecord::transactionId),
    S("transaction_state", &EventRecord::transactionState),
    S("detail", &EventRecord::detail),
}};

} // namespace

const char* eventFieldColumn(EventField f) { return kFields[size_t(f)].column; }
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
