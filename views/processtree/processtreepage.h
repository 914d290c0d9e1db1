// SPDX-License-Identifier: MIT
#pragma once

#include "domain/alert.h"
#include "processtree/processtree.h"

#include <QWidget>

#include <functional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QMenu;
class QTreeView;

namespace dscope::model {
class ProcessTreeModel;
class ProcessTreeLoader;
} // namespace dscope::model

namespace dscope::model {
class InvestigationScope;
}

namespace dscope::views {

class ProcessFilterProxy;

/**
 * The process tree of a case: parent -> child by indentation, injection relations as a coloured column and
 * bar, alert badges. Built off the GUI thread; selection requests that arrive while it loads are kept and
 * applied when the tree is in.
 */
class ProcessTreePage : public QWidget
{
    Q_OBJECT
public:
    explicit ProcessTreePage(QWidget* parent = nullptr);
    ~ProcessTreePage() override;

    /// Loads (or reloads) the tree of a case; `alerts` give the badges and alert relations.
    void setCase(const QString& casePath, model::AlertSetPtr alerts = {});
    /// New detection results for the open case: rebuilds the tree with their badges.
    void setAlerts(model::AlertSetPtr alerts);
    void clear();
    /// Builds the tree again (new live events arrived) and keeps the analyst's place: which processes were
    /// expanded or collapsed, the selected process, and the process in the top row.
    void reloadKeepingPlace(model::AlertSetPtr alerts);

    model::ProcessTreeModel* treeModel() const { return m_model; }
    QTreeView* view() const { return m_view; }
    bool isLoading() const;
    /// The node of the current selection, or -1.
    int currentNode() const;
    /// The navigation menu of a node ("Go to injection target/source", "Go to parent"); the caller owns it.
    QMenu* createContextMenu(int node);
    /// Actions the window adds at the end of the context menu (note, bookmark): they act on the current node.
    void setExtraContextActions(const QList<QAction*>& actions) { m_extraActions = actions; }

public Q_SLOTS:
    void selectProcess(const QString& host, const QString& guid);
    void selectProcessByPid(const QString& host, qint64 pid, qint64 utcMs);
    /// Selects the process created by that event, or the source of the injection that event shows.
    void selectEvent(qint64 eventRowId);
    /// Expands the path to an alert's processes and selects its source (then its target).
    void revealAlert(int alertIndex);
    void setSearchText(const QString& text);
    void setFlaggedOnly(bool on);
    /// Shows one host's processes (empty: every host); the host list comes with each tree.
    void setHost(const QString& host);
    /// Builds the scope's case and follows it (alerts, host, linked selection); reports the event and host chosen
    /// here to it.
    void attach(model::InvestigationScope* scope);

Q_SIGNALS:
    void processSelected(const QString& host, const QString& guid, qint64 pid);
    /// The creation event of the selected process (0 when it was inferred), for the detail pane.
    void eventSelected(qint64 eventRowId);
    void treeLoaded(int processes, double seconds);
    void loadFailed(const QString& message);
    /// The host filter changed (empty: every host), so that the other pages can follow.
    void hostChosen(const QString& host);

private:
    void onTreeAvailable(model::ProcessTreePtr tree, model::AlertSetPtr alerts, double seconds);
    bool revealNode(int node);
    void onCurrentChanged();
    void showContextMenu(const QPoint& pos);
    void expandInitially();
    void fillHosts();
    struct Place;
    Place capturePlace() const;
    void restorePlace(const Place& place);

    QComboBox* m_host;
    QLineEdit* m_search;
    QCheckBox* m_flaggedOnly;
    QTreeView* m_view;
    QLabel* m_status;
    model::ProcessTreeModel* m_model;
    QList<QAction*> m_extraActions;
    ProcessFilterProxy* m_proxy;
    model::ProcessTreeLoader* m_loader;
    QString m_casePath;
    model::AlertSetPtr m_alerts;
    std::function<void()> m_pending; // a selection asked for while loading
    bool m_applyingPending = false;
};

} // namespace dscope::views
