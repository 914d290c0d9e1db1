// SPDX-License-Identifier: MIT
#include "processfilterproxy.h"

#include "processtree/processtreemodel.h"

namespace dscope::views {

using model::ProcessTreeModel;

ProcessFilterProxy::ProcessFilterProxy(QObject* parent)
    : QSortFilterProxyModel(parent)
{
    setRecursiveFilteringEnabled(true);
    setFilterRole(ProcessTreeModel::SearchTextRole);
    setFilterCaseSensitivity(Qt::CaseInsensitive);
    setFilterKeyColumn(0);
}

void ProcessFilterProxy::setFlaggedOnly(bool on)
{
    if (on == m_flaggedOnly)
        return;
    m_flaggedOnly = on;
    invalidateFilter(); // Qt 6.4 has no beginFilterChange()
}

void ProcessFilterProxy::setHost(const QString& host)
{
    if (host == m_host)
        return;
    m_host = host;
    invalidateFilter();
}

bool ProcessFilterProxy::filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const
{
    if (!m_host.isEmpty()) {
        const QModelIndex idx = sourceModel()->index(sourceRow, 0, sourceParent);
        if (idx.data(ProcessTreeModel::HostRole).toString().compare(m_host, Qt::CaseInsensitive) != 0)
            return false;
    }
    if (m_flaggedOnly) {
        const QModelIndex idx = sourceModel()->index(sourceRow, 0, sourceParent);
        const bool flagged = idx.data(ProcessTreeModel::AlertCountRole).toInt() > 0
                             || idx.data(ProcessTreeModel::InjectionOutCountRole).toInt() > 0
                             || idx.data(ProcessTreeModel::InjectionInCountRole).toInt() > 0;
        if (!flagged)
            return false;
    }
    return QSortFilterProxyModel::filterAcceptsRow(sourceRow, sourceParent);
}

} // namespace dscope::views
