// SPDX-License-Identifier: MIT
// The simulated training case: deterministic from its seed, imported whole by the normal importer, labelled as
// simulated in every event, and the rules raise exactly its answer key (every attack alerted by its rule, no benign
// look-alike alerted), for several seeds and host counts. `doppelscope demo` writes the case and the key.
#include "demo/demogenerator.h"
#include "engine.h"
#include "import/importer.h"
#include "ruleset.h"

#include <QDir>

#include <algorithm>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace dscope;

namespace {

QString keyOf(const std::string& rule, const std::string& host, const std::string& source, const std::string& target)
{
    return QString::fromStdString(rule + '|' + host + '|' + source + '|' + target);
}

/// Imports the generated lines into a new case and runs the default rules: the (rule, host, source, target) raised.
QSet<QString> alertsOf(const model::DemoCase& demo, const QTemporaryDir& dir, const QString& name, int64_t& imported)
{
    const QString events = dir.filePath(name + QStringLiteral(".jsonl"));
    QFile f(events);
    if (!f.open(QIODevice::WriteOnly))
        return {};
    for (const std::string& line : demo.lines)
        f.write(QByteArray::fromStdString(line + '\n'));
    f.close();
    const std::string casePath = dir.filePath(name + QStringLiteral(".dscase")).toStdString();
    imported = model::Importer(casePath).run({events.toStdString()}).events;
    std::string error;
    auto rules = detection::RuleSet::fromFile(QStringLiteral(DSCOPE_TEST_DATA "/../../resources/rules/rules.json"), error);
    if (!rules)
        return {};
    detection::Engine engine(std::move(*rules));
    const auto alerts = engine.run(casePath, {}, nullptr, {}, error);
    QSet<QString> keys;
    if (alerts)
        for (const model::Alert& a : alerts->alerts)
            keys << keyOf(a.ruleId, a.host, a.source.guid, a.target.guid);
    return keys;
}

} // namespace

