// SPDX-License-Identifier: MIT
// Notes, tags and bookmarks end to end through the controller and the widgets: stored in the case off the GUI
// thread, listed and searched on the Notes page, marked on the rows of the alert list, the event table and the
// process tree, a bookmark toggled without losing the note, removal; all of it surviving a re-run of detection
// and a reopened case.
#include "alertworkcontroller.h"
#include "annotationdialog.h"
#include "itemmodels/alertlistmodel.h"
#include "itemmodels/eventtablemodel.h"
#include "notespage.h"
#include "processtree/processtreebuilder.h"
#include "processtree/processtreemodel.h"
#include "storage/database.h"
#include "views_helpers.h"

#include <QCheckBox>
#include <QDir>
#include <QPlainTextEdit>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace dscope;
using model::Annotation;
using model::AnnotatedRefs;

namespace {

const QString kDemo = QStringLiteral(DSCOPE_TEST_DATA "/chain/attack-chain.jsonl");

/// The Notes page and the controller wired as the main window wires them; the latest marks kept.
struct Workbench {
    views::NotesPage page;
    app::AlertWorkController controller;
    model::AnnotatedRefsPtr marks;
    int loads = 0;
    QStringList failures;

    explicit Workbench(const QString& casePath)
    {
        controller.setCase(casePath);
        QObject::connect(&page, &views::NotesPage::searchRequested, &controller, &app::AlertWorkController::loadAnnotations);
        QObject::connect(&controller, &app::AlertWorkController::annotationsLoaded, &page,
                         [this](const model::AnnotationListPtr& list, const model::AnnotatedRefsPtr& m) {
                             page.setAnnotations(list);
                             marks = m;
                             ++loads;
                         });
        QObject::connect(&controller, &app::AlertWorkController::failed, &page, [this](const QString& m) { failures << m; });
        page.resize(1200, 500);
        page.show();
    }

    /// Runs `action` and waits for the list it causes.
    bool settle(const std::function<void()>& action)
    {
        const int before = loads;
        action();
        return QTest::qWaitFor([&] { return loads > before; }, 10000);
    }
};

Annotation annotation(Annotation::Kind kind, std::string ref, std::string note, std::vector<std::string> tags)
{
    Annotation a;
    a.kind = kind;
    a.ref = std::move(ref);
    a.note = std::move(note);
    a.tags = std::move(tags);
    return a;
}

} // namespace

class TestNotes : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_case;
    model::AlertSetPtr m_alerts;

