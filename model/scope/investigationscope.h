// SPDX-License-Identifier: MIT
#pragma once

#include "domain/alert.h"

#include <QObject>
#include <QString>

namespace dscope::model {

/**
 * What the analyst is looking at, shared by every page: the open case, its alerts, the host being triaged, the
 * time display, and the linked selection (an event, a process, an alert chosen on one page is shown on the others).
 * Pages report what the analyst chose and observe what the others chose; none knows the others.
 *
 * A page that is told of a selection selects it in turn and reports that too: while one selection is being
 * passed on, further reports are ignored, so nothing echoes back. Every signal names its origin (the page that
 * reported it, or null), so that a page can skip what it reported itself.
 */
class InvestigationScope : public QObject
{
    Q_OBJECT
public:
    explicit InvestigationScope(QObject* parent = nullptr);

    const QString& casePath() const { return m_casePath; }
    const AlertSetPtr& alerts() const { return m_alerts; }
    const QString& host() const { return m_host; }
    bool utc() const { return m_utc; }

    /// A case was opened (or reopened after new events): every page shows it afresh; the alerts are cleared.
    void setCase(const QString& casePath);
    /// The open case has new events (an import): pages read it again; the alerts stay until new ones come.
    void reloadCase();
    /// New alerts for the open case (a detection run).
    void setAlerts(AlertSetPtr alerts);
    void setUtc(bool utc);

    /// One host at a time: empty for every host.
    void chooseHost(const QString& host, const QObject* origin = nullptr);
    /// An event chosen; host and subject GUID let pages that show processes follow it.
    void selectEvent(qint64 eventRowId, const QString& host = {}, const QString& subjectGuid = {},
                     const QObject* origin = nullptr);
    /// An alert chosen (by its index in alerts()).
    void selectAlert(int alertIndex, const QObject* origin = nullptr);
    /// The analyst asked to see an event in full (the Events page).
    void openEvent(qint64 eventRowId, const QObject* origin = nullptr);

Q_SIGNALS:
    void caseChanged(const QString& casePath);
    void caseReloaded(const QString& casePath);
    void alertsChanged(dscope::model::AlertSetPtr alerts);
    void utcChanged(bool utc);
    void hostChosen(const QString& host, const QObject* origin);
    void eventSelected(qint64 eventRowId, const QString& host, const QString& subjectGuid, const QObject* origin);
    void alertSelected(int alertIndex, const QObject* origin);
    void eventOpenRequested(qint64 eventRowId, const QObject* origin);

private:
    /// Runs `announce` unless another selection is being passed on (its echoes are dropped).
    template <typename Announce>
    void pass(Announce&& announce);

    QString m_casePath;
    AlertSetPtr m_alerts;
    QString m_host;
    bool m_utc = true;
    bool m_passing = false;
};

} // namespace dscope::model
