// SPDX-License-Identifier: MIT
// The TxF timeline's data: lanes (processes of an alert and their parents), markers, and which
// Doppelgänging steps the telemetry shows, on the simulated demo case and the corpus 4985 sample.
#include "import/importer.h"
#include "storage/database.h"
#include "storage/schema.h"
#include "timeline/txftimeline.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace dscope::model;

namespace {

QString importCase(const QTemporaryDir& dir, const QString& input, ImportOptions options = {})
{
    const QString casePath = dir.filePath(QStringLiteral("t.dscase"));
    Importer importer(casePath.toStdString(), options);
    const auto summary = importer.run({input.toStdString()});
    if (!summary.fatal.empty() || summary.events == 0)
        return {};
    return casePath;
}

QStringList laneLabels(const TxfTimeline& t)
{
    QStringList out;
    for (const auto& l : t.lanes)
        out << l.label;
    return out;
}

QString markersOf(const TxfTimeline& t, int lane)
{
    QStringList ids;
    for (const auto& m : t.markers) {
        if (m.lane == lane)
            ids << QString::number(m.eventId);
    }
    return ids.join(QLatin1Char(' '));
}

QString visibility(const TxfTimeline& t)
{
    QString s;
    for (const auto& step : t.steps) {
        switch (step.visibility) {
        case DoppelStep::Visibility::Shown: s += QLatin1Char('Y'); break;
        case DoppelStep::Visibility::NotInCase: s += QLatin1Char('n'); break;
        case DoppelStep::Visibility::NeverLogged: s += QLatin1Char('-'); break;
        }
    }
    return s;
}

} // namespace

class TestTimelineData : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_demoCase;

