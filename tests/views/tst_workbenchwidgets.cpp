// SPDX-License-Identifier: MIT
// Pages and dialogs, offscreen: the mask calculator, the detail pane, the events page and the alerts page.
#include "views_helpers.h"

#include "alertspage.h"
#include "detailpane.h"
#include "eventspage.h"
#include "import/importer.h"
#include "itemmodels/accessmaskmodel.h"
#include "itemmodels/eventtablemodel.h"
#include "maskcalculatordialog.h"
#include "maskpanel.h"
#include "draftcomparisoncontroller.h"
#include "techniquepage.h"
#include "exercisepanel.h"
#include "tourpanel.h"
#include "demo/demogenerator.h"

#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTextBrowser>
#include <QTextCursor>
#include <QTextDocument>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>

using namespace dscope;

class TestWorkbenchWidgets : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_case;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_case = m_dir.filePath(QStringLiteral("widgets.dscase"));
        QString error;
        QVERIFY2(testing::writeSyntheticCase(m_case, 3000, &error), qPrintable(error));
    }

    void maskCalculatorOpensOnTheDraftMasks()
    {
        views::MaskCalculatorDialog dialog;
        dialog.show();
        QCOMPARE(dialog.left()->mask(), 0x1440u);
        QCOMPARE(dialog.right()->mask(), 0x143Au);
        QVERIFY2(dialog.differenceText().contains(QLatin1String("does NOT match")), qPrintable(dialog.differenceText()));
        QVERIFY(dialog.differenceText().contains(QLatin1String("PROCESS_VM_WRITE")));

        // Typing a mask ticks its rights.
        auto* edit = dialog.left()->findChild<QLineEdit*>();
        QVERIFY(edit);
        edit->selectAll();
        QTest::keyClicks(edit, QStringLiteral("0x143a"));
        QCOMPARE(dialog.left()->mask(), 0x143Au);
        QVERIFY(dialog.differenceText().contains(QLatin1String("same mask")));
        edit->selectAll();
        QTest::keyClicks(edit, QStringLiteral("zz"));
        QCOMPARE(dialog.left()->mask(), 0x143Au); // garbage leaves the mask alone

        quint32 parsed = 0;
        QVERIFY(views::MaskPanel::parseMask(QStringLiteral("1410"), parsed)); // Sysmon writes hex
        QCOMPARE(parsed, 0x1410u);
        QVERIFY(views::MaskPanel::parseMask(QStringLiteral("0n42"), parsed));
        QCOMPARE(parsed, 42u);
        QVERIFY(!views::MaskPanel::parseMask(QStringLiteral("0x1ffffffff"), parsed));
    }

    void detailPaneShowsFieldsRawAndMask()
    {
        views::DetailPane pane;
        QVERIFY(pane.openCase(m_case));
        pane.show();
        QSignalSpy shown(&pane, &views::DetailPane::detailShown);
        pane.setEvent(1); // the first synthetic event: process creation with granted_access 0x1410
        QVERIFY(shown.wait(5000));
        QCOMPARE(pane.currentEvent(), 1);
        const auto& d = pane.detail();
        QVERIFY(d.error.isEmpty());
        QCOMPARE(d.grantedAccess, 0x1410);
        auto* fields = pane.findChild<QTableWidget*>();
        QVERIFY(fields);
        QStringList labels;
        for (int r = 0; r < fields->rowCount(); ++r)
            labels << fields->item(r, 0)->text();
        QVERIFY(labels.contains(QStringLiteral("Command line")));
        QVERIFY(labels.contains(QStringLiteral("Granted access")));
        auto* raw = pane.findChild<QPlainTextEdit*>();
        QVERIFY(raw->toPlainText().contains(QLatin1String("\"EventID\": 1")));
        auto* tabs = pane.findChild<QTabWidget*>();
        QVERIFY(tabs->isTabEnabled(2));
        auto* maskModel = pane.findChild<model::AccessMaskModel*>();
        QCOMPARE(maskModel->mask(), 0x1410u);
        QCOMPARE(maskModel->rowCount(), 3); // VM_READ, QUERY_INFORMATION, QUERY_LIMITED_INFORMATION

        pane.setEvent(2); // no mask
        QVERIFY(shown.wait(5000));
        QVERIFY(!tabs->isTabEnabled(2));
        pane.setEvent(999999);
        QVERIFY(shown.wait(5000));
        QVERIFY(!pane.detail().error.isEmpty());
    }

    void eventsPageGoesToEventAcrossFilters()
    {
        views::EventsPage page;
        page.resize(1000, 700);
        page.show();
        QSignalSpy finished(page.model(), &model::EventTableModel::loadingFinished);
        QVERIFY(page.openCase(m_case));
        QVERIFY(finished.wait(10000));
        QCOMPARE(page.model()->rowCount(), 3000);

        model::EventFilter f;
        f.eventIds = {10};
        page.setFilter(f);
        QVERIFY(finished.wait(10000));
        QCOMPARE(page.model()->rowCount(), 750);

        // Event 2 is a Sysmon 8: hidden by the filter, so going to it clears the filter and selects it.
        QSignalSpy selected(&page, &views::EventsPage::eventSelected);
        page.goToEvent(2);
        QTRY_COMPARE_WITH_TIMEOUT(page.model()->filter().isEmpty(), true, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(page.table()->selectionModel()->selectedRows().size(), 1, 10000);
        QCOMPARE(page.table()->selectionModel()->selectedRows().first().row(), 1);
        QTRY_COMPARE_WITH_TIMEOUT(page.detailPane()->currentEvent(), 2, 5000);
        // The selection is announced with what the other pages need to find the process (linked selection).
        QTRY_VERIFY_WITH_TIMEOUT(!selected.isEmpty(), 5000);
        const QList<QVariant> last = selected.constLast();
        QCOMPARE(last.at(0).toLongLong(), qint64(2));
        QCOMPARE(last.at(1).toString(), page.model()->index(1, 0).data(model::EventHostRole).toString());
        QCOMPARE(last.at(2).toString(), page.model()->index(1, 0).data(model::EventSubjectGuidRole).toString());
        QVERIFY(!last.at(1).toString().isEmpty());

        // A host chosen on another page narrows the quick filters and keeps the others: every Sysmon 10 of the
        // synthetic case is on HOST-A.
        page.setHostFilter(QStringLiteral("HOST-A"));
        QVERIFY(finished.wait(10000));
        QCOMPARE(page.model()->rowCount(), 1500);
        f.eventIds = {10};
        f.host = "HOST-A";
        page.setFilter(f);
        QVERIFY(finished.wait(10000));
        QCOMPARE(page.model()->rowCount(), 750);
        page.setHostFilter(QStringLiteral("HOST-B"));
        QVERIFY(finished.wait(10000));
        QCOMPARE(page.model()->rowCount(), 0);
        QCOMPARE(page.model()->filter().eventIds, std::vector<int64_t>{10});
        page.setHostFilter(QString());
        QVERIFY(finished.wait(10000));
        QCOMPARE(page.model()->rowCount(), 750);

        // One input's events (the synthetic case has one, id 1), named in the status line; the quick filters
        // narrow them and keep the input.
        page.setInputFilter(1, QStringLiteral("synthetic <b>x</b>.jsonl"));
        QVERIFY(finished.wait(10000));
        QCOMPARE(page.model()->rowCount(), 3000);
        QLabel* status = nullptr;
        for (auto* label : page.findChildren<QLabel*>())
            if (label->text().contains(QLatin1String("events (query")))
                status = label;
        QVERIFY(status);
        QVERIFY2(status->text().endsWith(QLatin1String("from synthetic <b>x</b>.jsonl only")), qPrintable(status->text()));
        QCOMPARE(status->textFormat(), Qt::PlainText);
        QTRY_VERIFY_WITH_TIMEOUT(page.model()->index(page.table()->rowAt(0), 0).data(model::EventLoadedRole).toBool(), 5000);
        QVERIFY(page.grab().save(dscope::testing::screenshotDir() + QStringLiteral("/events-one-input.png")));
        page.setHostFilter(QStringLiteral("HOST-B"));
        QVERIFY(finished.wait(10000));
        QCOMPARE(page.model()->rowCount(), 1500);
        QCOMPARE(page.model()->filter().inputId, int64_t(1));
        page.setInputFilter(2, QStringLiteral("other"));
        QVERIFY(finished.wait(10000));
        QCOMPARE(page.model()->rowCount(), 0);
    }

    void eventsPageLiveReloadKeepsThePlace()
    {
        QTemporaryDir dir;
        const QString casePath = dir.filePath(QStringLiteral("live.dscase"));
        QVERIFY(testing::writeSyntheticCase(casePath, 3000));
        views::EventsPage page;
        page.resize(1000, 700);
        page.show();
        QSignalSpy finished(page.model(), &model::EventTableModel::loadingFinished);
        QVERIFY(page.openCase(casePath));
        QVERIFY(finished.wait(10000));
        model::EventFilter f;
        f.eventIds = {10};
        page.setFilter(f);
        QVERIFY(finished.wait(10000));
        QCOMPARE(page.model()->rowCount(), 750);
        page.table()->selectRow(420);
        page.table()->scrollTo(page.model()->index(400, 0), QAbstractItemView::PositionAtTop);
        const qint64 selected = page.currentEventRowId();
        const qint64 top = page.model()->eventRowIdAt(page.table()->rowAt(0));
        QVERIFY(selected > 0 && top > 0 && top != selected);

        // Fifty Sysmon 10 events arrive, earlier than all the others: every row moves down fifty.
        const QString more = dir.filePath(QStringLiteral("more.jsonl"));
        QFile file(more);
        QVERIFY(file.open(QIODevice::WriteOnly));
        for (int i = 0; i < 50; ++i)
            file.write(QStringLiteral("{\"EventID\":10,\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"Hostname\":\"HOST-A\","
                                      "\"RecordNumber\":%1,\"UtcTime\":\"2019-12-31 23:59:59.%2\",\"SourceProcessGUID\":\"{5eed0000-0000-0000-0000-000000000001}\","
                                      "\"TargetProcessGUID\":\"{5eed0000-0000-0000-0000-000000000002}\",\"GrantedAccess\":\"0x1000\"}\n")
                           .arg(900000 + i)
                           .arg(i, 3, 10, QLatin1Char('0'))
                           .toUtf8());
        file.close();
        QCOMPARE(model::Importer(casePath.toStdString()).run({more.toStdString()}).events, int64_t(50));
        page.reloadKeepingPlace();
        QVERIFY(finished.wait(10000));
        QCOMPARE(page.model()->rowCount(), 800);
        QCOMPARE(page.model()->filter().eventIds, std::vector<int64_t>{10}); // the filter stays
        QCOMPARE(page.currentEventRowId(), selected);
        QCOMPARE(page.table()->selectionModel()->selectedRows().size(), 1);
        QCOMPARE(page.table()->selectionModel()->selectedRows().first().row(), 470);
        QCOMPARE(page.model()->eventRowIdAt(page.table()->rowAt(0)), top);
        QCOMPARE(page.table()->rowAt(0), 450);
    }

    void techniquePageExplainsAndCompares()
    {
        views::TechniquePage page;
        page.resize(1200, 800);
        page.show();
        const QString text = page.browser()->toPlainText();
        for (const char* expected : {"Transact", "Rollback", "NtCreateProcessEx", "Security 4985", "Process Herpaderping",
                                     "mavinject", "5184 is decimal for 0x1440", "a.process_guid = b.process_guid"})
            QVERIFY2(text.contains(QLatin1String(expected)), expected);
        // The masks decoded, with the numbers: the draft's constant and the sum of the rights it lists.
        QVERIFY(text.contains(QLatin1String("0x1440 = PROCESS_DUP_HANDLE | PROCESS_QUERY_INFORMATION | PROCESS_QUERY_LIMITED_INFORMATION")));
        QVERIFY(text.contains(QLatin1String("0x143A = PROCESS_CREATE_THREAD")));
        QPushButton* compare = page.findChild<QPushButton*>();
        QVERIFY(compare && !compare->isEnabled()); // no case yet
        page.setCaseOpen(true);
        QSignalSpy asked(&page, &views::TechniquePage::comparisonRequested);
        compare->click();
        QCOMPARE(asked.count(), 1);
        QVERIFY(!compare->isEnabled()); // until the answer comes

        // The comparison itself, on the demo case: the draft misses the injection handle 0x1440 does not cover.
        QTemporaryDir dir;
        const QString demo = testing::importCase(dir, QStringLiteral(DSCOPE_TEST_DATA "/chain/attack-chain.jsonl"));
        QVERIFY(!demo.isEmpty());
        app::DraftComparisonController comparison;
        QSignalSpy finished(&comparison, &app::DraftComparisonController::finished);
        comparison.run(demo);
        QVERIFY(finished.wait(30000));
        const QString summary = finished.first().at(0).toString();
        QVERIFY2(summary.startsWith(QLatin1String("The draft (R0) raises 0 alert(s), R1 raises 1")), qPrintable(summary));
        page.showComparison(summary);
        QVERIFY(compare->isEnabled());
        QVERIFY(page.grab().save(testing::screenshotDir() + QStringLiteral("/technique-page.png")));
    }

    void exercisePanelAccusesOnceAndShowsTheScore()
    {
        views::ExercisePanel panel;
        panel.resize(420, 700);
        panel.show();
        panel.begin(QStringLiteral("Exercise: guided"), QStringLiteral("The whole story"));
        const model::DemoCase demo = model::generateDemoCase({});
        const model::ExpectedAlert& first = demo.answerKey.front();
        panel.accuse({first.host, first.targetGuid}, QStringLiteral("one"));
        panel.accuse({first.host, first.targetGuid}, QStringLiteral("the same, again")); // once
        panel.accuse({first.host, "{00000000-1111-2222-3333-444444444444}"}, QStringLiteral("<b>innocent</b>"));
        QCOMPARE(panel.accused().size(), size_t(2));
        const model::ExerciseScore score = model::scoreExercise(demo.answerKey, panel.accused(), 95);
        panel.showResult(score);
        const QString text = panel.resultView()->toPlainText();
        QVERIFY2(text.startsWith(QStringLiteral("%1 points").arg(score.points)), qPrintable(text.left(80)));
        QVERIFY(text.contains(QLatin1String("in 1:35")));
        QVERIFY(text.contains(QLatin1String("Missed, and how the workbench finds it")));
        QVERIFY(text.contains(QLatin1String("mavinject.exe")) && text.contains(QLatin1String("Alerted by R1, R2")));
        QVERIFY(text.contains(QLatin1String("00000000-1111-2222-3333-444444444444"))); // wrongly accused
        QVERIFY(panel.grab().save(testing::screenshotDir() + QStringLiteral("/exercise-panel.png")));
    }

    void tourPanelStepsForwardAndBack()
    {
        views::TourPanel panel;
        panel.resize(360, 500);
        panel.show();
        QCOMPARE(panel.stepCount(), 7);
        QSignalSpy shown(&panel, &views::TourPanel::stepShown);
        panel.setStep(0);
        QCOMPARE(shown.last().at(1).toString(), QStringLiteral("alert"));
        // Next and Back (Alt+Right, Alt+Left) move through the steps; the ends stay put.
        QPushButton* next = nullptr;
        QPushButton* back = nullptr;
        for (auto* b : panel.findChildren<QPushButton*>()) {
            if (b->shortcut() == QKeySequence(Qt::ALT | Qt::Key_Right))
                next = b;
            if (b->shortcut() == QKeySequence(Qt::ALT | Qt::Key_Left))
                back = b;
        }
        QVERIFY(next && back);
        QVERIFY(!back->isEnabled());
        // With the keyboard, as a trainee would: Alt+Right twice.
        panel.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&panel));
        // A button's shortcut animates a click: it lands a moment later.
        QTest::keySequence(&panel, QKeySequence(Qt::ALT | Qt::Key_Right));
        QTRY_COMPARE(panel.step(), 1);
        QTest::keySequence(&panel, QKeySequence(Qt::ALT | Qt::Key_Right));
        QTRY_COMPARE(panel.step(), 2);
        QTest::keySequence(&panel, QKeySequence(Qt::ALT | Qt::Key_Left));
        QTRY_COMPARE(panel.step(), 1);
        for (int i = 0; i < 10; ++i)
            if (next->isEnabled())
                next->click();
        QCOMPARE(panel.step(), 6);
        QVERIFY(!next->isEnabled());
        QCOMPARE(shown.last().at(1).toString(), QStringLiteral("report"));
        back->click();
        QCOMPARE(panel.step(), 5);
        QCOMPARE(shown.last().at(1).toString(), QStringLiteral("checklist"));
        const QStringList focuses{QStringLiteral("alert"), QStringLiteral("explanation"), QStringLiteral("processtree"),
                                  QStringLiteral("timeline"), QStringLiteral("mask"), QStringLiteral("checklist"), QStringLiteral("report")};
        for (int i = 0; i < focuses.size(); ++i)
            QCOMPARE(panel.focusOf(i), focuses.at(i));
        QVERIFY(panel.grab().save(testing::screenshotDir() + QStringLiteral("/tour-panel.png")));
    }

    void alertsPageShowsBlindSpotsEscaped()
    {
        views::AlertsPage page;
        page.resize(1000, 800);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        auto set = std::make_shared<model::AlertSet>();
        set->blindSpots.push_back({"R2", "no Sysmon 8 <script>alert(1)</script>"});
        model::Alert a;
        a.ruleId = "R1";
        a.severity = model::Severity::High;
        a.evidence.push_back({77, "x.evtx", 5, 4, 10, 0, "handle"});
        set->alerts.push_back(a);
        page.setAlerts(set);
        QString text;
        for (auto* label : page.findChildren<QLabel*>())
            if (label->text().contains(QLatin1String("Blind spots")))
                text = label->text();
        QVERIFY(text.contains(QLatin1String("&lt;script&gt;")));
        QVERIFY(!text.contains(QLatin1String("<script>")));

        QSignalSpy open(&page, &views::AlertsPage::openEventRequested);
        QVERIFY(page.selectAlert(0));
        QTableView* evidence = nullptr;
        for (auto* view : page.findChildren<QTableView*>())
            if (view != page.table() && view->model() && view->model()->rowCount() == 1)
                evidence = view;
        QVERIFY(evidence);
        const QRect cell = evidence->visualRect(evidence->model()->index(0, 0));
        // A view emits doubleClicked for the index the first click pressed on.
        QTest::mouseClick(evidence->viewport(), Qt::LeftButton, {}, cell.center());
        QTest::mouseDClick(evidence->viewport(), Qt::LeftButton, {}, cell.center());
        QCOMPARE(open.count(), 1);
        QCOMPARE(open.first().first().toLongLong(), 77);

        page.setAlerts(nullptr);
        QCOMPARE(page.table()->model()->rowCount(), 0);
    }

    void alertsOfTheInjectionFamilyLinkToTheTechnique()
    {
        views::AlertsPage page;
        page.resize(1000, 800);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        auto set = std::make_shared<model::AlertSet>();
        model::Alert r4;
        r4.ruleId = "R4";
        r4.ruleName = "Process created from a section";
        r4.technique = "T1055.013";
        r4.severity = model::Severity::Critical;
        model::Alert r8 = r4;
        r8.ruleId = "R8";
        r8.technique = "T1003.001";
        r8.severity = model::Severity::High;
        set->alerts = {r4, r8};
        page.setAlerts(set);
        QSignalSpy technique(&page, &views::AlertsPage::techniqueRequested);
        QVERIFY(page.selectAlert(0));
        QTextBrowser* browser = page.explanation();
        QTextCursor link = browser->document()->find(QStringLiteral("Learn the technique"));
        QVERIFY(!link.isNull());
        // A click on the link's text, as the analyst would.
        link.setPosition(link.selectionStart() + 4);
        QTest::mouseClick(browser->viewport(), Qt::LeftButton, {}, browser->cursorRect(link).center());
        QCOMPARE(technique.count(), 1);
        // Credential dumping is not the technique the page teaches: no link.
        QVERIFY(page.selectAlert(1));
        QVERIFY(browser->document()->find(QStringLiteral("Learn the technique")).isNull());
    }

    void alertsPageFiltersByHostWorstFirst()
    {
        views::AlertsPage page;
        page.resize(1000, 700);
        page.show();
        auto set = std::make_shared<model::AlertSet>();
        auto add = [&](const char* host, const char* severity, const char* rule) {
            model::Alert a;
            a.host = host;
            a.severity = *model::parseSeverity(severity);
            a.ruleId = rule;
            set->alerts.push_back(a);
        };
        add("WS-QUIET", "high", "R2");
        add("WS-QUIET", "high", "R7");
        add("DC01", "critical", "R1");
        add("ws-quiet", "high", "R2"); // the same host spelled in lower case
        add("LAPTOP-9", "medium", "R6");
        page.setAlerts(set);
        // The per-rule counts are in the page's summary line.
        bool counted = false;
        for (const QLabel* label : page.findChildren<QLabel*>())
            counted = counted || label->text().contains(QLatin1String("per rule: R1 1, R2 2, R6 1, R7 1"));
        QVERIFY(counted);
        auto* hosts = page.findChild<QComboBox*>();
        QVERIFY(hosts);
        QStringList items;
        for (int i = 0; i < hosts->count(); ++i)
            items << hosts->itemText(i);
        QCOMPARE(items, (QStringList{QStringLiteral("Any host (3 host(s) with alerts)"),
                                      QStringLiteral("DC01: 1 alert(s), worst critical, 1 open"),
                                      QStringLiteral("WS-QUIET: 3 alert(s), worst high, 3 open"),
                                      QStringLiteral("LAPTOP-9: 1 alert(s), worst medium, 1 open")}));
        QSignalSpy selected(&page, &views::AlertsPage::alertSelected);
        hosts->setCurrentIndex(2);
        QCOMPARE(page.table()->model()->rowCount(), 3);
        // Rows map back to their alerts: the first listed is one of WS-QUIET's.
        QVERIFY(page.selectAlert(0));
        const int index = selected.last().first().toInt();
        QVERIFY(index == 0 || index == 1 || index == 3);
        // Regular-expression characters in a host name are matched literally.
        add("HOST.(1)+", "low", "R8");
        page.setAlerts(set); // a new detection run keeps the host chosen
        QCOMPARE(hosts->currentText(), QStringLiteral("WS-QUIET: 3 alert(s), worst high, 3 open"));
        QCOMPARE(page.table()->model()->rowCount(), 3);
        QSignalSpy chosen(&page, &views::AlertsPage::hostChosen);
        page.setHost(QStringLiteral("HOST.(1)+"));
        QCOMPARE(page.table()->model()->rowCount(), 1);
        QCOMPARE(chosen.count(), 1); // the other pages follow
        QCOMPARE(chosen.last().first().toString(), QStringLiteral("HOST.(1)+"));
        // A host chosen elsewhere that has no alerts: an empty list under its name, not the previous host's.
        page.setHost(QStringLiteral("PRINTSRV"));
        QCOMPARE(hosts->currentText(), QStringLiteral("PRINTSRV: no alerts"));
        QCOMPARE(page.table()->model()->rowCount(), 0);
        const int entries = hosts->count();
        page.setHost(QStringLiteral("FILESRV")); // replaces PRINTSRV's entry rather than adding to it
        QCOMPARE(hosts->count(), entries);
        QCOMPARE(hosts->currentText(), QStringLiteral("FILESRV: no alerts"));
        page.setHost(QString());
        QCOMPARE(page.table()->model()->rowCount(), 6);
        QCOMPARE(chosen.last().first().toString(), QString());
    }
};

QTEST_MAIN(TestWorkbenchWidgets)
#include "tst_workbenchwidgets.moc"
