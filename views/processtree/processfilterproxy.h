// SPDX-License-Identifier: MIT
#pragma once

#include <QSortFilterProxyModel>

namespace dscope::views {

/**
 * Search and "flagged only" over the process tree. Recursive filtering keeps the ancestors of every match, so
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

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex& sourceParent) const override;

private:
    bool m_flaggedOnly = false;
};

} // namespace dscope::views
