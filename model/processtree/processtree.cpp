// SPDX-License-Identifier: MIT
#include "processtree.h"

#include <algorithm>

namespace dscope::model {

int ProcessTree::findByGuid(const QString& host, const QString& guid) const
{
    QString g = guid.toLower();
    if (g.startsWith(QLatin1Char('{')) && g.endsWith(QLatin1Char('}')))
        g = g.mid(1, g.size() - 2);
    for (auto it = byGuid.constFind(g); it != byGuid.constEnd() && it.key() == g; ++it) {
        if (nodes[size_t(it.value())].host.compare(host, Qt::CaseInsensitive) == 0)
            return it.value();
    }
    return -1;
}

int ProcessTree::findByPid(const QString& host, int64_t pid, int64_t utcMs) const
{
    int best = -1;
    int64_t bestStart = 0;
    for (auto it = byPid.constFind(qint64(pid)); it != byPid.constEnd() && it.key() == pid; ++it) {
        const int i = it.value();
        const auto& n = nodes[size_t(i)];
        if (n.host.compare(host, Qt::CaseInsensitive) != 0)
            continue;
        const int64_t start = n.hasStart ? n.startUtcMs : n.firstSeenUtcMs;
        if (utcMs != 0) {
            if (start > utcMs || (n.hasEnd && n.endUtcMs < utcMs))
                continue;
        }
        if (best < 0 || start > bestStart) {
            best = i;
            bestStart = start;
        }
    }
    return best;
}

std::vector<int> ProcessTree::pathTo(int node) const
{
    std::vector<int> path;
    // Bounded by the node count: the builder removed cycles, the bound keeps a corrupt tree from hanging.
    for (int v = node; v >= 0 && path.size() <= nodes.size(); v = nodes[size_t(v)].parent)
        path.push_back(v);
    std::reverse(path.begin(), path.end());
    return path;
}

} // namespace dscope::model
