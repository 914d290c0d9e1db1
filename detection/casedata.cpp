// SPDX-License-Identifier: MIT
#include "casedata.h"

#include "storage/schema.h"
#include "storage/statement.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>

#include <algorithm>
#include <climits>
#include <tuple>

namespace dscope::detection {

using model::EventField;
using model::Statement;

namespace {

// The fields the rules read. The channel and provider are not among them: the log filter is in the SQL.
constexpr model::EventFields kRuleFields = {
    EventField::InputId, EventField::Position, EventField::RecordId, EventField::UtcMs, EventField::EventId,
    EventField::Host, EventField::SubjectGuid, EventField::SubjectPid, EventField::SubjectImage,
    EventField::TargetGuid, EventField::TargetPid, EventField::TargetImage, EventField::ParentGuid,
    EventField::ParentPid, EventField::ParentImage, EventField::GrantedAccess, EventField::CallTrace,
    EventField::StartAddress, EventField::StartModule, EventField::StartFunction, EventField::CommandLine,
    EventField::User, EventField::TargetFilename, EventField::TransactionId, EventField::TransactionState,
    EventField::Detail};

// The channel test is part of every query: Sysmon 1/8/10/25 share ids with System log events. Events whose
// format names neither channel nor provider are accepted, as single-log exports often carry neither.
const char* kSysmonFilter =
    " AND utc_ms IS NOT NULL AND (channel LIKE '%sysmon%' OR provider LIKE '%sysmon%' "
    "OR (channel IS NULL AND provider IS NULL))";
const char* kSecurityFilter =
    " AND utc_ms IS NOT NULL AND (channel = 'Security' COLLATE NOCASE OR provider LIKE '%security-auditing%' "
    "OR (channel IS NULL AND provider IS NULL))";
const char* kOrder = "utc_ms, input_id, position";

std::string whereFor(const std::string& condition, Log log)
{
    return condition + (log == Log::Sysmon ? kSysmonFilter : kSecurityFilter);
}

} // namespace

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

std::string CaseData::scanWhere(const std::string& condition, Log log) const
{
    // The bound is a number this code computed, never text from a log.
    return m_since ? whereFor(condition, log) + " AND utc_ms >= " + std::to_string(*m_since) : whereFor(condition, log);
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
    model::EventReader reader(m_db, kRuleFields, scanWhere(condition, log), kOrder);
    if (!reader.isValid()) {
        m_error = reader.error();
        return out;
    }
    readRows(reader, out, cancel);
    return out;
}

const std::vector<Row>& CaseData::selectForSubjects(const std::string& condition,
                                                    const std::vector<std::string>& subjectGuids, Log log,
                                                    const std::atomic_bool* cancel)
{
    const auto key = std::make_pair("subjects:" + condition, int(log));
    auto it = m_cache.find(key);
    if (it != m_cache.end())
        return it->second;
    std::vector<Row>& out = m_cache[key];
    QJsonArray list; // GUIDs come from logs: JSON-escaped by Qt, bound as a value, never spliced into the SQL
    for (const std::string& g : subjectGuids)
        list.append(QString::fromStdString(g));
    model::EventReader reader(m_db, kRuleFields,
                              scanWhere("subject_guid IN (SELECT value FROM json_each(?1)) AND " + condition, log), kOrder);
    if (!reader.isValid()) {
        m_error = reader.error();
        return out;
    }
    const std::string json = QJsonDocument(list).toJson(QJsonDocument::Compact).toStdString();
    reader.statement().bindText(1, json);
    readRows(reader, out, cancel);
    return out;
}

std::vector<Row> CaseData::lookup(const std::string& condition, Log log, const std::vector<int64_t>& ints,
                                  const std::vector<std::string>& texts)
{
    std::vector<Row> out;
    auto& cached = m_lookups[std::make_pair(condition, int(log))];
    if (!cached)
        cached = std::make_unique<model::EventReader>(m_db, kRuleFields, whereFor(condition, log), kOrder);
    model::EventReader& reader = *cached;
    if (!reader.isValid()) {
        m_error = reader.error();
        return out;
    }
    reader.rewind();
    Statement& st = reader.statement();
    int index = 1;
    for (int64_t v : ints)
        st.bind(index++, v);
    for (const std::string& t : texts)
        st.bindText(index++, t);
    readRows(reader, out, nullptr);
    reader.rewind(); // a kept statement must not hold a read snapshot between lookups
    return out;
}

void CaseData::readRows(model::EventReader& reader, std::vector<Row>& out, const std::atomic_bool* cancel)
{
    // The same record imported twice (an EVTX and its XML export, or two copies of a file) must count once:
    // rows are in time order, so duplicates share a millisecond and a small per-millisecond set finds them.
    int64_t currentMs = INT64_MIN;
    std::vector<std::tuple<int64_t, std::string, int64_t>> seen; // (record id, host, input) in this ms
    // Each row is read in place at the end of `out` (and dropped again when it is a duplicate): a Row is some
    // twenty strings, and moving one per event cost several per cent of a 10 M-event run.
    for (;;) {
        if (cancel && (out.size() & 0xFFF) == 0 && cancel->load(std::memory_order_relaxed))
            break;
        Row& r = out.emplace_back();
        if (!reader.next(r)) {
            out.pop_back();
            break;
        }
        r.hostKey = lowerAscii(r.host);
        if (r.utcMs != currentMs) {
            currentMs = r.utcMs;
            seen.clear();
        }
        if (r.recordId >= 0) {
            const bool duplicate = std::any_of(seen.begin(), seen.end(), [&](const auto& k) {
                return std::get<0>(k) == r.recordId && std::get<2>(k) != r.inputId && std::get<1>(k) == r.hostKey;
            });
            if (duplicate) {
                out.pop_back();
                continue;
            }
            seen.emplace_back(r.recordId, r.hostKey, r.inputId);
        }
    }
    if (!reader.error().empty())
        m_error = reader.error();
}


const Row* CaseData::creationOf(const std::string& hostKey, const std::string& guid)
{
    if (guid.empty())
        return nullptr;
    const std::string key = hostKey + '\x1f' + guid;
    auto it = m_creations.find(key);
    if (it == m_creations.end()) {
        // The unary + keeps SQLite on the subject GUID index: left to itself it walks every Sysmon 1 through the
        // event-id index.
        std::vector<Row> rows = lookup("+event_id = 1 AND subject_guid = ?1", Log::Sysmon, {}, {guid});
        std::unique_ptr<Row> found;
        for (Row& r : rows)
            if (r.hostKey == hostKey) {
                found = std::make_unique<Row>(std::move(r));
                break;
            }
        it = m_creations.emplace(key, std::move(found)).first;
    }
    return it->second.get();
}

const std::vector<std::string>& CaseData::imagesLoadedBy(const std::string& hostKey, const std::string& guid)
{
    const std::string key = hostKey + '\x1f' + guid;
    auto it = m_loads.find(key);
    if (it != m_loads.end())
        return it->second;
    std::vector<std::string>& files = m_loads[key];
    if (guid.empty())
        return files;
    // Two columns of a process's image loads, not a rule row each: a process loads tens of DLLs.
    if (!m_loadsReader)
        m_loadsReader = std::make_unique<model::EventReader>(
            m_db, model::EventFields{EventField::Host, EventField::TargetFilename},
            whereFor("+event_id = 7 AND subject_guid = ?1", Log::Sysmon));
    m_loadsReader->rewind();
    m_loadsReader->statement().bindText(1, guid);
    model::EventRecord r;
    while (m_loadsReader->next(r))
        if (!r.targetFilename.empty() && lowerAscii(r.host) == hostKey)
            files.push_back(lowerAscii(r.targetFilename));
    m_loadsReader->rewind();
    return files;
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
