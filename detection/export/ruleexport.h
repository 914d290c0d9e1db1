// SPDX-License-Identifier: MIT
#pragma once

#include "fieldmap.h"
#include "ruledescription.h"

#include <string>

namespace dscope::detection {

/// The query languages a rule is exported to.
enum class ExportFormat { SparkSql, Sigma, Spl, Eql, Kql };

const char* exportFormatName(ExportFormat f);
bool parseExportFormat(const std::string& word, ExportFormat& out);
/// The file name extension of a format ("sql", "yml", "spl", "eql", "kql").
const char* exportExtension(ExportFormat f);

/**
 * One rule in a query language, from its description, over events with the field set's names. Every file starts
 * with the rule's id, version, description, blind spots, false positives and what the engine does beyond the
 * description, as comments. A rule the language cannot express says so in the file (and the reason), and the
 * function still returns it: `expressible` tells the caller.
 */
std::string exportRule(const RuleDescription& rule, const RuleSet& set, ExportFormat format, FieldSet fields,
                       bool* expressible = nullptr);

/// The comment block every exported file starts with, each line behind `prefix` ("-- ", "# ", "// ", "``` ").
std::string exportHeader(const RuleDescription& rule, ExportFormat format, FieldSet fields, const char* prefix);

// The languages, one file each.
std::string exportSparkSql(const RuleDescription& rule, const RuleSet& set, FieldSet fields);
/// Sigma always uses Sysmon's field names (Sigma's convention; a backend's pipeline renames them).
std::string exportSigma(const RuleDescription& rule, const RuleSet& set, bool& expressible);
/// Splunk SPL over Sysmon's own field names (the Splunk Add-on for Sysmon).
std::string exportSpl(const RuleDescription& rule, const RuleSet& set);
/// KQL for Microsoft Sentinel (SysmonEvents, SecurityEvent), with what Defender for Endpoint's tables stand in for.
std::string exportKql(const RuleDescription& rule, const RuleSet& set);
/// Elastic EQL (ECS names by default: --fields ecs).
std::string exportEql(const RuleDescription& rule, const RuleSet& set, FieldSet fields, bool& expressible);

} // namespace dscope::detection
