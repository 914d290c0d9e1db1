// SPDX-License-Identifier: MIT
// A compact text form for process-tree fixtures, and a printer for the trees they build, shared by the tree
// builder and tree model tests.
//
// One event per line:  <utc-ms> <event-id> [h=HOST] [s=GUID:PID:IMAGE] [p=...] [t=...] [a=HEXMASK] [u=USER]
//   s = subject (created / acting process), p = parent, t = target. GUID "-" means none, PID "-" none.
//   Sysmon ids (1, 5, 8, 10) get the Sysmon channel, 4688/4689 the Security channel. Row ids are line numbers.
#pragma once

#include "processtree/processtreebuilder.h"
#include "processtree/processtreemodel.h"

#include <QString>
#include <QStringList>

namespace treetest {

using namespace dscope::model;

inline void parseProcess(const QString& value, std::string& guid, int64_t& pid, std::string& image)
{
    const QStringList parts = value.split(QLatin1Char(':'));
    guid = parts.value(0) == QLatin1String("-") ? std::string() : parts.value(0).toStdString();
    pid = parts.value(1) == QLatin1String("-") || parts.value(1).isEmpty() ? -1 : parts.value(1).toLongLong();
    image = parts.mid(2).join(QLatin1Char(':')).toStdString(); // paths have colons
}

inline std::vector<EventRecord> parseRows(const QString& text)
{
    std::vector<EventRecord> rows;
    int64_t line = 0;
    for (const QString& raw : text.split(QLatin1Char('\n'))) {
        const QString l = raw.trimmed();
        ++line;
        if (l.isEmpty() || l.startsWith(QLatin1Char('#')))
            continue;
        const QStringList f = l.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        EventRecord r;
        r.id = line;
        r.utcMs = f.value(0).toLongLong();
        r.eventId = f.value(1).toLongLong();
        r.host = "H";
        r.channel = r.eventId >= 4000 ? "Security" : "Microsoft-Windows-Sysmon/Operational";
        for (int i = 2; i < f.size(); ++i) {
            const QString key = f[i].section(QLatin1Char('='), 0, 0);
            const QString value = f[i].section(QLatin1Char('='), 1);
            if (key == QLatin1String("h"))
                r.host = value.toStdString();
            else if (key == QLatin1String("s"))
                parseProcess(value, r.subjectGuid, r.subjectPid, r.subjectImage);
            else if (key == QLatin1String("p"))
                parseProcess(value, r.parentGuid, r.parentPid, r.parentImage);
            else if (key == QLatin1String("t"))
                parseProcess(value, r.targetGuid, r.targetPid, r.targetImage);
            else if (key == QLatin1String("a"))
                r.grantedAccess = value.toLongLong(nullptr, 16);
            else if (key == QLatin1String("u"))
                r.user = value.toStdString();
        }
        rows.push_back(std::move(r));
    }
    return rows;
}

inline ProcessTreePtr build(const QString& text, const AlertSet* alerts = nullptr)
{
    ProcessTreeBuilder builder;
    for (auto& r : parseRows(text))
        builder.add(std::move(r));
    return builder.finish(alerts);
}

inline QString nodeLine(const ProcessNode& n)
{
    QString s = n.image + QLatin1Char(':') + (n.pid >= 0 ? QString::number(n.pid) : QStringLiteral("-"));
    if (n.inferred)
        s += QLatin1String(" inferred");
    if (n.cycleBroken)
        s += QLatin1String(" cycle");
    if (n.hasEnd)
        s += QStringLiteral(" end=%1").arg(n.endUtcMs);
    if (!n.alerts.empty()) {
        QStringList a;
        for (int i : n.alerts)
            a << QString::number(i);
        s += QLatin1String(" alerts=") + a.join(QLatin1Char(','));
    }
    return s;
}

/// Depth-first, two spaces per level, then one "inj" line per injection relation.
inline QString print(const ProcessTree& tree)
{
    QStringList lines;
    std::vector<std::pair<int, int>> stack; // node, depth
    for (auto it = tree.roots.rbegin(); it != tree.roots.rend(); ++it)
        stack.emplace_back(*it, 0);
    while (!stack.empty()) {
        auto [node, depth] = stack.back();
        stack.pop_back();
        const auto& n = tree.nodes[size_t(node)];
        lines << QString(depth * 2, QLatin1Char(' ')) + nodeLine(n);
        for (auto it = n.children.rbegin(); it != n.children.rend(); ++it)
            stack.emplace_back(*it, depth + 1);
    }
    for (const auto& l : tree.injections) {
        QString kinds;
        kinds += (l.kinds & InjectionThread) ? QLatin1Char('T') : QLatin1Char('-');
        kinds += (l.kinds & InjectionAccess) ? QLatin1Char('A') : QLatin1Char('-');
        kinds += (l.kinds & InjectionAlert) ? QLatin1Char('!') : QLatin1Char('-');
        lines << QStringLiteral("inj %1 -> %2 %3 x%4")
                     .arg(nodeLine(tree.nodes[size_t(l.source)]).section(QLatin1Char(' '), 0, 0),
                          nodeLine(tree.nodes[size_t(l.target)]).section(QLatin1Char(' '), 0, 0), kinds)
                     .arg(l.count);
    }
    return lines.join(QLatin1Char('\n'));
}

/// The same printout, walked through a model's index()/rowCount() (column 0 display + roles).
inline QString printModel(const QAbstractItemModel& model, const ProcessTree& tree)
{
    QStringList lines;
    std::vector<std::pair<QModelIndex, int>> stack;
    for (int r = model.rowCount() - 1; r >= 0; --r)
        stack.emplace_back(model.index(r, 0), 0);
    while (!stack.empty()) {
        auto [index, depth] = stack.back();
        stack.pop_back();
        const int node = index.data(ProcessTreeModel::NodeRole).toInt();
        lines << QString(depth * 2, QLatin1Char(' ')) + nodeLine(tree.nodes[size_t(node)]);
        for (int r = model.rowCount(index) - 1; r >= 0; --r)
            stack.emplace_back(model.index(r, 0, index), depth + 1);
    }
    return lines.join(QLatin1Char('\n'));
}

} // namespace treetest
