// SPDX-License-Identifier: MIT
// Spark SQL: one query per rule over a view named sysmon_events (the events as spark.read.json loads them), one row
// per alert with rule, host, source_guid, target_guid, first_utc, last_utc and count.
#include "exportpatterns.h"
#include "ruleexport.h"

#include <algorithm>
#include <set>
#include <sstream>

namespace dscope::detection {

namespace {

/// A Spark SQL string literal: backslashes and quotes escaped (Spark reads backslash escapes in literals).
std::string literal(const std::string& s)
{
    std::string out = "'";
    for (char c : s) {
        if (c == '\\' || c == '\'')
            out += '\\';
        out += c;
    }
    return out + "'";
}

/// A column by its dotted name (nested objects of ECS), each part quoted.
std::string column(const std::string& name)
{
    std::string out;
    size_t start = 0;
    while (true) {
        const size_t dot = name.find('.', start);
        out += '`' + name.substr(start, dot == std::string::npos ? std::string::npos : dot - start) + '`';
        if (dot == std::string::npos)
            return out;
        out += '.';
        start = dot + 1;
    }
}

class Writer
{
public:
    Writer(const RuleDescription& rule, const RuleSet& set, FieldSet fields) : m_rule(rule), m_set(set), m_fields(fields) {}

    std::string field(const Selection& s, const std::string& name) const
    {
        const std::string mapped = fieldName(m_fields, s.log, s.eventId, name);
        if (mapped.empty())
            return "CAST(NULL AS STRING)";
        m_columns.insert(mapped);
        return "CAST(" + column(mapped) + " AS STRING)";
    }

    std::string guid(const Selection& s, const std::string& name) const
    {
        // Sysmon writes {GUID} in upper case, the workbench compares them in lower case without braces.
        return "coalesce(lower(regexp_replace(" + field(s, name) + ", '[{}]', '')), '')";
    }

    static std::string hexValue(const std::string& expr)
    {
        // Masks and addresses are hex text of any width ("0x1fffff", "0x00001F3FFF"): as a number.
        return "CAST(conv(regexp_replace(lower(trim(" + expr + ")), '^0x', ''), 16, 10) AS DECIMAL(20, 0))";
    }

    std::string condition(const Selection& s, const Condition& c) const
    {
        const std::string f = c.op == Condition::Op::AnyOf ? std::string() : field(s, c.field);
        const std::string lf = "lower(" + f + ")";
        auto anyOf = [&](auto&& one, const auto& values) {
            std::string out;
            for (const auto& v : values)
                out += (out.empty() ? "" : " OR ") + one(v);
            return "(" + out + ")";
        };
        std::string e;
        switch (c.op) {
        case Condition::Op::Present: e = "(" + f + " IS NOT NULL AND " + f + " <> '')"; break;
        case Condition::Op::Equals: e = anyOf([&](const std::string& v) { return lf + " = " + literal(v); }, c.values); break;
        case Condition::Op::EndsWith: e = anyOf([&](const std::string& v) { return "endswith(" + lf + ", " + literal(v) + ")"; }, c.values); break;
        case Condition::Op::StartsWith: e = anyOf([&](const std::string& v) { return "startswith(" + lf + ", " + literal(v) + ")"; }, c.values); break;
        case Condition::Op::Contains: e = anyOf([&](const std::string& v) { return "contains(" + lf + ", " + literal(v) + ")"; }, c.values); break;
        case Condition::Op::PathPattern: e = anyOf([&](const std::string& v) { return pathMatch(lf, v); }, c.values); break;
        case Condition::Op::AllBits: e = bits(f, c.mask); break;
        case Condition::Op::AnyMask: e = anyOf([&](uint32_t m) { return bits(f, m); }, c.masks); break;
        case Condition::Op::MaskIn: e = anyOf([&](uint32_t m) { return hexValue(f) + " = " + std::to_string(m); }, c.masks); break;
        case Condition::Op::SameAs:
            e = "(" + guid(s, c.field) + " <> '' AND " + guid(s, c.field) + " = " + guid(s, c.values.front()) + ")";
            break;
        case Condition::Op::AnyOf: e = anyOf([&](const Condition& inner) { return condition(s, inner); }, c.any); break;
        }
        // A missing value fails every test, negated or not, as in the engine (an empty field matches nothing).
        return c.negate ? "NOT coalesce(" + e + ", false)" : "coalesce(" + e + ", false)";
    }

    static std::string bits(const std::string& f, uint32_t m)
    {
        return "(" + std::string("CAST(") + hexValue(f) + " AS BIGINT) & " + std::to_string(m) + ") = " + std::to_string(m);
    }