private Q_SLOTS:
    void initTestCase()
    {
        const QString demo = QStringLiteral(DSCOPE_TEST_DATA "/chain/attack-chain.jsonl");
        QVERIFY2(QFileInfo::exists(demo), qPrintable(demo));
        m_demoCase = importCase(m_dir, demo);
        QVERIFY2(!m_demoCase.isEmpty(), "the demo case did not import");
    }

    // Without an alert: the first TxF activity (invoice_viewer's 4985) and the process it created.
    void txfActivityOfDemo()
    {
        Database db;
        QVERIFY(db.open(m_demoCase.toStdString(), Database::Mode::ReadOnly));
        std::string error;
        QVERIFY(schema::prepareForReading(db, error));
        const TimelineRequest request = timelineRequestForTxf(db, error);
        QCOMPARE(request.processes.size(), size_t(2));
        QCOMPARE(request.processes[0].pid, int64_t(6240));
        QCOMPARE(request.processes[0].guid, std::string("de70c0de-0003-69ef-2c00-000000000100")); // from Sysmon
        QCOMPARE(request.processes[1].image, std::string("svcupdate.tmp"));

        auto t = buildTxfTimeline(db, request, error);
        QVERIFY2(t, error.c_str());
        QCOMPARE(laneLabels(*t), QStringList({QStringLiteral("invoice_viewer.exe (6240) - loader"),
                                              QStringLiteral("explorer.exe (4012) - parent of invoice_viewer.exe"),
                                              QStringLiteral("svcupdate.tmp (7312) - new process")}));
        QCOMPARE(markersOf(*t, 0), QStringLiteral("1 7 4985 4656 11 4985 4985 10"));
        QCOMPARE(markersOf(*t, 2), QStringLiteral("1 25 3 10 8 8 8 8 8"));
        QCOMPARE(visibility(*t), QStringLiteral("YY-YYY-"));
        QVERIFY(t->steps[3].evidence.contains(QLatin1String("48 -> 52 -> 56")));
        QVERIFY(t->steps[1].evidence.contains(QLatin1String("4656 x1")));
        for (size_t i = 1; i < t->markers.size(); ++i)
            QVERIFY(t->markers[i - 1].utcMs <= t->markers[i].utcMs);
        QVERIFY(t->markers.front().eventRowId > 0);
    }

    // An injection alert: source and target lanes plus their parents; no TxF, so those steps are not shown.
    void alertLanes()
    {
        Alert a;
        a.ruleId = "R2";
        a.ruleName = "Remote thread after process access";
        a.technique = "T1055";
        a.host = "simulated-ws01.demo.invalid"; // host names compare case-insensitively
        a.source = {"de70c0de-0004-69ef-3d00-000000000100", 7312, "svcupdate.tmp"};
        a.target = {"de70c0de-0002-69ef-1b00-000000000100", 3300, "C:\\Windows\\System32\\notepad.exe"};
        a.firstUtcMs = QDateTime::fromString(QStringLiteral("2026-03-10T09:03:12.300Z"), Qt::ISODateWithMs)
                           .toMSecsSinceEpoch();
        a.lastUtcMs = a.firstUtcMs + 310;
        const TimelineRequest request = timelineRequestForAlert(a);
        QCOMPARE(request.fromMs, a.firstUtcMs - 60000);
        Database db;
        QVERIFY(db.open(m_demoCase.toStdString(), Database::Mode::ReadOnly));
        std::string error;
        auto t = buildTxfTimeline(db, request, error);
        QVERIFY2(t, error.c_str());
        QCOMPARE(laneLabels(*t), QStringList({QStringLiteral("svcupdate.tmp (7312) - source"),
                                              QStringLiteral("invoice_viewer.exe (6240) - parent of svcupdate.tmp"),
                                              QStringLiteral("notepad.exe (3300) - target"),
                                              QStringLiteral("explorer.exe (4012) - parent of notepad.exe")}));
        QCOMPARE(markersOf(*t, 0), QStringLiteral("10 8 8 8 8 8"));
        QCOMPARE(markersOf(*t, 2), QStringLiteral("3 10")); // its own connection; Defender's access to it
        QCOMPARE(visibility(*t), QStringLiteral("nn-nnn-"));
    }

    void emptyRequest()
    {
        Database db;
        QVERIFY(db.open(m_demoCase.toStdString(), Database::Mode::ReadOnly));
        std::string error;
        TimelineRequest r;
        r.fromMs = 1000;
        r.toMs = 2000;
        auto t = buildTxfTimeline(db, r, error);
        QVERIFY(t);
        QVERIFY(t->markers.empty());
        QCOMPARE(t->minMs, int64_t(1000));
        QCOMPARE(visibility(*t), QStringLiteral("nn-nnn-"));
    }

    // The real Process Doppelgänging sample: only two Security 4985 from proc_doppel64.exe.
    void corpusDoppelgangingSample()
    {
        const QString file = QStringLiteral(DSCOPE_DATASETS
                                            "/EVTX-ATTACK-SAMPLES/Defense Evasion/Win_4985_T1186_Process_Doppelganging.evtx");
        if (!QFileInfo::exists(file))
            QSKIP("corpus not present (DSCOPE_DATASETS)");
        QTemporaryDir dir;
        ImportOptions options;
        options.source.evtxEngine = EvtxEngine::Libevtx;
        const QString casePath = importCase(dir, file, options);
        QVERIFY2(!casePath.isEmpty(), "the sample did not import");
        Database db;
        QVERIFY(db.open(casePath.toStdString(), Database::Mode::ReadOnly));
        std::string error;
        const TimelineRequest request = timelineRequestForTxf(db, error);
        QCOMPARE(request.processes.size(), size_t(1));
        QCOMPARE(QString::fromStdString(request.processes[0].image), QStringLiteral("C:\\ProgramData\\proc_doppel64.exe"));
        auto t = buildTxfTimeline(db, request, error);
        QVERIFY2(t, error.c_str());
        QCOMPARE(markersOf(*t, 0), QStringLiteral("4985 4985"));
        // Transaction and its state change are visible; the write, section, process and thread are not.
        QCOMPARE(visibility(*t), QStringLiteral("Yn-Ynn-"));
        QVERIFY(t->steps[3].evidence.contains(QLatin1String("48 -> 56")));
    }
};

QTEST_GUILESS_MAIN(TestTimelineData)
#include "tst_timelinedata.moc"
