// SPDX-License-Identifier: MIT
#include "eventrow.h"

#include "domain/event.h"
#include "eventnames.h"
#include "storage/database.h"
#include "storage/statement.h"

namespace dscope::model {

namespace {

enum Col { Id, Utc, Host, Channel, Eid, SImage, SPid, TImage, TPid, Access, Cmd, File, SModule, SFunction, SAddress,
           Detail, TxId, TxState, SGuid, TGuid };

constexpr const char* kSql =
    "SELECT id, utc_ms, host, channel, event_id, subject_image, subject_pid, target_image, target_pid, granted_access, "
    "command_line, target_filename, start_module, start_function, start_address, detail, transaction_id, "
    "transaction_state, subject_guid, target_guid FROM events WHERE id = ?";

QString text(const Statement& st, int col)
{
    const std::string_view v = st.columnView(col);
    return QString::fromUtf8(v.data(), qsizetype(v.size()));
}

QString process(const Statement& st, int image, int pid)
{
    QString name = baseName(text(st, image));
    if (!st.columnIsNull(pid)) {
        const QString p = QString::number(st.columnInt(pid));
        name = name.isEmpty() ? QStringLiteral("PID %1").arg(p) : name + QLatin1String(" (") + p + QLatin1Char(')');
    }
    return name;
}

QString firstOf(std::initializer_list<QString> values)
{
    for (const QString& v : values)
        if (!v.isEmpty())
            return v;
    return {};
}

/// One line that says what the event is about, per event id (the column analysts scan first).
QString summary(const Statement& st, int64_t eid, bool sysmon)
{
    const QString access = st.columnIsNull(Access)
                               ? QString()
                               : QStringLiteral("access 0x%1").arg(QString::number(st.columnInt(Access), 16));
    if (sysmon) {
        switch (eid) {
        case 8: {
            QString start = text(st, SModule);
            if (!text(st, SFunction).isEmpty())
                start += QLatin1Char('!') + text(st, SFunction);
            return QStringLiteral("start %1 %2").arg(text(st, SAddress), start.isEmpty() ? QStringLiteral("(unbacked)")
                                                                                         : start);
        }
        case 10: return access;
        case 25: return text(st, Detail);
        default: break;
        }
    } else if (eid == 4656 || eid == 4663) {
        return firstOf({text(st, File), text(st, Detail)}) + (access.isEmpty() ? QString() : QLatin1String("  ") + access);
    } else if (eid == 4985) {
        return QStringLiteral("transaction %1 state %2").arg(text(st, TxId), text(st, TxState));
    }
    QString line = firstOf({text(st, Cmd), text(st, File), text(st, Detail), access});
    // The table is one line per row; a script block or command line can span pages.
    if (line.size() > 300)
        line = line.left(300) + QChar(0x2026);
    line.replace(QLatin1Char('\n'), QLatin1Char(' '));
    line.replace(QLatin1Char('\r'), QLatin1Char(' '));
    return line;
}

} // namespace

struct EventRowReader::Private {
    explicit Private(Database& db) : st(db, kSql) {}
    Statement st;
};

EventRowReader::EventRowReader(Database& db) : d(std::make_unique<Private>(db)) {}
EventRowReader::~EventRowReader() = default;
bool EventRowReader::isValid() const { return d->st.isValid(); }

void EventRowReader::read(const std::vector<int64_t>& ids, std::vector<EventRow>& out)
{
    out.clear();
    out.reserve(ids.size());
    Statement& st = d->st;
    for (int64_t id : ids) {
        EventRow row;
        st.reset();
        st.bind(1, id);
        if (st.next()) {
            row.id = st.columnInt(Id);
            row.utcMs = st.columnIsNull(Utc) ? kNoValue : st.columnInt(Utc);
            row.eventId = st.columnInt(Eid);
            row.host = text(st, Host);
            const std::string_view channel = st.columnView(Channel);
            const std::string_view name = eventName(row.eventId, channel);
            row.eventLabel = QString::number(row.eventId);
            if (!name.empty())
                row.eventLabel += QLatin1Char(' ') + QString::fromUtf8(name.data(), qsizetype(name.size()));
            row.subject = process(st, SImage, SPid);
            row.target = process(st, TImage, TPid);
            row.summary = summary(st, row.eventId, channel.find("Sysmon") != std::string_view::npos);
            row.subjectGuid = text(st, SGuid);
            row.targetGuid = text(st, TGuid);
        }
        out.push_back(std::move(row));
    }
    st.reset();
}

QString baseName(const QString& path)
{
    const qsizetype slash = std::max(path.lastIndexOf(QLatin1Char('\\')), path.lastIndexOf(QLatin1Char('/')));
    return slash < 0 ? path : path.mid(slash + 1);
}

} // namespace dscope::model
