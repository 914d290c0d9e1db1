// SPDX-License-Identifier: MIT
// `doppelscope info CASE.dscase [--json]`
#include "clicontext.h"

#include "domain/normalize.h"
#include "itemmodels/inputlistmodel.h"
#include "storage/caseinfo.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace dscope::app {

using namespace dscope::model;

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

QJsonObject toJson(const CaseInfo& info)
{
    QJsonObject o;
    o.insert(QStringLiteral("events"), qint64(info.events));
    if (info.events) {
        o.insert(QStringLiteral("first_utc"), qs(normalize::isoUtc(info.firstUtcMs)));
        o.insert(QStringLiteral("last_utc"), qs(normalize::isoUtc(info.lastUtcMs)));
    }
    auto counts = [](const std::vector<CaseInfo::Count>& list) {
        QJsonObject c;
        for (const auto& x : list)
            c.insert(qs(x.key), qint64(x.events));
        return c;
    };
    o.insert(QStringLiteral("hosts"), counts(info.hosts));
    o.insert(QStringLiteral("channels"), counts(info.channels));
    QJsonObject ids;
    for (const auto& [id, n] : info.eventIds)
        ids.insert(QString::number(id), qint64(n));
    o.insert(QStringLiteral("event_ids"), ids);
    QJsonArray inputs;
    for (const auto& r : info.inputs) {
        QJsonObject in;
        in.insert(QStringLiteral("path"), qs(r.path));
        in.insert(QStringLiteral("size"), qint64(r.size));
        in.insert(QStringLiteral("sha256"), qs(r.sha256));
        in.insert(QStringLiteral("format"), qs(r.format));
        in.insert(QStringLiteral("layout"), qs(r.layout));
        in.insert(QStringLiteral("engine"), qs(r.engine));
        in.insert(QStringLiteral("status"), QLatin1String(inputStatusName(r.status)));
        in.insert(QStringLiteral("events"), qint64(r.events));
        in.insert(QStringLiteral("skipped"), qint64(r.skipped));
        in.insert(QStringLiteral("recovered"), qint64(r.recovered));
        in.insert(QStringLiteral("seconds"), r.seconds);
        in.insert(QStringLiteral("errors"), QJsonDocument::fromJson(QByteArray::fromStdString(r.errorsJson)).array());
        inputs.append(in);
    }
    o.insert(QStringLiteral("inputs"), inputs);
    return o;
}

} // namespace

int runInfo(const QStringList& args)
{
    QCommandLineParser p;
    p.addOption({QStringLiteral("json"), QStringLiteral("One JSON object on standard output.")});
    p.addPositionalArgument(QStringLiteral("case"), QStringLiteral("The case file."));
    p.process(QStringList{QStringLiteral("doppelscope info")} + args);
    if (p.positionalArguments().size() != 1) {
        err() << "usage: doppelscope info CASE.dscase [--json]\n";
        return ExitUsage;
    }
    CaseInfo info;
    std::string error;
    if (!loadCaseInfo(p.positionalArguments().first().toStdString(), info, error)) {
        err() << "error: " << qs(error) << '\n';
        return ExitFailure;
    }
    if (p.isSet(QStringLiteral("json"))) {
        out() << QJsonDocument(toJson(info)).toJson(QJsonDocument::Compact) << '\n';
        return ExitOk;
    }
    out() << "events: " << info.events << '\n';
    if (info.events)
        out() << "time range (UTC): " << qs(normalize::isoUtc(info.firstUtcMs)) << " .. "
              << qs(normalize::isoUtc(info.lastUtcMs)) << '\n';
    out() << "hosts:\n";
    for (const auto& h : info.hosts)
        out() << "  " << qs(h.key) << "  " << h.events << '\n';
    out() << "channels:\n";
    for (const auto& c : info.channels)
        out() << "  " << qs(c.key) << "  " << c.events << '\n';
    out() << "event ids:\n";
    for (const auto& [id, n] : info.eventIds)
        out() << "  " << id << "  " << n << '\n';
    out() << "inputs:\n";
    for (const auto& r : info.inputs) {
        out() << "  " << qs(r.path) << "  " << qs(r.format) << (r.layout.empty() ? "" : " [") << qs(r.layout)
              << (r.layout.empty() ? "" : "]") << "  " << r.events << " events, " << r.skipped << " skipped, "
              << inputStatusName(r.status) << '\n';
        // The reasons the import kept (skips, warnings, failure), as the import printed them.
        const QStringList reasons = inputIssues(r);
        for (const QString& reason : reasons)
            out() << "      " << reason << '\n';
    }
    return ExitOk;
}

} // namespace dscope::app
