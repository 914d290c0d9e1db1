// SPDX-License-Identifier: MIT
#include "eventwriter.h"

#include "database.h"
#include "schema.h"
#include "eventrecord.h"
#include "rawevent.h"
#include "statement.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace dscope::model {

namespace {

// The normalized columns in EventField order (storage/eventrecord.h, their one list), then where the original event
// is kept; insert() binds in this order.
std::string insertEventSql()
{
    std::string sql = "INSERT INTO events(";
    for (int f = 0; f < int(EventField::Count); ++f)
        sql += std::string(eventFieldColumn(EventField(f))) + ", ";
    sql += "raw_block, raw_offset, raw_length) VALUES(";
    for (int i = 0; i < int(EventField::Count) + 3; ++i)
        sql += i ? ",?" : "?";
    sql += ")";
    return sql;
}

std::string issuesJson(const InputReport& r)
{
    QJsonArray list;
    for (const auto& issue : r.issues) {
        QJsonObject o;
        o.insert(QStringLiteral("position"), qint64(issue.position));
        o.insert(QStringLiteral("message"), QString::fromStdString(issue.message));
        if (issue.warning)
            o.insert(QStringLiteral("warning"), true); // reported damage that cost no record
        list.append(o);
    }
    if (!r.failure.empty()) {
        QJsonObject o;
        o.insert(QStringLiteral("position"), -1);
        o.insert(QStringLiteral("message"), QString::fromStdString(r.failure));
        list.append(o);
    }
    return QJsonDocument(list).toJson(QJsonDocument::Compact).toStdString();
}

} // namespace

EventWriter::EventWriter(Database& db)
    : m_db(db)
    , m_insertEvent(std::make_unique<Statement>(db, insertEventSql()))
    , m_insertRaw(std::make_unique<Statement>(db, "INSERT INTO raw_blocks(format, codec, data) VALUES(?,?,?)"))
{
    m_eventParamIsNull.fill(true); // a freshly prepared statement binds NULL everywhere
}

void EventWriter::bindEventText(int index, const std::string& value)
{
    bool& isNull = m_eventParamIsNull[size_t(index)];
    if (!value.empty()) {
        m_insertEvent->bindText(index, value);
        isNull = false;
    } else if (!isNull) {
        m_insertEvent->bindNull(index);
        isNull = true;
    }
}

void EventWriter::bindEventInt(int index, int64_t value)
{
    bool& isNull = m_eventParamIsNull[size_t(index)];
    if (value != kNoValue) {
        m_insertEvent->bind(index, value);
        isNull = false;
    } else if (!isNull) {
        m_insertEvent->bindNull(index);
        isNull = true;
    }
}

EventWriter::~EventWriter()
{
    if (m_inTransaction)
        m_db.exec("ROLLBACK");
}

bool EventWriter::isValid() const { return m_insertEvent->isValid() && m_insertRaw->isValid(); }
const std::string& EventWriter::lastError() const { return m_db.lastError(); }

bool EventWriter::begin()
{
    if (m_inTransaction)
        return true;
    m_inTransaction = m_db.exec("BEGIN IMMEDIATE");
    return m_inTransaction;
}

bool EventWriter::commit()
{
    if (!m_inTransaction)
        return true;
    const bool summarized = writeSummary();
    m_inTransaction = false;
    if (summarized && m_db.exec("COMMIT"))
        return true;
    // A COMMIT that failed for a full disk or an I/O error may leave the transaction open or may have rolled it
    // back already; either way it is abandoned (a ROLLBACK of nothing fails harmlessly), keeping the error text.
    const std::string error = m_db.lastError();
    m_summary.clear();
    m_db.exec("ROLLBACK");
    m_db.setLastError(error);
    return false;
}

