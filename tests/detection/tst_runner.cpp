// SPDX-License-Identifier: MIT
// The runner: results arrive on the owner's thread with their token, and a newer start drops the older job.
#include "detection_helpers.h"

#include "detectionrunner.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace dscope;

class TestRunner : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_case;

private Q_SLOTS:
    void initTestCase()
    {
        m_case = m_dir.filePath(QStringLiteral("runner.dscase"));
        const std::string a = "aaaaaaaa-0000-0000-0000-000000000001", b = "bbbbbbbb-0000-0000-0000-000000000002";
        QVERIFY(testing::writeCase(m_case.toStdString(), {testing::access10(0, a, b, 0x1f3fff), testing::thread8(5, a, b)}));
    }

    void deliversWithToken()
    {
        auto engine = std::make_shared<const detection::Engine>(testing::loadRules());
        detection::DetectionRunner runner(engine);
        QSignalSpy alerts(&runner, &detection::DetectionRunner::alertsAvailable);
        QSignalSpy progress(&runner, &detection::DetectionRunner::progressChanged);
        QSignalSpy dropped(&runner, &detection::DetectionRunner::resultDropped);
        const quint64 first = runner.start(m_case);
        const quint64 second = runner.start(m_case); // supersedes the first
        QVERIFY(second != first);
        QVERIFY(alerts.wait(10000));
        // The first job ends too, and says it delivered nothing; only then is the count of deliveries final.
        if (dropped.isEmpty())
            QVERIFY(dropped.wait(10000));
        QCOMPARE(dropped.count(), 1);
        QCOMPARE(dropped.at(0).at(0).toULongLong(), first);
        QCOMPARE(alerts.count(), 1);
        QCOMPARE(alerts.at(0).at(1).toULongLong(), second);
        const auto set = alerts.at(0).at(0).value<model::AlertSetPtr>();
        QVERIFY(set);
        QVERIFY(!set->alerts.empty());
        QCOMPARE(set->alerts.front().ruleId, std::string("R1"));
        for (const auto& call : progress)
            QCOMPARE(call.at(2).toULongLong(), second);
    }

    void reportsFailure()
    {
        auto engine = std::make_shared<const detection::Engine>(testing::loadRules());
        detection::DetectionRunner runner(engine);
        QSignalSpy failed(&runner, &detection::DetectionRunner::failed);
        const quint64 token = runner.start(m_dir.filePath(QStringLiteral("absent.dscase")));
        QVERIFY(failed.wait(10000));
        QCOMPARE(failed.at(0).at(1).toULongLong(), token);
        QVERIFY(failed.at(0).at(0).toString().contains(QLatin1String("absent.dscase")));
    }
};

QTEST_GUILESS_MAIN(TestRunner)
#include "tst_runner.moc"
