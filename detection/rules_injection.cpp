// SPDX-License-Identifier: MIT
// Remote-thread rules: R0 (the draft, for comparison), R1 (handle then thread), R2 (unbacked thread),
// R7 (burst), R8 (lsass).
#include "rulecontext.h"

#include "caseindexes.h"
#include "domain/accessmask.h"
#include "pathpattern.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>

#include <algorithm>
#include <unordered_map>

namespace dscope::detection {

using model::Severity;

using model::Alert;
namespace access = model::access;

namespace {

std::string maskWords(uint32_t mask)
{
    // The full name list of PROCESS_ALL_ACCESS is noise in a sentence; the alert's masks carry it.
    if (access::isProcessAllAccess(mask))
        return access::hex(mask) + " (PROCESS_ALL_ACCESS)";
    return access::hex(mask) + " (" + access::decode(mask, access::ObjectType::Process).names + ")";
}

bool unbacked(const Row& r) { return r.startModule.empty(); }
bool unknownTarget(const Row& r) { return containsI(r.targetImage, "unknown process"); }

std::string joinValues(const std::set<std::string>& values, size_t max = 4)
{
    std::string s;
    size_t n = 0;
    for (const auto& v : values) {
        if (n++ == max) {
            s += ", ...";
            break;
        }
        if (!s.empty())
            s += ", ";
        s += v;
    }
    return s;
}

std::string flagsText(const Acc& acc)
{
    return acc.flags.empty() ? std::string() : " Severity raised: " + joinValues(acc.flags, 8) + ".";
}

} // namespace

// The draft exactly: (ga & 0x1440) = 0x1440, joined on the source GUID alone. Each (EID 10, EID 8) row of the
// join counts, which is how its Cartesian product shows.
void runR0(RuleContext& ctx, std::vector<Alert>& out)
{
    const uint32_t mask = ctx.rule.maskParam("mask", access::kDraftMask);
    const StepFilter& handleStep = ctx.step("handle");
    const StepFilter& threadStep = ctx.step("thread");
    // The SQL reads the mask's indexed terms; the description's selection decides.
    const auto& handles = ctx.data.select(handleCondition(mask), Log::Sysmon, ctx.cancel);
    const auto& threads = ctx.data.rows(threadStep.eventId(), threadStep.log(), ctx.cancel);
    std::unordered_map<std::string, std::vector<const Row*>> bySource;
    for (const Row& h : handles)
        if (handleStep.matches(h))
            bySource[ctx.key(h)].push_back(&h);
    AlertTable table(ctx);
    for (const Row& t : threads) {
        if (ctx.cancelled())
            return;
        if (!threadStep.matches(t))
            continue;
        const auto it = bySource.find(ctx.key(t));
        if (it == bySource.end())
            continue;
        Acc& acc = table.at(t, sourceOf(t), targetOf(t));
        acc.alert.count += int64_t(it->second.size());
        ++acc.nSecond;
        table.addEvidence(acc, t, "thread");
        for (const Row* h : it->second) {
            table.addEvidence(acc, *h, "handle");
            table.addMask(acc, uint32_t(h->grantedAccess));
            if (!acc.first)
                acc.first = h;
        }
        if (!acc.second)
            acc.second = &t;
    }
    for (auto& [key, acc] : table.entries()) {
        std::string masks;
        for (uint32_t m : acc.masks)
            masks += (masks.empty() ? "" : ", ") + access::hex(m);
        acc.alert.explanation =
            "Draft analytic: " + std::to_string(acc.nSecond) + " Sysmon 8 thread(s) of this source joined with every "
            "Sysmon 10 of the same source GUID whose mask has all bits of " + access::hex(mask) + " (" + masks + "), giving "
            + std::to_string(acc.alert.count) + " joined rows. The join ignores the target, the host and the time, "
            "so the handle may belong to a different target or come after the thread. First thread: "
            + describeRow(ctx.data, *acc.second) + ".";
    }
    table.appendTo(out);
}

void runR1(RuleContext& ctx, std::vector<Alert>& out)
{
    const uint32_t mask = ctx.rule.maskParam("mask", access::kInjectionSet);
    const uint32_t strict = ctx.rule.maskParam("strictMask", access::kDraftListedRights);
    const StepFilter& handleStep = ctx.step("handle");
    const StepFilter& threadStep = ctx.step("thread");
    const int64_t window = ctx.correlation().windowMs;
    const int64_t burst = ctx.rule.intParam("burstThreads", 5);
    const auto scriptHosts = ctx.rule.stringList("scriptHosts");
    const auto longLived = ctx.rule.stringList("longLivedTargets");
    const auto& threads = ctx.data.rows(threadStep.eventId(), threadStep.log(), ctx.cancel);
    // Only a source that started a remote thread can pair: its handles are read, not every injection handle of the
    // case (on a 10 M-event case, 8 thousand threads from a few hundred sources against 154 thousand handles).
    std::set<std::string> threadSources;
    for (const Row& t : threads)
        if (!t.subjectGuid.empty())
            threadSources.insert(t.subjectGuid);
    const auto& handles = ctx.data.selectForSubjects(handleCondition(mask), {threadSources.begin(), threadSources.end()},
                                                     Log::Sysmon, ctx.cancel);

    // Qualifying handles per (host, source, target), already in time order from the query.
    std::unordered_map<std::string, std::vector<const Row*>> byPair;
    for (const Row& h : handles)
        if (handleStep.matches(h))
            byPair[ctx.key(h)].push_back(&h);
    if (byPair.empty())
        return;

    AlertTable table(ctx);
    for (const Row& t : threads) {
        if (ctx.cancelled())
            return;
        if (!threadStep.matches(t))
            continue;
        const auto it = byPair.find(ctx.key(t));
        if (it == byPair.end())
            continue;
        // The latest handle not after the thread: the one the thread most plausibly used.
        const Row* handle = nullptr;
        for (auto h = it->second.rbegin(); h != it->second.rend(); ++h)
            if (notAfter(**h, t)) {
                handle = *h;
                break;
            }
        if (!handle || t.utcMs - handle->utcMs > window)
            continue;
        // Spawn-and-inject threads name the target "<unknown process>": the handle knows its image.
        model::AlertProcess target = targetOf(t);
        if (unknownTarget(t) || target.image.empty())
            target.image = handle->targetImage;
        Acc& acc = table.at(t, sourceOf(t), target);
        ++acc.alert.count;
        ++acc.nSecond;
        if (!acc.first) {
            acc.first = handle;
            acc.second = &t;
        }
        table.addEvidence(acc, *handle, "handle");
        table.addEvidence(acc, t, "thread");
        table.addMask(acc, uint32_t(handle->grantedAccess));
        table.gap(acc, t.utcMs - handle->utcMs);
        acc.values.insert(t.startModule.empty() ? std::string("none") : t.startModule
                                + (t.startFunction.empty() ? std::string() : "!" + t.startFunction));
        if (unbacked(t))
            acc.flags.insert("a thread starts outside any module");
        if (containsI(handle->callTrace, "unknown("))
            acc.flags.insert("the handle's CallTrace has UNKNOWN frames (caller runs from unbacked memory)");
        if ((uint32_t(handle->grantedAccess) & strict) == strict)
            acc.values.insert("strict");
    }
    for (auto& [key, acc] : table.entries()) {
        Alert& a = acc.alert;
        if (a.count >= burst)
            acc.flags.insert(std::to_string(a.count) + " threads (burst threshold " + std::to_string(burst) + ")");
        for (const auto& s : scriptHosts)
            if (endsWithI(a.source.image, s))
                acc.flags.insert("the source is a script host or LOLBin (" + std::string(baseName(a.source.image)) + ")");
        for (const auto& s : longLived)
            if (endsWithI(a.target.image, s))
                acc.flags.insert("the target is a long-lived system or user process ("
                                 + std::string(baseName(a.target.image)) + ")");
        if (!acc.flags.empty())
            a.severity = std::max(a.severity, Severity::Critical);
        const bool strictTier = acc.values.erase("strict") > 0;
        std::string masks;
        for (uint32_t m : acc.masks)
            masks += (masks.empty() ? "" : "; ") + maskWords(m);
        a.explanation = describeRow(ctx.data, *acc.first) + " opened the target with " + masks
                        + ", which includes " + access::decode(mask, access::ObjectType::Process).names + " ("
                        + access::hex(mask) + ")" + (strictTier ? " and all of " + access::hex(strict) : "")
                        + "; then " + std::to_string(acc.nSecond)
                        + " remote thread(s) from the same source into the same target followed, the first at "
                        + describeRow(ctx.data, *acc.second) + ", " + fmtMs(acc.minGapMs) + " after the handle"
                        + (acc.maxGapMs != acc.minGapMs ? " (largest gap " + fmtMs(acc.maxGapMs) + ")" : "")
                        + ". Start: " + joinValues(acc.values) + "." + flagsText(acc);
    }
    table.appendTo(out);
}

void runR2(RuleContext& ctx, std::vector<Alert>& out)
{
    const auto loadLibrary = ctx.rule.stringList("loadLibraryFunctions");
    const StepFilter& threadStep = ctx.step("thread");
    const auto& threads = ctx.data.rows(threadStep.eventId(), threadStep.log(), ctx.cancel);
    AlertTable table(ctx);
    for (const Row& t : threads) {
        if (ctx.cancelled())
            return;
        // The description decides (not the same process, not allow-listed, not kernel code such as win32k's threads
        // into csrss.exe; unbacked, into an unnamed process, a LoadLibrary start or a module outside the trusted
        // folders); what follows only words it and ranks it.
        if (!threadStep.matches(t))
            continue;
        const AddressClass* address = ctx.startAddressClass(t);
        std::string kind;
        Severity severity = Severity::High;
        if (unbacked(t) || unknownTarget(t)) {
            kind = unbacked(t) ? "starts outside any loaded module (no StartModule)"
                               : "targets '<unknown process>' (a process Sysmon could not name)";
        } else if (std::find(loadLibrary.begin(), loadLibrary.end(), lowerAscii(t.startFunction)) != loadLibrary.end()) {
            kind = "starts at " + std::string(baseName(t.startModule)) + "!" + t.startFunction
                   + ": the target loads a DLL the source chose (DLL injection)";
        } else {
            kind = "starts in " + t.startModule + (t.startFunction.empty() ? "" : "!" + t.startFunction)
                   + ", a module loaded from outside the system and program folders (code an earlier injection "
                     "brought in)";
            severity = Severity::Medium;
        }
        if (address) { // LowerSeverity
            kind += " (start address class " + address->id + ": " + address->why + ")";
            severity = address->severity;
        }
        Acc& acc = table.at(t, sourceOf(t), targetOf(t));
        if (acc.nSecond == 0)
            acc.second = &t;
        ++acc.nSecond;
        ++acc.alert.count;
        table.addEvidence(acc, t, "thread");
        acc.values.insert(kind);
        acc.alert.severity = acc.nSecond == 1 ? severity : std::max(acc.alert.severity, severity);
        if (!t.startAddress.empty())
            acc.flags.insert(t.startAddress);
    }
    for (auto& [key, acc] : table.entries())
        acc.alert.explanation = std::to_string(acc.nSecond) + " Sysmon 8 remote thread(s) from this source into "
                                + "another process; the thread " + joinValues(acc.values, 3) + ". First: "
                                + describeRow(ctx.data, *acc.second) + ", start address "
                                + joinValues(acc.flags, 3) + ".";
    table.appendTo(out);
}

void runR7(RuleContext& ctx, std::vector<Alert>& out)
{
    const int64_t minThreads = std::max<int64_t>(2, ctx.correlation().minCount);
    const int64_t window = ctx.correlation().windowMs;
    const StepFilter& threadStep = ctx.step("thread");
    const auto& threads = ctx.data.rows(threadStep.eventId(), threadStep.log(), ctx.cancel);
    std::unordered_map<std::string, std::vector<const Row*>> byPair;
    for (const Row& t : threads)
        if (threadStep.matches(t))
            byPair[ctx.key(t)].push_back(&t);
    AlertTable table(ctx);
    for (const auto& [key, list] : byPair) {
        if (ctx.cancelled())
            return;
        // Two-pointer sliding window over the pair's threads (time order).
        size_t lo = 0, best = 0, bestLo = 0;
        for (size_t hi = 0; hi < list.size(); ++hi) {
            while (list[hi]->utcMs - list[lo]->utcMs > window)
                ++lo;
            if (hi - lo + 1 > best) {
                best = hi - lo + 1;
                bestLo = lo;
            }
        }
        if (int64_t(best) < minThreads)
            continue;
        const Row& first = *list[bestLo];
        const Row& last = *list[bestLo + best - 1];
        Acc& acc = table.at(first, sourceOf(first), targetOf(first));
        acc.alert.count = int64_t(list.size());
        for (size_t i = bestLo; i < bestLo + best; ++i)
            table.addEvidence(acc, *list[i], "thread");
        std::set<std::string> addresses;
        for (size_t i = bestLo; i < bestLo + best; ++i)
            addresses.insert(list[i]->startAddress.empty() ? std::string("?") : list[i]->startAddress);
        acc.alert.explanation = std::to_string(best) + " Sysmon 8 remote threads from this source into this target "
                                "within " + fmtMs(last.utcMs - first.utcMs) + " (threshold "
                                + std::to_string(minThreads) + " in " + fmtMs(window) + "), from "
                                + describeRow(ctx.data, first) + " to " + describeRow(ctx.data, last) + "; "
                                + std::to_string(addresses.size()) + " distinct start address(es): "
                                + joinValues(addresses, 3) + ". " + std::to_string(list.size())
                                + " threads in total for the pair.";
    }
    table.appendTo(out);
}

void runR8(RuleContext& ctx, std::vector<Alert>& out)
{
    const std::string target = lowerAscii(ctx.rule.params.value(QLatin1String("target")).toString().toStdString());
    // The description's two kinds of handle: a listed read mask (not from Windows' own processes, not the .NET
    // Process class's queries, programs excused by their usual parent), or VM_READ from a caller in unbacked memory.
    const StepFilter& listedStep = ctx.step("handleListed");
    const StepFilter& unbackedStep = ctx.step("handleUnbacked");
    const Selection& listedSelection = ctx.selection("handleListed");
    const auto runtimeModules = ctx.rule.stringList("managedRuntimeModules");
    const auto runtimeFrames = ctx.rule.stringList("managedRuntimeFrames");
    AlertTable table(ctx);
    const auto& handles = ctx.data.select(target == "\\lsass.exe" ? std::string("event_id = 10 AND ") + where::kLsassHandle
                                                                   : std::string("event_id = 10"),
                                          Log::Sysmon, ctx.cancel);
    for (const Row& h : handles) {
        if (ctx.cancelled())
            return;
        const bool listed = listedStep.matches(h) && !ctx.excusedByParent(listedSelection, h);
        bool unbackedCaller = unbackedStep.matches(h);
        if (!listed && !unbackedCaller)
            continue; // the cheap tests first: the look-up below runs for candidates only
        const uint32_t m = uint32_t(h.grantedAccess);
        const bool unknownFrames = containsI(h.callTrace, "unknown(");
        const std::string trace = unknownFrames ? lowerAscii(h.callTrace) : std::string();
        const bool runtimeInTrace = std::any_of(runtimeFrames.begin(), runtimeFrames.end(),
                                                [&](const std::string& f) { return trace.find(f) != std::string::npos; });
        // What the description cannot say: .NET code compiled at run time has no module behind it, so a process that
        // loaded the runtime (its own Sysmon 7) shows UNKNOWN frames without running injected code.
        bool runtimeLoaded = false;
        if (unknownFrames && !runtimeInTrace) {
            const auto& loads = ctx.data.imagesLoadedBy(h.hostKey, h.subjectGuid);
            runtimeLoaded = std::any_of(loads.begin(), loads.end(), [&](const std::string& file) {
                return std::any_of(runtimeModules.begin(), runtimeModules.end(),
                                   [&](const std::string& mod) { return endsWithI(file, mod); });
            });
        }
        unbackedCaller = unbackedCaller && !runtimeLoaded;
        if (!listed && !unbackedCaller)
            continue;
        Acc& acc = table.at(h, sourceOf(h), targetOf(h));
        if (!acc.first)
            acc.first = &h;
        ++acc.nFirst;
        ++acc.alert.count;
        table.addEvidence(acc, h, "handle");
        table.addMask(acc, m);
        if (unbackedCaller)
            acc.flags.insert("unbacked");
        else if (unknownFrames)
            acc.values.insert(runtimeLoaded ? "the process loaded the .NET runtime (Sysmon 7)"
                                            : "the CallTrace passes through the .NET runtime");
    }
    const StepFilter& threadStep = ctx.step("thread");
    for (const Row& t : ctx.data.rows(threadStep.eventId(), threadStep.log(), ctx.cancel)) {
        if (!threadStep.matches(t))
            continue;
        Acc& acc = table.at(t, sourceOf(t), targetOf(t));
        if (!acc.second)
            acc.second = &t;
        ++acc.nSecond;
        ++acc.alert.count;
        table.addEvidence(acc, t, "thread");
        acc.alert.severity = std::max(acc.alert.severity, Severity::Critical);
    }
    for (auto& [key, acc] : table.entries()) {
        std::string text;
        if (acc.first) {
            std::string ms;
            for (uint32_t m : acc.masks)
                ms += (ms.empty() ? "" : "; ") + maskWords(m);
            text = std::to_string(acc.nFirst) + " Sysmon 10 handle(s) to " + std::string(baseName(acc.alert.target.image))
                   + " with " + ms + ", first " + describeRow(ctx.data, *acc.first) + ".";
            if (acc.flags.count("unbacked"))
                text += " The CallTrace has UNKNOWN frames: the caller runs from unbacked memory.";
            else if (!acc.values.empty())
                text += " The CallTrace has UNKNOWN frames, but " + *acc.values.begin()
                        + ": code compiled at run time has no module, so those frames are not read as unbacked code; "
                          "the alert rests on the rights and the target.";
        }
        if (acc.second)
            text += (text.empty() ? "" : " ") + std::to_string(acc.nSecond) + " remote thread(s) started in "
                    + std::string(baseName(acc.alert.target.image)) + ", first " + describeRow(ctx.data, *acc.second)
                    + (acc.second->startModule.empty() ? " outside any module" : " in " + acc.second->startModule)
                    + ".";
        acc.alert.explanation = text;
    }
    table.appendTo(out);
}

} // namespace dscope::detection
