// SPDX-License-Identifier: MIT
#include "alertlistmodel.h"

#include "eventnames.h"
#include "domain/text.h"
#include "eventtablemodel.h"

#include <QDateTime>

namespace dscope::model {

namespace {
QString qs(const std::string& s) { return QString::fromStdString(s); }
} // namespace

QString formatTime(qint64 utcMs, bool utc)
{
    return QDateTime::fromMSecsSinceEpoch(utcMs, utc ? Qt::UTC : Qt::LocalTime)
        .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
}

AlertListModel::AlertListModel(QObject* parent) : QAbstractTableModel(parent) {}

void AlertListModel::setAlerts(AlertSetPtr alerts)
{
    beginResetModel();
    m_alerts = std::move(alerts);
    m_triageSince.clear(); // a new snapshot read the case after those decisions
    endResetModel();
}

Triage AlertListModel::triageAt(int row) const
{
    const Alert* a = alertAt(row);
    if (!a)
        return {};
    const auto it = m_triageSince.find(a->caseId);
    return it != m_triageSince.end() ? it->second : a->triage;
}

void AlertListModel::setTriage(int64_t caseId, const Triage& triage)
{
    if (!m_alerts || caseId <= 0)
        return;
    m_triageSince[caseId] = triage;
    for (int row = 0; row < rowCount(); ++row)
        if (m_alerts->alerts[size_t(row)].caseId == caseId)
            Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

const Alert* AlertListModel::alertAt(int row) const
{
    if (!m_alerts || row < 0 || row >= int(m_alerts->alerts.size()))
        return nullptr;
    return &m_alerts->alerts[size_t(row)];
}

void AlertListModel::setUtc(bool utc)
{
    m_utc = utc;
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, ColFirst), index(rowCount() - 1, ColFirst));
}

QString AlertListModel::processText(const AlertProcess& p)
{
    QString name = baseName(qs(p.image));
    if (p.pid >= 0)
        name += name.isEmpty() ? QStringLiteral("PID %1").arg(p.pid) : QStringLiteral(" (%1)").arg(p.pid);
    return name.isEmpty() ? QStringLiteral("?") : name;
}

int AlertListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() || !m_alerts ? 0 : int(m_alerts->alerts.size());
}

int AlertListModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

void AlertListModel::setAnnotations(AnnotatedRefsPtr refs)
{
    m_annotations = std::move(refs);
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, 0), {AnnotationMarkRole});
}

QVariant AlertListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Alert& a = m_alerts->alerts[size_t(index.row())];
    if (role == AlertIndexRole)
        return index.row();
    if (role == SeverityRankRole)
        return int(a.severity);
    if (role == CaseIdRole)
        return qint64(a.caseId);
    if (role == AnnotationMarkRole)
        return m_annotations ? m_annotations->flags(Annotation::Kind::Alert, std::to_string(a.caseId)) : 0;
    if (role == TriageStateRole)
        return int(triageAt(index.row()).state);
    if (index.column() == ColTriage && role == Qt::ToolTipRole) {
        const Triage t = triageAt(index.row());
        if (t.utcMs == 0)
            return tr("Nobody has looked at this alert yet");
        QString tip = tr("%1 by %2, %3").arg(QLatin1String(triageStateName(t.state)), qs(t.analyst),
                                            formatTime(t.utcMs, m_utc));
        if (!t.reason.empty())
            tip += QStringLiteral("\n") + qs(t.reason);
        return tip;
    }
    if (role == SortRole) {
        switch (index.column()) {
        case ColSeverity: return int(a.severity);
        case ColTriage: return int(triageAt(index.row()).state);
        case ColFirst: return qint64(a.firstUtcMs);
        case ColCount: return qint64(a.count);
        default: return data(index, Qt::DisplayRole);
        }
    }
    if (role == Qt::ToolTipRole && index.column() == ColRule)
        return a.origin.empty() ? qs(a.ruleName)
                                : qs(a.ruleName) + QLatin1String("\n") + tr("Imported from %1: the case holds none of its events")
                                                                         .arg(qs(a.origin));
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case ColSeverity: return QLatin1String(severityName(a.severity));
    case ColTriage: return QLatin1String(triageStateName(triageAt(index.row()).state));
    case ColRule:
        // An alert a team's run elsewhere raised says so where the analyst reads the list.
        return QString(qs(a.ruleId) + QLatin1String(" ") + qs(a.ruleName)
                       + (a.origin.empty() ? QString() : QLatin1String(" ") + tr("(imported)")));
    case ColTechnique: return qs(a.technique);
    case ColHost: return qs(a.host);
    case ColProcesses:
        return QString(processText(a.source) + QStringLiteral(" \u2192 ") + processText(a.target));
    case ColFirst: return formatTime(a.firstUtcMs, m_utc);
    case ColCount: return qint64(a.count);
    default: return {};
    }
}

QVariant AlertListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case ColSeverity: return tr("Severity");
    case ColTriage: return tr("Triage");
    case ColRule: return tr("Rule");
    case ColTechnique: return tr("Technique");
    case ColHost: return tr("Host");
    case ColProcesses: return tr("Source \u2192 target");
    case ColFirst: return m_utc ? tr("First (UTC)") : tr("First (local)");
    case ColCount: return tr("Count");
    default: return {};
    }
}

EvidenceModel::EvidenceModel(QObject* parent) : QAbstractTableModel(parent) {}

void EvidenceModel::setAlert(AlertSetPtr alerts, int index)
{
    beginResetModel();
    m_alerts = std::move(alerts);
    m_alert = (m_alerts && index >= 0 && index < int(m_alerts->alerts.size())) ? &m_alerts->alerts[size_t(index)]
                                                                              : nullptr;
    endResetModel();
}

void EvidenceModel::setUtc(bool utc)
{
    m_utc = utc;
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, ColTime), index(rowCount() - 1, ColTime));
}

int EvidenceModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() || !m_alert ? 0 : int(m_alert->evidence.size());
}

int EvidenceModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant EvidenceModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const EvidenceRef& e = m_alert->evidence[size_t(index.row())];
    if (role == EventRowIdRole)
        return qint64(e.eventRowId);
    if (role == Qt::ToolTipRole)
        return tr("Double-click to open event %1 in the Events page").arg(e.eventRowId);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case ColRole: return qs(e.role);
    case ColTime: return formatTime(e.utcMs, m_utc);
    case ColEventId: {
        // Evidence of injection is Sysmon or Security; the id ranges do not collide.
        const std::string_view name = eventName(e.eventId, e.eventId >= 1100 ? "Security" : "Sysmon");
        return QString(QString::number(e.eventId)
               + (name.empty() ? QString() : QLatin1Char(' ') + QString::fromUtf8(name.data(), qsizetype(name.size()))));
    }
    case ColRecord: return e.recordId >= 0 ? QVariant(qint64(e.recordId)) : QVariant(QStringLiteral("pos %1").arg(e.position));
    case ColInput: return baseName(qs(e.inputPath));
    default: return {};
    }
}

QVariant EvidenceModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case ColRole: return tr("Role");
    case ColTime: return m_utc ? tr("Time (UTC)") : tr("Time (local)");
    case ColEventId: return tr("Event");
    case ColRecord: return tr("Record");
    case ColInput: return tr("Input");
    default: return {};
    }
}

} // namespace dscope::model
