// SPDX-License-Identifier: MIT
#include "ruleset.h"

#include "domain/normalize.h"
#include "domain/text.h"

#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>

namespace dscope::detection {

using model::lowerAscii;

namespace {

std::string text(const QJsonValue& v) { return v.toString().toStdString(); }

std::vector<std::string> strings(const QJsonValue& v, bool toLower)
{
    std::vector<std::string> out;
    const QJsonArray array = v.toArray();
    for (const QJsonValue& item : array)
        out.push_back(toLower ? lowerAscii(text(item)) : text(item));
    return out;
}

} // namespace

std::optional<uint32_t> parseMask(const QJsonValue& v)
{
    if (v.isDouble())
        return uint32_t(v.toDouble());
    if (!v.isString())
        return std::nullopt;
    const QString s = v.toString().trimmed();
    bool ok = false;
    const qulonglong n = s.startsWith(QLatin1String("0x"), Qt::CaseInsensitive) ? s.mid(2).toULongLong(&ok, 16)
                                                                               : s.toULongLong(&ok, 10);
    if (!ok || n > 0xFFFFFFFFull)
        return std::nullopt;
    return uint32_t(n);
}

int64_t Rule::intParam(const char* key, int64_t fallback) const
{
    const QJsonValue v = params.value(QLatin1String(key));
    return v.isDouble() ? int64_t(v.toDouble()) : fallback;
}

uint32_t Rule::maskParam(const char* key, uint32_t fallback) const
{
    return parseMask(params.value(QLatin1String(key))).value_or(fallback);
}

std::vector<uint32_t> Rule::maskList(const char* key) const
{
    std::vector<uint32_t> out;
    const QJsonArray array = params.value(QLatin1String(key)).toArray();
    for (const QJsonValue& item : array)
        if (const auto m = parseMask(item))
            out.push_back(*m);
    return out;
}

std::vector<std::string> Rule::stringList(const char* key) const
{
    return strings(params.value(QLatin1String(key)), true);
}

std::optional<RuleSet> RuleSet::fromJson(const QByteArray& json, std::string& error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (doc.isNull()) {
        error = "rule file is not valid JSON at offset " + std::to_string(parseError.offset) + ": "
                + parseError.errorString().toStdString();
        return std::nullopt;
    }
    const QJsonObject root = doc.object();
    if (root.value(QLatin1String("format")).toString() != QLatin1String("doppelscope-rules")) {
        error = "not a Doppelscope rule file (\"format\" must be \"doppelscope-rules\")";
        return std::nullopt;
    }
    RuleSet set;
    const QJsonArray rules = root.value(QLatin1String("rules")).toArray();
    set.m_version = root.value(QLatin1String("version")).toInt();
    for (qsizetype i = 0; i < rules.size(); ++i) {
        const QJsonObject o = rules.at(i).toObject();
        Rule r;
        r.id = text(o.value(QLatin1String("id")));
        r.name = text(o.value(QLatin1String("name")));
        r.technique = text(o.value(QLatin1String("technique")));
        const auto severity = model::parseSeverity(text(o.value(QLatin1String("severity"))));
        r.description = text(o.value(QLatin1String("description")));
        r.enabledByDefault = o.value(QLatin1String("default")).toBool(true);
        r.params = o.value(QLatin1String("params")).toObject();
        r.logic = o.value(QLatin1String("logic")).toObject();
        r.blindSpots = strings(o.value(QLatin1String("blindSpots")), false);
        r.falsePositives = strings(o.value(QLatin1String("falsePositives")), false);
        r.checklistKey = text(o.value(QLatin1String("checklist")));
        const QJsonArray ids = o.value(QLatin1String("eventIds")).toArray();
        for (const QJsonValue& id : ids)
            r.eventIds.push_back(id.toInt());
        if (r.id.empty() || r.name.empty() || !severity) {
            error = "rule #" + std::to_string(i) + " lacks id, name or a severity (low, medium, high, critical)";
            return std::nullopt;
        }
        r.severity = *severity;
        if (set.find(r.id)) {
            error = "rule id " + r.id + " appears twice";
            return std::nullopt;
        }
        set.m_rules.push_back(std::move(r));
    }
    const QJsonArray allow = root.value(QLatin1String("allowLists")).toArray();
    for (const QJsonValue& v : allow) {
        const QJsonObject o = v.toObject();
        AllowEntry a;
        a.id = text(o.value(QLatin1String("id")));
        a.rules = strings(o.value(QLatin1String("rules")), false);
        a.sourceImage = lowerAscii(text(o.value(QLatin1String("sourceImage"))));
        a.targetImage = lowerAscii(text(o.value(QLatin1String("targetImage"))));
        a.startFunction = lowerAscii(text(o.value(QLatin1String("startFunction"))));
        a.why = text(o.value(QLatin1String("why")));
        set.m_allow.push_back(std::move(a));
    }
    const QJsonArray classes = root.value(QLatin1String("startAddressClasses")).toArray();
    for (qsizetype i = 0; i < classes.size(); ++i) {
        const QJsonObject o = classes.at(i).toObject();
        AddressClass c;
        c.id = text(o.value(QLatin1String("id")));
        c.rules = strings(o.value(QLatin1String("rules")), false);
        c.width = o.value(QLatin1String("width")).toInt();
        const auto from = model::normalize::hexInteger(text(o.value(QLatin1String("from"))));
        const auto to = model::normalize::hexInteger(text(o.value(QLatin1String("to"))));
        const std::string verdict = text(o.value(QLatin1String("verdict")));
        const auto severity = model::parseSeverity(text(o.value(QLatin1String("severity"))));
        c.why = text(o.value(QLatin1String("why")));
        if ((c.width != 32 && c.width != 64) || !from || !to || uint64_t(*from) > uint64_t(*to)
            || (verdict != "not-user-code" && verdict != "lower-severity")
            || (verdict == "lower-severity" && !severity)) {
            error = "startAddressClasses #" + std::to_string(i) + " (" + c.id
                    + ") needs width 32 or 64, hex from <= to, and verdict not-user-code or lower-severity "
                      "(with a severity)";
            return std::nullopt;
        }
        c.severity = severity.value_or(model::Severity::Low);
        c.from = uint64_t(*from);
        c.to = uint64_t(*to);
        c.verdict = verdict == "not-user-code" ? AddressClass::Verdict::NotUserCode
                                               : AddressClass::Verdict::LowerSeverity;
        set.m_addressClasses.push_back(std::move(c));
    }
    return set;
}

std::vector<Rule::StartedBy> Rule::startedByList(const char* key) const
{
    std::vector<StartedBy> out;
    for (const QJsonValue& v : params.value(QLatin1String(key)).toArray()) {
        const QJsonObject o = v.toObject();
        out.push_back({lowerAscii(text(o.value(QLatin1String("image")))), lowerAscii(text(o.value(QLatin1String("parent")))),
                       text(o.value(QLatin1String("why")))});
    }
    return out;
}

bool AddressClass::matches(std::string_view address) const
{
    const auto value = model::normalize::hexInteger(address);
    if (!value)
        return false;
    const uint64_t v = uint64_t(*value);
    std::string_view digits = address;
    while (!digits.empty() && (digits.front() == ' ' || digits.front() == '\t'))
        digits.remove_prefix(1);
    while (!digits.empty() && (digits.back() == ' ' || digits.back() == '\t'))
        digits.remove_suffix(1);
    if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X'))
        digits.remove_prefix(2);
    const int written = v > 0xFFFFFFFFull || digits.size() == 16 ? 64 : digits.size() == 8 ? 32 : 0;
    return written == width && v >= from && v <= to;
}

std::optional<RuleSet> RuleSet::fromFile(const QString& path, std::string& error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        error = "cannot read rule file " + path.toStdString() + ": " + file.errorString().toStdString();
        return std::nullopt;
    }
    auto set = fromJson(file.readAll(), error);
    if (!set)
        error = path.toStdString() + ": " + error;
    return set;
}

const Rule* RuleSet::find(const std::string& id) const
{
    for (const Rule& r : m_rules)
        if (r.id == id)
            return &r;
    return nullptr;
}


int64_t Rule::windowMs() const
{
    int64_t longest = 0;
    for (auto it = params.begin(); it != params.end(); ++it)
        if (it.key().endsWith(QLatin1String("WindowMs")))
            longest = std::max<int64_t>(longest, it.value().toInteger());
    return longest;
}

int64_t RuleSet::longestWindowMs() const
{
    int64_t longest = 0;
    for (const Rule& r : m_rules)
        longest = std::max(longest, r.windowMs());
    return longest;
}

} // namespace dscope::detection
