// SPDX-License-Identifier: MIT
#include "investigationscope.h"

#include <QScopedValueRollback>

namespace dscope::model {

InvestigationScope::InvestigationScope(QObject* parent)
    : QObject(parent)
{
    qRegisterMetaType<dscope::model::AlertSetPtr>("dscope::model::AlertSetPtr");
}

template <typename Announce>
void InvestigationScope::pass(Announce&& announce)
{
    if (m_passing)
        return;
    const QScopedValueRollback guard(m_passing, true);
    announce();
}

void InvestigationScope::setCase(const QString& casePath)
{
    m_casePath = casePath;
    m_alerts.reset();
    Q_EMIT caseChanged(casePath);
}

void InvestigationScope::reloadCase() { Q_EMIT caseReloaded(m_casePath); }

void InvestigationScope::setAlerts(AlertSetPtr alerts)
{
    m_alerts = std::move(alerts);
    Q_EMIT alertsChanged(m_alerts);
}

void InvestigationScope::setUtc(bool utc)
{
    if (utc == m_utc)
        return;
    m_utc = utc;
    Q_EMIT utcChanged(utc);
}

void InvestigationScope::chooseHost(const QString& host, const QObject* origin)
{
    pass([&] {
        m_host = host;
        Q_EMIT hostChosen(host, origin);
    });
}

void InvestigationScope::selectEvent(qint64 eventRowId, const QString& host, const QString& subjectGuid,
                                     const QObject* origin)
{
    pass([&] { Q_EMIT eventSelected(eventRowId, host, subjectGuid, origin); });
}

void InvestigationScope::selectAlert(int alertIndex, const QObject* origin)
{
    pass([&] { Q_EMIT alertSelected(alertIndex, origin); });
}

void InvestigationScope::openEvent(qint64 eventRowId, const QObject* origin)
{
    Q_EMIT eventOpenRequested(eventRowId, origin);
}

} // namespace dscope::model
