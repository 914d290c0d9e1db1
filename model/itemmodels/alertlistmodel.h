// SPDX-License-Identifier: MIT
#pragma once

#include "annotationmarks.h"

#include "domain/alert.h"

#include <QAbstractTableModel>

#include <unordered_map>

namespace dscope::model {

/// The alerts of one detection run. Small (hundreds of rows), so views sort it through a QSortFilterProxyModel
/// using SortRole, which gives raw values (severity rank, milliseconds, counts) instead of display text.
class AlertListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { ColSeverity, ColTriage, ColRule, ColTechnique, ColHost, ColProcesses, ColFirst, ColCount, ColumnCount };
    enum Role {
        SortRole = Qt::UserRole + 100, ///< raw value for sorting
        AlertIndexRole,                ///< int index into alerts()->alerts
        SeverityRankRole,              ///< int(Severity): 0 (low) .. 3 (critical), for colouring
        TriageStateRole,               ///< int(TriageState), for filtering
        CaseIdRole,                    ///< qint64 alerts.id in the case (0: not stored)
    };

    explicit AlertListModel(QObject* parent = nullptr);

    void setAlerts(AlertSetPtr alerts);
    const AlertSetPtr& alerts() const { return m_alerts; }
    /// The alert behind a row of this model (not of a proxy), or nullptr.
    const Alert* alertAt(int row) const;
    /// The triage of a row: as the snapshot had it, or as recorded since (setTriage).
    Triage triageAt(int row) const;
    /// An analyst's decision recorded in the case after the snapshot was made: shown without a new detection run.
    void setTriage(int64_t caseId, const Triage& triage);
    void setUtc(bool utc);
    /// Which alerts carry a note, tags or a bookmark (AnnotationMarkRole).
    void setAnnotations(AnnotatedRefsPtr refs);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    static QString processText(const AlertProcess& p);

private:
    AlertSetPtr m_alerts;
    std::unordered_map<int64_t, Triage> m_triageSince; ///< by case id: decisions newer than the snapshot
    bool m_utc = true;
    AnnotatedRefsPtr m_annotations;
};

/// The evidence events of one alert, in chain order.
class EvidenceModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { ColRole, ColTime, ColEventId, ColRecord, ColInput, ColumnCount };

    explicit EvidenceModel(QObject* parent = nullptr);
    /// `alerts` keeps the snapshot alive; `index` selects the alert, -1 for none.
    void setAlert(AlertSetPtr alerts, int index);
    void setUtc(bool utc);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    AlertSetPtr m_alerts;
    const Alert* m_alert = nullptr;
    bool m_utc = true;
};

/// "2019-05-18 17:16:16.176" in UTC or local time; shared by the alert and evidence tables.
QString formatTime(qint64 utcMs, bool utc);

} // namespace dscope::model
