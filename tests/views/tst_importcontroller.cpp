// SPDX-License-Identifier: MIT
// Import from the GUI side: runs on a worker, the event loop keeps answering, cancel leaves a valid case, and a
// write failure is shown in the import dialog with counts that equal what the case holds.
#include "importcontroller.h"
#include "importdialog.h"
#include "views_helpers.h"
#include "model/faultyvfs_helpers.h"

#include "storage/caseinfo.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QTableWidget>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace dscope;

namespace {

/// Sysmon JSON lines in the flat Security-Datasets layout (the demo case's), `count` process-creation events.
bool writeJsonLines(const QString& path, int count)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return false;
    QByteArray buffer;
    for (int i = 0; i < count; ++i) {
        const int ms = i % 1000, s = (i / 1000) % 60, m = (i / 60000) % 60;
        buffer += QStringLiteral(
                      "{\"SourceName\":\"Microsoft-Windows-Sysmon\",\"Channel\":\"Microsoft-Windows-Sysmon/Operational\","
                      "\"Hostname\":\"WS%1\",\"EventID\":1,\"UtcTime\":\"2026-03-10 09:%2:%3.%4\","
                      "\"ProcessGuid\":\"{de70c0de-0001-69ef-0a00-%5}\",\"ProcessId\":\"%6\","
                      "\"Image\":\"C:\\\\Windows\\\\System32\\\\cmd.exe\",\"CommandLine\":\"cmd.exe /c echo %7\","
                      "\"ParentProcessGuid\":\"{de70c0de-0000-69ef-0600-000000000100}\",\"ParentProcessId\":\"3880\","
                      "\"ParentImage\":\"C:\\\\Windows\\\\explorer.exe\"}\n")
                      .arg(i % 4)
                      .arg(m, 2, 10, QLatin1Char('0'))
                      .arg(s, 2, 10, QLatin1Char('0'))
                      .arg(ms, 3, 10, QLatin1Char('0'))
                      .arg(i, 12, 16, QLatin1Char('0'))
                      .arg(1000 + i % 50000)
                      .arg(i)
                      .toUtf8();
        if (buffer.size() > (1 << 20)) {
            f.write(buffer);
            buffer.clear();
        }
    }
    f.write(buffer);
    return true;
}

} // namespace

