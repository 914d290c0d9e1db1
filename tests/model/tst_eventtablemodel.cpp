// SPDX-License-Identifier: MIT
// The event table over a real case file: ids in SQL order, lazy row chunks, filters, sorting, stale generations.
#include "support/syntheticcase.h"

#include "itemmodels/accessmaskmodel.h"
#include "itemmodels/alertlistmodel.h"
#include "itemmodels/eventquery.h"
#include "itemmodels/eventtablemodel.h"
#include "itemmodels/plaintooltip.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace dscope::model;

class TestEventTableModel : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_case;
    static constexpr int kEvents = 5000;

    /// Opens the model and waits until every id is in.
    bool load(EventTableModel& model, const EventFilter& filter = {})
    {
        QSignalSpy finished(&model, &EventTableModel::loadingFinished);
        if (model.isOpen())
            model.setFilter(filter);
        else if (!model.openCase(m_case))
            return false;
        return finished.wait(10000) && finished.last().at(2).toString().isEmpty();
    }

    QString cell(EventTableModel& model, int row, int column)
    {
        const QModelIndex index = model.index(row, column);
        // Asking for the data asks for its chunk (again, if a fetch was skipped because the focus moved away); the
        // model says when rows arrive.
        QSignalSpy loaded(&model, &EventTableModel::rowsLoaded);
        for (int tries = 0; !index.data(EventLoadedRole).toBool(); ++tries) {
            if (tries == 50)
                return QStringLiteral("<not loaded>");
            loaded.wait(100); // rows arrive; or the fetch was skipped, and data() above asks again
        }
        return index.data().toString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_case = m_dir.filePath(QStringLiteral("table.dscase"));
        QString error;
        QVERIFY2(dscope::testing::writeSyntheticCase(m_case, kEvents, &error), qPrintable(error));
    }

    void queryNeverPagesWithOffset()
    {
        EventFilter f;
        f.eventIds = {1, 8};
        f.text = "50%_x";
        const SqlQuery q = buildIdQuery(f, {EventColHost, true});
        QVERIFY(q.sql.find("LIMIT") == std::string::npos);
        QVERIFY(q.sql.find("OFFSET") == std::string::npos);
        QVERIFY(q.sql.find("50%") == std::string::npos); // values are bound, never spliced
        QCOMPARE(std::get<std::string>(q.params.at(2)), std::string("%50\\%\\_x%"));
        QVERIFY(q.sql.find("ORDER BY host DESC, utc_ms DESC, id DESC") != std::string::npos);
        EventFilter one;
        one.inputId = 7;
        QVERIFY(!one.isEmpty());
        const SqlQuery byInput = buildIdQuery(one, {});
        QVERIFY(byInput.sql.find("input_id = ?") != std::string::npos);
        QCOMPARE(std::get<int64_t>(byInput.params.at(0)), int64_t(7));
    }

    void loadsAllRowsLazily()
    {
        EventTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(load(model));
        QCOMPARE(model.rowCount(), kEvents);
        QCOMPARE(model.columnCount(), int(EventColumnCount));
        // Rows are not read until asked for, then arrive in chunks.
        QVERIFY(!model.index(4000, 0).data(EventLoadedRole).toBool());
        QCOMPARE(cell(model, 0, EventColTime), QStringLiteral("2020-01-01 00:00:00.000"));
        QCOMPARE(cell(model, 0, EventColHost), QStringLiteral("HOST-A"));
        // Tool tips show the cell's text escaped (log values may look like markup).
        QCOMPARE(model.index(0, EventColHost).data(Qt::ToolTipRole).toString(),
                 plainToolTip(QStringLiteral("HOST-A")));
        QCOMPARE(cell(model, 0, EventColEventId), QStringLiteral("1 Process created"));
        QCOMPARE(cell(model, 0, EventColSubject), QStringLiteral("proc0.exe (1000)"));
        QCOMPARE(cell(model, 0, EventColSummary), QStringLiteral("proc0.exe --run 0"));
        QCOMPARE(cell(model, 4001, EventColEventId), QStringLiteral("8 Remote thread created"));
        QCOMPARE(cell(model, 4001, EventColTarget), QStringLiteral("lsass.exe (4)"));
        QCOMPARE(cell(model, 4010, EventColSummary), QStringLiteral("access 0x1410")); // 4010 % 4 == 2: id 10
        QCOMPARE(model.rowOfEvent(model.eventRowIdAt(4321)), 4321);
    }

    void filtersInSql()
    {
        EventTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QVERIFY(load(model));
        EventFilter f;
        f.eventIds = {10};
        QVERIFY(load(model, f));
        QCOMPARE(model.rowCount(), kEvents / 4);
        QCOMPARE(cell(model, 0, EventColEventId), QStringLiteral("10 Process accessed"));

        f = {};
        f.host = "HOST-B";
        f.eventIds = {8, 10};
        QVERIFY(load(model, f));
        QCOMPARE(model.rowCount(), kEvents / 4); // odd rows are HOST-B, ids 8 and 10 sit on odd rows

        f = {};
        f.processGuids = {"00000000-0000-0000-0000-000000000003"};
        QVERIFY(load(model, f));
        QCOMPARE(model.rowCount(), kEvents / 10);
        f.processGuids.push_back("00000000-0000-0000-0000-000000000004");
        QVERIFY(load(model, f));
        QCOMPARE(model.rowCount(), kEvents / 5); // either process
        f.host = "HOST-B";
        QVERIFY(load(model, f));
        QCOMPARE(model.rowCount(), kEvents / 10); // ...and the host: process 3 runs on HOST-B only

        f = {};
        f.text = "file123.tmp";
        QVERIFY(load(model, f));
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(cell(model, 0, EventColSummary), QStringLiteral("C:\\Temp\\file123.tmp"));

        f = {};
        f.text = "%"; // a LIKE wildcard typed by the user matches literally: nothing has a percent sign
        QVERIFY(load(model, f));
        QCOMPARE(model.rowCount(), 0);

        f = {};
        f.fromMs = dscope::testing::kSyntheticStartMs + 100;
        f.toMs = dscope::testing::kSyntheticStartMs + 199;
        QVERIFY(load(model, f));
        QCOMPARE(model.rowCount(), 100);
    }

    void sortsInSql()
    {
        EventTableModel model;
        QVERIFY(load(model));
        QSignalSpy finished(&model, &EventTableModel::loadingFinished);
        model.sort(EventColTime, Qt::DescendingOrder);
        QVERIFY(finished.wait(10000));
        QCOMPARE(cell(model, 0, EventColTime), QStringLiteral("2020-01-01 00:00:04.999"));
        model.sort(EventColHost, Qt::DescendingOrder);
        QVERIFY(finished.wait(10000));
        QCOMPARE(cell(model, 0, EventColHost), QStringLiteral("HOST-B"));
        QCOMPARE(cell(model, kEvents - 1, EventColHost), QStringLiteral("HOST-A"));
    }

    void staleGenerationsAreDropped()
    {
        EventTableModel model;
        QVERIFY(load(model));
        QSignalSpy finished(&model, &EventTableModel::loadingFinished);
        EventFilter a;
        a.eventIds = {1};
        EventFilter b;
        b.eventIds = {11};
        b.host = "HOST-B";
        model.setFilter(a);
        model.setFilter(b); // supersedes a before it is delivered
        QVERIFY(finished.wait(10000));
        // One id worker runs the queries in order and its results arrive in order: a's came before b's and were
        // dropped, so the count is final here.
        QCOMPARE(finished.count(), 1);
        QCOMPARE(model.rowCount(), kEvents / 4);
        QCOMPARE(cell(model, 0, EventColEventId), QStringLiteral("11 File created"));
    }

    void localTimeOption()
    {
        EventTableModel model;
        QVERIFY(load(model));
        QVERIFY(model.headerData(EventColTime, Qt::Horizontal).toString().contains(QLatin1String("UTC")));
        qputenv("TZ", "Asia/Kolkata"); // +05:30, no DST
        model.setUtc(false);
        QCOMPARE(cell(model, 0, EventColTime), QStringLiteral("2020-01-01 05:30:00.000"));
        QVERIFY(model.headerData(EventColTime, Qt::Horizontal).toString().contains(QLatin1String("local")));
    }

    void accessMaskModel()
    {
        AccessMaskModel present(AccessMaskModel::Mode::PresentOnly);
        QAbstractItemModelTester tester(&present, QAbstractItemModelTester::FailureReportingMode::QtTest);
        present.setMask(0x1440 | 0x80000000u | 0x4000u);
        QStringList names;
        for (int r = 0; r < present.rowCount(); ++r)
            names << present.index(r, 0).data().toString();
        QCOMPARE(names, (QStringList{QStringLiteral("PROCESS_DUP_HANDLE"), QStringLiteral("PROCESS_QUERY_INFORMATION"),
                                     QStringLiteral("PROCESS_QUERY_LIMITED_INFORMATION"), QStringLiteral("GENERIC_READ"),
                                     QStringLiteral("(undocumented bits)")}));
        QCOMPARE(present.index(4, AccessMaskModel::ColValue).data().toString(), QStringLiteral("0x4000"));

        AccessMaskModel all(AccessMaskModel::Mode::AllCheckable);
        QAbstractItemModelTester allTester(&all, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy changed(&all, &AccessMaskModel::maskChanged);
        for (int r = 0; r < all.rowCount(); ++r) {
            const quint32 bit = all.index(r, 0).data(AccessMaskModel::BitRole).toUInt();
            if (bit == 0x2 || bit == 0x8 || bit == 0x20)
                QVERIFY(all.setData(all.index(r, 0), Qt::Checked, Qt::CheckStateRole));
            QCOMPARE(all.index(r, 0).data(AccessMaskModel::InjectionRelevantRole).toBool(),
                     bit == 0x2 || bit == 0x8 || bit == 0x20 || bit == 0x10000000 || bit == 0x40000000);
        }
        QCOMPARE(all.mask(), 0x2Au);
        QCOMPARE(changed.count(), 3);
    }

    void alertListModel()
    {
        auto set = std::make_shared<AlertSet>();
        Alert low;
        low.ruleId = "R5";
        low.severity = dscope::model::Severity::Low;
        low.firstUtcMs = 2000;
        low.count = 3;
        low.source = {"g1", 100, "C:\\a\\src.exe"};
        low.target = {"g2", 200, "C:\\b\\dst.exe"};
        Alert critical = low;
        critical.ruleId = "R1";
        critical.severity = dscope::model::Severity::Critical;
        critical.firstUtcMs = 1000;
        critical.evidence.push_back({42, "in.evtx", 7, 3, 10, 1000, "handle"});
        set->alerts = {low, critical};
        AlertListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setAlerts(set);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0, AlertListModel::ColProcesses).data().toString(),
                 QStringLiteral("src.exe (100) \u2192 dst.exe (200)"));
        QCOMPARE(model.index(1, AlertListModel::ColSeverity).data(AlertListModel::SortRole).toInt(), 3);
        QCOMPARE(model.index(0, AlertListModel::ColFirst).data().toString(), QStringLiteral("1970-01-01 00:00:02.000"));

        EvidenceModel evidence;
        QAbstractItemModelTester evidenceTester(&evidence, QAbstractItemModelTester::FailureReportingMode::QtTest);
        evidence.setAlert(set, 1);
        QCOMPARE(evidence.rowCount(), 1);
        QCOMPARE(evidence.index(0, 0).data(EventRowIdRole).toLongLong(), 42);
        QCOMPARE(evidence.index(0, EvidenceModel::ColEventId).data().toString(), QStringLiteral("10 Process accessed"));
        evidence.setAlert(set, 0);
        QCOMPARE(evidence.rowCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestEventTableModel)
#include "tst_eventtablemodel.moc"
