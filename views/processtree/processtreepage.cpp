// SPDX-License-Identifier: MIT
#include "processtreepage.h"

#include "scope/investigationscope.h"

#include "processfilterproxy.h"
#include "processtree/processtreeloader.h"
#include "processtree/processtreemodel.h"
#include "processtreedelegate.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QScopedValueRollback>
#include <QSignalBlocker>
#include <QThread>
#include <QTreeView>
#include <QVBoxLayout>

#include <algorithm>
#include <map>
#include <memory>

namespace dscope::views {

using model::ProcessTreeModel;

namespace {
// Expanding every node of a huge tree costs seconds in QTreeView; beyond this only the top levels open.
constexpr size_t kExpandAllLimit = 3000;
} // namespace

ProcessTreePage::ProcessTreePage(QWidget* parent)
    : QWidget(parent)
    , m_host(new QComboBox(this))
    , m_search(new QLineEdit(this))
    , m_flaggedOnly(new QCheckBox(tr("Only processes with alerts or injection"), this))
    , m_view(new QTreeView(this))
    , m_status(new QLabel(this))
    , m_model(new ProcessTreeModel(this))
    , m_proxy(new ProcessFilterProxy(this))
    , m_loader(new model::ProcessTreeLoader(this))
{
    m_search->setPlaceholderText(tr("Search image, PID, command line, user, GUID"));
    m_search->setClearButtonEnabled(true);
    m_host->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_host->setMaximumWidth(360); // a long FQDN elides; the search box keeps its room
    m_host->setToolTip(tr("Triage one host at a time: its process trees only"));
    m_host->addItem(tr("Any host"), QString());
    auto* bar = new QHBoxLayout;
    bar->addWidget(m_host);
    bar->addWidget(m_search, 1);
    bar->addWidget(m_flaggedOnly);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);
    // What the Injection column draws (model::access::grantsCodeInjection), in the tree's own words.
    auto* legend = new QLabel(tr("Injection (\u2192 into, \u2190 from): a remote thread (Sysmon 8), or a handle (Sysmon 10) granting "
                                 "PROCESS_CREATE_THREAD, or PROCESS_VM_OPERATION with PROCESS_VM_WRITE: code can be "
                                 "run in the target by some route. R1 alerts only on a handle with all three (0x2a) "
                                 "followed by a remote thread. The handles a parent and csrss.exe get when a process "
                                 "starts are not drawn. Italic: a process known only from other events (inferred)."),
                              this);
    legend->setWordWrap(true);
    legend->setObjectName(QStringLiteral("processTreeLegend"));
    QFont small = legend->font();
    small.setPointSizeF(small.pointSizeF() * 0.9);
    legend->setFont(small);
    layout->addWidget(legend);
    layout->addWidget(m_status);

    m_proxy->setSourceModel(m_model);
    m_view->setModel(m_proxy);
    m_view->setItemDelegate(new ProcessTreeDelegate(m_view));
    m_view->setUniformRowHeights(true); // O(1) row geometry: the tree can hold 100,000 processes
    m_view->setAlternatingRowColors(true);
    m_view->setContextMenuPolicy(Qt::CustomContextMenu);
    m_view->header()->setStretchLastSection(true);
    m_view->setColumnWidth(ProcessTreeModel::ProcessColumn, 260);
    m_view->setColumnWidth(ProcessTreeModel::PidColumn, 60);
    m_view->setColumnWidth(ProcessTreeModel::StartColumn, 215);
    m_view->setColumnWidth(ProcessTreeModel::EndColumn, 170);
    m_view->setColumnWidth(ProcessTreeModel::UserColumn, 110);
    m_view->setColumnWidth(ProcessTreeModel::AlertsColumn, 50);
    m_view->setColumnWidth(ProcessTreeModel::InjectionColumn, 320);

