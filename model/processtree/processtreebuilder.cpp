// SPDX-License-Identifier: MIT
#include "processtreebuilder.h"

#include "domain/accessmask.h"
#include "domain/text.h"
#include "storage/database.h"

#include <algorithm>
#include <limits>
#include <unordered_map>

namespace dscope::model {

namespace {

constexpr int64_t kSameProcessWindowMs = 2000; // Sysmon 1 and 4688 of one creation are logged within ms
constexpr int64_t kSpawnHandleWindowMs = 2000; // csrss and the parent open every new process at its start


// The null GUID stands for "no process" (System, or a parent Sysmon could not resolve).
bool usableGuid(const std::string& guid)
{
    return !guid.empty() && guid.find_first_not_of("0-") != std::string::npos;
}

bool timeLess(const EventRecord& a, const EventRecord& b)
{
    return a.utcMs != b.utcMs ? a.utcMs < b.utcMs : a.id < b.id;
}

QString qs(const std::string& s) { return QString::fromStdString(s); }

/// Working state of one build; the tree it fills is handed out as const at the end.
class Build
{
public:
    explicit Build(ProcessTree& tree)
        : m_tree(tree)
    {
    }

    /// Returns the node the creation produced or merged into, -1 for a duplicate.
    int addCreation(const EventRecord& r);
    void addExit(const EventRecord& r);
    void linkParent(int child, const EventRecord& r);
    void addAccess(const EventRecord& r);
    void addAlert(int index, const Alert& alert);
    void finishStructure();

private:
    struct PidSlot {
        std::vector<int> instances;            // created processes of this PID, by start time
        std::unordered_map<int, int> inferred; // gap index -> inferred node
    };

    int newNode(const std::string& host, const std::string& guid, int64_t pid, const std::string& image,
                int64_t seenUtcMs, bool inferred);
    int findOrInferGuid(const std::string& host, const std::string& guid, int64_t pid, const std::string& image,
                        int64_t utcMs);
    int resolvePid(const std::string& host, int64_t pid, const std::string& image, int64_t utcMs, bool create);
    int resolve(const std::string& host, const std::string& guid, int64_t pid, const std::string& image,
                int64_t utcMs);
    void seen(int node, int64_t utcMs);
    void addLink(int source, int target, uint8_t kind, const EventRecord* r, int64_t utcMs);

    /// Small number per host (case-insensitive). Rows come in runs of one host, so the last one is cached.
    int hostId(const std::string& host);

    struct HostMaps {
        std::unordered_map<std::string, int> byGuid;
        std::unordered_map<int64_t, PidSlot> byPid;
    };
    HostMaps& maps(const std::string& host) { return m_hosts[size_t(hostId(host))]; }