class TestImportController : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_input;
    static constexpr int kLines = 200000;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_input = m_dir.filePath(QStringLiteral("big.jsonl"));
        QVERIFY(writeJsonLines(m_input, kLines));
    }

    void eventLoopKeepsAnswering()
    {
        const QString casePath = m_dir.filePath(QStringLiteral("responsive.dscase"));
        app::ImportController controller;
        QSignalSpy finished(&controller, &app::ImportController::finished);
        QSignalSpy progress(&controller, &app::ImportController::progressChanged);

        // A 10 ms timer on the GUI thread: the longest gap between its ticks is how long the loop was blocked.
        QElapsedTimer sinceTick;
        qint64 maxGap = 0;
        int ticks = 0;
        QTimer timer;
        timer.setTimerType(Qt::PreciseTimer);
        connect(&timer, &QTimer::timeout, this, [&] {
            if (ticks++ > 0)
                maxGap = std::max(maxGap, sinceTick.elapsed());
            sinceTick.restart();
        });
        sinceTick.start();
        timer.start(10);
        QElapsedTimer clock;
        clock.start();
        QVERIFY(controller.start(casePath, {m_input.toStdString()}));
        QVERIFY(controller.isRunning());
        QVERIFY(!controller.start(casePath, {m_input.toStdString()})); // one import at a time
        QVERIFY(finished.wait(300000));
        timer.stop();
        const qint64 elapsed = clock.elapsed();
        const auto summary = finished.first().first().value<model::ImportSummary>();
        qInfo("imported %lld events in %lld ms; %d timer ticks, longest event-loop gap %lld ms, %lld progress signals",
              qint64(summary.events), elapsed, ticks, maxGap, qint64(progress.count()));
        QVERIFY2(summary.fatal.empty(), summary.fatal.c_str());
        QCOMPARE(summary.events, qint64(kLines));
        QVERIFY(progress.count() >= 1);
        QVERIFY(ticks > 10);
        QVERIFY2(maxGap < 100, qPrintable(QStringLiteral("event loop blocked for %1 ms").arg(maxGap)));
        QVERIFY(!controller.isRunning());
    }

    void cancelLeavesValidCase()
    {
        const QString casePath = m_dir.filePath(QStringLiteral("cancelled.dscase"));
        app::ImportController controller;
        QSignalSpy finished(&controller, &app::ImportController::finished);
        QVERIFY(controller.start(casePath, {m_input.toStdString()}));
        // Cancel once events are being written, so the input is mid-way.
        connect(&controller, &app::ImportController::progressChanged, &controller,
                [&controller](const model::ImportProgress& p) {
                    if (p.events > 0)
                        controller.cancel();
                });
        QVERIFY(finished.wait(300000));
        const auto summary = finished.first().first().value<model::ImportSummary>();
        QVERIFY(summary.cancelled);
        QVERIFY(summary.fatal.empty());
        QCOMPARE(summary.inputs.size(), size_t(1));
        // The case opens and holds exactly the committed batches; the input is marked incomplete.
        model::CaseInfo info;
        std::string error;
        QVERIFY2(model::loadCaseInfo(casePath.toStdString(), info, error), error.c_str());
        QVERIFY(info.events > 0);
        QVERIFY(info.events < kLines);
        QCOMPARE(info.inputs.size(), size_t(1));
        QCOMPARE(info.inputs.front().status, model::InputStatus::Incomplete);
    }

    void writeFailureIsShownWithWhatTheCaseHolds()
    {
        faultyvfs::install();
        const QString casePath = m_dir.filePath(QStringLiteral("full.dscase"));
        app::ImportController controller;
        views::ImportDialog dialog;
        dialog.setFiles({m_input.toStdString()});
        connect(&controller, &app::ImportController::finished, &dialog, &views::ImportDialog::setSummary);
        QSignalSpy finished(&controller, &app::ImportController::finished);
        // The log accepts 24 MiB (a few commits), then the disk is full.
        faultyvfs::arm(faultyvfs::Target::Wal, faultyvfs::Threads::Any, 24 << 20, SQLITE_FULL);
        QVERIFY(controller.start(casePath, {m_input.toStdString()}));
        QVERIFY(finished.wait(300000));
        faultyvfs::disarm();
        const auto summary = finished.first().first().value<model::ImportSummary>();
        QVERIFY(!summary.fatal.empty());

        QVERIFY(dialog.isFinished());
        QVERIFY(dialog.errorBanner()->isVisibleTo(&dialog));
        QVERIFY(dialog.errorBanner()->text().contains(QLatin1String("database or disk is full")));
        QVERIFY(dialog.errorBanner()->text().contains(casePath));
        // The summary's Events and Status cells say what the case holds.
        model::CaseInfo info;
        std::string error;
        QVERIFY2(model::loadCaseInfo(casePath.toStdString(), info, error), error.c_str());
        QVERIFY(info.events > 0);
        QVERIFY(info.events < kLines);
        QCOMPARE(dialog.summaryTable()->item(0, 3)->text().toLongLong(), qint64(info.events));
        QVERIFY(dialog.summaryTable()->item(0, 1)->text().startsWith(QLatin1String("incomplete")));
        QCOMPARE(summary.events, qint64(info.events));
    }

    void alertRowsAreCountedAsAlerts()
    {
        // A run of the exported rules elsewhere: its alert rows are the case's alerts, and the summary says so.
        const QString rows = m_dir.filePath(QStringLiteral("hits.json"));
        QFile f(rows);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"rule\":\"R1\",\"host\":\"WS7\",\"source_guid\":\"a\",\"target_guid\":\"b\","
                "\"first_utc\":\"2026-03-01T10:00:00.000Z\",\"count\":2}\n"
                "{\"rule\":\"R6\",\"host\":\"WS8\",\"source_guid\":\"\",\"first_utc\":\"2026-03-01T11:00:00Z\"}\n");
        f.close();
        app::ImportController controller;
        views::ImportDialog dialog;
        dialog.setFiles({rows.toStdString()});
        connect(&controller, &app::ImportController::finished, &dialog, &views::ImportDialog::setSummary);
        QSignalSpy finished(&controller, &app::ImportController::finished);
        QVERIFY(controller.start(m_dir.filePath(QStringLiteral("hits.dscase")), {rows.toStdString()}));
        QVERIFY(finished.wait(60000));
        QVERIFY(dialog.isFinished());
        QCOMPARE(dialog.summaryTable()->item(0, 2)->text(), QStringLiteral("json [alert-rows]"));
        QCOMPARE(dialog.summaryTable()->item(0, 3)->text(), QStringLiteral("2 alert(s)"));
        bool totalsSayIt = false;
        for (const QLabel* l : dialog.findChildren<QLabel*>())
            totalsSayIt = totalsSayIt || l->text().contains(QLatin1String("2 alert(s) of a run elsewhere imported for triage"));
        QVERIFY(totalsSayIt);
        dialog.resize(900, 360);
        dialog.grab().save(QDir(dscope::testing::screenshotDir()).filePath(QStringLiteral("import-alert-rows.png")));
    }
};

QTEST_MAIN(TestImportController)
#include "tst_importcontroller.moc"