    static std::string pathMatch(const std::string& lf, const std::string& pattern)
    {
        return lf + " RLIKE " + literal(pathPatternRegex(pattern));
    }

    /// The allow-list entries naming this rule, as a condition that excludes their events.
    std::string allowListed(const Selection& s) const
    {
        std::string out;
        for (const AllowEntry& a : m_set.allowList()) {
            if (std::find(a.rules.begin(), a.rules.end(), m_rule.id) == a.rules.end())
                continue;
            std::string entry;
            auto add = [&](const std::string& e) { entry += (entry.empty() ? "" : " AND ") + e; };
            if (!a.sourceImage.empty())
                add("endswith(lower(" + field(s, "subjectImage") + "), " + literal(a.sourceImage) + ")");
            if (!a.targetImage.empty())
                add("endswith(lower(" + field(s, "targetImage") + "), " + literal(a.targetImage) + ")");
            if (!a.startFunction.empty())
                add("lower(" + field(s, "startFunction") + ") = " + literal(a.startFunction));
            if (!entry.empty())
                out += "\n    AND NOT coalesce(" + entry + ", false) -- allow-list " + a.id;
        }
        return out;
    }

    /// Start addresses of the rule's not-user-code classes (win32k's threads into csrss.exe), excluded.
    std::string kernelAddresses(const Selection& s) const
    {
        const std::string addr = field(s, "startAddress");
        const std::string digits = "regexp_replace(trim(" + addr + "), '^0[xX]', '')";
        const std::string value = hexValue(addr);
        std::string out;
        for (const AddressClass& c : m_set.addressClasses()) {
            if (c.verdict != AddressClass::Verdict::NotUserCode
                || std::find(c.rules.begin(), c.rules.end(), m_rule.id) == c.rules.end())
                continue;
            // Written as 64-bit: 16 digits, or a value above 32 bits; as 32-bit: 8 digits.
            const std::string width = c.width == 64 ? "(length(" + digits + ") = 16 OR " + value + " > 4294967295)"
                                                    : "(length(" + digits + ") = 8 AND " + value + " <= 4294967295)";
            out += "\n    AND NOT coalesce(" + width + " AND " + value + " BETWEEN " + std::to_string(c.from) + " AND "
                   + std::to_string(c.to) + ", false) -- start address class " + c.id;
        }
        return out;
    }

    std::string selection(const Selection& s) const
    {
        const CommonFields& common = commonFields(m_fields);
        std::ostringstream q;
        const std::string host = "CAST(" + column(common.host) + " AS STRING)";
        // With programs excused by their parent: the events first, then those whose own Sysmon 1 names that parent
        // left out (process_creations, a CTE of its own).
        const bool creator = m_rule.sourceField == "creator.parentGuid" && s.name == m_rule.alertStep;
        const bool excuse = !s.excuseStartedBy.empty() || creator;
        q << (excuse ? s.name + "_all" : s.name) << " AS (\n  SELECT lower(" << host << ") AS host_key, " << host << " AS host,\n"
          << "    lower(" << field(s, "subjectImage") << ") AS subject_image,\n"
          << "    unix_millis(CAST(" << column(common.time) << " AS TIMESTAMP)) AS ts,\n"
          << "    " << guid(s, "subjectGuid") << " AS subject_guid,\n"
          << "    " << guid(s, "targetGuid") << " AS target_guid,\n"
          << "    " << guid(s, "parentGuid") << " AS parent_guid,\n"
          << "    '' AS creator_parent_guid,\n"
          << "    " << helperFlag(s) << " AS is_helper,\n"
          << childColumns(s)
          << "    monotonically_increasing_id() AS row_id\n"
          << "  FROM sysmon_events\n"
          << "  WHERE CAST(" << column(common.eventId) << " AS INT) = " << s.eventId << "\n    AND "
          << (s.log == "security" ? "lower(CAST(" + column(common.channel) + " AS STRING)) = 'security'"
                                  : "lower(CAST(" + column(common.channel) + " AS STRING)) LIKE '%sysmon%'");
        for (const Condition& c : s.where)
            q << "\n    AND " << condition(s, c);
        if (s.allowLists)
            q << allowListed(s);
        if (s.kernelStartAddresses)
            q << kernelAddresses(s);
        q << "\n)";
        if (excuse) {
            q << ",\n" << s.name << " AS (\n  SELECT e.host_key, e.host, e.subject_image, e.ts, e.subject_guid, e.target_guid, e.parent_guid,\n"
              << "    e.is_helper,\n"
              << "    " << (creator ? "coalesce(c.parent_guid, '')" : "e.creator_parent_guid") << " AS creator_parent_guid, e.row_id\n"
              << "  FROM " << s.name << "_all e\n  LEFT JOIN process_creations c ON c.host_key = e.host_key AND c.guid = e.subject_guid\n  WHERE NOT coalesce(";
            if (s.excuseStartedBy.empty())
                q << "false";
            for (size_t i = 0; i < s.excuseStartedBy.size(); ++i) {
                const Rule::StartedBy& t = s.excuseStartedBy[i];
                // Sysmon names no image ('<unknown process>') for a process whose file is gone: its Sysmon 1 does.
                q << (i ? " OR " : "") << "(CASE WHEN coalesce(e.subject_image, '') = '' OR contains(e.subject_image, 'unknown process') "
                  << "THEN c.image ELSE e.subject_image END RLIKE " << literal(pathPatternRegex(t.image)) << " AND c.parent_image RLIKE "
                  << literal(pathPatternRegex(t.parent)) << ")";
            }
            q << ", false)\n)";
        }
        return q.str();
    }

