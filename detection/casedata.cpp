// SPDX-License-Identifier: MIT
#include "casedata.h"

#include "storage/schema.h"
#include "storage/statement.h"

#include <algorithm>
#include <climits>
#include <tuple>

namespace dscope::detection {

using model::Statement;

std::string lower(std::string_view s)
{
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z')
            c = char(c - 'A' + 'a');
    return out;
}

namespace {

char lowerChar(char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; }

// The channel test is part of every query: Sysmon 1/8/10/25 share ids with System log events. Events whose
// format names neither channel nor provider are accepted, as single-log exports often carry neither.
const char* kColumns =
    "SELECT id, input_id, position, record_id, utc_ms, event_id, host, subject_guid, subject_pid, subject_image, "
    "target_guid, target_pid, target_image, parent_guid, parent_pid, parent_image, granted_access, call_trace, "
    "start_address, start_module, start_function, command_line, user_name, target_filename, transaction_id, "
    "transaction_state, detail FROM events WHERE ";
const char* kSysmonFilter =
    " AND utc_ms IS NOT NULL AND (channel LIKE '%sysmon%' OR provider LIKE '%sysmon%' "
    "OR (channel IS NULL AND provider IS NULL)) ORDER BY utc_ms, input_id, position";
const char* kSecurityFilter =
    " AND utc_ms IS NOT NULL AND (channel = 'Security' COLLATE NOCASE OR provider LIKE '%security-auditing%' "
    "OR (channel IS NULL AND provider IS NULL)) ORDER BY utc_ms, input_id, position";

std::string sqlFor(const std::string& condition, Log log)
{
    return kColumns + condition + (log == Log::Sysmon ? kSysmonFilter : kSecurityFilter);
}

int64_t intOr(const Statement& st, int col) { return st.columnIsNull(col) ? -1 : st.columnInt(col); }

} // namespace

bool endsWithI(std::string_view text, std::string_view lowerSuffix)
{
    if (lowerSuffix.empty() || text.size() < lowerSuffix.size())
        return false;
    const size_t off = text.size() - lowerSuffix.size();
    for (size_t i = 0; i < lowerSuffix.size(); ++i)
        if (lowerChar(text[off + i]) != lowerSuffix[i])
            return false;
    return true;
}

bool containsI(std::string_view text, std::string_view lowerNeedle)
{
    if (lowerNeedle.empty())
        return true;
    if (text.size() < lowerNeedle.size())
        return false;
    for (size_t i = 0; i + lowerNeedle.size() <= text.size(); ++i) {
        size_t j = 0;
        while (j < lowerNeedle.size() && lowerChar(text[i + j]) == lowerNeedle[j])
            ++j;
        if (j == lowerNeedle.size())
            return true;
    }
    return false;
}

std::string_view baseName(std::string_view path)
{
    const size_t slash = path.find_last_of("\\/");
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool notAfter(const Row& a, const Row& b)
{
    if (a.utcMs != b.utcMs)
        return a.utcMs < b.utcMs;
    if (a.inputId != b.inputId)
        return true;
    if (a.recordId >= 0 && b.recordId >= 0)
        return a.recordId <= b.recordId;
    return a.position <= b.position;
}

bool CaseData::open(const std::string& casePath, std::string& error)
{
    if (!m_db.open(casePath, model::Database::Mode::ReadOnly)) {
        error = "cannot open case " + casePath + ": " + m_db.lastError();
        return false;
    }
    if (!model::schema::prepareForReading(m_db, error)) {
        error = casePath + ": " + error;
        return false;
    }
    return true;
}

const std::vector<Row>& CaseData::rows(int eventId, Log log, const std::atomic_bool* cancel)
{
    return select("event_id = " + std::to_string(eventId), log, cancel);
}

const std::vector<Row>& CaseData::select(const std::string& condition, Log log, const std::atomic_bool* cancel)
{
    const auto key = std::make_pair(condition, int(log));
    auto it = m_cache.find(key);
    if (it != m_cache.end())
        return it->second;
    std::vector<Row>& out = m_cache[key];
    Statement st(m_db, sqlFor(condition, log));
    if (!st.isValid()) {
        m_error = m_db.lastError();
        return out;
    }
    readRows(st, out, cancel);
    return out;
}

std::vector<Row> CaseData::lookup(const std::string& condition, Log log, const std::vector<int64_t>& ints,
                                  const std::vector<std::string>& texts)
{
    std::vector<Row> out;
    Statement st(m_db, sqlFor(condition, log));
    if (!st.isValid()) {
        m_error = m_db.lastError();
        return out;
    }
    int index = 1;
    for (int64_t v : ints)
        st.bind(index++, v);
    for (const std::string& t : texts)
        st.bindText(index++, t);
    readRows(st, out, nullptr);
    return out;
}

void CaseData::readRows(Statement& st, std::vector<Row>& out, const std::atomic_bool* cancel)
{
    // The same record imported twice (an EVTX and its XML export, or two copies of a file) must count once:
    // rows are in time order, so duplicates share a millisecond and a small per-millisecond set finds them.
    int64_t currentMs = INT64_MIN;
    std::vector<std::tuple<int64_t, std::string, int64_t>> seen; // (record id, host, input) in this ms
    while (st.next()) {
        if (cancel && (out.size() & 0xFFF) == 0 && cancel->load(std::memory_order_relaxed))
            break;
        Row r;
        r.id = st.columnInt(0);
        r.inputId = st.columnInt(1);
        r.position = intOr(st, 2);
        r.recordId = intOr(st, 3);
        r.utcMs = st.columnInt(4);
        r.eventId = st.columnInt(5);
        r.host = st.columnText(6);
        r.hostKey = lower(r.host);
        r.srcGuid = st.columnText(7);
        r.srcPid = intOr(st, 8);
        r.srcImage = st.columnText(9);
        r.tgtGuid = st.columnText(10);
        r.tgtPid = intOr(st, 11);
        r.tgtImage = st.columnText(12);
        r.parentGuid = st.columnText(13);
        r.parentPid = intOr(st, 14);
        r.parentImage = st.columnText(15);
        r.access = intOr(st, 16);
        r.callTrace = st.columnText(17);
        r.startAddress = st.columnText(18);
        r.startModule = st.columnText(19);
        r.startFunction = st.columnText(20);
        r.commandLine = st.columnText(21);
        r.user = st.columnText(22);
        r.targetFilename = st.columnText(23);
        r.transactionId = st.columnText(24);
        r.transactionState = st.columnText(25);
        r.detail = st.columnText(26);
        if (r.utcMs != currentMs) {
            currentMs = r.utcMs;
            seen.clear();
        }
        if (r.recordId >= 0) {
            const bool duplicate = std::any_of(seen.begin(), seen.end(), [&](const auto& k) {
                return std::get<0>(k) == r.recordId && std::get<2>(k) != r.inputId && std::get<1>(k) == r.hostKey;
            });
            if (duplicate)
                continue;
            seen.emplace_back(r.recordId, r.hostKey, r.inputId);
        }
        out.push_back(std::move(r));
    }
}


bool CaseData::has(int eventId, Log log)
{
    // EXISTS stops at the first row; the (event_id, utc_ms) index makes this instant on any case size.
    Statement st(m_db, log == Log::Sysmon
                           ? "SELECT EXISTS(SELECT 1 FROM events WHERE event_id = ?1 AND (channel LIKE '%sysmon%' "
                             "OR provider LIKE '%sysmon%' OR (channel IS NULL AND provider IS NULL)))"
                           : "SELECT EXISTS(SELECT 1 FROM events WHERE event_id = ?1 AND (channel = 'Security' "
                             "COLLATE NOCASE OR provider LIKE '%security-auditing%' "
                             "OR (channel IS NULL AND provider IS NULL)))");
    st.bind(1, int64_t(eventId));
    return st.next() && st.columnInt(0) != 0;
}

int64_t CaseData::eventCount()
{
    // The inputs table keeps per-input totals, so no scan of the events table is needed.
    const int64_t n = m_db.scalar("SELECT coalesce(sum(events), 0) FROM inputs", 0);
    return n > 0 ? n : m_db.scalar("SELECT coalesce(max(id), 0) FROM events", 0);
}

const std::string& CaseData::inputPath(int64_t inputId)
{
    auto it = m_inputs.find(inputId);
    if (it != m_inputs.end())
        return it->second;
    Statement st(m_db, "SELECT path FROM inputs WHERE id = ?1");
    st.bind(1, inputId);
    std::string path = st.next() ? st.columnText(0) : std::string();
    return m_inputs.emplace(inputId, std::move(path)).first->second;
}

model::EvidenceRef CaseData::evidence(const Row& row, const char* role)
{
    model::EvidenceRef e;
    e.eventRowId = row.id;
    e.inputPath = inputPath(row.inputId);
    e.recordId = row.recordId;
    e.position = row.position;
    e.eventId = row.eventId;
    e.utcMs = row.utcMs;
    e.role = role;
    return e;
}

} // namespace dscope::detection
