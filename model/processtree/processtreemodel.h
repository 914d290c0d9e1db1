// SPDX-License-Identifier: MIT
#pragma once

#include "itemmodels/annotationmarks.h"

#include "domain/alert.h"
#include "processtree.h"

#include <QAbstractItemModel>

namespace dscope::model {

/**
 * A thin tree model over an immutable ProcessTree snapshot: every index carries its node number as internal
 * id, so parent() and index() are O(1) and a new tree is swapped in with one model reset.
 */
class ProcessTreeModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column { ProcessColumn, PidColumn, StartColumn, EndColumn, UserColumn, AlertsColumn, InjectionColumn,
                  CommandLineColumn, ColumnCount };
    // Unscoped and starting at Qt::UserRole so they can be passed straight to data() and to proxy filter roles.
    enum Role {
        NodeRole = Qt::UserRole,  ///< int: node index in the tree
        HostRole,
        GuidRole,
        PidRole,                  ///< qint64
        InferredRole,             ///< bool
        AlertCountRole,           ///< int
        InjectionOutCountRole,    ///< int: relations where this process is the source
        InjectionInCountRole,     ///< int: relations where it is the target
        CreationEventRole,        ///< qint64 events.id of the creation, 0 when inferred
        SearchTextRole,           ///< QString: everything the search box matches
        CycleBrokenRole,          ///< bool
    };

    explicit ProcessTreeModel(QObject* parent = nullptr);
    ~ProcessTreeModel() override;

    /// Swaps in a new snapshot (GUI thread). `alerts` is the set the tree was built with.
    void setTree(ProcessTreePtr tree, AlertSetPtr alerts);
    ProcessTreePtr tree() const { return m_tree; }
    AlertSetPtr alerts() const { return m_alerts; }
    /// Which processes carry a note, tags or a bookmark (AnnotationMarkRole).
    void setAnnotations(AnnotatedRefsPtr refs);

    QModelIndex indexForNode(int node, int column = 0) const;
    /// Node of an index of this model, or -1.
    int nodeAt(const QModelIndex& index) const;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// "notepad.exe (3300)": how a process is named in menus and tooltips.
    QString nodeLabel(int node) const;
    /// Plain-text lines describing the node's injection relations, for tooltips.
    QString injectionSummary(int node) const;
    /// "2026-03-10 09:02:01.520" in UTC; the workbench shows UTC to the millisecond.
    static QString timeText(int64_t utcMs);

private:
    QVariant display(const ProcessNode& n, int node, int column) const;
    QString toolTip(const ProcessNode& n, int node) const;

    ProcessTreePtr m_tree;
    AlertSetPtr m_alerts;
    AnnotatedRefsPtr m_annotations;
};

} // namespace dscope::model