    /// A process id as a number: decimal, or hex text ("0x14c8", as Security events write it).
    std::string pid(const Selection& s, const std::string& name) const
    {
        const std::string f = "trim(" + field(s, name) + ")";
        return "CAST(CASE WHEN lower(" + f + ") LIKE '0x%' THEN conv(substr(" + f + ", 3), 16, 10) ELSE " + f + " END AS BIGINT)";
    }

    /// A path as the engine compares paths (canonicalPath): lower case, backslashes, no \\?\ or \??\ prefix, no
    /// drive letter, \SystemRoot\ as \windows\.
    static std::string canonical(const std::string& expr)
    {
        std::string e = "replace(lower(" + expr + "), '/', " + literal("\\") + ")";
        e = "regexp_replace(" + e + ", " + literal(R"(^(\\\?\\|\\\?\?\\))") + ", '')";
        e = "regexp_replace(" + e + ", '^[a-z]:', '')";
        return "regexp_replace(" + e + ", " + literal(R"(^\\systemroot\\)") + ", " + literal(R"(\\windows\\)") + ")";
    }

    /// What a child correlation (R6) reads besides the common columns: process ids, the parent's image, the
    /// transaction, canonical paths, and whether the acting process is one the rule excuses.
    std::string childColumns(const Selection& s) const
    {
        const Correlation& c = m_rule.correlation;
        if (c.type != Correlation::Type::Child)
            return {};
        std::string excused = "false";
        if (s.name == c.steps.front() && !c.excused.empty()) {
            excused.clear();
            for (const Condition& e : c.excused)
                excused += (excused.empty() ? "" : " AND ") + condition(s, e);
        }
        return "    " + pid(s, "subjectPid") + " AS subject_pid, " + pid(s, "parentPid") + " AS parent_pid,\n"
               + "    lower(" + field(s, "parentImage") + ") AS parent_image, lower(trim(" + field(s, "transactionId")
               + ")) AS transaction_id,\n"
               + "    " + canonical(field(s, "subjectImage")) + " AS image_canon,\n"
               + "    " + canonical(field(s, "targetFilename")) + " AS file_canon,\n"
               + "    " + excused + " AS is_excused,\n";
    }