private Q_SLOTS:
    void initTestCase()
    {
        m_case = testing::importCase(m_dir, kDemo);
        QVERIFY(!m_case.isEmpty());
        m_alerts = testing::detectAndStore(m_case);
        QVERIFY(m_alerts && !m_alerts->alerts.empty() && m_alerts->storeError.empty());
    }

    void noteListSearchMarksBookmarkRemove()
    {
        const model::Alert& alert = m_alerts->alerts.front();
        QVERIFY(alert.caseId > 0 && !alert.evidence.empty() && !alert.target.guid.empty());
        const qint64 eventId = alert.evidence.front().eventRowId;
        const std::string processRef = model::processRef(alert.host, alert.target.guid);

        Workbench wb(m_case);
        QVERIFY(wb.settle([&] { wb.controller.loadAnnotations({}); }));
        QCOMPARE(wb.page.model()->rowCount(), 0);

        QVERIFY(wb.settle([&] {
            wb.controller.saveAnnotation(annotation(Annotation::Kind::Alert, std::to_string(alert.caseId),
                                                    "Payload only in memory; <b>dump</b> requested", {"Confirmed", "txf"}));
        }));
        QVERIFY(wb.settle([&] {
            wb.controller.saveAnnotation(annotation(Annotation::Kind::Event, std::to_string(eventId), "first step", {}));
        }));
        QVERIFY(wb.settle([&] {
            wb.controller.saveAnnotation(annotation(Annotation::Kind::Process, processRef, "", {"lateral-movement"}));
        }));
        QVERIFY2(wb.failures.isEmpty(), qPrintable(wb.failures.join(QLatin1Char('\n'))));
        QCOMPARE(wb.page.model()->rowCount(), 3);
        // What each is on, in words, from the case; who wrote it.
        const auto* first = wb.page.model()->at(2); // oldest last: the alert's
        QVERIFY(first);
        QCOMPARE(first->annotation.kind, Annotation::Kind::Alert);
        QVERIFY2(first->subject.find("alert " + std::to_string(alert.caseId) + ": " + alert.ruleId) == 0, first->subject.c_str());
        QCOMPARE(first->annotation.tags, (std::vector<std::string>{"confirmed", "txf"}));
        QCOMPARE(QString::fromStdString(first->annotation.analyst), wb.controller.analyst());
        QVERIFY(wb.page.findChild<QLabel*>()->text().contains(QLatin1String("3 annotation")));

        // Search on note and tags, without case; typing is debounced into one request.
        auto* search = wb.page.findChild<QLineEdit*>();
        QVERIFY(wb.settle([&] { QTest::keyClicks(search, QStringLiteral("LATERAL")); }));
        QTRY_COMPARE(wb.page.model()->rowCount(), 1);
        QCOMPARE(wb.page.model()->at(0)->annotation.kind, Annotation::Kind::Process);
        QVERIFY(wb.settle([&] { search->clear(); }));
        QTRY_COMPARE(wb.page.model()->rowCount(), 3);

        // The marks on the rows of the three views.
        QVERIFY(wb.marks);
        model::AlertListModel alertModel;
        alertModel.setAlerts(m_alerts);
        alertModel.setAnnotations(wb.marks);
        int markedAlerts = 0;
        for (int row = 0; row < alertModel.rowCount(); ++row) {
            const int flags = alertModel.index(row, 0).data(model::AnnotationMarkRole).toInt();
            markedAlerts += flags != 0;
            if (alertModel.index(row, 0).data(model::AlertListModel::CaseIdRole).toLongLong() == alert.caseId)
                QCOMPARE(flags, int(AnnotatedRefs::Noted));
        }
        QCOMPARE(markedAlerts, 1);

        model::EventTableModel events;
        QSignalSpy finished(&events, &model::EventTableModel::loadingFinished);
        QVERIFY(events.openCase(m_case));
        QVERIFY(finished.wait(10000));
        events.setAnnotations(wb.marks);
        const int eventRow = events.rowOfEvent(eventId);
        QVERIFY(eventRow >= 0);
        QTRY_VERIFY(events.index(eventRow, 0).data(model::EventLoadedRole).toBool());
        QCOMPARE(events.index(eventRow, 0).data(model::AnnotationMarkRole).toInt(), int(AnnotatedRefs::Noted));
        QCOMPARE(events.index(eventRow == 0 ? 1 : 0, 0).data(model::AnnotationMarkRole).toInt(), 0);

        std::string error;
        model::Database db;
        QVERIFY(db.open(m_case.toStdString(), model::Database::Mode::ReadOnly));
        const model::ProcessTreePtr tree = model::buildProcessTree(db, m_alerts.get(), error);
        QVERIFY2(tree, error.c_str());
        model::ProcessTreeModel treeModel;
        treeModel.setTree(tree, m_alerts);
        treeModel.setAnnotations(wb.marks);
        const int node = tree->findByGuid(QString::fromStdString(alert.host), QString::fromStdString(alert.target.guid));
        QVERIFY(node >= 0);
        QCOMPARE(treeModel.indexForNode(node).data(model::AnnotationMarkRole).toInt(), int(AnnotatedRefs::Noted));

        // A bookmark on the event keeps its note; toggled again, the note is still there.
        QVERIFY(wb.settle([&] { wb.controller.toggleBookmark(Annotation::Kind::Event, QString::number(eventId)); }));
        QCOMPARE(wb.marks->flags(Annotation::Kind::Event, std::to_string(eventId)),
                 int(AnnotatedRefs::Noted | AnnotatedRefs::Bookmarked));
        events.setAnnotations(wb.marks);
        QCOMPARE(events.index(eventRow, 0).data(model::AnnotationMarkRole).toInt(),
                 int(AnnotatedRefs::Noted | AnnotatedRefs::Bookmarked));
        QVERIFY(wb.settle([&] { wb.controller.toggleBookmark(Annotation::Kind::Event, QString::number(eventId)); }));
        QCOMPARE(wb.marks->flags(Annotation::Kind::Event, std::to_string(eventId)), int(AnnotatedRefs::Noted));
        // A bookmark alone, on an event without a note, and its removal by toggling.
        const qint64 other = events.eventRowIdAt(eventRow == 0 ? 1 : 0);
        QVERIFY(wb.settle([&] { wb.controller.toggleBookmark(Annotation::Kind::Event, QString::number(other)); }));
        QCOMPARE(wb.marks->flags(Annotation::Kind::Event, std::to_string(other)), int(AnnotatedRefs::Bookmarked));
        QCOMPARE(wb.page.model()->rowCount(), 4);
        QVERIFY(wb.settle([&] { wb.controller.toggleBookmark(Annotation::Kind::Event, QString::number(other)); }));
        QCOMPARE(wb.marks->flags(Annotation::Kind::Event, std::to_string(other)), 0);
        QCOMPARE(wb.page.model()->rowCount(), 3);

        // The page looked at: saved for a person.
        wb.page.table()->selectRow(0);
        wb.page.grab().save(QDir(testing::screenshotDir()).filePath(QStringLiteral("notes-page.png")));

        // Editing from the page reads what the case holds; the dialog's empty annotation removes it.
        QSignalSpy ready(&wb.controller, &app::AlertWorkController::annotationReady);
        wb.controller.editAnnotation(Annotation::Kind::Process, QString::fromStdString(processRef));
        QVERIFY(ready.wait(10000));
        const QList<QVariant> readyArgs = ready.takeFirst();
        const auto found = readyArgs.at(0).value<Annotation>();
        QVERIFY(readyArgs.at(1).toString().startsWith(QLatin1String("process ")));
        QCOMPARE(found.tags, (std::vector<std::string>{"lateral-movement"}));
        QVERIFY(found.id > 0);
        // The dialog edits it: a note and a bookmark added, the tags kept (normalized).
        views::AnnotationDialog dialog(found, readyArgs.at(1).toString(), &wb.page);
        dialog.findChild<QPlainTextEdit*>()->setPlainText(QStringLiteral("  moved to <i>FS01</i>\n"));
        dialog.findChild<QCheckBox*>()->setChecked(true);
        dialog.show();
        dialog.grab().save(QDir(testing::screenshotDir()).filePath(QStringLiteral("annotation-dialog.png")));
        const Annotation edited = dialog.annotation();
        QCOMPARE(edited.note, std::string("moved to <i>FS01</i>"));
        QVERIFY(edited.bookmark);
        QCOMPARE(edited.tags, found.tags);
        QCOMPARE(edited.ref, processRef);
        Annotation emptied = found;
        emptied.tags.clear();
        QVERIFY(wb.settle([&] { wb.controller.saveAnnotation(emptied); }));
        QCOMPARE(wb.page.model()->rowCount(), 2);
        QCOMPARE(wb.marks->flags(Annotation::Kind::Process, processRef), 0);
    }

    void survivesDetectionAndReopen()
    {
        // Another run of detection keeps alert ids, so the alert's note still names the same alert.
        const model::AlertSetPtr again = testing::detectAndStore(m_case);
        QVERIFY(again && again->storeError.empty());
        QCOMPARE(again->alerts.front().caseId, m_alerts->alerts.front().caseId);
        Workbench reopened(m_case); // a new controller: as after closing and reopening the case
        QVERIFY(reopened.settle([&] { reopened.controller.loadAnnotations({}); }));
        QCOMPARE(reopened.page.model()->rowCount(), 2);
        QCOMPARE(reopened.marks->flags(Annotation::Kind::Alert, std::to_string(again->alerts.front().caseId)),
                 int(AnnotatedRefs::Noted));
        const auto* alertNote = reopened.page.model()->at(1);
        QCOMPARE(alertNote->annotation.note, std::string("Payload only in memory; <b>dump</b> requested"));
    }
};

QTEST_MAIN(TestNotes)
#include "tst_notes.moc"
