// SPDX-License-Identifier: MIT
#include "ruleexport.h"

namespace dscope::detection {

namespace {

constexpr std::pair<ExportFormat, const char*> kNames[] = {{ExportFormat::SparkSql, "sparksql"}, {ExportFormat::Sigma, "sigma"},
                                                          {ExportFormat::Spl, "spl"},           {ExportFormat::Eql, "eql"},
                                                          {ExportFormat::Kql, "kql"}};

void wrapInto(std::string& out, const std::string& prefix, const std::string& text)
{
    // Comment lines of about 110 characters, words kept whole.
    std::string line;
    size_t start = 0;
    while (start <= text.size()) {
        size_t end = text.find(' ', start);
        if (end == std::string::npos)
            end = text.size();
        const std::string word = text.substr(start, end - start);
        if (!line.empty() && line.size() + 1 + word.size() > 110) {
            out += prefix + line + '\n';
            line = "    " + word;
        } else {
            line += (line.empty() ? "" : " ") + word;
        }
        start = end + 1;
    }
    if (!line.empty())
        out += prefix + line + '\n';
}

} // namespace

const char* exportFormatName(ExportFormat f)
{
    for (const auto& [format, name] : kNames)
        if (format == f)
            return name;
    return "sparksql";
}

bool parseExportFormat(const std::string& word, ExportFormat& out)
{
    for (const auto& [format, name] : kNames)
        if (word == name) {
            out = format;
            return true;
        }
    return false;
}

const char* exportExtension(ExportFormat f)
{
    switch (f) {
    case ExportFormat::SparkSql: return "sql";
    case ExportFormat::Sigma: return "yml";
    case ExportFormat::Spl: return "spl";
    case ExportFormat::Eql: return "eql";
    case ExportFormat::Kql: return "kql";
    }
    return "txt";
}

std::string exportHeader(const RuleDescription& rule, ExportFormat format, FieldSet fields, const char* prefix)
{
    const std::string p = prefix;
    std::string out;
    out += p + "Doppelscope rule " + rule.id + ": " + rule.name + '\n';
    out += p + "Rule set version " + std::to_string(rule.version) + "; technique " + rule.technique + "; severity "
           + rule.severity + "; exported as " + exportFormatName(format) + " over " + fieldSetName(fields)
           + " field names.\n";
    wrapInto(out, p, "Description: " + rule.description);
    for (const std::string& b : rule.blindSpots)
        wrapInto(out, p, "Blind spot: " + b);
    for (const std::string& f : rule.falsePositives)
        wrapInto(out, p, "False positives: " + f);
    for (const std::string& e : rule.engineOnly)
        wrapInto(out, p, "In the workbench only: " + e);
    for (const std::string& d : rule.differs)
        wrapInto(out, p, "Differs from the workbench: " + d);
    // Only the Spark SQL looks up the acting process's own Sysmon 1: elsewhere the excused programs stay in.
    if (format != ExportFormat::SparkSql && rule.onePerTarget)
        wrapInto(out, p, "Differs from the workbench: it names one source per target (the first holder that is not a "
                         "helper process); this form reports every holder, the workbench's source among them.");
    if (format != ExportFormat::SparkSql && rule.sourceField == "creator.parentGuid")
        wrapInto(out, p, "Differs from the workbench: the alert's source is the process's creator, named by the process's "
                         "own Sysmon 1; this form cannot look it up and leaves the source empty.");
    if (format != ExportFormat::SparkSql)
        for (const Selection& s : rule.selections)
            for (const Rule::StartedBy& t : s.excuseStartedBy)
                wrapInto(out, p, "Differs from the workbench: " + t.image + " started by " + t.parent + " is excused there (its "
                                 "own Sysmon 1 names that parent); this form cannot look that up and keeps its events (" + s.name + ").");
    return out;
}

std::string exportRule(const RuleDescription& rule, const RuleSet& set, ExportFormat format, FieldSet fields, bool* expressible)
{
    if (expressible)
        *expressible = true;
    if (format != ExportFormat::SparkSql && rule.correlation.type == Correlation::Type::Child)
        return exportRule(singleEventForm(rule), set, format, fields, expressible);
    switch (format) {
    case ExportFormat::SparkSql: return exportSparkSql(rule, set, fields);
    case ExportFormat::Sigma: {
        bool ok = true;
        std::string text = exportSigma(rule, set, ok);
        if (expressible)
            *expressible = ok;
        return text;
    }
    case ExportFormat::Eql: {
        bool ok = true;
        std::string text = exportEql(rule, set, fields, ok);
        if (expressible)
            *expressible = ok;
        return text;
    }
    case ExportFormat::Spl: return exportSpl(rule, set);
    case ExportFormat::Kql: return exportKql(rule, set);
    }
    return {};
}

} // namespace dscope::detection
