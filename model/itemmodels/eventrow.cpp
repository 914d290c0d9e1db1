// SPDX-License-Identifier: MIT
#include "eventrow.h"

#include "domain/accessmask.h"
#include "domain/event.h"
#include "eventnames.h"
#include "domain/text.h"
#include "storage/database.h"
#include "storage/eventrecord.h"
#include "storage/statement.h"

namespace dscope::model {

namespace {

constexpr EventFields kRowFields = {
    EventField::UtcMs, EventField::Host, EventField::Channel, EventField::Provider, EventField::EventId,
    EventField::SubjectImage, EventField::SubjectPid, EventField::TargetImage, EventField::TargetPid,
    EventField::GrantedAccess, EventField::CommandLine, EventField::TargetFilename, EventField::StartModule,
    EventField::StartFunction, EventField::StartAddress, EventField::Detail, EventField::TransactionId,
    EventField::TransactionState, EventField::SubjectGuid, EventField::TargetGuid};

QString qs(const std::string& v) { return QString::fromUtf8(v.data(), qsizetype(v.size())); }

QString process(const std::string& image, int64_t pid)
{
    QString name = baseName(qs(image));
    if (pid >= 0) {
        const QString p = QString::number(pid);
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

} // namespace

QString eventSummary(const EventRecord& r)
{
    const QString access = r.grantedAccess < 0
                               ? QString()
                               : QLatin1String("access ") + QString::fromStdString(access::hex(uint32_t(r.grantedAccess)));
    if (r.isSysmon()) {
        switch (r.eventId) {
        case 8: {
            QString start = qs(r.startModule);
            if (!r.startFunction.empty())
                start += QLatin1Char('!') + qs(r.startFunction);
            return QStringLiteral("start %1 %2").arg(qs(r.startAddress), start.isEmpty() ? QStringLiteral("(unbacked)")
                                                                                         : start);
        }
        case 10: return access;
        case 25: return qs(r.detail);
        default: break;
        }
    } else if (r.eventId == 4656 || r.eventId == 4663) {
        return firstOf({qs(r.targetFilename), qs(r.detail)}) + (access.isEmpty() ? QString() : QLatin1String("  ") + access);
    } else if (r.eventId == 4985) {
        return QStringLiteral("transaction %1 state %2").arg(qs(r.transactionId), qs(r.transactionState));
    }
    QString line = firstOf({qs(r.commandLine), qs(r.targetFilename), qs(r.detail), access});
    // The table is one line per row; a script block or command line can span pages.
    if (line.size() > 300)
        line = line.left(300) + QChar(0x2026);
    line.replace(QLatin1Char('\n'), QLatin1Char(' '));
    line.replace(QLatin1Char('\r'), QLatin1Char(' '));
    return line;
}

QString eventProcessLabel(const std::string& image, int64_t pid) { return process(image, pid); }

struct EventRowReader::Private {
    explicit Private(Database& db) : reader(db, kRowFields, "id = ?1") {}
    EventReader reader;
};

EventRowReader::EventRowReader(Database& db) : d(std::make_unique<Private>(db)) {}
EventRowReader::~EventRowReader() = default;
bool EventRowReader::isValid() const { return d->reader.isValid(); }

void EventRowReader::read(const std::vector<int64_t>& ids, std::vector<EventRow>& out)
{
    out.clear();
    out.reserve(ids.size());
    EventRecord r;
    for (int64_t id : ids) {
        EventRow row;
        d->reader.rewind();
        d->reader.statement().bind(1, id);
        if (d->reader.next(r)) {
            row.id = r.id;
            row.utcMs = r.utcMs;
            row.eventId = r.eventId;
            row.host = qs(r.host);
            const std::string_view name = eventName(r.eventId, r.channel);
            row.eventLabel = QString::number(r.eventId);
            if (!name.empty())
                row.eventLabel += QLatin1Char(' ') + QString::fromUtf8(name.data(), qsizetype(name.size()));
            row.subject = process(r.subjectImage, r.subjectPid);
            row.target = process(r.targetImage, r.targetPid);
            row.summary = eventSummary(r);
            row.subjectGuid = qs(r.subjectGuid);
            row.targetGuid = qs(r.targetGuid);
        }
        out.push_back(std::move(row));
    }
    d->reader.rewind();
}

} // namespace dscope::model
