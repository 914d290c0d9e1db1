// SPDX-License-Identifier: MIT
// The analyst's work on alerts, end to end through the widgets: triage recorded in the case (a closing decision
// needs a reason), checklist ticks and notes, the history, the triage filter and open counts, a pivot to the
// Events page filter; all of it surviving a re-run of detection and a reopened case.
#include "alertspage.h"
#include "alertworkcontroller.h"
#include "alertworkpanel.h"
#include "itemmodels/alertlistmodel.h"
#include "storage/database.h"
#include "views_helpers.h"

#include <QComboBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace dscope;

namespace {

const QString kDemo = QStringLiteral(DSCOPE_TEST_DATA "/chain/attack-chain.jsonl");

/// The page and the controller wired as the main window wires them.
struct Workbench {
    views::AlertsPage page;
    app::AlertWorkController controller;
    QList<model::Pivot> pivots;
    QStringList failures;

    explicit Workbench(const QString& casePath)
    {
        views::AlertWorkPanel* panel = page.workPanel();
        panel->setChecklists(controller.checklists(), controller.loadError());
        controller.setCase(casePath);
        QObject::connect(&page, &views::AlertsPage::workRequested, &controller, [this](qint64 id) {
            if (id > 0)
                controller.loadWork(id);
        });
        QObject::connect(panel, &views::AlertWorkPanel::triageRequested, &controller,
                         &app::AlertWorkController::recordTriage);
        QObject::connect(panel, &views::AlertWorkPanel::checklistItemChanged, &controller,
                         &app::AlertWorkController::setChecklistItem);
        QObject::connect(panel, &views::AlertWorkPanel::pivotRequested, &controller, [this](const QString& pivot) {
            controller.resolvePivot(*page.currentAlert(), pivot);
        });
        QObject::connect(&controller, &app::AlertWorkController::triageRecorded, &page, &views::AlertsPage::setTriage);
        QObject::connect(&controller, &app::AlertWorkController::workLoaded, panel,
                         [panel](const std::shared_ptr<const app::AlertWork>& w) {
                             panel->setWork(w->caseId, w->checklist, w->history);
                         });
        QObject::connect(&controller, &app::AlertWorkController::pivotResolved, &page,
                         [this](const model::Pivot& p) { pivots << p; });
        QObject::connect(&controller, &app::AlertWorkController::failed, &page,
                         [this](const QString& m) { failures << m; });
        page.resize(1400, 900);
        page.show();
    }
};

template <typename T> T* child(QWidget* w)
{
    auto list = w->findChildren<T*>();
    return list.isEmpty() ? nullptr : list.first();
}

} // namespace

class TestAlertWork : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_case;

