// SPDX-License-Identifier: MIT
#pragma once

#include "ruleset.h"

#include <cstdint>
#include <string>
#include <vector>

namespace dscope::detection {

/**
 * The declarative part of a rule (its "logic" object in the rule file), with every "$param" reference replaced by
 * the rule's parameter and every mask as a number: what the exporters translate into other query languages.
 *
 * Fields are the workbench's normalized names, the event table's columns (host, subjectGuid, targetImage,
 * grantedAccess, ...; the subject is the acting process: the source of Sysmon 8 and 10, the new process of Sysmon 1
 * and Security 4688); each field set
 * (raw Sysmon, ECS, OSSEM) maps them to its own names per event id (fieldmap.h), which is where the GUID spelling of
 * Sysmon 8 (SourceProcessGuid) and Sysmon 10 (SourceProcessGUID) is handled, once.
 */
struct Condition {
    enum class Op {
        Present,     ///< the field has a value
        Equals,      ///< any of values, without case
        EndsWith,    ///< any of values (lower-case path suffixes), without case
        StartsWith,  ///< any of values, without case
        Contains,    ///< any of values, without case
        PathPattern, ///< any of values: rule-file path patterns (%systemroot%\... pinned; others suffixes)
        AllBits,     ///< (field & mask) == mask for the mask in `mask`
        AnyMask,     ///< (field & m) == m for some m in `masks`
        MaskIn,      ///< field == m for some m in `masks`
        SameAs,      ///< equals the field named in values[0] (without case)
        AnyOf,       ///< one of `any` holds
    };
    Op op = Op::Present;
    std::string field;
    std::vector<std::string> values;
    uint32_t mask = 0;
    std::vector<uint32_t> masks;
    std::vector<Condition> any;
    bool negate = false;
};

/// The events one step of a rule takes: a log, an event id and conditions that must all hold.
struct Selection {
    std::string name;                 ///< "handle", "thread"
    std::string log;                  ///< "sysmon" or "security"
    int eventId = 0;
    std::vector<Condition> where;
    bool allowLists = false;          ///< the rule file's allow-list entries naming this rule exclude events
    bool kernelStartAddresses = false;///< threads starting at a not-user-code address class of this rule are excluded
    /// Programs excused when started by their usual parent (image and parent path patterns): the acting process's
    /// own Sysmon 1 must name that parent, so a copy started by anything else is not excused.
    std::vector<Rule::StartedBy> excuseStartedBy;
};

struct Correlation {
    enum class Type {
        Single,  ///< every selected event raises (grouped by host, source and target)
        Ordered, ///< steps[0] then steps[1] with equal keys, the second at most windowMs after the first
        Count,   ///< at least minCount events of steps[0] with equal keys within windowMs
        Join,    ///< steps[0] and steps[1] with equal keys, in any order and at any distance (the draft, R0)
        /// Every event of steps[0] raises; its target is the first process it creates within windowMs: an event of
        /// steps[1] (else steps[2], ...) on the same host whose parentPid is the event's subjectPid (and whose
        /// parentImage is its subjectImage when both name one). For events that carry no process GUID (R6's 4985).
        Child,
    };
    Type type = Type::Single;
    std::vector<std::string> steps;
    std::vector<std::string> by; ///< normalized fields the events of a chain share (host, subjectGuid, targetGuid)
    int64_t windowMs = 0;
    int64_t minCount = 0;
    /// Child only: events of steps[0] whose acting process meets these conditions are left out, unless the child
    /// was created from a file that an event of `unlessChildFrom` opened inside the same transaction (transactionId;
    /// the file's targetFilename is the child's subjectImage). R6: IIS writes its configuration under transactions.
    std::vector<Condition> excused;
    std::string unlessChildFrom;
};

struct RuleDescription {
    std::string id;
    std::string name;
    std::string technique;
    std::string severity;
    std::string description;
    int version = 0;             ///< the rule file's version
    std::vector<std::string> blindSpots;
    std::vector<std::string> falsePositives;
    std::vector<Selection> selections;
    Correlation correlation;
    /// The step whose event names the alert: its host, source (subjectGuid) and target (targetGuid) fields, or the
    /// fields `sourceField` and `targetField` name (R5: the parent and the process; R3: "creator.parentGuid", the parent
    /// named by the process's own Sysmon 1, looked up).
    std::string alertStep;
    std::string sourceField = "subjectGuid";
    /// One alert per target (host and targetGuid) rather than per source and target: its source is the first event's
    /// acting process that is not a helper (`helper` true), else the first event's (R4: the creator among the handle
    /// holders of a new process, not csrss.exe, which receives a handle to every new process).
    bool onePerTarget = false;
    std::vector<Condition> helper;
    std::string targetField = "targetGuid";
    /// What the engine does beyond this description (an enrichment that changes severity or wording only, or a
    /// test the exported form cannot make), said in every exported file.
    std::vector<std::string> engineOnly;
    /// Where an exported form says it differs from the workbench because the form was reduced (singleEventForm).
    std::vector<std::string> differs;

    const Selection* selection(const std::string& name) const;
};

/// The description of `rule` from its "logic" object; false with error (naming the rule and the key) when it has
/// none or it does not parse, or a "$param" it names is missing.
bool describeRule(const Rule& rule, const RuleSet& set, RuleDescription& out, std::string& error);

/// The rule as languages that cannot follow a process id to a later event see it: a Child correlation becomes its
/// first step's events alone (no target, the excused processes kept), with `differs` saying so. Other rules as given.
RuleDescription singleEventForm(const RuleDescription& rule);

} // namespace dscope::detection
