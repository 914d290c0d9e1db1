// SPDX-License-Identifier: MIT
#include "processtreemodel.h"

#include "domain/text.h"
#include "itemmodels/plaintooltip.h"

#include <QDateTime>

namespace dscope::model {

namespace {


QString kindsText(uint8_t kinds)
{
    QStringList parts;
    if (kinds & InjectionThread)
        parts << QStringLiteral("remote thread");
    if (kinds & InjectionAccess)
        parts << QStringLiteral("write/thread access");
    if (kinds & InjectionAlert)
        parts << QStringLiteral("alert");
    return parts.join(QLatin1String(", "));
}

} // namespace

ProcessTreeModel::ProcessTreeModel(QObject* parent)
    : QAbstractItemModel(parent)
{
}

ProcessTreeModel::~ProcessTreeModel() = default;

QString ProcessTreeModel::timeText(int64_t utcMs)
{
    return QDateTime::fromMSecsSinceEpoch(utcMs, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
}

void ProcessTreeModel::setTree(ProcessTreePtr tree, AlertSetPtr alerts)
{
    beginResetModel();
    m_tree = std::move(tree);
    m_alerts = std::move(alerts);
    endResetModel();
}

QModelIndex ProcessTreeModel::indexForNode(int node, int column) const
{
    if (!m_tree || node < 0 || node >= int(m_tree->nodes.size()))
        return {};
    return createIndex(m_tree->nodes[size_t(node)].row, column, quintptr(node));
}

int ProcessTreeModel::nodeAt(const QModelIndex& index) const
{
    if (!m_tree || !index.isValid() || index.model() != this)
        return -1;
    return int(index.internalId());
}

QModelIndex ProcessTreeModel::index(int row, int column, const QModelIndex& parent) const
{
    if (!m_tree || row < 0 || column < 0 || column >= ColumnCount)
        return {};
    const std::vector<int>& list =
        parent.isValid() ? m_tree->nodes[size_t(parent.internalId())].children : m_tree->roots;
    if (row >= int(list.size()))
        return {};
    return createIndex(row, column, quintptr(list[size_t(row)]));
}

QModelIndex ProcessTreeModel::parent(const QModelIndex& child) const
{
    if (!m_tree || !child.isValid())
        return {};
    const int p = m_tree->nodes[size_t(child.internalId())].parent;
    return p < 0 ? QModelIndex() : createIndex(m_tree->nodes[size_t(p)].row, 0, quintptr(p));
}

int ProcessTreeModel::rowCount(const QModelIndex& parent) const
{
    if (!m_tree)
        return 0;
    if (!parent.isValid())
        return int(m_tree->roots.size());
    if (parent.column() != 0)
        return 0;
    return int(m_tree->nodes[size_t(parent.internalId())].children.size());
}

int ProcessTreeModel::columnCount(const QModelIndex&) const { return ColumnCount; }

QString ProcessTreeModel::nodeLabel(int node) const
{
    if (!m_tree || node < 0 || node >= int(m_tree->nodes.size()))
        return {};
    const auto& n = m_tree->nodes[size_t(node)];
    const QString name = n.image.isEmpty() ? QStringLiteral("<unknown image>") : baseName(n.image);
    return n.pid >= 0 ? QStringLiteral("%1 (%2)").arg(name).arg(n.pid) : name;
}

QString ProcessTreeModel::injectionSummary(int node) const
{
    QStringList lines;
    const auto& n = m_tree->nodes[size_t(node)];
    for (int i : n.injectionsOut) {
        const auto& l = m_tree->injections[size_t(i)];
        lines << QStringLiteral("-> %1: %2, %3 event(s)").arg(nodeLabel(l.target), kindsText(l.kinds)).arg(l.count);
    }
    for (int i : n.injectionsIn) {
        const auto& l = m_tree->injections[size_t(i)];
        lines << QStringLiteral("<- %1: %2, %3 event(s)").arg(nodeLabel(l.source), kindsText(l.kinds)).arg(l.count);
    }
    return lines.join(QLatin1Char('\n'));
}

QVariant ProcessTreeModel::display(const ProcessNode& n, int node, int column) const
{
    switch (column) {
    case ProcessColumn: return n.image.isEmpty() ? QStringLiteral("<unknown image>") : baseName(n.image);
    case PidColumn: return n.pid >= 0 ? QVariant(qint64(n.pid)) : QVariant();
    case StartColumn:
        if (n.hasStart)
            return timeText(n.startUtcMs);
        return n.firstSeenUtcMs ? QStringLiteral("(seen %1)").arg(timeText(n.firstSeenUtcMs)) : QVariant();
    case EndColumn: return n.hasEnd ? timeText(n.endUtcMs) : QVariant();
    case UserColumn: return n.user;
    case AlertsColumn: return n.alerts.empty() ? QVariant() : QVariant(int(n.alerts.size()));
    case InjectionColumn: {
        QStringList parts;
        auto count = [](const InjectionLink& l) {
            return l.count > 1 ? QStringLiteral(" \u00d7%1").arg(l.count) : QString();
        };
        for (int i : n.injectionsOut) {
            const auto& l = m_tree->injections[size_t(i)];
            parts << QStringLiteral("\u2192 ") + nodeLabel(l.target) + count(l);
        }
        for (int i : n.injectionsIn) {
            const auto& l = m_tree->injections[size_t(i)];
            parts << QStringLiteral("\u2190 ") + nodeLabel(l.source) + count(l);
        }
        return parts.join(QLatin1String("  "));
    }
    case CommandLineColumn: return n.commandLine;
    default: return {};
    }
    Q_UNUSED(node)
}

QString ProcessTreeModel::toolTip(const ProcessNode& n, int node) const
{
    QStringList lines;
    lines << (n.image.isEmpty() ? QStringLiteral("<unknown image>") : n.image);
    if (n.pid >= 0)
        lines << QStringLiteral("PID %1 on %2").arg(n.pid).arg(n.host);
    if (!n.guid.isEmpty())
        lines << QStringLiteral("GUID {%1}").arg(n.guid);
    if (n.inferred)
        lines << QStringLiteral("Inferred: no creation event, seen only as a parent, source, target or at exit");
    if (n.cycleBroken)
        lines << QStringLiteral("Its logged parent would make it its own ancestor: shown as a root");
    if (m_alerts) {
        for (int a : n.alerts) {
            if (a >= 0 && a < int(m_alerts->alerts.size())) {
                const auto& alert = m_alerts->alerts[size_t(a)];
                lines << QStringLiteral("Alert %1 (%2): %3")
                             .arg(QString::fromStdString(alert.ruleId), QLatin1String(severityName(alert.severity)),
                                  QString::fromStdString(alert.ruleName));
            }
        }
    }
    const QString inj = injectionSummary(node);
    if (!inj.isEmpty())
        lines << inj;
    return lines.join(QLatin1Char('\n'));
}

void ProcessTreeModel::setAnnotations(AnnotatedRefsPtr refs)
{
    // Marks only: no row moves, so a repaint of what is shown is enough (the tree's layout is untouched).
    m_annotations = std::move(refs);
    Q_EMIT layoutAboutToBeChanged({}, QAbstractItemModel::NoLayoutChangeHint);
    Q_EMIT layoutChanged({}, QAbstractItemModel::NoLayoutChangeHint);
}

QVariant ProcessTreeModel::data(const QModelIndex& index, int role) const
{
    if (!m_tree || !index.isValid())
        return {};
    const int node = int(index.internalId());
    const auto& n = m_tree->nodes[size_t(node)];
    switch (role) {
    case Qt::DisplayRole: return display(n, node, index.column());
    case Qt::ToolTipRole:
        if (index.column() == CommandLineColumn && !n.commandLine.isEmpty())
            return plainToolTip(n.commandLine);
        return plainToolTip(toolTip(n, node));
    case NodeRole: return node;
    case AnnotationMarkRole:
        return m_annotations && !n.guid.isEmpty()
                   ? m_annotations->flags(Annotation::Kind::Process, processRef(n.host.toStdString(), n.guid.toStdString()))
                   : 0;
    case HostRole: return n.host;
    case GuidRole: return n.guid;
    case PidRole: return qint64(n.pid);
    case InferredRole: return n.inferred;
    case AlertCountRole: return int(n.alerts.size());
    case InjectionOutCountRole: return int(n.injectionsOut.size());
    case InjectionInCountRole: return int(n.injectionsIn.size());
    case CreationEventRole: return qint64(n.creationEventRowId);
    case CycleBrokenRole: return n.cycleBroken;
    case SearchTextRole:
        // Built on demand: the proxy asks once per node per filter change, and most cases are small.
        return QStringList{n.image, QString::number(n.pid), n.commandLine, n.user, n.guid, n.host}.join(
            QLatin1Char('\n'));
    default: return {};
    }
}

QVariant ProcessTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case ProcessColumn: return tr("Process");
    case PidColumn: return tr("PID");
    case StartColumn: return tr("Start (UTC)");
    case EndColumn: return tr("End (UTC)");
    case UserColumn: return tr("User");
    case AlertsColumn: return tr("Alerts");
    case InjectionColumn: return tr("Injection");
    case CommandLineColumn: return tr("Command line");
    default: return {};
    }
}

} // namespace dscope::model