private Q_SLOTS:
    void initTestCase()
    {
        m_case = testing::importCase(m_dir, kDemo);
        QVERIFY(!m_case.isEmpty());
    }

    void triageChecklistAndPivot()
    {
        const model::AlertSetPtr alerts = testing::detectAndStore(m_case);
        QVERIFY(alerts && !alerts->alerts.empty());
        QVERIFY(alerts->storeError.empty());
        Workbench wb(m_case);
        wb.page.setAlerts(alerts);
        QVERIFY(wb.page.selectAlert(0));
        const model::Alert* alert = wb.page.currentAlert();
        QVERIFY(alert && alert->caseId > 0);
        const qint64 caseId = alert->caseId;
        views::AlertWorkPanel* panel = wb.page.workPanel();
        auto* state = child<QComboBox>(panel);
        auto* reason = child<QLineEdit>(panel);
        QPushButton* record = nullptr;
        for (auto* b : panel->findChildren<QPushButton*>())
            if (b->text() == QLatin1String("Record"))
                record = b;
        QVERIFY(state && reason && record);

        // Benign needs a reason: the button stays off until one is typed.
        state->setCurrentIndex(state->findData(int(model::TriageState::Benign)));
        QVERIFY(!record->isEnabled());
        reason->setText(QStringLiteral("the <b>installer</b> of a known product"));
        QVERIFY(record->isEnabled());
        QSignalSpy recorded(&wb.controller, &app::AlertWorkController::triageRecorded);
        record->click();
        QVERIFY(recorded.wait(5000));
        QVERIFY2(wb.failures.isEmpty(), qPrintable(wb.failures.join(QLatin1Char('\n'))));
        const QModelIndex triageCell = wb.page.table()->model()->index(0, model::AlertListModel::ColTriage);
        QCOMPARE(triageCell.data().toString(), QStringLiteral("benign"));

        // The triage filter: an open-only list no longer holds it.
        auto filters = wb.page.findChildren<QComboBox*>();
        QComboBox* triageFilter = nullptr;
        for (auto* c : filters)
            if (c->itemText(0) == QLatin1String("Any triage"))
                triageFilter = c;
        QVERIFY(triageFilter);
        const int all = wb.page.table()->model()->rowCount();
        triageFilter->setCurrentIndex(1); // open
        QCOMPARE(wb.page.table()->model()->rowCount(), all - 1);
        triageFilter->setCurrentIndex(3); // closed
        QCOMPARE(wb.page.table()->model()->rowCount(), 1);
        triageFilter->setCurrentIndex(0);
        QVERIFY(wb.page.selectAlert(0));
        QCOMPARE(wb.page.currentAlert()->caseId, caseId);

        // Tick the first step and write a note on it.
        QTableWidget* list = panel->checklistView();
        QVERIFY(list->rowCount() > 3);
        QSignalSpy loaded(&wb.controller, &app::AlertWorkController::workLoaded);
        list->item(0, 0)->setCheckState(Qt::Checked);
        QVERIFY(loaded.wait(5000));
        QTRY_VERIFY(!list->item(0, 4)->text().isEmpty()); // who and when
        list->item(0, 3)->setText(QStringLiteral("memory saved"));
        QVERIFY(loaded.wait(5000));
        QTRY_COMPARE(list->item(0, 3)->text(), QStringLiteral("memory saved"));

        // A case check's pivot: the Events filter for this alert's host.
        int pivotRow = -1;
        for (int row = 0; row < list->rowCount() && pivotRow < 0; ++row)
            if (!list->item(row, 1)->data(Qt::UserRole + 2).toString().isEmpty())
                pivotRow = row;
        QVERIFY(pivotRow >= 0);
        list->setCurrentCell(pivotRow, 1);
        QPushButton* show = nullptr;
        for (auto* b : panel->findChildren<QPushButton*>())
            if (b->text() == QLatin1String("Show in Events"))
                show = b;
        QVERIFY(show && show->isEnabled());
        show->click();
        QTRY_COMPARE(wb.pivots.size(), 1);
        QCOMPARE(wb.pivots.first().filter.host, alert->host);
        QVERIFY(!wb.pivots.first().description.empty());
        wb.page.grab().save(testing::screenshotDir() + QStringLiteral("/alerts-triage.png")); // for a person to look at
    }

    void survivesReRunAndReopening()
    {
        // The decisions of the test above are in the case: a new detection run and a new window show them.
        const model::AlertSetPtr alerts = testing::detectAndStore(m_case);
        QVERIFY(alerts);
        const auto benign = std::find_if(alerts->alerts.begin(), alerts->alerts.end(), [](const model::Alert& a) {
            return a.triage.state == model::TriageState::Benign;
        });
        QVERIFY(benign != alerts->alerts.end());
        QCOMPARE(benign->triage.reason, std::string("the <b>installer</b> of a known product"));
        QVERIFY(!benign->triage.analyst.empty());
        Workbench wb(m_case);
        wb.page.setAlerts(alerts);
        int row = -1;
        for (int r = 0; r < wb.page.table()->model()->rowCount(); ++r)
            if (wb.page.table()->model()->index(r, model::AlertListModel::ColTriage).data().toString()
                == QLatin1String("benign"))
                row = r;
        QVERIFY(row >= 0);
        QSignalSpy loaded(&wb.controller, &app::AlertWorkController::workLoaded);
        QVERIFY(wb.page.selectAlert(row));
        QVERIFY(loaded.wait(5000));
        QTableWidget* list = wb.page.workPanel()->checklistView();
        QCOMPARE(list->item(0, 0)->checkState(), Qt::Checked);
        QCOMPARE(list->item(0, 3)->text(), QStringLiteral("memory saved"));
    }
};

QTEST_MAIN(TestAlertWork)
#include "tst_alertwork.moc"
