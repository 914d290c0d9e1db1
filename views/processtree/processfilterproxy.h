// SPDX-License-Identifier: MIT
#pragma once

#include <QSortFilterProxyModel>

namespace dscope::views {

/**
 * Search, host and "flagged only" over the process tree. Recursive filtering keeps the ancestors of every match, so
 * a hit deep in the tree is still shown in context.
 */
class ProcessFilterProxy : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit ProcessFilterProxy(QObject* parent = nullptr);

    /// Only processes with an alert or an injection relation (and their ancestors).
    void setFlaggedOnly(bool on);
    bool flaggedOnly() const { return m_flaggedOnly; }
    /// Only the processes of one host (compared without case); empty for every host. A process tree never
    /// crosses hosts, so whole trees come and go.
    void setHost(const QString& host);
    const QString& host() const { return m_host; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    bool m_flaggedOnly = false;
    QString m_host;
};

} // namespace dscope::views
