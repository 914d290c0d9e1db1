// SPDX-License-Identifier: MIT
// Process-image rules for the NtCreateProcessEx family (Doppelgänging, Herpaderping, Ghosting) and hollowing:
// R3 (Sysmon 25), R4 (handle to a pathless target), R5 (pathless image), R6 (TxF near process creation).
#include "rulecontext.h"

#include "caseindexes.h"
#include "domain/accessmask.h"
#include "pathpattern.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonObject>

#include <algorithm>
#include <map>
#include <memory>
#include <unordered_map>

namespace dscope::detection {

using model::Severity;

using model::Alert;

namespace {

bool inList(const std::vector<std::string>& list, std::string_view value)
{
    const std::string v = lowerAscii(value);
    return std::find(list.begin(), list.end(), v) != list.end();
}

} // namespace

void runR3(RuleContext& ctx, std::vector<Alert>& out)
{
    const auto highTypes = ctx.rule.stringList("highTypes");
    const StepFilter& step = ctx.step("tampering");
    // Known-benign images (pinned to their folder) with the parent that starts them (the step's excuseStartedBy):
    // the genuine process is left out; the same image with another or an unknown parent alerts at low severity.
    const auto& knownBenign = ctx.selection("tampering").excuseStartedBy;
    const auto& tampering = ctx.data.rows(step.eventId(), step.log(), ctx.cancel);
    if (tampering.empty())
        return;
    AlertTable table(ctx);
    for (const Row& t : tampering) {
        if (ctx.cancelled())
            return;
        if (!step.matches(t))
            continue; // an "image is replaced" of a program that replaces its own image in normal operation
        const bool high = inList(highTypes, t.detail);
        const Row* creation = ctx.data.creationOf(t.hostKey, t.subjectGuid);
        model::AlertProcess tampered = sourceOf(t);
        if (creation && (tampered.image.empty() || containsI(tampered.image, "unknown process")))
            tampered.image = creation->subjectImage;
        const auto benign = std::find_if(knownBenign.begin(), knownBenign.end(), [&](const auto& b) {
            return matchesPath(tampered.image, b.image);
        });
        if (benign != knownBenign.end() && creation && matchesPath(creation->parentImage, benign->parent))
            continue;
        Acc& acc = table.at(t, creation ? parentOf(*creation) : model::AlertProcess{}, tampered);
        if (!acc.first)
            acc.first = &t;
        ++acc.alert.count;
        table.addEvidence(acc, t, "tampering");
        acc.values.insert(t.detail.empty() ? std::string("(no type)") : t.detail);
        if (high)
            acc.alert.severity = std::max(acc.alert.severity, Severity::High);
        if (creation && !acc.second) {
            acc.second = creation;
            table.addEvidence(acc, *creation, "creation");
        }
        if (benign != knownBenign.end())
            acc.flags.insert("known-benign");
    }
    for (auto& [key, acc] : table.entries()) {
        std::string types;
        for (const auto& v : acc.values)
            types += (types.empty() ? "'" : ", '") + v + "'";
        std::string text = describeRow(ctx.data, *acc.first) + " reports process tampering (" + types + ") for "
               + (acc.alert.target.image.empty() ? std::string("a process") : acc.alert.target.image) + ".";
        if (containsI(acc.first->subjectImage, "unknown process"))
            text += " Sysmon could not name the image, as for a process whose file is gone.";
        if (acc.second)
            text += " It was created by " + acc.second->parentImage + " (" + describeRow(ctx.data, *acc.second)
                    + ") with command line: " + acc.second->commandLine;
        else
            text += " No Sysmon 1 for the process is in the case, so its parent is unknown.";
        if (acc.flags.count("known-benign")) {
            acc.alert.severity = Severity::Low;
            text += " The image is on the rule's known-benign list, but its parent is not the one that starts it (or is "
                    "not in the case); low severity: check the parent.";
        }
        acc.alert.explanation = text;
    }
    table.appendTo(out);
}

void runR4(RuleContext& ctx, std::vector<Alert>& out)
{
    const int64_t fileWindow = ctx.rule.intParam("fileWindowMs", 60000);
    const StepFilter& step = ctx.step("handle");
    AlertTable table(ctx);
    std::vector<const Row*> hits;
    // The SQL narrows to targets without a separator (indexed); the description's selection decides.
    const std::string condition = "event_id = " + std::to_string(step.eventId()) + " AND " + where::kPathlessTarget;
    for (const Row& h : ctx.data.select(condition, step.log(), ctx.cancel)) {
        if (ctx.cancelled())
            return;
        if (step.matches(h))
            hits.push_back(&h);
    }
    if (hits.empty())
        return;
    // One alert per created process: its creator and the system processes that receive a handle to every new
    // process (csrss.exe, conhost.exe: the description's helpers) hold the same kind of handle; the creator is the
    // source, the others evidence.
    auto isSecondary = [&](const Row& r) { return ctx.helper(r); };
    std::map<std::string, std::vector<const Row*>> byTarget; // ordered: stable output
    for (const Row* h : hits) {
        const model::AlertProcess t = targetOf(*h);
        byTarget[h->hostKey + '\x1f' + (t.guid.empty() ? std::to_string(t.pid) + '|' + lowerAscii(t.image) : t.guid)]
            .push_back(h);
    }
    // Escalation: the creator wrote a file of the same name shortly before (Herpaderping writes, maps, then
    // overwrites its own file); the new process's Sysmon 1 names the creator as parent.
    std::vector<std::unique_ptr<Row>> files; // evidence rows must outlive the table
    for (const auto& [key, group] : byTarget) {
        const auto creator = std::find_if(group.begin(), group.end(), [&](const Row* r) { return !isSecondary(*r); });
        const Row* h = creator != group.end() ? *creator : group.front();
        Acc& acc = table.at(*h, sourceOf(*h), targetOf(*h));
        acc.first = h;
        for (const Row* r : group) {
            ++acc.alert.count;
            table.addEvidence(acc, *r, r == h ? "handle" : "handle of a system process");
            table.addMask(acc, uint32_t(r->grantedAccess));
            if (r != h)
                acc.flags.insert("also held by " + std::string(baseName(r->subjectImage)));
        }
        if (!containsI(h->callTrace, "kernelbase"))
            acc.flags.insert("nokernelbase");
        const Row* c = ctx.data.creationOf(h->hostKey, h->targetGuid);
        if (c && c->parentGuid == h->subjectGuid && !acc.second) {
            acc.second = c;
            table.addEvidence(acc, *c, "creation");
        }
        if (h->subjectGuid.empty() || !acc.values.empty())
            continue;
        // Files the creator wrote shortly before (subject GUID index, bounded time).
        for (Row& f : ctx.data.lookup("+event_id = 11 AND +utc_ms BETWEEN ?1 AND ?2 AND subject_guid = ?3",
                                      Log::Sysmon, {h->utcMs - fileWindow, h->utcMs}, {h->subjectGuid}))
            if (f.hostKey == h->hostKey && lowerAscii(baseName(f.targetFilename)) == lowerAscii(baseName(h->targetImage))) {
                files.push_back(std::make_unique<Row>(std::move(f)));
                const Row& w = *files.back();
                table.addEvidence(acc, w, "file");
                acc.values.insert(w.targetFilename + " written " + fmtMs(h->utcMs - w.utcMs) + " before");
                break;
            }
    }
    for (auto& [key, acc] : table.entries()) {
        Alert& a = acc.alert;
        const bool noKernelbase = acc.flags.count("nokernelbase") > 0;
        a.severity = noKernelbase ? std::max(a.severity, Severity::High) : Severity::Medium;
        if (!acc.values.empty())
            a.severity = Severity::Critical;
        const bool helper = isSecondary(*acc.first);
        if (helper)
            a.severity = Severity::Low;
        std::string text = describeRow(ctx.data, *acc.first) + ": " + a.source.image + " holds "
                           + model::access::hex(uint32_t(acc.first->grantedAccess)) + " (PROCESS_ALL_ACCESS) on a process "
                           "Sysmon names only '" + a.target.image + "', without a folder: the process was created "
                           "from a section whose file is gone, changed or transacted (NtCreateProcessEx).";
        text += noKernelbase ? " The CallTrace has no KERNELBASE frame, so the handle did not come from the "
                               "documented CreateProcess path."
                             : " The CallTrace passes through KERNELBASE, which lowers confidence.";
        if (acc.second)
            text += " The new process's Sysmon 1 (" + describeRow(ctx.data, *acc.second) + ") names this source "
                    "as parent; image " + acc.second->subjectImage + ".";
        for (const auto& v : acc.values)
            text += " The creator wrote " + v + " the handle (Herpaderping pattern).";
        std::string others;
        for (const auto& f : acc.flags)
            if (f.rfind("also held by ", 0) == 0)
                others += (others.empty() ? "" : ", ") + f.substr(13);
        if (!others.empty())
            text += " System processes that receive a handle to every new process hold one too (" + others
                    + "); their events are in the evidence.";
        if (helper)
            text += " No handle of the creator is in the case: this source is a system process that receives a "
                    "handle to new processes, not their creator.";
        a.explanation = text;
    }
    table.appendTo(out);
}

void runR5(RuleContext& ctx, std::vector<Alert>& out)
{
    AlertTable table(ctx);
    for (const char* name : {"sysmonProcess", "securityProcess"}) {
        const StepFilter& step = ctx.step(name);
        // The SQL narrows to images without a separator (indexed); the description's selection decides.
        const std::string condition = "event_id = " + std::to_string(step.eventId()) + " AND " + where::kPathlessSubject;
        for (const Row& p : ctx.data.select(condition, step.log(), ctx.cancel)) {
            if (ctx.cancelled())
                return;
            if (!step.matches(p))
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
                                + acc.first->subjectImage + "', a bare name with no folder: the file behind the process "
                                "did not exist or could not be named when it started (Ghosting, Doppelgänging). Parent: "
                                + (acc.first->parentImage.empty() ? std::string("unknown") : acc.first->parentImage)
                                + "; command line: " + acc.first->commandLine;
    table.appendTo(out);
}

void runR6(RuleContext& ctx, std::vector<Alert>& out)
{
    // The description's child correlation: its first step the state changes, then the process creations in order of
    // preference, the transacted opens, the window and the processes excused unless their child comes from the
    // transaction.
    const Correlation& link = ctx.correlation();
    const int64_t window = link.windowMs;
    const StepFilter& stateStep = ctx.step(link.steps.front());
    const auto& states = ctx.data.rows(stateStep.eventId(), stateStep.log(), ctx.cancel);
    if (states.empty())
        return;
    // Transacted opens of executable files, by transaction id.
    std::unordered_map<std::string, std::vector<const Row*>> opens;
    if (!link.unlessChildFrom.empty()) {
        const StepFilter& openStep = ctx.step(link.unlessChildFrom);
        for (const Row& o : ctx.data.select("event_id = " + std::to_string(openStep.eventId()) + " AND transaction_id IS NOT NULL",
                                            openStep.log(), ctx.cancel))
            if (openStep.matches(o))
                opens[o.transactionId].push_back(&o);
    }
    std::vector<std::unique_ptr<Row>> children; // evidence rows must outlive the table
    AlertTable table(ctx);
    for (const Row& s : states) {
        if (ctx.cancelled())
            return;
        if (!stateStep.matches(s))
            continue; // an installer
        // A child: created on the same host by the same process (PID; images when both are known), within the window.
        // 4985 carries no process GUID: children are found by host and parent PID (and image when both name
        // one) among the process creations of the window.
        const Row* child = nullptr;
        for (size_t k = 1; k < link.steps.size(); ++k) {
            if (child || s.subjectPid < 0)
                break;
            const StepFilter& childStep = ctx.step(link.steps[k]);
            for (Row& c : ctx.data.lookup("event_id = ?1 AND utc_ms BETWEEN ?2 AND ?3", childStep.log(),
                                          {childStep.eventId(), s.utcMs, s.utcMs + window})) {
                if (!childStep.matches(c))
                    continue;
                if (c.hostKey != s.hostKey || c.parentPid != s.subjectPid)
                    continue;
                if (!c.parentImage.empty() && !s.subjectImage.empty() && lowerAscii(c.parentImage) != lowerAscii(s.subjectImage))
                    continue;
                children.push_back(std::make_unique<Row>(std::move(c)));
                child = children.back().get();
                break;
            }
        }
        const auto o = opens.find(s.transactionId);
        // Processes that use transactions in normal operation (IIS writes its configuration under one) are left
        // out, unless a process is then created from a file opened inside the transaction: Doppelgänging's mark.
        if (ctx.excused(s)) {
            const bool fromTransactedFile = child && o != opens.end()
                && std::any_of(o->second.begin(), o->second.end(), [&](const Row* f) {
                       return canonicalPath(f->targetFilename) == canonicalPath(child->subjectImage);
                   });
            if (!fromTransactedFile)
                continue;
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
        if (o != opens.end())
            for (const Row* f : o->second) {
                table.addEvidence(acc, *f, "file");
                acc.flags.insert(f->targetFilename);
            }
    }
    for (auto& [key, acc] : table.entries()) {
        Alert& a = acc.alert;
        const int strength = (acc.second ? 1 : 0) + (acc.flags.empty() ? 0 : 1);
        a.severity = strength == 2 ? Severity::Critical : strength == 1 ? Severity::High : Severity::Medium;
        std::string statesText;
        for (const auto& v : acc.values)
            statesText += (statesText.empty() ? "" : ", ") + v;
        std::string text = std::to_string(a.count) + " Security 4985 transaction state change(s) (NewState "
                           + statesText + ") by " + a.source.image + ", first " + describeRow(ctx.data, *acc.first)
                           + "; this process is not an installer, and Transactional NTFS is otherwise rare.";
        if (acc.second)
            text += " It created " + acc.second->subjectImage + " " + fmtMs(acc.second->utcMs - acc.first->utcMs)
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