    connect(m_search, &QLineEdit::textChanged, this, &ProcessTreePage::setSearchText);
    connect(m_flaggedOnly, &QCheckBox::toggled, this, &ProcessTreePage::setFlaggedOnly);
    connect(m_host, &QComboBox::currentIndexChanged, this,
            [this](int index) { setHost(m_host->itemData(index).toString()); });
    connect(m_loader, &model::ProcessTreeLoader::treeAvailable, this, &ProcessTreePage::onTreeAvailable);
    connect(m_loader, &model::ProcessTreeLoader::loadFailed, this, [this](const QString& message) {
        m_status->setText(tr("Process tree not built: %1").arg(message));
        emit loadFailed(message);
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &ProcessTreePage::onCurrentChanged);
    connect(m_view, &QWidget::customContextMenuRequested, this, &ProcessTreePage::showContextMenu);
}

ProcessTreePage::~ProcessTreePage() = default;

void ProcessTreePage::setCase(const QString& casePath, model::AlertSetPtr alerts)
{
    m_casePath = casePath;
    m_alerts = std::move(alerts);
    m_status->setText(tr("Building the process tree..."));
    m_loader->load(m_casePath, m_alerts);
}

void ProcessTreePage::setAlerts(model::AlertSetPtr alerts)
{
    if (m_casePath.isEmpty()) {
        m_alerts = std::move(alerts);
        return;
    }
    setCase(m_casePath, std::move(alerts));
}

/// A process by what survives a rebuild (node numbers do not).
struct ProcessTreePage::Place {
    using Key = std::pair<QString, QString>; // host, process GUID
    std::vector<std::pair<Key, bool>> expansion; // every shown process with children: expanded or not
    Key selected;
    Key top;
};

ProcessTreePage::Place ProcessTreePage::capturePlace() const
{
    Place place;
    const auto tree = m_model->tree();
    if (!tree)
        return place;
    const auto keyOf = [&](const QModelIndex& proxy) -> Place::Key {
        const int node = m_model->nodeAt(m_proxy->mapToSource(proxy));
        return node < 0 ? Place::Key{} : Place::Key{tree->nodes[size_t(node)].host, tree->nodes[size_t(node)].guid};
    };
    // Only what is shown is walked: the cost follows the visible rows, not the case.
    std::vector<QModelIndex> pending{QModelIndex()};
    while (!pending.empty()) {
        const QModelIndex parent = pending.back();
        pending.pop_back();
        for (int row = 0, rows = m_proxy->rowCount(parent); row < rows; ++row) {
            const QModelIndex child = m_proxy->index(row, 0, parent);
            if (m_proxy->rowCount(child) == 0)
                continue;
            const bool expanded = m_view->isExpanded(child);
            place.expansion.emplace_back(keyOf(child), expanded);
            if (expanded)
                pending.push_back(child);
        }
    }
    if (m_view->currentIndex().isValid())
        place.selected = keyOf(m_view->currentIndex());
    const QModelIndex top = m_view->indexAt(QPoint(0, 0));
    if (top.isValid())
        place.top = keyOf(top.siblingAtColumn(0));
    return place;
}

void ProcessTreePage::restorePlace(const Place& place)
{
    const auto tree = m_model->tree();
    if (!tree)
        return;
    const auto proxyOf = [&](const Place::Key& key) {
        const int node = key.second.isEmpty() ? -1 : tree->findByGuid(key.first, key.second);
        return node < 0 ? QModelIndex() : m_proxy->mapFromSource(m_model->indexForNode(node));
    };
    // New processes keep the initial expansion; known ones get back the analyst's.
    for (const auto& [key, expanded] : place.expansion)
        if (const QModelIndex index = proxyOf(key); index.isValid())
            m_view->setExpanded(index, expanded);
    if (const QModelIndex selected = proxyOf(place.selected); selected.isValid())
        m_view->selectionModel()->setCurrentIndex(selected, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    if (const QModelIndex top = proxyOf(place.top); top.isValid())
        m_view->scrollTo(top, QAbstractItemView::PositionAtTop);
}

void ProcessTreePage::reloadKeepingPlace(model::AlertSetPtr alerts)
{
    if (m_casePath.isEmpty())
        return;
    if (!isLoading() && !m_pending) {
        // Applied once the new tree is in, quietly, as a selection asked for while loading is.
        m_pending = [this, place = capturePlace()] { restorePlace(place); };
    }
    setCase(m_casePath, std::move(alerts));
}

void ProcessTreePage::clear()
{
    m_loader->cancel();
    m_casePath.clear();
    m_alerts.reset();
    m_pending = nullptr;
    m_model->setTree(nullptr, nullptr);
    m_status->clear();
}

bool ProcessTreePage::isLoading() const { return m_loader->isLoading(); }

void ProcessTreePage::onTreeAvailable(model::ProcessTreePtr tree, model::AlertSetPtr alerts, double seconds)
{
    Q_ASSERT(QThread::currentThread() == thread());
    const size_t count = tree ? tree->nodes.size() : 0;
    size_t inferred = 0;
    for (const auto& n : tree->nodes)
        inferred += n.inferred ? 1 : 0;
    m_model->setTree(tree, alerts);
    fillHosts();
    expandInitially();
    QString status = tr("%1 processes (%2 inferred), %3 injection relations, built in %4 s")
                         .arg(count)
                         .arg(inferred)
                         .arg(tree->injections.size())
                         .arg(seconds, 0, 'f', 2);
    if (tree->cyclesBroken)
        status += tr("; %1 parent cycle(s) in the data were cut").arg(tree->cyclesBroken);
    m_status->setText(status);
    if (m_pending) {
        // Asked for by another page while the tree loaded: applied without announcing it, or the other pages
        // would be moved again, long after the analyst's click (to the process's creation event, say).
        auto pending = std::move(m_pending);
        m_pending = nullptr;
        const QScopedValueRollback quiet(m_applyingPending, true);
        pending();
    }
    emit treeLoaded(int(count), seconds);
}

void ProcessTreePage::fillHosts()
{
    // Hosts with their process counts, by name; the host chosen before a rebuild stays chosen if it is still there.
    const QString chosen = m_proxy->host();
    std::map<QString, int> counts;
    if (const auto tree = m_model->tree())
        for (const auto& n : tree->nodes)
            ++counts[n.host];
    const QSignalBlocker quiet(m_host);
    m_host->clear();
    m_host->addItem(tr("Any host (%n host(s))", nullptr, int(counts.size())), QString());
    int keep = 0;
    for (const auto& [host, processes] : counts) {
        m_host->addItem(tr("%1 (%n process(es))", nullptr, processes).arg(host.isEmpty() ? tr("(no host)") : host), host);
        if (!chosen.isEmpty() && host.compare(chosen, Qt::CaseInsensitive) == 0)
            keep = m_host->count() - 1;
    }
    m_host->setCurrentIndex(keep);
    m_proxy->setHost(keep ? m_host->itemData(keep).toString() : QString());
}

void ProcessTreePage::setHost(const QString& host)
{
    const int index = host.isEmpty() ? 0 : m_host->findData(host, Qt::UserRole, Qt::MatchFixedString);
    if (index < 0)
        return;
    if (m_host->currentIndex() != index) {
        m_host->setCurrentIndex(index); // comes back through currentIndexChanged
        return;
    }
    m_proxy->setHost(host);
    expandInitially();
    emit hostChosen(host);
}

void ProcessTreePage::expandInitially()
{
    const auto tree = m_model->tree();
    if (!tree)
        return;
    if (tree->nodes.size() <= kExpandAllLimit)
        m_view->expandAll();
    else
        m_view->expandToDepth(1);
}

int ProcessTreePage::currentNode() const
{
    return m_model->nodeAt(m_proxy->mapToSource(m_view->currentIndex()));
}

bool ProcessTreePage::revealNode(int node)
{
    QModelIndex source = m_model->indexForNode(node);
    if (!source.isValid())
        return false;
    QModelIndex proxy = m_proxy->mapFromSource(source);
    if (!proxy.isValid()) {
        // Hidden by the search, the flag or the host filter: the analyst asked for this process, so show it. A
        // host filter moves to its host: one host at a time stays the way of working.
        m_search->clear();
        m_flaggedOnly->setChecked(false);
        if (!m_proxy->host().isEmpty())
            setHost(m_model->tree()->nodes[size_t(node)].host);
        proxy = m_proxy->mapFromSource(source);
        if (!proxy.isValid())
            return false;
    }
    for (QModelIndex p = proxy.parent(); p.isValid(); p = p.parent())
        m_view->expand(p);
    m_view->setCurrentIndex(proxy);
    m_view->scrollTo(proxy, QAbstractItemView::PositionAtCenter);
    return true;
}

void ProcessTreePage::selectProcess(const QString& host, const QString& guid)
{
    if (isLoading() || !m_model->tree()) {
        m_pending = [this, host, guid] { selectProcess(host, guid); };
        return;
    }
    revealNode(m_model->tree()->findByGuid(host, guid));
}

void ProcessTreePage::selectProcessByPid(const QString& host, qint64 pid, qint64 utcMs)
{
    if (isLoading() || !m_model->tree()) {
        m_pending = [this, host, pid, utcMs] { selectProcessByPid(host, pid, utcMs); };
        return;
    }
    revealNode(m_model->tree()->findByPid(host, pid, utcMs));
}

void ProcessTreePage::selectEvent(qint64 eventRowId)
{
    const auto tree = m_model->tree();
    if (isLoading() || !tree) {
        m_pending = [this, eventRowId] { selectEvent(eventRowId); };
        return;
    }
    // A linear scan per request is fine: it runs once per click, 100,000 nodes take well under a millisecond.
    for (size_t i = 0; i < tree->nodes.size(); ++i) {
        if (tree->nodes[i].creationEventRowId == eventRowId) {
            revealNode(int(i));
            return;
        }
    }
    for (const auto& link : tree->injections) {
        if (link.firstEventRowId == eventRowId) {
            revealNode(link.source);
            return;
        }
    }
}

void ProcessTreePage::revealAlert(int alertIndex)
{
    const auto tree = m_model->tree();
    if (isLoading() || !tree) {
        m_pending = [this, alertIndex] { revealAlert(alertIndex); };
        return;
    }
    int source = -1, target = -1;
    for (size_t i = 0; i < tree->nodes.size(); ++i) {
        const auto& alerts = tree->nodes[i].alerts;
        if (std::find(alerts.begin(), alerts.end(), alertIndex) == alerts.end())
            continue;
        const auto& alert = m_model->alerts()->alerts[size_t(alertIndex)];
        const QString guid = tree->nodes[i].guid;
        const bool isSource = (!alert.source.guid.empty() && guid == QString::fromStdString(alert.source.guid))
                              || (alert.source.guid.empty() && tree->nodes[i].pid == alert.source.pid);
        (isSource ? source : target) = int(i);
    }
    // Open the target's path too, so both ends of the alert are visible; the source ends selected.
    if (target >= 0)
        revealNode(target);
    if (source >= 0)
        revealNode(source);
}

void ProcessTreePage::setSearchText(const QString& text)
{
    if (m_search->text() != text)
        m_search->setText(text); // comes back through textChanged
    else {
        m_proxy->setFilterFixedString(text);
        if (!text.isEmpty())
            m_view->expandAll(); // matches sit at any depth: the filtered tree is small enough to open
    }
}

void ProcessTreePage::setFlaggedOnly(bool on)
{
    if (m_flaggedOnly->isChecked() != on)
        m_flaggedOnly->setChecked(on);
    else {
        m_proxy->setFlaggedOnly(on);
        if (on)
            m_view->expandAll();
    }
}

void ProcessTreePage::onCurrentChanged()
{
    const int node = currentNode();
    const auto tree = m_model->tree();
    if (node < 0 || !tree || m_applyingPending)
        return;
    const auto& n = tree->nodes[size_t(node)];
    emit processSelected(n.host, n.guid, n.pid);
    if (n.creationEventRowId)
        emit eventSelected(n.creationEventRowId);
}

void ProcessTreePage::showContextMenu(const QPoint& pos)
{
    const int node = m_model->nodeAt(m_proxy->mapToSource(m_view->indexAt(pos)));
    std::unique_ptr<QMenu> menu(createContextMenu(node));
    if (menu && !menu->isEmpty())
        menu->exec(m_view->viewport()->mapToGlobal(pos));
}

QMenu* ProcessTreePage::createContextMenu(int node)
{
    const auto tree = m_model->tree();
    if (node < 0 || !tree || node >= int(tree->nodes.size()))
        return nullptr;
    const auto& n = tree->nodes[size_t(node)];
    auto* menu = new QMenu(this);
    // Injection is followed both ways: from the injector to its targets and from a target back to its sources.
    for (int i : n.injectionsOut) {
        const int target = tree->injections[size_t(i)].target;
        menu->addAction(tr("Go to injection target: %1").arg(m_model->nodeLabel(target)), this,
                        [this, target] { revealNode(target); });
    }
    for (int i : n.injectionsIn) {
        const int source = tree->injections[size_t(i)].source;
        menu->addAction(tr("Go to injection source: %1").arg(m_model->nodeLabel(source)), this,
                        [this, source] { revealNode(source); });
    }
    if (n.parent >= 0) {
        const int parent = n.parent;
        menu->addAction(tr("Go to parent: %1").arg(m_model->nodeLabel(parent)), this,
                        [this, parent] { revealNode(parent); });
    }
    if (!m_extraActions.isEmpty()) {
        menu->addSeparator();
        menu->addActions(m_extraActions);
    }
    return menu;
}

void ProcessTreePage::attach(model::InvestigationScope* scope)
{
    using model::InvestigationScope;
    connect(scope, &InvestigationScope::caseChanged, this, [this](const QString& path) { setCase(path); });
    connect(scope, &InvestigationScope::caseReloaded, this,
            [this, scope](const QString& path) { setCase(path, scope->alerts()); });
    connect(scope, &InvestigationScope::alertsChanged, this, &ProcessTreePage::setAlerts);
    connect(scope, &InvestigationScope::hostChosen, this, [this](const QString& host, const QObject* origin) {
        if (origin != this)
            setHost(host);
    });
    connect(scope, &InvestigationScope::eventSelected, this,
            [this](qint64 id, const QString& host, const QString& guid, const QObject* origin) {
                if (origin == this)
                    return;
                if (guid.isEmpty())
                    selectEvent(id);
                else
                    selectProcess(host, guid);
            });
    connect(scope, &InvestigationScope::alertSelected, this, &ProcessTreePage::revealAlert);
    connect(this, &ProcessTreePage::eventSelected, scope, [this, scope](qint64 id) { scope->selectEvent(id, {}, {}, this); });
    connect(this, &ProcessTreePage::hostChosen, scope, [this, scope](const QString& host) { scope->chooseHost(host, this); });
}

} // namespace dscope::views
