// SPDX-License-Identifier: MIT
#include "ruledescription.h"

#include <QtCore/QJsonArray>

#include <algorithm>

namespace dscope::detection {

namespace {

struct OpName {
    const char* name;
    Condition::Op op;
};
constexpr OpName kOps[] = {
    {"present", Condition::Op::Present},       {"equals", Condition::Op::Equals},   {"endsWith", Condition::Op::EndsWith},
    {"startsWith", Condition::Op::StartsWith}, {"contains", Condition::Op::Contains}, {"path", Condition::Op::PathPattern},
    {"allBits", Condition::Op::AllBits},       {"anyMask", Condition::Op::AnyMask}, {"maskIn", Condition::Op::MaskIn},
    {"sameAs", Condition::Op::SameAs},         {"anyOf", Condition::Op::AnyOf},
};

class Parser
{
public:
    Parser(const Rule& rule, std::string& error) : m_rule(rule), m_error(error) {}

    /// A value, or the rule parameter a "$name" string names.
    bool resolve(const QJsonValue& in, QJsonValue& out, const std::string& where)
    {
        if (in.isString() && in.toString().startsWith(QLatin1Char('$'))) {
            const QString key = in.toString().mid(1);
            if (!m_rule.params.contains(key))
                return fail(where + ": the parameter " + key.toStdString() + " does not exist");
            out = m_rule.params.value(key);
            return true;
        }
        out = in;
        return true;
    }

    bool strings(const QJsonValue& in, std::vector<std::string>& out, const std::string& where)
    {
        QJsonValue v;
        if (!resolve(in, v, where))
            return false;
        const QJsonArray array = v.isArray() ? v.toArray() : QJsonArray{v};
        for (const QJsonValue& item : array) {
            if (!item.isString())
                return fail(where + ": a value is not text");
            out.push_back(item.toString().toStdString());
        }
        return true;
    }

    bool masks(const QJsonValue& in, std::vector<uint32_t>& out, const std::string& where)
    {
        QJsonValue v;
        if (!resolve(in, v, where))
            return false;
        const QJsonArray array = v.isArray() ? v.toArray() : QJsonArray{v};
        for (const QJsonValue& item : array) {
            const auto m = parseMask(item);
            if (!m)
                return fail(where + ": not a mask");
            out.push_back(*m);
        }
        return !out.empty() || fail(where + ": no mask");
    }

    bool condition(const QJsonObject& o, Condition& c, const std::string& where)
    {
        const std::string opName = o.value(QLatin1String("op")).toString().toStdString();
        const auto op = std::find_if(std::begin(kOps), std::end(kOps), [&](const OpName& n) { return opName == n.name; });
        if (op == std::end(kOps))
            return fail(where + ": unknown op '" + opName + "'");
        c.op = op->op;
        c.negate = o.value(QLatin1String("not")).toBool();
        c.field = o.value(QLatin1String("field")).toString().toStdString();
        if (c.op != Condition::Op::AnyOf && c.field.empty())
            return fail(where + ": no field");
        const QJsonValue value = o.value(QLatin1String("value"));
        switch (c.op) {
        case Condition::Op::Present: return true;
        case Condition::Op::AllBits: {
            std::vector<uint32_t> m;
            if (!masks(value, m, where))
                return false;
            c.mask = m.front();
            return true;
        }
        case Condition::Op::AnyMask:
        case Condition::Op::MaskIn: return masks(value, c.masks, where);
        case Condition::Op::AnyOf: {
            const QJsonArray list = o.value(QLatin1String("conditions")).toArray();
            for (qsizetype i = 0; i < list.size(); ++i) {
                Condition inner;
                if (!condition(list.at(i).toObject(), inner, where + ".conditions[" + std::to_string(i) + "]"))
                    return false;
                c.any.push_back(std::move(inner));
            }
            return !c.any.empty() || fail(where + ": anyOf without conditions");
        }
        default:
            if (!strings(value, c.values, where))
                return false;
            // The engine compares these without case: so do the exported forms, from lower-case values.
            if (c.op != Condition::Op::SameAs)
                for (std::string& s : c.values)
                    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char ch) { return char(std::tolower(ch)); });
            return !c.values.empty() || fail(where + ": no value");
        }
    }