    /// R6's shape: every event of the first step, its target the first process created by the event's process.
    void writeChild(std::ostringstream& q, const std::string& rule) const
    {
        const Correlation& c = m_rule.correlation;
        const std::string& e = c.steps.front();
        q << ",\ncandidates AS (\n";
        for (size_t i = 1; i < c.steps.size(); ++i)
            q << (i > 1 ? "  UNION ALL\n" : "") << "  SELECT e.row_id AS event_row, c.subject_guid AS child_guid, c.subject_pid AS child_pid,\n"
              << "    c.subject_image AS child_image, c.image_canon AS child_canon, c.ts AS child_ts, " << i << " AS preference, c.row_id AS child_row\n"
              << "  FROM " << e << " e JOIN " << c.steps[i] << " c ON c.host_key = e.host_key AND c.parent_pid = e.subject_pid\n"
              << "    AND c.ts BETWEEN e.ts AND e.ts + " << c.windowMs << "\n"
              << "    AND (coalesce(c.parent_image, '') = '' OR coalesce(e.subject_image, '') = '' OR c.parent_image = e.subject_image)\n";
        q << "),\nfirst_child AS (\n  SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY event_row ORDER BY preference, child_ts, child_row) AS n\n"
          << "    FROM candidates) WHERE n = 1\n),\nlinked AS (\n"
          << "  SELECT e.*, coalesce(f.child_guid, '') AS child_guid, f.child_pid, f.child_image, f.child_canon, f.child_ts\n"
          << "  FROM " << e << " e LEFT JOIN first_child f ON f.event_row = e.row_id\n)";
        std::string keep = "NOT coalesce(l.is_excused, false)";
        if (!c.unlessChildFrom.empty()) {
            // The excused processes count when their child was created from a file opened inside the transaction.
            q << ",\nfrom_file AS (\n  SELECT DISTINCT l.row_id FROM linked l JOIN " << c.unlessChildFrom
              << " f ON f.transaction_id = l.transaction_id AND f.file_canon = l.child_canon\n)";
            keep += " OR ff.row_id IS NOT NULL";
        }
        q << ",\nkept AS (\n  SELECT l.* FROM linked l" << (c.unlessChildFrom.empty() ? "" : " LEFT JOIN from_file ff ON ff.row_id = l.row_id")
          << "\n  WHERE " << keep << "\n)\n"
          << "SELECT " << rule << " AS rule, first(host) AS host, first(subject_guid) AS source_guid, child_guid AS target_guid,\n  "
          << utc("min(ts)") << " AS first_utc, " << utc("max(greatest(ts, coalesce(child_ts, ts)))") << " AS last_utc, count(*) AS count\n"
          << "FROM kept\n-- The event names no process GUID: its process is known by PID and image, as in the workbench.\n"
          << "GROUP BY host_key, subject_pid, subject_image, child_guid, child_pid, child_image\n";
    }

    /// Whether the event's acting process is a helper (R4: csrss.exe, which holds a handle to every new process).
    std::string helperFlag(const Selection& s) const
    {
        if (!m_rule.onePerTarget || s.name != m_rule.alertStep || m_rule.helper.empty())
            return "false";
        return condition(s, m_rule.helper.front());
    }

    static std::string key(const std::string& field)
    {
        return field == "host"               ? "host_key"
               : field == "subjectGuid"        ? "subject_guid"
               : field == "targetGuid"         ? "target_guid"
               : field == "creator.parentGuid" ? "creator_parent_guid"
                                               : "parent_guid";
    }

    static std::string utc(const std::string& ms)
    {
        return "date_format(timestamp_millis(" + ms + "), \"yyyy-MM-dd'T'HH:mm:ss.SSS'Z'\")";
    }

