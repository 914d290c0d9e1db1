// SPDX-License-Identifier: MIT
#include "eventwriter.h"

#include "database.h"
#include "ingest/importer.h"
#include "schema.h"
#include "rawevent.h"
#include "statement.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace dscope::model {

namespace {

std::string insertEventSql()
{
    std::string sql = "INSERT INTO events(";
    sql += schema::eventColumns();
    sql += ") VALUES(";
    for (int i = 0; i < 32; ++i)
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
    m_inTransaction = false;
    return m_db.exec("COMMIT");
}

int64_t EventWriter::findInput(const std::string& sha256, std::string* status)
{
    Statement st(m_db, "SELECT id, status FROM inputs WHERE sha256=? ORDER BY id DESC LIMIT 1");
    st.bindText(1, sha256);
    if (!st.next())
        return -1;
    if (status)
        *status = st.columnText(1);
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
    Statement in(m_db, "DELETE FROM inputs WHERE id=?");
    in.bind(1, inputId);
    return raw.exec() && ev.exec() && in.exec();
}

int64_t EventWriter::beginInput(const InputReport& r)
{
    if (!begin())
        return -1;
    Statement st(m_db, "INSERT INTO inputs(path, size, sha256, format, layout, engine, status, imported_utc) "
                       "VALUES(?,?,?,?,?,?,'importing',?)");
    st.bindText(1, r.path);
    st.bindIntOrNull(2, r.size < 0 ? kNoValue : r.size);
    st.bindText(3, r.sha256);
    st.bindTextOrNull(4, r.format);
    st.bindTextOrNull(5, r.layout);
    st.bindTextOrNull(6, r.engine);
    st.bind(7, int64_t(QDateTime::currentMSecsSinceEpoch()));
    if (!st.exec())
        return -1;
    // Not committed here: the row becomes visible with the first commit of its events, in the same
    // transaction, so a crash after that leaves it as "importing" (reported as incomplete on reopening).
    // A commit per input made the writer rewrite the same index pages into the log for every small file.
    return m_db.lastInsertRowId();
}

bool EventWriter::finishInput(const InputReport& r, const std::string& status)
{
    if (!begin())
        return false;
    Statement st(m_db, "UPDATE inputs SET format=?, layout=?, engine=?, events=?, skipped=?, recovered=?, "
                       "status=?, errors=?, seconds=? WHERE id=?");
    st.bindTextOrNull(1, r.format);
    st.bindTextOrNull(2, r.layout);
    st.bindTextOrNull(3, r.engine);
    st.bind(4, r.events);
    st.bind(5, r.skipped);
    st.bind(6, r.recovered);
    st.bindText(7, status);
    const std::string errors = issuesJson(r);
    st.bindText(8, errors);
    st.bind(9, r.seconds);
    st.bind(10, r.inputId);
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
    Statement& st = *m_insertEvent;
    for (Event& e : events) {
        e.inputId = inputId;
        st.bind(1, inputId);
        st.bindIntOrNull(2, e.position);
        st.bindIntOrNull(3, e.recordId);
        st.bindIntOrNull(4, e.utcMs);
        st.bindTextOrNull(5, e.host);
        st.bindTextOrNull(6, e.channel);
        st.bindTextOrNull(7, e.provider);
        st.bindIntOrNull(8, e.eventId);
        st.bindTextOrNull(9, e.subjectGuid);
        st.bindIntOrNull(10, e.subjectPid);
        st.bindTextOrNull(11, e.subjectImage);
        st.bindTextOrNull(12, e.targetGuid);
        st.bindIntOrNull(13, e.targetPid);
        st.bindTextOrNull(14, e.targetImage);
        st.bindTextOrNull(15, e.parentGuid);
        st.bindIntOrNull(16, e.parentPid);
        st.bindTextOrNull(17, e.parentImage);
        st.bindIntOrNull(18, e.grantedAccess);
        st.bindTextOrNull(19, e.callTrace);
        st.bindTextOrNull(20, e.startAddress);
        st.bindTextOrNull(21, e.startModule);
        st.bindTextOrNull(22, e.startFunction);
        st.bindTextOrNull(23, e.commandLine);
        st.bindTextOrNull(24, e.user);
        st.bindTextOrNull(25, e.hashes);
        st.bindTextOrNull(26, e.targetFilename);
        st.bindTextOrNull(27, e.transactionId);
        st.bindTextOrNull(28, e.transactionState);
        st.bindTextOrNull(29, e.detail);
        if (e.rawBlock >= 0 && size_t(e.rawBlock) < blockIds.size()) {
            st.bind(30, blockIds[size_t(e.rawBlock)]);
            st.bind(31, int64_t(e.rawOffset));
            st.bind(32, int64_t(e.rawLength));
        } else {
            st.bindNull(30);
            st.bindNull(31);
            st.bindNull(32);
        }
        if (!st.exec())
            return false;
    }
    return true;
}

} // namespace dscope::model
