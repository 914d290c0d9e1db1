// SPDX-License-Identifier: MIT
// The TxF timeline page, offscreen: loading through the worker, lanes and legend, marker clicks (selection
// linking and deltas), zoom and pan through the chart, and PNG renderings of the demo case and the corpus
// Process Doppelgänging (Security 4985) sample.
#include "import/importer.h"
#include "timeline/timemapping.h"
#include "timeline/timelinepage.h"

#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "views_helpers.h"

using namespace dscope;

namespace {

using testing::importCase;
using testing::screenshotDir;

int markerOf(const model::TxfTimeline& t, int64_t eventId, int nth = 0)
{
    for (size_t i = 0; i < t.markers.size(); ++i) {
        if (t.markers[i].eventId == eventId && nth-- == 0)
            return int(i);
    }
    return -1;
}

} // namespace

class TestTimelinePage : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_demo;

private Q_SLOTS:
    void initTestCase()
    {
        m_demo = importCase(m_dir, QStringLiteral(DSCOPE_TEST_DATA "/chain/attack-chain.jsonl"));
        QVERIFY2(!m_demo.isEmpty(), "the demo case did not import");
    }

    void deferredUntilShown()
    {
        views::TimelinePage page;
        page.setCase(m_demo); // hidden: nothing is read yet
        QVERIFY(!page.isLoading());
        QSignalSpy loaded(&page, &views::TimelinePage::timelineLoaded);
        page.show();
        QVERIFY(loaded.wait(10000));
        QVERIFY(page.timeline());
    }

    void demoCase()
    {
        views::TimelinePage page;
        page.resize(1500, 620);
        page.show();
        QSignalSpy loaded(&page, &views::TimelinePage::timelineLoaded);
        page.setCase(m_demo);
        QVERIFY(loaded.wait(10000));
        const auto t = page.timeline();
        QCOMPARE(t->lanes.size(), size_t(3));
        QVERIFY(QTest::qWaitForWindowExposed(&page));

        // Click the 4985 that opens the transaction, then Ctrl+click the process creation: the delta is shown.
        QSignalSpy selected(&page, &views::TimelinePage::eventSelected);
        const int tx = markerOf(*t, 4985);
        const int create = markerOf(*t, 1, 1); // the second Sysmon 1: svcupdate.tmp
        QVERIFY(tx >= 0 && create >= 0);
        page.clickMarker(tx);
        page.clickMarker(create, Qt::ControlModifier);
        QCOMPARE(selected.count(), 2);
        QCOMPARE(selected.at(0).at(0).toLongLong(), t->markers[size_t(tx)].eventRowId);
        QCOMPARE(page.deltaText(), QStringLiteral("0.510 s")); // 09:02:01.010 -> 09:02:01.520
        QVERIFY(page.grab().save(screenshotDir() + QStringLiteral("/timeline-demo.png")));

        // A real mouse click on a drawn marker goes through QtCharts back to the page.
        auto* chart = &page;
        const int tamper = markerOf(*t, 25);
        chart->zoomBy(20, chart->mapping().toPixel(t->markers[size_t(tamper)].utcMs));
        const QPointF pos = chart->markerPosition(tamper);
        QVERIFY2(chart->chartViewport()->rect().contains(pos.toPoint()),
                 qPrintable(QStringLiteral("%1,%2").arg(pos.x()).arg(pos.y())));
        QTest::mouseClick(chart->chartViewport(), Qt::LeftButton, Qt::NoModifier, pos.toPoint());
        QCOMPARE(page.selectedMarkers(), std::vector<int>{tamper});
        QCOMPARE(selected.last().at(0).toLongLong(), t->markers[size_t(tamper)].eventRowId);
        QVERIFY(page.grab().save(screenshotDir() + QStringLiteral("/timeline-demo-zoomed.png")));

        // Wheel zoom keeps the time under the pointer; dragging pans.
        const double x = chart->mapping().toPixel(t->markers[size_t(tamper)].utcMs);
        const int64_t before = chart->mapping().viewSpan();
        chart->zoomBy(0.5, x);
        QCOMPARE(chart->mapping().viewSpan(), before * 2);
        const int64_t start = chart->mapping().viewStart();
        chart->panBy(-50);
        QVERIFY(chart->mapping().viewStart() > start);

        // Selection linking from outside: an event id selects its marker and brings it into view.
        const int first = 0;
        page.selectEvent(t->markers[size_t(first)].eventRowId);
        QCOMPARE(page.selectedMarkers(), std::vector<int>{first});
        QVERIFY(t->markers[0].utcMs >= chart->mapping().viewStart() && t->markers[0].utcMs <= chart->mapping().viewEnd());
    }

    void alertTimeline()
    {
        views::TimelinePage page;
        page.resize(1500, 620);
        page.show();
        QSignalSpy loaded(&page, &views::TimelinePage::timelineLoaded);
        page.setCase(m_demo);
        QVERIFY(loaded.wait(10000));
        model::Alert a;
        a.ruleId = "R1";
        a.ruleName = "Process created from a transacted file";
        a.technique = "T1055.013";
        a.host = "SIMULATED-WS01.demo.invalid";
        a.source = {"de70c0de-0003-69ef-2c00-000000000100", 6240, "invoice_viewer.exe"};
        a.target = {"de70c0de-0004-69ef-3d00-000000000100", 7312, "svcupdate.tmp"};
        a.firstUtcMs = QDateTime::fromString(QStringLiteral("2026-03-10T09:02:01.010Z"), Qt::ISODateWithMs).toMSecsSinceEpoch();
        a.lastUtcMs = a.firstUtcMs + 690;
        page.showAlert(a);
        QVERIFY(loaded.wait(10000));
        QCOMPARE(page.timeline()->title, QStringLiteral("R1 Process created from a transacted file"));
        QCOMPARE(page.timeline()->lanes.size(), size_t(3));
        QCOMPARE(page.timeline()->lanes[0].label, QStringLiteral("invoice_viewer.exe (6240) - loader"));
        QCOMPARE(page.timeline()->lanes[2].label, QStringLiteral("svcupdate.tmp (7312) - new process"));
        QVERIFY(page.grab().save(screenshotDir() + QStringLiteral("/timeline-demo-alert.png")));
    }

    void corpusDoppelganging()
    {
        const QString file = QStringLiteral(
            DSCOPE_DATASETS "/EVTX-ATTACK-SAMPLES/Defense Evasion/Win_4985_T1186_Process_Doppelganging.evtx");
        if (!QFileInfo::exists(file))
            QSKIP("corpus not present (DSCOPE_DATASETS)");
        QTemporaryDir dir;
        const QString casePath = importCase(dir, file, true);
        QVERIFY2(!casePath.isEmpty(), "the sample did not import");
        views::TimelinePage page;
        page.resize(1300, 420);
        page.show();
        QSignalSpy loaded(&page, &views::TimelinePage::timelineLoaded);
        page.setCase(casePath);
        QVERIFY(loaded.wait(10000));
        QCOMPARE(page.timeline()->markers.size(), size_t(2));
        page.clickMarker(0);
        page.clickMarker(1, Qt::ShiftModifier);
        QVERIFY(!page.deltaText().isEmpty());
        QVERIFY(page.grab().save(screenshotDir() + QStringLiteral("/timeline-doppelganging-4985.png")));
    }

    void emptyCaseSaysSo()
    {
        QTemporaryDir dir;
        const QString casePath = importCase(dir, QStringLiteral(DSCOPE_TEST_DATA "/tree/no-txf.jsonl"));
        QVERIFY2(!casePath.isEmpty(), "fixture did not import");
        views::TimelinePage page;
        page.show();
        QSignalSpy loaded(&page, &views::TimelinePage::timelineLoaded);
        page.setCase(casePath);
        QVERIFY(loaded.wait(10000));
        QVERIFY(page.timeline()->lanes.empty());
        bool said = false;
        for (auto* label : page.findChildren<QLabel*>())
            said |= label->text().startsWith(QLatin1String("No TxF activity"));
        QVERIFY(said);
    }
};

QTEST_MAIN(TestTimelinePage)
#include "tst_timelinepage.moc"