    std::string write() const
    {
        std::ostringstream q;
        q << exportHeader(m_rule, ExportFormat::SparkSql, m_fields, "-- ")
          << "-- Run over a view sysmon_events (spark.read.json of the events, e.g. doppelscope export-events) with\n"
          << "-- spark.sql.session.timeZone=UTC and spark.sql.caseSensitive=true (Sysmon 8 spells SourceProcessGuid and\n"
          << "-- Sysmon 10 SourceProcessGUID: without it the JSON reader refuses the second). One row per alert: rule,\n"
          << "-- host, source_guid, target_guid, first_utc,\n"
          << "-- last_utc, count. GUIDs are compared in lower case without braces; masks and addresses are hex text of\n"
          << "-- any width.\n";
        std::ostringstream body;
        const bool creations = m_rule.sourceField == "creator.parentGuid"
                               || std::any_of(m_rule.selections.begin(), m_rule.selections.end(),
                                              [](const Selection& s) { return !s.excuseStartedBy.empty(); });
        if (creations) {
            Selection created;
            created.log = "sysmon";
            created.eventId = 1;
            const CommonFields& common = commonFields(m_fields);
            // One row per process: a case may hold a process's Sysmon 1 twice (two exports of one log).
            body << "process_creations AS (\n  SELECT host_key, guid, image, parent_image, parent_guid FROM (\n"
                 << "    SELECT lower(CAST(" << column(common.host) << " AS STRING)) AS host_key, " << guid(created, "subjectGuid")
                 << " AS guid,\n      lower(" << field(created, "subjectImage") << ") AS image, lower(" << field(created, "parentImage")
                 << ") AS parent_image, " << guid(created, "parentGuid")
                 << " AS parent_guid,\n      row_number() OVER (PARTITION BY lower(CAST(" << column(common.host) << " AS STRING)), "
                 << guid(created, "subjectGuid") << " ORDER BY unix_millis(CAST(" << column(common.time) << " AS TIMESTAMP))) AS n\n"
                 << "    FROM sysmon_events\n    WHERE CAST(" << column(common.eventId) << " AS INT) = 1 AND lower(CAST("
                 << column(common.channel) << " AS STRING)) LIKE '%sysmon%'\n  ) WHERE n = 1\n),\n";
        }
        for (size_t i = 0; i < m_rule.selections.size(); ++i)
            body << (i ? ",\n" : "") << selection(m_rule.selections[i]);
        const CommonFields& common = commonFields(m_fields);
        for (const char* c : {common.host, common.eventId, common.channel, common.time})
            m_columns.insert(c);
        // A table without one of these (no Security events at all, say) needs it added as a NULL column: Spark
        // refuses a query that names a column its view does not have.
        std::string columns;
        for (const std::string& c : m_columns)
            columns += (columns.empty() ? "" : ", ") + c;
        q << "-- Columns read: " << columns << "\n";
        q << "WITH " << body.str();
        const Correlation& c = m_rule.correlation;
        const std::string src = key(m_rule.sourceField), tgt = key(m_rule.targetField);
        const std::string rule = literal(m_rule.id);
        switch (c.type) {
        case Correlation::Type::Single: {
            q << ",\nevents AS (\n";
            for (size_t i = 0; i < m_rule.selections.size(); ++i)
                q << (i ? "  UNION ALL\n" : "") << "  SELECT * FROM " << m_rule.selections[i].name << "\n";
            if (m_rule.onePerTarget) {
                // One alert per target: its source the first holder that is not a helper, else the first holder.
                q << ")\nSELECT " << rule << " AS rule, first(host) AS host,\n  min_by(" << src
                  << ", CAST(is_helper AS BIGINT) * 100000000000000 + ts) AS source_guid, " << tgt << " AS target_guid,\n  "
                  << utc("min(ts)") << " AS first_utc, " << utc("max(ts)") << " AS last_utc, count(*) AS count\n"
                  << "FROM events\nGROUP BY host_key, " << tgt << "\n";
                break;
            }
            q << ")\nSELECT " << rule << " AS rule, first(host) AS host, " << src << " AS source_guid, " << tgt
              << " AS target_guid,\n  " << utc("min(ts)") << " AS first_utc, " << utc("max(ts)") << " AS last_utc, count(*) AS count\n"
              << "FROM events\nGROUP BY host_key, " << src << ", " << tgt << "\n";
            break;
        }
        case Correlation::Type::Ordered:
        case Correlation::Type::Join: {
            const std::string a = c.steps[0], b = c.steps[1];
            q << "\nSELECT " << rule << " AS rule, first(b.host) AS host, b." << src << " AS source_guid, b." << tgt
              << " AS target_guid,\n  " << utc("least(min(a.ts), min(b.ts))") << " AS first_utc, "
              << utc("greatest(max(a.ts), max(b.ts))") << " AS last_utc,\n  "
              << (c.type == Correlation::Type::Join ? "count(*)" : "count(DISTINCT b.row_id)") << " AS count\n"
              << "FROM " << a << " a JOIN " << b << " b ON ";
            for (size_t i = 0; i < c.by.size(); ++i)
                q << (i ? " AND " : "") << "a." << key(c.by[i]) << " = b." << key(c.by[i]);
            if (c.type == Correlation::Type::Ordered)
                q << "\n  AND a.ts <= b.ts AND b.ts - a.ts <= " << c.windowMs;
            q << "\nGROUP BY b.host_key, b." << src << ", b." << tgt << "\n";
            break;
        }
        case Correlation::Type::Child: writeChild(q, rule); break;
        case Correlation::Type::Count: {
            const std::string a = c.steps[0];
            std::string partition;
            for (const std::string& k : c.by)
                partition += (partition.empty() ? "" : ", ") + key(k);
            q << ",\nwindowed AS (\n  SELECT *, count(*) OVER (PARTITION BY " << partition
              << " ORDER BY ts RANGE BETWEEN CURRENT ROW AND " << c.windowMs << " FOLLOWING) AS in_window\n  FROM " << a
              << "\n)\nSELECT " << rule << " AS rule, first(host) AS host, " << src << " AS source_guid, " << tgt
              << " AS target_guid,\n  " << utc("min(ts)") << " AS first_utc, " << utc("max(ts)")
              << " AS last_utc, count(*) AS count\nFROM windowed\nGROUP BY host_key, " << src << ", " << tgt
              << "\nHAVING max(in_window) >= " << std::max<int64_t>(2, c.minCount) << "\n";
            break;
        }
        }
        return q.str();
    }

private:
    const RuleDescription& m_rule;
    const RuleSet& m_set;
    FieldSet m_fields;
    mutable std::set<std::string> m_columns; ///< every column the query reads, said in its header
};

} // namespace

std::string exportSparkSql(const RuleDescription& rule, const RuleSet& set, FieldSet fields)
{
    return Writer(rule, set, fields).write();
}

} // namespace dscope::detection
