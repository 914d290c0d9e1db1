// SPDX-License-Identifier: MIT
// Time <-> pixel arithmetic of the timeline: zoom around a point, pan, clamping, tick steps, and millisecond
// precision in narrow windows of multi-year cases.
#include "timeline/timemapping.h"

#include <QDateTime>
#include <QTest>

using namespace dscope::model;

namespace {

int64_t utc(const char* iso)
{
    return QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODateWithMs).toMSecsSinceEpoch();
}

} // namespace

class TestTimelineMapping : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void mapsBothWays()
    {
        TimeMapping m;
        m.setWidth(1000);
        m.setBounds(0, 10000);
        QCOMPARE(m.toPixel(0), 0.0);
        QCOMPARE(m.toPixel(2500), 250.0);
        QCOMPARE(m.toPixel(10000), 1000.0);
        QCOMPARE(m.toTime(250), int64_t(2500));
        QCOMPARE(m.toTime(250.04), int64_t(2500)); // nearest millisecond
        QCOMPARE(m.msPerPixel(), 10.0);
    }

    void zoomKeepsAnchor_data()
    {
        QTest::addColumn<double>("factor");
        QTest::addColumn<double>("anchorX");
        QTest::newRow("in at quarter") << 2.0 << 250.0;
        QTest::newRow("in at left edge") << 4.0 << 0.0;
        QTest::newRow("in at right edge") << 3.0 << 1000.0;
        QTest::newRow("out a little") << 0.8 << 700.0;
    }
    void zoomKeepsAnchor()
    {
        QFETCH(double, factor);
        QFETCH(double, anchorX);
        TimeMapping m;
        m.setWidth(1000);
        m.setBounds(0, 100000);
        m.setView(20000, 30000);
        const int64_t before = m.toTime(anchorX);
        m.zoom(factor, anchorX);
        QCOMPARE(m.viewSpan(), int64_t(std::llround(10000 / factor)));
        QVERIFY(std::abs(m.toTime(anchorX) - before) <= 1);
    }

    void zoomClamps()
    {
        TimeMapping m;
        m.setWidth(800);
        m.setBounds(1000, 61000);
        m.zoom(0.01, 400); // far out: the whole extent, no further
        QCOMPARE(m.viewStart(), int64_t(1000));
        QCOMPARE(m.viewEnd(), int64_t(61000));
        m.zoom(1e9, 400); // far in: the narrowest window, still inside the bounds
        QCOMPARE(m.viewSpan(), TimeMapping::kMinSpanMs);
        QVERIFY(m.viewStart() >= 1000 && m.viewEnd() <= 61000);
        m.zoom(0, 10);    // nonsense factors are ignored
        m.zoom(std::numeric_limits<double>::quiet_NaN(), 10);
        QCOMPARE(m.viewSpan(), TimeMapping::kMinSpanMs);
    }

    void panClamps()
    {
        TimeMapping m;
        m.setWidth(1000);
        m.setBounds(0, 100000);
        m.setView(40000, 50000);
        m.pan(100); // dragged right by 100 px = 1000 ms earlier
        QCOMPARE(m.viewStart(), int64_t(39000));
        m.pan(-250);
        QCOMPARE(m.viewStart(), int64_t(41500));
        m.pan(1e6);
        QCOMPARE(m.viewStart(), int64_t(0));
        QCOMPARE(m.viewSpan(), int64_t(10000));
        m.pan(-1e6);
        QCOMPARE(m.viewEnd(), int64_t(100000));
    }

    void emptyBounds()
    {
        TimeMapping m;
        m.setBounds(5000, 5000); // one event: a 1 s window around it
        QCOMPARE(m.viewStart(), int64_t(4500));
        QCOMPARE(m.viewEnd(), int64_t(5500));
        m.setWidth(0); // a hidden widget: no division by zero
        QVERIFY(std::isfinite(m.toPixel(5000)));
    }

    // A 10 ms window in a case spanning 2015..2026: every millisecond maps to its own pixel column and back.
    void millisecondPrecisionOverYears()
    {
        TimeMapping m;
        m.setWidth(1000);
        m.setBounds(utc("2015-01-01T00:00:00.000Z"), utc("2026-12-31T23:59:59.999Z"));
        const int64_t t0 = utc("2026-03-10T09:02:01.520Z");
        m.setView(t0, t0 + 10);
        for (int64_t d = 0; d <= 10; ++d) {
            QCOMPARE(m.toPixel(t0 + d), double(d) * 100.0);
            QCOMPARE(m.toTime(double(d) * 100.0), t0 + d);
        }
        // Zoom all the way out and back in around the same point: the anchor drifts by at most 1 ms a step.
        m.reset();
        const double x = m.toPixel(t0);
        for (int i = 0; i < 60; ++i)
            m.zoom(1.5, x);
        QCOMPARE(m.viewSpan(), TimeMapping::kMinSpanMs);
        QVERIFY2(std::abs(m.toTime(x) - t0) <= 1, qPrintable(QString::number(m.toTime(x) - t0)));
    }

    void ticks()
    {
        TimeMapping m;
        m.setWidth(1000);
        m.setBounds(utc("2026-03-10T09:02:00.000Z"), utc("2026-03-10T09:02:02.000Z"));
        QCOMPARE(m.tickStep(90), int64_t(200)); // 2 ms per pixel: 180 ms minimum, next nice step 200 ms
        const auto t = m.ticks(90);
        QCOMPARE(t.size(), size_t(11));
        QCOMPARE(t.front().label, QStringLiteral("2026-03-10\n09:02:00.000"));
        QCOMPARE(t[1].label, QStringLiteral("09:02:00.200"));
        QCOMPARE(t[1].x, 100.0);

        // Day steps fall on UTC midnights; the date is the label.
        m.setBounds(utc("2025-12-30T13:00:00.000Z"), utc("2026-01-20T00:00:00.000Z"));
        const auto days = m.ticks(90);
        QVERIFY(!days.empty());
        QCOMPARE(days.front().utcMs % 86400000, int64_t(0));
        QVERIFY(days.front().label.startsWith(QLatin1String("2026-01-")) || days.front().label == QLatin1String("2025-12-31"));

        // Minute steps across midnight show the new date.
        m.setBounds(utc("2026-03-10T23:50:00.000Z"), utc("2026-03-11T00:10:00.000Z"));
        bool sawDate = false;
        for (const auto& tick : m.ticks(90))
            sawDate |= tick.label.startsWith(QLatin1String("2026-03-11\n00:00"));
        QVERIFY(sawDate);
    }

    void deltaText()
    {
        QCOMPARE(timelineDeltaText(18), QStringLiteral("0.018 s"));
        QCOMPARE(timelineDeltaText(7800), QStringLiteral("7.800 s"));
        QCOMPARE(timelineDeltaText(-120), QStringLiteral("-0.120 s"));
        QCOMPARE(timelineDeltaText(62005), QStringLiteral("1 min 2.005 s"));
        QCOMPARE(timelineDeltaText(90061001), QStringLiteral("1 d 1 h 1 min 1.001 s"));
        QCOMPARE(timelineTimeText(utc("2026-03-10T09:02:01.520Z")), QStringLiteral("2026-03-10 09:02:01.520"));
    }
};

QTEST_GUILESS_MAIN(TestTimelineMapping)
#include "tst_timelinemapping.moc"
