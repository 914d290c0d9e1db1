// SPDX-License-Identifier: MIT
#include "alertrows.h"

#include "domain/normalize.h"
#include "inputbytes.h"

#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>
#include <QtCore/QJsonParseError>

namespace dscope::model::alertrows {

namespace {

constexpr size_t kMaxFieldBytes = 1024; // a rule id, a host name or a GUID; anything longer is not one

QJsonObject firstObject(std::string_view head)
{
    const size_t start = head.find('{');
    if (start == std::string_view::npos)
        return {};
    const size_t end = head.find('\n', start);
    const std::string_view line = head.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
    return QJsonDocument::fromJson(QByteArray(line.data(), qsizetype(line.size()))).object();
}

/// A text column of a row: a string, or absent/null (Spark leaves null columns out of its JSON).
bool text(const QJsonObject& row, const char* key, std::string& out, std::string& why)
{
    const QJsonValue v = row.value(QLatin1String(key));
    if (v.isUndefined() || v.isNull()) {
        out.clear();
        return true;
    }
    if (!v.isString()) {
        why = std::string(key) + " is not text";
        return false;
    }
    out = v.toString().toStdString();
    if (out.size() > kMaxFieldBytes) {
        why = std::string(key) + " is longer than " + std::to_string(kMaxFieldBytes) + " bytes";
        return false;
    }
    return true;
}

bool parseRow(std::string_view line, const std::string& origin, int64_t lineNumber, Alert& a, std::string& why)
{
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray(line.data(), qsizetype(line.size())), &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject()) {
        why = err.error != QJsonParseError::NoError ? "not JSON: " + err.errorString().toStdString() + " at byte "
                                                          + std::to_string(err.offset)
                                                    : "not a JSON object";
        return false;
    }
    const QJsonObject row = doc.object();
    std::string source, target, first, last;
    if (!text(row, "rule", a.ruleId, why) || !text(row, "host", a.host, why) || !text(row, "source_guid", source, why)
        || !text(row, "target_guid", target, why) || !text(row, "first_utc", first, why) || !text(row, "last_utc", last, why))
        return false;
    if (a.ruleId.empty() || a.host.empty()) {
        why = "no rule or no host";
        return false;
    }
    const auto firstMs = normalize::utcMillis(first);
    const auto lastMs = last.empty() ? firstMs : normalize::utcMillis(last);
    if (!firstMs || !lastMs) {
        why = "first_utc or last_utc is not a time";
        return false;
    }
    const QJsonValue count = row.value(QLatin1String("count"));
    a.count = count.isDouble() ? std::max<int64_t>(1, count.toInteger()) : 1;
    a.source.guid = normalize::guid(source);
    a.target.guid = normalize::guid(target);
    a.firstUtcMs = *firstMs;
    a.lastUtcMs = std::max(*firstMs, *lastMs);
    a.origin = origin + ", line " + std::to_string(lineNumber);
    a.explanation = "Raised outside the workbench: line " + std::to_string(lineNumber) + " of " + origin
                    + " (a run of the exported rule " + a.ruleId + ") names " + std::to_string(a.count)
                    + " match(es) on " + a.host + " from " + normalize::isoUtc(a.firstUtcMs) + " to "
                    + normalize::isoUtc(a.lastUtcMs) + (a.source.guid.empty() ? "" : ", source process {" + a.source.guid + "}")
                    + (a.target.guid.empty() ? "" : ", target process {" + a.target.guid + "}")
                    + ". The case holds no events of it: import that host's logs to see the evidence and let the "
                      "workbench raise it again.";
    return true;
}

void skip(InputReport& report, int64_t line, std::string why)
{
    ++report.skipped;
    ++report.issueCount;
    if (report.issues.size() < kMaxImportIssues)
        report.issues.push_back({line, std::move(why), false});
}

} // namespace

bool looksLikeAlertRows(std::string_view head)
{
    const QJsonObject o = firstObject(head);
    const auto has = [&](const char* key) { return o.contains(QLatin1String(key)); };
    // Spark leaves a null column out: one of the two GUIDs is enough, with the rule, host and time, and nothing an
    // event has.
    return has("rule") && has("host") && (has("source_guid") || has("target_guid")) && has("first_utc") && !has("EventID")
           && !has("event") && !has("winlog");
}

bool read(InputBytes& input, const std::string& origin, std::vector<Alert>& out, InputReport& report,
          std::string& error)
{
    // A run's alerts are few (one row per alert, not per event): read whole, up to a bound.
    std::string data;
    if (!input.readAll(data, kMaxFileBytes, error))
        return false;
    std::string_view rest = data;
    for (int64_t lineNumber = 1; !rest.empty(); ++lineNumber) {
        const size_t nl = rest.find('\n');
        std::string_view line = rest.substr(0, nl);
        rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
            line.remove_suffix(1);
        if (line.find_first_not_of(" \t") == std::string_view::npos)
            continue;
        Alert a;
        std::string why;
        if (line.size() > kMaxLineBytes)
            skip(report, lineNumber, "longer than " + std::to_string(kMaxLineBytes) + " bytes");
        else if (parseRow(line, origin, lineNumber, a, why))
            out.push_back(std::move(a));
        else
            skip(report, lineNumber, why);
    }
    return true;
}

} // namespace dscope::model::alertrows
