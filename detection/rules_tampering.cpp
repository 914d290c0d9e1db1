// SPDX-License-Identifier: MIT
// Process-image rules for the NtCreateProcessEx family (Doppelgänging, Herpaderping, Ghosting) and hollowing:
// R3 (Sysmon 25), R4 (handle to a pathless target), R5 (pathless image), R6 (TxF near process creation).
#include "rulecontext.h"

#include "domain/accessmask.h"

#include <algorithm>
#include <unordered_map>

namespace dscope::detection {

using model::Alert;

namespace {

bool hasFolder(std::string_view image) { return image.find('\\') != std::string_view::npos; }

bool inList(const std::vector<std::string>& list, std::string_view value)
{
    const std::string v = lower(value);
    return std::find(list.begin(), list.end(), v) != list.end();
}

/// Process creations (Sysmon 1) by host and process GUID.
std::unordered_map<std::string, const Row*> creations(RuleContext& ctx)
{
    std::unordered_map<std::string, const Row*> map;
    for (const Row& r : ctx.data.rows(1, Log::Sysmon, ctx.cancel))
        if (!r.srcGuid.empty())
            map.emplace(r.hostKey + '\x1f' + r.srcGuid, &r);
    return map;
}

} // namespace

void runR3(RuleContext& ctx, std::vector<Alert>& out)
{
    const auto highTypes = ctx.rule.stringList("highTypes");
    const auto excludes = ctx.rule.stringList("replacedExcludes");
    const auto& tampering = ctx.data.rows(25, Log::Sysmon, ctx.cancel);
    if (tampering.empty())
        return;
    const auto created = creations(ctx);
    AlertTable table(ctx);
    for (const Row& t : tampering) {
        if (ctx.cancelled())
            return;
        const std::string type = lower(t.detail);
        const bool high = inList(highTypes, t.detail);
        if (!high && type == "image is replaced"
            && std::any_of(excludes.begin(), excludes.end(), [&](const std::string& e) { return containsI(t.srcImage, e); }))
            continue;
        const auto it = created.find(t.hostKey + '\x1f' + t.srcGuid);
        const Row* creation = it == created.end() ? nullptr : it->second;
        model::AlertProcess tampered = sourceOf(t);
        if (creation && (tampered.image.empty() || containsI(tampered.image, "unknown process")))
            tampered.image = creation->srcImage;
        Acc& acc = table.at(t, creation ? parentOf(*creation) : model::AlertProcess{}, tampered);
        if (!acc.first)
            acc.first = &t;
        ++acc.alert.count;
        table.addEvidence(acc, t, "tampering");
        acc.values.insert(t.detail.empty() ? std::string("(no type)") : t.detail);
        if (high)
            acc.alert.severity = raiseSeverity(acc.alert.severity, "high");
        if (creation && !acc.second) {
            acc.second = creation;
            table.addEvidence(acc, *creation, "creation");
        }
    }
    for (auto& [key, acc] : table.entries()) {
        std::string types;
        for (const auto& v : acc.values)
            types += (types.empty() ? "'" : ", '") + v + "'";
        std::string text = describeRow(ctx.data, *acc.first) + " reports process tampering (" + types + ") for "
               + (acc.alert.target.image.empty() ? std::string("a process") : acc.alert.target.image) + ".";
        if (containsI(acc.first->srcImage, "unknown process"))
            text += " Sysmon could not name the image, as for a process whose file is gone.";
        if (acc.second)
            text += " It was created by " + acc.second->parentImage + " (" + describeRow(ctx.data, *acc.second)
                    + ") with command line: " + acc.second->commandLine;
        else
            text += " No Sysmon 1 for the process is in the case, so its parent is unknown.";
        acc.alert.explanation = text;
    }
    table.appendTo(out);
}

void runR4(RuleContext& ctx, std::vector<Alert>& out)
{
    const auto masks = ctx.rule.maskList("masks");
    const auto ignore = ctx.rule.stringList("ignoreTargets");
    const int64_t fileWindow = ctx.rule.intParam("fileWindowMs", 60000);
    AlertTable table(ctx);
    std::vector<const Row*> hits;
    for (const Row& h : ctx.data.rows(10, Log::Sysmon, ctx.cancel)) {
        if (ctx.cancelled())
            return;
        if (h.access < 0 || h.tgtImage.empty() || hasFolder(h.tgtImage) || inList(ignore, h.tgtImage)
            || containsI(h.tgtImage, "unknown process") || lower(h.tgtImage).rfind("vmmem", 0) == 0 || sameProcess(h))
            continue;
        const uint32_t m = uint32_t(h.access);
        if (!std::any_of(masks.begin(), masks.end(), [m](uint32_t want) { return (m & want) == want; }))
            continue;
        hits.push_back(&h);
    }
    if (hits.empty())
        return;
    // Escalation: the creator wrote a file of the same name shortly before (Herpaderping writes, maps, then
    // overwrites its own file); the new process's Sysmon 1 names the creator as parent.
    std::unordered_map<std::string, std::vector<const Row*>> writes; // host|creator guid -> Sysmon 11
    for (const Row& f : ctx.data.rows(11, Log::Sysmon, ctx.cancel))
        if (!f.srcGuid.empty())
            writes[f.hostKey + '\x1f' + f.srcGuid].push_back(&f);
    const auto created = creations(ctx);
    for (const Row* h : hits) {
        Acc& acc = table.at(*h, sourceOf(*h), targetOf(*h));
        if (!acc.first)
            acc.first = h;
        ++acc.alert.count;
        table.addEvidence(acc, *h, "handle");
        table.addMask(acc, uint32_t(h->access));
        if (!containsI(h->callTrace, "kernelbase"))
            acc.flags.insert("nokernelbase");
        const auto c = created.find(h->hostKey + '\x1f' + h->tgtGuid);
        if (c != created.end() && c->second->parentGuid == h->srcGuid && !acc.second) {
            acc.second = c->second;
            table.addEvidence(acc, *c->second, "creation");
        }
        const auto w = writes.find(h->hostKey + '\x1f' + h->srcGuid);
        if (w != writes.end())
            for (const Row* f : w->second)
                if (f->utcMs <= h->utcMs && h->utcMs - f->utcMs <= fileWindow
                    && lower(baseName(f->targetFilename)) == lower(baseName(h->tgtImage))) {
                    table.addEvidence(acc, *f, "file");
                    acc.values.insert(f->targetFilename + " written " + fmtMs(h->utcMs - f->utcMs) + " before");
                    break;
                }
    }
    for (auto& [key, acc] : table.entries()) {
        Alert& a = acc.alert;
        const bool noKernelbase = acc.flags.count("nokernelbase") > 0;
        a.severity = noKernelbase ? raiseSeverity(a.severity, "high") : "medium";
        if (!acc.values.empty())
            a.severity = "critical";
        std::string text = describeRow(ctx.data, *acc.first) + ": " + a.source.image + " holds "
                           + model::access::hex(uint32_t(acc.first->access)) + " (PROCESS_ALL_ACCESS) on a process "
                           "Sysmon names only '" + a.target.image + "', without a folder: the process was created "
                           "from a section whose file is gone, changed or transacted (NtCreateProcessEx).";
        text += noKernelbase ? " The CallTrace has no KERNELBASE frame, so the handle did not come from the "
                               "documented CreateProcess path."
                             : " The CallTrace passes through KERNELBASE, which lowers confidence.";
        if (acc.second)
            text += " The new process's Sysmon 1 (" + describeRow(ctx.data, *acc.second) + ") names this source "
                    "as parent; image " + acc.second->srcImage + ".";
        for (const auto& v : acc.values)
            text += " The creator wrote " + v + " the handle (Herpaderping pattern).";
        a.explanation = text;
    }
    table.appendTo(out);
}

void runR5(RuleContext& ctx, std::vector<Alert>& out)
{
    const auto ignore = ctx.rule.stringList("ignoreImages");
    AlertTable table(ctx);
    for (const Log log : {Log::Sysmon, Log::Security}) {
        for (const Row& p : ctx.data.rows(log == Log::Sysmon ? 1 : 4688, log, ctx.cancel)) {
            if (ctx.cancelled())
                return;
            if (p.srcImage.empty() || hasFolder(p.srcImage) || inList(ignore, p.srcImage)
                || lower(p.srcImage).rfind("vmmem", 0) == 0)
                continue;
            Acc& acc = table.at(p, parentOf(p), sourceOf(p));
            if (!acc.first)
                acc.first = &p;
            ++acc.alert.count;
            table.addEvidence(acc, p, "creation");
        }
    }
    for (auto& [key, acc] : table.entries())
        acc.alert.explanation = describeRow(ctx.data, *acc.first) + " records a process whose image is '"
                                + acc.first->srcImage + "', a bare name with no folder: the file behind the process "
                                "did not exist or could not be named when it started (Ghosting, Doppelgänging). Parent: "
                                + (acc.first->parentImage.empty() ? std::string("unknown") : acc.first->parentImage)
                                + "; command line: " + acc.first->commandLine;
    table.appendTo(out);
}

void runR6(RuleContext& ctx, std::vector<Alert>& out)
{
    const int64_t window = ctx.rule.intParam("windowMs", 60000);
    const auto installers = ctx.rule.stringList("installers");
    const auto extensions = ctx.rule.stringList("fileExtensions");
    const auto& states = ctx.data.rows(4985, Log::Security, ctx.cancel);
    if (states.empty())
        return;
    // Transacted opens of executable files, by transaction id.
    std::unordered_map<std::string, std::vector<const Row*>> opens;
    for (const Row& o : ctx.data.rows(4656, Log::Security, ctx.cancel))
        if (!o.transactionId.empty() && o.transactionId != "00000000-0000-0000-0000-000000000000"
            && std::any_of(extensions.begin(), extensions.end(),
                           [&](const std::string& e) { return endsWithI(o.targetFilename, e); }))
            opens[o.transactionId].push_back(&o);
    // Process creations by host and parent PID: 4985 carries no process GUID.
    std::unordered_map<std::string, std::vector<const Row*>> children;
    for (const int id : {1, 4688})
        for (const Row& c : ctx.data.rows(id, id == 1 ? Log::Sysmon : Log::Security, ctx.cancel))
            if (c.parentPid >= 0)
                children[c.hostKey + '\x1f' + std::to_string(c.parentPid)].push_back(&c);

    AlertTable table(ctx);
    for (const Row& s : states) {
        if (ctx.cancelled())
            return;
        if (std::any_of(installers.begin(), installers.end(), [&](const std::string& i) { return endsWithI(s.srcImage, i); }))
            continue;
        // A child: created on the same host by the same process (PID; images when both are known), within the window.
        const Row* child = nullptr;
        const auto candidates = children.find(s.hostKey + '\x1f' + std::to_string(s.srcPid));
        for (const Row* c : candidates == children.end() ? std::vector<const Row*>{} : candidates->second) {
            if (s.srcPid < 0 || c->utcMs < s.utcMs || c->utcMs - s.utcMs > window)
                continue;
            if (!c->parentImage.empty() && !s.srcImage.empty() && lower(c->parentImage) != lower(s.srcImage))
                continue;
            child = c;
            break;
        }
        Acc& acc = table.at(s, sourceOf(s), child ? sourceOf(*child) : model::AlertProcess{});
        if (!acc.first)
            acc.first = &s;
        ++acc.alert.count;
        table.addEvidence(acc, s, "transaction");
        acc.values.insert(s.transactionState.empty() ? std::string("?") : s.transactionState);
        if (child && !acc.second) {
            acc.second = child;
            table.addEvidence(acc, *child, "creation");
        }
        const auto o = opens.find(s.transactionId);
        if (o != opens.end())
            for (const Row* f : o->second) {
                table.addEvidence(acc, *f, "file");
                acc.flags.insert(f->targetFilename);
            }
    }
    for (auto& [key, acc] : table.entries()) {
        Alert& a = acc.alert;
        const int strength = (acc.second ? 1 : 0) + (acc.flags.empty() ? 0 : 1);
        a.severity = strength == 2 ? "critical" : strength == 1 ? "high" : "medium";
        std::string statesText;
        for (const auto& v : acc.values)
            statesText += (statesText.empty() ? "" : ", ") + v;
        std::string text = std::to_string(a.count) + " Security 4985 transaction state change(s) (NewState "
                           + statesText + ") by " + a.source.image + ", first " + describeRow(ctx.data, *acc.first)
                           + "; this process is not an installer, and Transactional NTFS is otherwise rare.";
        if (acc.second)
            text += " It created " + acc.second->srcImage + " " + fmtMs(acc.second->utcMs - acc.first->utcMs)
                    + " later (" + describeRow(ctx.data, *acc.second) + ").";
        if (!acc.flags.empty()) {
            std::string files;
            for (const auto& f : acc.flags)
                files += (files.empty() ? "" : ", ") + f;
            text += " Inside the transaction it opened " + files + " (Security 4656 with the same TransactionId).";
        }
        if (strength == 0)
            text += " No process creation or transacted file open was found nearby; check whether file-system "
                    "auditing and process creation events are collected.";
        a.explanation = text;
    }
    table.appendTo(out);
}

} // namespace dscope::detection