    ProcessTree& m_tree;
    std::vector<HostMaps> m_hosts;
    std::unordered_map<std::string, int> m_hostIds; // lower-case host -> index into m_hosts
    std::string m_lastHost;
    int m_lastHostId = -1;
    std::unordered_map<uint64_t, int> m_links;     // source << 32 | target -> injection index
};

int Build::hostId(const std::string& host)
{
    if (m_lastHostId >= 0 && host == m_lastHost)
        return m_lastHostId;
    auto [it, added] = m_hostIds.emplace(lowerAscii(host), int(m_hosts.size()));
    if (added)
        m_hosts.emplace_back();
    m_lastHost = host;
    m_lastHostId = it->second;
    return it->second;
}

int Build::newNode(const std::string& host, const std::string& guid, int64_t pid, const std::string& image,
                   int64_t seenUtcMs, bool inferred)
{
    ProcessNode n;
    n.host = qs(host);
    n.guid = qs(guid);
    n.pid = pid;
    n.image = qs(image);
    n.inferred = inferred;
    n.firstSeenUtcMs = seenUtcMs == kNoValue ? 0 : seenUtcMs;
    m_tree.nodes.push_back(std::move(n));
    const int index = int(m_tree.nodes.size()) - 1;
    if (usableGuid(guid))
        maps(host).byGuid.emplace(guid, index);
    return index;
}

void Build::seen(int node, int64_t utcMs)
{
    auto& n = m_tree.nodes[size_t(node)];
    if (utcMs != kNoValue && (n.firstSeenUtcMs == 0 || utcMs < n.firstSeenUtcMs))
        n.firstSeenUtcMs = utcMs;
}

int Build::addCreation(const EventRecord& r)
{
    HostMaps& host = maps(r.host);
    const bool hasGuid = usableGuid(r.subjectGuid);
    int node = -1;
    if (hasGuid && host.byGuid.count(r.subjectGuid))
        return -1; // the same creation imported twice (two inputs of one log): keep the first
    PidSlot* slot = r.subjectPid >= 0 ? &host.byPid[r.subjectPid] : nullptr;
    // One creation seen by Sysmon and by Security: merge, so the PID-only record does not become a twin.
    if (slot && !slot->instances.empty()) {
        const int last = slot->instances.back();
        auto& n = m_tree.nodes[size_t(last)];
        const bool otherKind = n.guid.isEmpty() != !hasGuid;
        if (otherKind && r.utcMs - n.startUtcMs <= kSameProcessWindowMs
            && equalsIgnoreCase(baseName(n.image.toStdString()), baseName(r.subjectImage))) {
            node = last;
            if (hasGuid) {
                n.guid = qs(r.subjectGuid);
                host.byGuid.emplace(r.subjectGuid, node);
            }
        }
    }
    if (node < 0) {
        node = newNode(r.host, hasGuid ? r.subjectGuid : std::string(), r.subjectPid, r.subjectImage, r.utcMs,
                       false);
        auto& n = m_tree.nodes[size_t(node)];
        n.hasStart = r.utcMs != kNoValue;
        n.startUtcMs = n.hasStart ? r.utcMs : 0;
        n.creationEventRowId = r.id;
        if (slot)
            slot->instances.push_back(node);
    }
    auto& n = m_tree.nodes[size_t(node)];
    if (n.commandLine.isEmpty())
        n.commandLine = qs(r.commandLine);
    if (n.user.isEmpty())
        n.user = qs(r.user);
    if (n.image.isEmpty())
        n.image = qs(r.subjectImage);
    return node;
}

int Build::findOrInferGuid(const std::string& host, const std::string& guid, int64_t pid, const std::string& image,
                           int64_t utcMs)
{
    auto& byGuid = maps(host).byGuid;
    auto it = byGuid.find(guid);
    int node = it != byGuid.end() ? it->second : newNode(host, guid, pid, image, utcMs, true);
    auto& n = m_tree.nodes[size_t(node)];
    if (n.image.isEmpty() && !image.empty())
        n.image = qs(image);
    if (n.pid < 0)
        n.pid = pid;
    seen(node, utcMs);
    return node;
}

int Build::resolvePid(const std::string& host, int64_t pid, const std::string& image, int64_t utcMs, bool create)
{
    if (pid < 0)
        return -1;
    PidSlot& slot = maps(host).byPid[pid];
    const auto& list = slot.instances;
    // The last creation of this PID at or before utcMs; it is the process unless it had exited by then.
    auto it = std::upper_bound(list.begin(), list.end(), utcMs, [this](int64_t t, int node) {
        return t < m_tree.nodes[size_t(node)].startUtcMs;
    });
    int gap = int(it - list.begin()) - 1;
    if (gap >= 0) {
        const auto& n = m_tree.nodes[size_t(list[size_t(gap)])];
        if (!n.hasEnd || utcMs <= n.endUtcMs)
            return list[size_t(gap)];
    }
    // Outside every known lifetime: an unseen process that held the PID in this gap (one per gap).
    auto inferred = slot.inferred.find(gap);
    if (inferred != slot.inferred.end()) {
        seen(inferred->second, utcMs);
        return inferred->second;
    }
    if (!create)
        return -1;
    const int node = newNode(host, std::string(), pid, image, utcMs, true);
    slot.inferred.emplace(gap, node);
    return node;
}

int Build::resolve(const std::string& host, const std::string& guid, int64_t pid, const std::string& image,
                   int64_t utcMs)
{
    if (usableGuid(guid))
        return findOrInferGuid(host, guid, pid, image, utcMs);
    return resolvePid(host, pid, image, utcMs, true);
}

void Build::addExit(const EventRecord& r)
{
    int node = -1;
    if (usableGuid(r.subjectGuid)) {
        node = findOrInferGuid(r.host, r.subjectGuid, r.subjectPid, r.subjectImage, r.utcMs);
    } else {
        node = resolvePid(r.host, r.subjectPid, r.subjectImage, r.utcMs, true);
    }
    if (node < 0)
        return;
    auto& n = m_tree.nodes[size_t(node)];
    if (!n.hasEnd && (!n.hasStart || r.utcMs >= n.startUtcMs)) {
        n.hasEnd = true;
        n.endUtcMs = r.utcMs;
    }
}

void Build::linkParent(int child, const EventRecord& r)
{
    // A merged Sysmon 1 + 4688 links twice; the GUID link wins over the PID one.
    if (m_tree.nodes[size_t(child)].parent >= 0 && !usableGuid(r.parentGuid))
        return;
    int parent = -1;
    if (usableGuid(r.parentGuid))
        parent = findOrInferGuid(r.host, r.parentGuid, r.parentPid, r.parentImage, r.utcMs);
    else if (r.parentPid >= 0)
        parent = resolvePid(r.host, r.parentPid, r.parentImage, r.utcMs, true);
    auto& c = m_tree.nodes[size_t(child)]; // after the lookups: they may grow the node vector
    if (parent == child)
        c.cycleBroken = true; // a process logged as its own parent
    else if (parent >= 0)
        c.parent = parent;
}

void Build::addLink(int source, int target, uint8_t kind, const EventRecord* r, int64_t utcMs)
{
    const uint64_t key = (uint64_t(uint32_t(source)) << 32) | uint32_t(target);
    auto [it, added] = m_links.emplace(key, int(m_tree.injections.size()));
    if (added) {
        InjectionLink link;
        link.source = source;
        link.target = target;
        link.firstUtcMs = link.lastUtcMs = utcMs;
        m_tree.injections.push_back(link);
        m_tree.nodes[size_t(source)].injectionsOut.push_back(it->second);
        m_tree.nodes[size_t(target)].injectionsIn.push_back(it->second);
    }
    auto& link = m_tree.injections[size_t(it->second)];
    link.kinds |= kind;
    link.firstUtcMs = std::min(link.firstUtcMs, utcMs);
    link.lastUtcMs = std::max(link.lastUtcMs, utcMs);
    if (r) {
        // Accesses arrive in time order, so the first event seen is the earliest.
        ++link.count;
        if (link.firstEventRowId == 0)
            link.firstEventRowId = r->id;
    }
}

void Build::addAccess(const EventRecord& r)
{
    const int source = resolve(r.host, r.subjectGuid, r.subjectPid, r.subjectImage, r.utcMs);
    const int target = resolve(r.host, r.targetGuid, r.targetPid, r.targetImage, r.utcMs);
    if (source < 0 || target < 0 || source == target)
        return;
    if (r.eventId == 8) {
        addLink(source, target, InjectionThread, &r, r.utcMs);
        return;
    }
    if (r.grantedAccess < 0 || !access::grantsCodeInjection(uint32_t(r.grantedAccess)))
        return;
    // Every CreateProcess gives the parent and csrss a full handle to the child at its start: not injection.
    const auto& t = m_tree.nodes[size_t(target)];
    if (t.parent == source)
        return;
    const bool nearStart = t.hasStart && std::llabs(r.utcMs - t.startUtcMs) <= kSpawnHandleWindowMs;
    if (nearStart && equalsIgnoreCase(baseName(r.subjectImage), "csrss.exe"))
        return;
    addLink(source, target, InjectionAccess, &r, r.utcMs);
}

void Build::addAlert(int index, const Alert& alert)
{
    auto locate = [&](const AlertProcess& p) {
        if (usableGuid(p.guid))
            return findOrInferGuid(alert.host, p.guid, p.pid, p.image, alert.firstUtcMs);
        return resolvePid(alert.host, p.pid, p.image, alert.firstUtcMs, true);
    };
    const int source = locate(alert.source);
    const int target = locate(alert.target);
    for (int node : {source, target}) {
        if (node < 0)
            continue;
        auto& list = m_tree.nodes[size_t(node)].alerts;
        if (std::find(list.begin(), list.end(), index) == list.end())
            list.push_back(index);
    }
    if (source >= 0 && target >= 0 && source != target)
        addLink(source, target, InjectionAlert, nullptr, alert.firstUtcMs);
}

void Build::finishStructure()
{
    auto& nodes = m_tree.nodes;
    const size_t count = nodes.size();
    // Bad data can make a process its own ancestor. Walk each parent chain once (iteratively: chains may be
    // 100,000 deep), and cut the link that closes a cycle; that node becomes a root marked cycleBroken.
    std::vector<uint8_t> state(count, 0); // 0 unvisited, 1 on the current path, 2 done
    std::vector<int> path;
    for (size_t s = 0; s < count; ++s) {
        if (state[s])
            continue;
        path.clear();
        int v = int(s);
        while (v >= 0 && state[size_t(v)] == 0) {
            state[size_t(v)] = 1;
            path.push_back(v);
            v = nodes[size_t(v)].parent;
        }
        if (v >= 0 && state[size_t(v)] == 1) {
            // The cycle is path[v..end]. Cut the least plausible link: the one whose parent started latest
            // relative to its child (a parent that did not exist yet), the first such on ties.
            auto cycleStart = std::find(path.begin(), path.end(), v);
            int cut = *cycleStart;
            int64_t worst = std::numeric_limits<int64_t>::min();
            for (auto it = cycleStart; it != path.end(); ++it) {
                const auto& c = nodes[size_t(*it)];
                const auto& p = nodes[size_t(c.parent)];
                const int64_t gap = (p.hasStart ? p.startUtcMs : p.firstSeenUtcMs)
                                    - (c.hasStart ? c.startUtcMs : c.firstSeenUtcMs);
                if (gap > worst) {
                    worst = gap;
                    cut = *it;
                }
            }
            nodes[size_t(cut)].parent = -1;
            nodes[size_t(cut)].cycleBroken = true;
            ++m_tree.cyclesBroken;
        }
        for (int p : path)
            state[size_t(p)] = 2;
    }

    for (size_t i = 0; i < count; ++i) {
        const int p = nodes[i].parent;
        (p >= 0 ? nodes[size_t(p)].children : m_tree.roots).push_back(int(i));
    }
    auto startKey = [&](int i) {
        const auto& n = nodes[size_t(i)];
        return n.hasStart ? n.startUtcMs : n.firstSeenUtcMs;
    };
    auto byStart = [&](int a, int b) {
        const int64_t ka = startKey(a), kb = startKey(b);
        return ka != kb ? ka < kb : a < b;
    };
    auto rootOrder = [&](int a, int b) {
        const int c = QString::compare(nodes[size_t(a)].host, nodes[size_t(b)].host, Qt::CaseInsensitive);
        return c != 0 ? c < 0 : byStart(a, b);
    };
    std::sort(m_tree.roots.begin(), m_tree.roots.end(), rootOrder);
    for (size_t i = 0; i < m_tree.roots.size(); ++i)
        nodes[size_t(m_tree.roots[i])].row = int(i);
    for (auto& n : nodes) {
        std::sort(n.children.begin(), n.children.end(), byStart);
        for (size_t i = 0; i < n.children.size(); ++i)
            nodes[size_t(n.children[i])].row = int(i);
    }

    m_tree.byGuid.reserve(qsizetype(count));
    m_tree.byPid.reserve(qsizetype(count));
    for (size_t i = 0; i < count; ++i) {
        const auto& n = nodes[i];
        if (!n.guid.isEmpty())
            m_tree.byGuid.insert(n.guid, int(i));
        if (n.pid >= 0)
            m_tree.byPid.insert(qint64(n.pid), int(i));
    }
}

} // namespace

bool ProcessTreeBuilder::isTreeEvent(int64_t eventId, const std::string& channel)
{
    switch (eventId) {
    case 4688:
    case 4689:
        return true;
    case 1:
    case 5:
    case 8:
    case 10:
        // Event ids collide across logs (Application 1 is anything): only Sysmon's count here.
        return channel.find("Sysmon") != std::string::npos || channel.find("sysmon") != std::string::npos;
    default:
        return false;
    }
}

void ProcessTreeBuilder::add(EventRecord row)
{
    if (!isTreeEvent(row.eventId, row.channel))
        return;
    ++m_read;
    switch (row.eventId) {
    case 1:
    case 4688: m_creations.push_back(std::move(row)); break;
    case 5:
    case 4689: m_exits.push_back(std::move(row)); break;
    default: m_accesses.push_back(std::move(row)); break;
    }
}

ProcessTreePtr ProcessTreeBuilder::finish(const AlertSet* alerts, const std::atomic_bool* cancel)
{
    auto cancelled = [cancel] { return cancel && cancel->load(std::memory_order_relaxed); };
    auto tree = std::make_shared<ProcessTree>();
    tree->eventsRead = m_read;
    tree->nodes.reserve(m_creations.size() + m_accesses.size() / 4 + 16);
    // Sort an index, then move each row once: swapping whole rows (a dozen strings each) in a merge sort
    // cost more than the rest of the build on 100,000 processes.
    auto sortByTime = [](std::vector<EventRecord>& rows) {
        if (std::is_sorted(rows.begin(), rows.end(), timeLess))
            return;
        std::vector<uint32_t> order(rows.size());
        for (size_t i = 0; i < order.size(); ++i)
            order[i] = uint32_t(i);
        std::stable_sort(order.begin(), order.end(),
                         [&rows](uint32_t a, uint32_t b) { return timeLess(rows[a], rows[b]); });
        std::vector<EventRecord> sorted;
        sorted.reserve(rows.size());
        for (uint32_t i : order)
            sorted.push_back(std::move(rows[i]));
        rows.swap(sorted);
    };
    sortByTime(m_creations);
    sortByTime(m_exits);
    sortByTime(m_accesses);

    Build build(*tree);
    // Creations first, then exits: PID lifetimes must be complete before any PID reference is resolved.
    std::vector<int> created(m_creations.size(), -1);
    for (size_t i = 0; i < m_creations.size(); ++i)
        created[i] = build.addCreation(m_creations[i]);
    if (cancelled())
        return nullptr;
    for (const auto& r : m_exits)
        build.addExit(r);
    for (size_t i = 0; i < m_creations.size(); ++i) {
        if (created[i] >= 0)
            build.linkParent(created[i], m_creations[i]);
    }
    if (cancelled())
        return nullptr;
    for (const auto& r : m_accesses)
        build.addAccess(r);
    if (alerts) {
        for (size_t i = 0; i < alerts->alerts.size(); ++i)
            build.addAlert(int(i), alerts->alerts[i]);
    }
    if (cancelled())
        return nullptr;
    build.finishStructure();
    return tree;
}

ProcessTreePtr buildProcessTree(Database& db, const AlertSet* alerts, std::string& error,
                                const std::atomic_bool* cancel)
{
    EventReader reader(db,
                       {EventField::UtcMs, EventField::EventId, EventField::Host, EventField::Channel,
                        EventField::SubjectGuid, EventField::SubjectPid, EventField::SubjectImage,
                        EventField::TargetGuid, EventField::TargetPid, EventField::TargetImage, EventField::ParentGuid,
                        EventField::ParentPid, EventField::ParentImage, EventField::GrantedAccess,
                        EventField::CommandLine, EventField::User},
                       "event_id IN (1, 5, 8, 10, 4688, 4689)");
    if (!reader.isValid()) {
        error = "cannot read the process events: " + reader.error();
        return nullptr;
    }
    ProcessTreeBuilder builder;
    int64_t rows = 0;
    EventRecord r;
    while (reader.next(r)) {
        if ((++rows & 0xfff) == 0 && cancel && cancel->load(std::memory_order_relaxed)) {
            error = "cancelled";
            return nullptr;
        }
        builder.add(std::move(r));
        r = EventRecord();
    }
    if (!reader.error().empty()) {
        error = "cannot read the process events: " + reader.error();
        return nullptr;
    }
    auto tree = builder.finish(alerts, cancel);
    if (!tree)
        error = "cancelled";
    return tree;
}

} // namespace dscope::model