    bool fail(const std::string& message)
    {
        m_error = m_rule.id + ": logic." + message;
        return false;
    }

private:
    const Rule& m_rule;
    std::string& m_error;
};

} // namespace

const Selection* RuleDescription::selection(const std::string& n) const
{
    const auto it = std::find_if(selections.begin(), selections.end(), [&](const Selection& s) { return s.name == n; });
    return it == selections.end() ? nullptr : &*it;
}

bool describeRule(const Rule& rule, const RuleSet& set, RuleDescription& out, std::string& error)
{
    out = RuleDescription{};
    out.id = rule.id;
    out.name = rule.name;
    out.technique = rule.technique;
    out.severity = model::severityName(rule.severity);
    out.description = rule.description;
    out.version = set.version();
    out.blindSpots = rule.blindSpots;
    out.falsePositives = rule.falsePositives;
    Parser p(rule, error);
    if (rule.logic.isEmpty())
        return p.fail("missing: the rule has no declarative description");
    const QJsonObject events = rule.logic.value(QLatin1String("events")).toObject();
    for (auto it = events.begin(); it != events.end(); ++it) {
        const QJsonObject o = it.value().toObject();
        Selection s;
        s.name = it.key().toStdString();
        s.log = o.value(QLatin1String("log")).toString(QStringLiteral("sysmon")).toStdString();
        s.eventId = o.value(QLatin1String("eventId")).toInt();
        if (s.eventId <= 0 || (s.log != "sysmon" && s.log != "security"))
            return p.fail("events." + s.name + ": needs a log (sysmon or security) and an eventId");
        s.allowLists = o.value(QLatin1String("allowLists")).toBool();
        s.kernelStartAddresses = o.value(QLatin1String("excludeKernelStartAddresses")).toBool();
        if (o.contains(QLatin1String("excuseStartedBy"))) {
            const QString ref = o.value(QLatin1String("excuseStartedBy")).toString();
            if (!ref.startsWith(QLatin1Char('$')) || !rule.params.contains(ref.mid(1)))
                return p.fail("events." + s.name + ".excuseStartedBy: needs a \"$parameter\" of the rule");
            s.excuseStartedBy = rule.startedByList(ref.mid(1).toUtf8().constData());
        }
        const QJsonArray where = o.value(QLatin1String("where")).toArray();
        for (qsizetype i = 0; i < where.size(); ++i) {
            Condition c;
            if (!p.condition(where.at(i).toObject(), c, "events." + s.name + ".where[" + std::to_string(i) + "]"))
                return false;
            s.where.push_back(std::move(c));
        }
        out.selections.push_back(std::move(s));
    }
    if (out.selections.empty())
        return p.fail("events: none");
    const QJsonObject corr = rule.logic.value(QLatin1String("correlation")).toObject();
    const QString type = corr.value(QLatin1String("type")).toString(QStringLiteral("single"));
    Correlation& c = out.correlation;
    c.type = type == QLatin1String("ordered") ? Correlation::Type::Ordered
             : type == QLatin1String("count") ? Correlation::Type::Count
             : type == QLatin1String("join")  ? Correlation::Type::Join
             : type == QLatin1String("child") ? Correlation::Type::Child
                                              : Correlation::Type::Single;
    if (type != QLatin1String("single") && c.type == Correlation::Type::Single)
        return p.fail("correlation.type: unknown '" + type.toStdString() + "'");
    for (const QJsonValue& v : corr.value(QLatin1String("steps")).toArray())
        c.steps.push_back(v.toString().toStdString());
    for (const QJsonValue& v : corr.value(QLatin1String("by")).toArray())
        c.by.push_back(v.toString().toStdString());
    QJsonValue v;
    if (corr.contains(QLatin1String("windowMs"))) {
        if (!p.resolve(corr.value(QLatin1String("windowMs")), v, "correlation.windowMs"))
            return false;
        c.windowMs = v.toInteger();
    }
    if (corr.contains(QLatin1String("minCount"))) {
        if (!p.resolve(corr.value(QLatin1String("minCount")), v, "correlation.minCount"))
            return false;
        c.minCount = v.toInteger();
    }
    const QJsonArray excused = corr.value(QLatin1String("excused")).toArray();
    for (qsizetype i = 0; i < excused.size(); ++i) {
        Condition e;
        if (!p.condition(excused.at(i).toObject(), e, "correlation.excused[" + std::to_string(i) + "]"))
            return false;
        c.excused.push_back(std::move(e));
    }
    c.unlessChildFrom = corr.value(QLatin1String("unlessChildFrom")).toString().toStdString();
    if (!c.unlessChildFrom.empty() && !out.selection(c.unlessChildFrom))
        return p.fail("correlation.unlessChildFrom: no event selection named " + c.unlessChildFrom);
    if (c.steps.empty())
        for (const Selection& s : out.selections)
            c.steps.push_back(s.name);
    for (const std::string& step : c.steps)
        if (!out.selection(step))
            return p.fail("correlation.steps: no event selection named " + step);
    if (c.type == Correlation::Type::Join && (c.steps.size() != 2 || c.by.empty()))
        return p.fail("correlation: a join needs two steps and keys");
    if (c.type == Correlation::Type::Ordered && (c.steps.size() != 2 || c.windowMs <= 0 || c.by.empty()))
        return p.fail("correlation: an ordered correlation needs two steps, keys and a window");
    if (c.type == Correlation::Type::Child && (c.steps.size() < 2 || c.windowMs <= 0))
        return p.fail("correlation: a child correlation needs the event and at least one process creation, and a window");
    if (c.type != Correlation::Type::Child && (!c.excused.empty() || !c.unlessChildFrom.empty()))
        return p.fail("correlation: excused and unlessChildFrom belong to a child correlation");
    if (c.type == Correlation::Type::Count && (c.minCount < 2 || c.windowMs <= 0 || c.by.empty()))
        return p.fail("correlation: a count needs keys, a window and a minCount of at least 2");
    const QJsonObject alert = rule.logic.value(QLatin1String("alert")).toObject();
    out.alertStep = alert.value(QLatin1String("step")).toString(QString::fromStdString(c.steps.back())).toStdString();
    out.sourceField = alert.value(QLatin1String("source")).toString(QStringLiteral("subjectGuid")).toStdString();
    out.targetField = alert.value(QLatin1String("target")).toString(QStringLiteral("targetGuid")).toStdString();
    if (!out.selection(out.alertStep))
        return p.fail("alert.step: no event selection named " + out.alertStep);
    out.onePerTarget = alert.value(QLatin1String("onePerTarget")).toBool();
    if (alert.contains(QLatin1String("helper"))) {
        Condition c;
        if (!p.condition(alert.value(QLatin1String("helper")).toObject(), c, "alert.helper"))
            return false;
        out.helper.push_back(std::move(c));
    }
    if (out.sourceField.rfind("creator.", 0) == 0 && out.sourceField != "creator.parentGuid")
        return p.fail("alert.source: of the creator, only creator.parentGuid is known");
    for (const QJsonValue& e : rule.logic.value(QLatin1String("engineOnly")).toArray())
        out.engineOnly.push_back(e.toString().toStdString());
    return true;
}

RuleDescription singleEventForm(const RuleDescription& rule)
{
    if (rule.correlation.type != Correlation::Type::Child)
        return rule;
    RuleDescription out = rule;
    const Selection first = *rule.selection(rule.correlation.steps.front());
    out.selections = {first};
    out.correlation = Correlation{};
    out.correlation.steps = {first.name};
    out.alertStep = first.name;
    out.sourceField = "subjectGuid";
    out.targetField = "targetGuid";
    const int64_t seconds = rule.correlation.windowMs / 1000;
    const std::string event = (first.log == "security" ? "Security " : "Sysmon ") + std::to_string(first.eventId);
    std::string text = "the workbench names as the alert's target the first process the " + event
                       + " event's process creates within " + std::to_string(seconds) + " s (found by its parent PID, "
                       "which this form cannot follow to a later event); this form reports every " + event
                       + " event it selects, without a target";
    if (!rule.correlation.excused.empty())
        text += ", and keeps the processes the workbench leaves out unless their child was created from a file "
                "opened inside the transaction";
    out.differs.push_back(text + ".");
    return out;
}

} // namespace dscope::detection