void EventWriter::countInSummary(const Event& e, int64_t inputId)
{
    // Consecutive events mostly share their row (one host and channel per file, a few event ids): try the last one
    // first, then the few others of this transaction.
    auto matches = [&](const SummaryRow& r) {
        return r.eventId == e.eventId && r.inputId == inputId && r.host == e.host && r.channel == e.channel;
    };
    size_t i = m_lastSummaryRow;
    if (i >= m_summary.size() || !matches(m_summary[i])) {
        i = 0;
        while (i < m_summary.size() && !matches(m_summary[i]))
            ++i;
        if (i == m_summary.size())
            m_summary.push_back({inputId, e.host, e.channel, e.eventId, 0, kNoValue, kNoValue});
        m_lastSummaryRow = i;
    }
    SummaryRow& r = m_summary[i];
    ++r.events;
    if (e.utcMs != kNoValue) {
        r.firstMs = r.firstMs == kNoValue ? e.utcMs : std::min(r.firstMs, e.utcMs);
        r.lastMs = r.lastMs == kNoValue ? e.utcMs : std::max(r.lastMs, e.utcMs);
    }
}

bool EventWriter::writeSummary()
{
    if (m_summary.empty())
        return true;
    Statement st(m_db, "INSERT INTO event_summary(input_id, host, channel, event_id, events, first_ms, last_ms) "
                       "VALUES(?,?,?,?,?,?,?) ON CONFLICT(input_id, host, channel, event_id) DO UPDATE SET "
                       "events = events + excluded.events, "
                       "first_ms = min(coalesce(first_ms, excluded.first_ms), coalesce(excluded.first_ms, first_ms)), "
                       "last_ms = max(coalesce(last_ms, excluded.last_ms), coalesce(excluded.last_ms, last_ms))");
    bool ok = true;
    for (const SummaryRow& r : m_summary) {
        st.bind(1, r.inputId);
        st.bindText(2, r.host);
        st.bindText(3, r.channel);
        st.bind(4, r.eventId == kNoValue ? -1 : r.eventId);
        st.bind(5, r.events);
        st.bindIntOrNull(6, r.firstMs);
        st.bindIntOrNull(7, r.lastMs);
        if (!st.exec()) {
            ok = false;
            break;
        }
    }
    m_summary.clear();
    return ok;
}

void EventWriter::rollback()
{
    m_summary.clear();
    if (!m_inTransaction)
        return;
    m_inTransaction = false;
    const std::string error = m_db.lastError();
    m_db.exec("ROLLBACK");
    m_db.setLastError(error);
}

int64_t EventWriter::findInput(const std::string& sha256, InputStatus* status, std::string* writer)
{
    Statement st(m_db, "SELECT id, status, writer FROM inputs WHERE sha256=? ORDER BY id DESC LIMIT 1");
    st.bindText(1, sha256);
    if (!st.next())
        return -1;
    if (status)
        *status = parseInputStatus(st.columnView(1));
    if (writer)
        *writer = st.columnText(2);
    return st.columnInt(0);
}

bool EventWriter::deleteInput(int64_t inputId)
{
    if (!begin())
        return false;
    Statement raw(m_db, "DELETE FROM raw_blocks WHERE id IN (SELECT raw_block FROM events WHERE input_id=?)");
    raw.bind(1, inputId);
    Statement ev(m_db, "DELETE FROM events WHERE input_id=?");
    ev.bind(1, inputId);
    Statement summary(m_db, "DELETE FROM event_summary WHERE input_id=?");
    summary.bind(1, inputId);
    Statement in(m_db, "DELETE FROM inputs WHERE id=?");
    in.bind(1, inputId);
    return raw.exec() && ev.exec() && summary.exec() && in.exec();
}

int64_t EventWriter::beginInput(const InputReport& r, const std::string& writer)
{
    if (!begin())
        return -1;
    Statement st(m_db, "INSERT INTO inputs(path, size, sha256, format, layout, engine, status, imported_utc, writer) "
                       "VALUES(?,?,?,?,?,?,'importing',?,?)");
    st.bindText(1, r.path);
    st.bindIntOrNull(2, r.size < 0 ? kNoValue : r.size);
    st.bindText(3, r.sha256);
    st.bindTextOrNull(4, r.format);
    st.bindTextOrNull(5, r.layout);
    st.bindTextOrNull(6, r.engine);
    st.bind(7, int64_t(QDateTime::currentMSecsSinceEpoch()));
    st.bindTextOrNull(8, writer);
    if (!st.exec())
        return -1;
    // Not committed here: the row becomes visible with the first commit of its events, in the same
    // transaction, so a crash after that leaves it as "importing" (reported as incomplete on reopening).
    // A commit per input made the writer rewrite the same index pages into the log for every small file.
    return m_db.lastInsertRowId();
}