class TestDemoGenerator : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sameSeedSameCase()
    {
        const model::DemoCase a = model::generateDemoCase({});
        const model::DemoCase b = model::generateDemoCase({});
        QCOMPARE(a.lines, b.lines);
        QCOMPARE(model::answerKeyJsonLines(a), model::answerKeyJsonLines(b));
        model::DemoOptions other;
        other.seed = 2;
        QVERIFY(model::generateDemoCase(other).lines != a.lines);
    }

    void theRulesRaiseExactlyTheAnswerKey_data()
    {
        QTest::addColumn<quint64>("seed");
        QTest::addColumn<int>("hosts");
        QTest::addColumn<QString>("exercise");
        QTest::newRow("seed 1, 4 hosts") << quint64(1) << 4 << QString();
        QTest::newRow("seed 31337, 4 hosts") << quint64(31337) << 4 << QString();
        QTest::newRow("seed 5, 2 hosts") << quint64(5) << 2 << QString();
        QTest::newRow("seed 8, 6 hosts") << quint64(8) << 6 << QString();
        for (const model::Exercise& e : model::exercises())
            QTest::newRow(("exercise " + e.name).c_str()) << quint64(11) << e.hosts << QString::fromStdString(e.name);
    }

    void theRulesRaiseExactlyTheAnswerKey()
    {
        QFETCH(quint64, seed);
        QFETCH(int, hosts);
        QFETCH(QString, exercise);
        model::DemoOptions options;
        options.seed = seed;
        options.hosts = hosts;
        options.exercise = exercise.toStdString();
        const model::Exercise* lacking = model::findExercise(options.exercise);
        const model::DemoCase demo = model::generateDemoCase(options);
        // A working day: tens of thousands of ordinary events around a handful of attack events.
        QVERIFY2(demo.lines.size() > size_t(hosts) * 9000, qPrintable(QString::number(demo.lines.size())));
        QVERIFY(demo.attackEvents > 15 && demo.attackEvents < 60);
        QCOMPARE(demo.hosts.size(), size_t(hosts));
        for (const std::string& line : demo.lines)
            QVERIFY(line.find("\"Simulated\":\"yes\"") != std::string::npos && line.find(".demo.invalid\"") != std::string::npos);
        // Every kind of attack and of look-alike is in it.
        QSet<QString> attacks, rules;
        for (const model::ExpectedAlert& a : demo.answerKey) {
            attacks << QString::fromStdString(a.attack);
            rules << QString::fromStdString(a.rule);
        }
        QSet<QString> allRules{QStringLiteral("R1"), QStringLiteral("R2"), QStringLiteral("R3"), QStringLiteral("R4"),
                               QStringLiteral("R5"), QStringLiteral("R6"), QStringLiteral("R8")};
        if (lacking) {
            // What the exercise's logging lacks is in no event, and the rules that need it are not expected.
            for (int id : lacking->missingEventIds)
                for (const std::string& line : demo.lines)
                    QVERIFY(line.find("\"EventID\":" + std::to_string(id) + ",") == std::string::npos);
            if (std::count(lacking->missingEventIds.begin(), lacking->missingEventIds.end(), 10))
                allRules -= {QStringLiteral("R1"), QStringLiteral("R4"), QStringLiteral("R8")};
            if (std::count(lacking->missingEventIds.begin(), lacking->missingEventIds.end(), 4985))
                allRules -= QSet<QString>{QStringLiteral("R6")};
        }
        QCOMPARE(rules, allRules);
        QVERIFY(attacks.size() >= 3);
        QVERIFY(demo.lookAlikes.size() >= 5);

        QTemporaryDir dir;
        int64_t imported = 0;
        const QSet<QString> raised = alertsOf(demo, dir, QStringLiteral("demo"), imported);
        QCOMPARE(imported, int64_t(demo.lines.size()));
        QSet<QString> expected;
        for (const model::ExpectedAlert& a : demo.answerKey)
            expected << keyOf(a.rule, a.host, a.sourceGuid, a.targetGuid);
        QCOMPARE(expected.size(), int(demo.answerKey.size()));
        const QSet<QString> missed = expected - raised, unexpected = raised - expected;
        QVERIFY2(missed.isEmpty(), qPrintable(QStringLiteral("missed: ") + missed.values().join(QStringLiteral("; "))));
        QVERIFY2(unexpected.isEmpty(), qPrintable(QStringLiteral("raised on a look-alike: ") + unexpected.values().join(QStringLiteral("; "))));
    }

    void demoCommandWritesCaseEventsAndKey()
    {
        QTemporaryDir dir;
        const QString casePath = dir.filePath(QStringLiteral("training.dscase"));
        const QString key = dir.filePath(QStringLiteral("key.jsonl"));
        QProcess p;
        p.start(QStringLiteral(DSCOPE_BINARY), {QStringLiteral("demo"), QStringLiteral("--case"), casePath, QStringLiteral("--seed"),
                                                QStringLiteral("3"), QStringLiteral("--answer-key"), key});
        QVERIFY(p.waitForFinished(120000));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        QVERIFY(QFile::exists(casePath));
        QFile events(dir.filePath(QStringLiteral("training.events.jsonl")));
        QVERIFY(events.open(QIODevice::ReadOnly));
        model::DemoOptions options;
        options.seed = 3;
        const model::DemoCase demo = model::generateDemoCase(options);
        QCOMPARE(events.readAll().count('\n'), qsizetype(demo.lines.size()));
        QFile k(key);
        QVERIFY(k.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = k.readAll().trimmed().split('\n');
        QCOMPARE(lines.size(), qsizetype(demo.answerKey.size()));
        for (const QByteArray& line : lines) {
            const QJsonObject o = QJsonDocument::fromJson(line).object();
            QVERIFY(o.contains(QLatin1String("rule")) && o.contains(QLatin1String("host")) && o.contains(QLatin1String("target_guid")));
            QVERIFY(o.contains(QLatin1String("source_guid"))); // null for R6, whose evidence has no process GUID
        }
        // A second run refuses to write over the case.
        QProcess again;
        again.start(QStringLiteral(DSCOPE_BINARY), {QStringLiteral("demo"), QStringLiteral("--case"), casePath});
        QVERIFY(again.waitForFinished(60000));
        QCOMPARE(again.exitCode(), 1);
    }
};

QTEST_GUILESS_MAIN(TestDemoGenerator)
#include "tst_demogenerator.moc"
