// SPDX-License-Identifier: MIT
// The live demonstration: the simulated day sent by LiveDemoController into a LiveController's JSON-lines listener
// raises, live, exactly the alerts of the day's answer key; every event sent is in the case; a paced demonstration
// can be cancelled midway; the dialog the instructor starts it from, looked at.
#include "livecontroller.h"
#include "livedemocontroller.h"
#include "livedemodialog.h"
#include "liveservice.h"
#include "views_helpers.h"

#include <QComboBox>
#include <QDir>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>


#include <set>
#include <tuple>

using namespace dscope;

namespace {


using AlertKey = std::tuple<std::string, std::string, std::string, std::string>;

AlertKey keyOf(const model::Alert& a)
{
    // As the answer key writes them: host upper case as generated, GUIDs lower case without braces.
    return {a.ruleId, a.host, a.source.guid, a.target.guid};
}

/// A small day (few ordinary activities) so that the test is quick; the attacks are all there.
model::DemoOptions smallDay(quint64 seed)
{
    model::DemoOptions day;
    day.seed = seed;
    day.activitiesPerHour = 30;
    return day;
}

} // namespace

class TestLiveDemo : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void theDayRaisesItsAnswerKeyLive()
    {
        QTemporaryDir dir;
        const QString casePath = dir.filePath(QStringLiteral("demonstration.dscase"));
        app::LiveController live;
        std::set<AlertKey> raised;
        connect(&live, &app::LiveController::alertsRaised, this, [&](const model::AlertSetPtr& set) {
            for (const model::Alert& a : set->alerts)
                raised.insert(keyOf(a));
        });
        app::ListenSpec spec;
        spec.kind = app::ListenSpec::Kind::JsonlTcp;
        QString error;
        QVERIFY2(live.start(casePath, {spec}, error), qPrintable(error));
        const quint16 port = live.boundPort(int(app::ListenSpec::Kind::JsonlTcp));
        QVERIFY(port != 0);

        app::LiveDemoController demo;
        QSignalSpy finished(&demo, &app::LiveDemoController::finished);
        QSignalSpy progress(&demo, &app::LiveDemoController::progress);
        app::LiveDemoController::Options options;
        options.port = port;
        options.rate = 0;
        options.demo = smallDay(7);
        demo.start(options);
        QVERIFY(demo.isRunning());
        QVERIFY(finished.wait(120000));
        QCOMPARE(finished.at(0).at(1).toString(), QString());
        QCOMPARE(finished.at(0).at(2).toBool(), false);
        const qint64 sent = finished.at(0).at(0).toLongLong();
        const model::DemoCase expected = model::generateDemoCase(options.demo);
        QCOMPARE(sent, qint64(expected.lines.size()));
        QVERIFY(!progress.isEmpty());
        QCOMPARE(progress.constLast().at(0).toLongLong(), sent);
        QCOMPARE(progress.constLast().at(1).toLongLong(), sent);

        std::set<AlertKey> key;
        for (const model::ExpectedAlert& a : demo.answerKey())
            key.insert({a.rule, a.host, a.sourceGuid, a.targetGuid});
        QCOMPARE(demo.answerKey().size(), expected.answerKey.size());
        QVERIFY(key.size() >= 8);
        // The alerts come while the feed is live: the incremental passes raise every one of the key.
        QTRY_VERIFY_WITH_TIMEOUT(std::includes(raised.begin(), raised.end(), key.begin(), key.end()), 30000);
        live.stop();
        QCOMPARE(testing::scalar(casePath, "SELECT count(*) FROM events"), sent);
        // No look-alike: what was raised is the key, nothing more.
        for (const AlertKey& k : raised)
            QVERIFY2(key.count(k), (std::get<0>(k) + " " + std::get<1>(k) + " " + std::get<2>(k) + " -> " + std::get<3>(k)).c_str());
        QCOMPARE(testing::scalar(casePath, "SELECT count(*) FROM alerts"), qint64(key.size()));
    }

    void aPacedDemonstrationStopsWhenCancelledOrWhenListeningStops()
    {
        QTemporaryDir dir;
        app::LiveController live;
        app::ListenSpec spec;
        spec.kind = app::ListenSpec::Kind::JsonlTcp;
        QString error;
        QVERIFY2(live.start(dir.filePath(QStringLiteral("paced.dscase")), {spec}, error), qPrintable(error));
        app::LiveDemoController demo;
        QSignalSpy finished(&demo, &app::LiveDemoController::finished);
        QSignalSpy progress(&demo, &app::LiveDemoController::progress);
        app::LiveDemoController::Options options;
        options.port = live.boundPort(int(app::ListenSpec::Kind::JsonlTcp));
        options.rate = 400; // events per second: the day would take minutes
        options.demo = smallDay(1);
        demo.start(options);
        QTRY_VERIFY_WITH_TIMEOUT(!progress.isEmpty() && progress.constLast().at(0).toLongLong() >= 200, 10000);
        demo.cancel();
        QVERIFY(!demo.isRunning());
        QTRY_COMPARE(finished.size(), 1);
        QCOMPARE(finished.at(0).at(2).toBool(), true);
        const qint64 sent = finished.at(0).at(0).toLongLong();
        QVERIFY(sent >= 200);
        QVERIFY(sent < progress.constLast().at(1).toLongLong());
        // Paced: about 400 a second, not as fast as possible.
        QVERIFY2(sent < 2000, qPrintable(QString::number(sent)));

        // Again, and this time listening stops under it: the sender sees the listener gone and says so.
        finished.clear();
        demo.start(options);
        QTRY_VERIFY_WITH_TIMEOUT(demo.isRunning() && !progress.isEmpty() && progress.constLast().at(0).toLongLong() >= 100, 10000);
        live.stop();
        QVERIFY(finished.wait(40000));
        QVERIFY(!finished.at(0).at(1).toString().isEmpty() || finished.at(0).at(2).toBool());
    }

    void theDialogSaysWhatItDoes()
    {
        views::LiveDemoDialog dialog(QStringLiteral("/tmp/live-demonstration.dscase"));
        dialog.show();
        QCOMPARE(dialog.casePath(), QStringLiteral("/tmp/live-demonstration.dscase"));
        QCOMPARE(dialog.rate(), 1000.0);
        QCOMPARE(dialog.seed(), quint64(1));
        auto* rate = dialog.findChild<QComboBox*>(QStringLiteral("demoRate"));
        QVERIFY(rate);
        rate->setCurrentIndex(rate->count() - 1);
        QCOMPARE(dialog.rate(), 0.0);
        dialog.grab().save(QDir(testing::screenshotDir()).filePath(QStringLiteral("live-demo-dialog.png")));
    }
};

QTEST_MAIN(TestLiveDemo)
#include "tst_livedemo.moc"