bool EventWriter::setInputEvents(int64_t inputId, int64_t events)
{
    if (!begin())
        return false;
    Statement st(m_db, "UPDATE inputs SET events=? WHERE id=?");
    st.bind(1, events);
    st.bind(2, inputId);
    return st.exec();
}

bool EventWriter::finishInput(const InputReport& r, InputStatus status)
{
    if (!begin())
        return false;
    // The digest and size too: a live feed learns them only at its end (the SHA-256 of every message received).
    Statement st(m_db, "UPDATE inputs SET format=?, layout=?, engine=?, events=?, skipped=?, recovered=?, "
                       "status=?, errors=?, seconds=?, writer=NULL, sha256=coalesce(nullif(?, ''), sha256), "
                       "size=coalesce(?, size) WHERE id=?");
    st.bindTextOrNull(1, r.format);
    st.bindTextOrNull(2, r.layout);
    st.bindTextOrNull(3, r.engine);
    st.bind(4, r.events);
    st.bind(5, r.skipped);
    st.bind(6, r.recovered);
    st.bindText(7, inputStatusName(status));
    const std::string errors = issuesJson(r);
    st.bindText(8, errors);
    st.bind(9, r.seconds);
    st.bindText(10, r.sha256);
    st.bindIntOrNull(11, r.size < 0 ? kNoValue : r.size);
    st.bind(12, r.inputId);
    return st.exec();
}

bool EventWriter::insert(std::vector<Event>& events, int64_t inputId)
{
    // Callers that did not pack (tests, generators) still get their original events stored.
    std::vector<RawBlock> blocks;
    RawBlockPacker packer;
    packer.pack(events, blocks);
    return insert(events, blocks, inputId);
}

bool EventWriter::insert(std::vector<Event>& events, const std::vector<RawBlock>& blocks, int64_t inputId)
{
    if (!begin())
        return false;
    std::vector<int64_t> blockIds;
    blockIds.reserve(blocks.size());
    for (const RawBlock& b : blocks) {
        Statement& raw = *m_insertRaw;
        raw.bind(1, int64_t(b.format));
        raw.bind(2, int64_t(b.codec));
        raw.bindBlob(3, b.data);
        if (!raw.exec())
            return false;
        blockIds.push_back(m_db.lastInsertRowId());
    }
    static_assert(int(EventField::Count) == 29, "the binds below follow EventField's order: extend them with it");
    Statement& st = *m_insertEvent;
    for (Event& e : events) {
        e.inputId = inputId;
        bindEventInt(1, inputId);
        bindEventInt(2, e.position);
        bindEventInt(3, e.recordId);
        bindEventInt(4, e.utcMs);
        bindEventText(5, e.host);
        bindEventText(6, e.channel);
        bindEventText(7, e.provider);
        bindEventInt(8, e.eventId);
        bindEventText(9, e.subjectGuid);
        bindEventInt(10, e.subjectPid);
        bindEventText(11, e.subjectImage);
        bindEventText(12, e.targetGuid);
        bindEventInt(13, e.targetPid);
        bindEventText(14, e.targetImage);
        bindEventText(15, e.parentGuid);
        bindEventInt(16, e.parentPid);
        bindEventText(17, e.parentImage);
        bindEventInt(18, e.grantedAccess);
        bindEventText(19, e.callTrace);
        bindEventText(20, e.startAddress);
        bindEventText(21, e.startModule);
        bindEventText(22, e.startFunction);
        bindEventText(23, e.commandLine);
        bindEventText(24, e.user);
        bindEventText(25, e.hashes);
        bindEventText(26, e.targetFilename);
        bindEventText(27, e.transactionId);
        bindEventText(28, e.transactionState);
        bindEventText(29, e.detail);
        const bool hasRaw = e.rawBlock >= 0 && size_t(e.rawBlock) < blockIds.size();
        bindEventInt(30, hasRaw ? blockIds[size_t(e.rawBlock)] : kNoValue);
        bindEventInt(31, hasRaw ? int64_t(e.rawOffset) : kNoValue);
        bindEventInt(32, hasRaw ? int64_t(e.rawLength) : kNoValue);
        if (!st.exec())
            return false;
        countInSummary(e, inputId);
    }
    return true;
}

} // namespace dscope::model
