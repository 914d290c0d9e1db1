// SPDX-License-Identifier: MIT
// Alerts stored in the case: identity across runs, triage kept and required reasons, stale alerts, checklist
// state and history surviving a reopen.
#include "storage/alertstore.h"
#include "storage/database.h"
#include "storage/schema.h"
#include "storage/statement.h"

#include <QTemporaryDir>
#include <QTest>

using namespace dscope::model;

namespace {

Alert makeAlert(const std::string& rule, const std::string& host, const std::string& sourceGuid,
                const std::string& targetGuid, int64_t count)
{
    Alert a;
    a.ruleId = rule;
    a.host = host;
    a.severity = Severity::High;
    a.source = {sourceGuid, 100, "C:\\a.exe"};
    a.target = {targetGuid, 200, "C:\\b.exe"};
    a.firstUtcMs = 1000;
    a.lastUtcMs = 2000;
    a.count = count;
    a.explanation = "because";
    return a;
}

bool openForWriting(Database& db, const std::string& path)
{
    std::string error;
    return db.open(path) && schema::prepareForWriting(db, error);
}

} // namespace

class TestAlertStore : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::string path(const char* name) const { return m_dir.filePath(QLatin1String(name)).toStdString(); }

private Q_SLOTS:
    void identityIsStableAndUnambiguous()
    {
        const Alert a = makeAlert("R1", "HOST", "g1", "g2", 1);
        Alert grown = a;
        grown.count = 50;
        grown.lastUtcMs = 9000;
        grown.evidence.push_back({});
        QCOMPARE(alertIdentity(grown), alertIdentity(a));
        // Without a GUID: PID and image, the image compared without case.
        Alert noGuid = makeAlert("R1", "HOST", "", "", 1);
        Alert upper = noGuid;
        upper.source.image = "C:\\A.EXE";
        QCOMPARE(alertIdentity(upper), alertIdentity(noGuid));
        upper.source.pid = 101;
        QVERIFY(alertIdentity(upper) != alertIdentity(noGuid));
        // A host that contains what a separator-joined identity would use cannot fake another tuple.
        const Alert x = makeAlert("R1", "A", "B", "C", 1);
        const Alert y = makeAlert("R1", "A", "", "C", 1);
        Alert forged = y;
        forged.host = "A\x1f" "B";
        QVERIFY(alertIdentity(x) != alertIdentity(forged));
        QVERIFY(alertIdentity(makeAlert("R1", "H", "g1", "g2", 1)) != alertIdentity(makeAlert("R2", "H", "g1", "g2", 1)));
    }

    void mergeKeepsIdsAndTriageAcrossRuns()
    {
        Database db;
        QVERIFY(openForWriting(db, path("merge.dscase")));
        AlertSet first;
        first.alerts = {makeAlert("R1", "H", "s", "t", 1), makeAlert("R2", "H", "s", "t", 3)};
        std::string error;
        QVERIFY2(alertstore::merge(db, first, {"R1", "R2"}, 3, 5000, error), error.c_str());
        const int64_t r1 = first.alerts[0].caseId;
        QVERIFY(r1 > 0 && first.alerts[1].caseId > 0 && first.alerts[1].caseId != r1);
        QCOMPARE(first.alerts[0].triage.state, TriageState::New);
        QCOMPARE(first.alerts[0].raisedUtcMs, int64_t(5000));

        Triage t{TriageState::TruePositive, "injected notepad", "alice", 6000};
        QVERIFY2(alertstore::setTriage(db, r1, t, error), error.c_str());

        // A later run with more data: the same R1 alert grew, R2's alert is gone, a new R1 alert appears.
        AlertSet second;
        second.alerts = {makeAlert("R1", "H", "s", "t", 7), makeAlert("R1", "H", "s", "other", 1)};
        QVERIFY2(alertstore::merge(db, second, {"R1", "R2"}, 4, 8000, error), error.c_str());
        QCOMPARE(second.alerts[0].caseId, r1);
        QCOMPARE(second.alerts[0].triage, t);
        QCOMPARE(second.alerts[0].raisedUtcMs, int64_t(5000));
        QVERIFY(second.alerts[1].caseId != r1);
        QCOMPARE(second.alerts[1].triage.state, TriageState::New);
        QCOMPARE(second.staleAlerts, int64_t(1));
        QCOMPARE(db.scalar("SELECT count(*) FROM alerts"), int64_t(3));
        QCOMPARE(db.scalar("SELECT count FROM alerts WHERE id=" + std::to_string(r1)), int64_t(7));
        QCOMPARE(db.scalar("SELECT rule_set_version FROM alerts WHERE id=" + std::to_string(r1)), int64_t(4));
        QCOMPARE(db.scalar("SELECT stale FROM alerts WHERE rule_id='R2'"), int64_t(1));
        // Listed, with its processes and triage, for the report and the Alerts page.
        const std::vector<Alert> stale = alertstore::staleAlerts(db);
        QCOMPARE(stale.size(), size_t(1));
        QCOMPARE(stale[0].ruleId, std::string("R2"));
        QCOMPARE(stale[0].caseId, first.alerts[1].caseId);
        QCOMPARE(stale[0].host, first.alerts[1].host);
        QCOMPARE(stale[0].target.guid, first.alerts[1].target.guid);
        QCOMPARE(stale[0].triage.state, TriageState::New);

        // A run of R1 only leaves R2's rows alone; R2 raising its alert again clears the stale mark.
        AlertSet third;
        third.alerts = {makeAlert("R2", "H", "s", "t", 3)};
        QVERIFY(alertstore::merge(db, third, {"R2"}, 4, 9000, error));
        QCOMPARE(db.scalar("SELECT stale FROM alerts WHERE rule_id='R2'"), int64_t(0));
        QCOMPARE(third.staleAlerts, int64_t(0));
        QCOMPARE(db.scalar("SELECT count(*) FROM alerts WHERE stale=1"), int64_t(0));
        QVERIFY(alertstore::staleAlerts(db).empty());
    }

    void closingTriageNeedsAReason()
    {
        Database db;
        QVERIFY(openForWriting(db, path("reason.dscase")));
        AlertSet set;
        set.alerts = {makeAlert("R8", "H", "s", "lsass", 1)};
        std::string error;
        QVERIFY(alertstore::merge(db, set, {"R8"}, 3, 1, error));
        const int64_t id = set.alerts[0].caseId;
        for (TriageState s : {TriageState::Benign, TriageState::FalsePositive}) {
            error.clear();
            QVERIFY(!alertstore::setTriage(db, id, {s, "  ", "bob", 2}, error));
            QVERIFY2(error.find("reason") != std::string::npos, error.c_str());
        }
        QCOMPARE(db.scalar("SELECT count(*) FROM alert_history"), int64_t(0));
        QVERIFY(alertstore::setTriage(db, id, {TriageState::Benign, "EDR agent reads lsass", "bob", 3}, error));
        QVERIFY(!alertstore::setTriage(db, id + 99, {TriageState::InProgress, {}, "bob", 4}, error));
        const auto triage = alertstore::triageById(db);
        QCOMPARE(triage.size(), size_t(1));
        QCOMPARE(triage[0].second.reason, std::string("EDR agent reads lsass"));
    }

    void checklistAndHistorySurviveReopening()
    {
        const std::string file = path("checklist.dscase");
        int64_t id = 0;
        {
            Database db;
            QVERIFY(openForWriting(db, file));
            AlertSet set;
            set.alerts = {makeAlert("R1", "H", "s", "t", 1)};
            std::string error;
            QVERIFY(alertstore::merge(db, set, {"R1"}, 3, 1, error));
            id = set.alerts[0].caseId;
            QVERIFY(alertstore::setChecklistItem(db, id, {"inj-memory", true, "alice", 10, "dump saved as <b>x</b>"}, error));
            QVERIFY(alertstore::setChecklistItem(db, id, {"inj-user", false, "alice", 11, "nothing else"}, error));
            QVERIFY(alertstore::setChecklistItem(db, id, {"inj-user", true, "bob", 12, "nothing else"}, error));
            QVERIFY(alertstore::setTriage(db, id, {TriageState::InProgress, {}, "alice", 13}, error));
        }
        Database db;
        QVERIFY(openForWriting(db, file));
        const auto items = alertstore::checklistState(db, id);
        QCOMPARE(items.size(), size_t(2));
        QCOMPARE(items[0], (alertstore::ChecklistItemState{"inj-memory", true, "alice", 10, "dump saved as <b>x</b>"}));
        QCOMPARE(items[1], (alertstore::ChecklistItemState{"inj-user", true, "bob", 12, "nothing else"}));
        const auto history = alertstore::history(db, id);
        QCOMPARE(history.size(), size_t(4));
        QCOMPARE(history.back().analyst, std::string("alice"));
        QCOMPARE(history.back().change, std::string("triage: in progress"));
        QCOMPARE(history[2].change, std::string("checklist: inj-user done - nothing else"));
        // A re-run of detection keeps all of it.
        AlertSet again;
        again.alerts = {makeAlert("R1", "H", "s", "t", 2)};
        std::string error;
        QVERIFY(alertstore::merge(db, again, {"R1"}, 3, 20, error));
        QCOMPARE(again.alerts[0].caseId, id);
        QCOMPARE(again.alerts[0].triage.state, TriageState::InProgress);
        QCOMPARE(alertstore::checklistState(db, id).size(), size_t(2));
    }

    void importedAlertsAreTriagedAndNeverMadeStaleByARun()
    {
        Database db;
        QVERIFY(openForWriting(db, path("imported.dscase")));
        std::vector<Alert> rows = {makeAlert("R1", "FLEET", "s1", "t1", 2), makeAlert("R6", "FLEET", "", "", 1),
                                   makeAlert("R6", "FLEET", "", "", 3)};
        for (size_t i = 0; i < rows.size(); ++i) {
            rows[i].origin = "hits.json, line " + std::to_string(i + 1);
            rows[i].source.pid = -1; // a row names no process id
            rows[i].target.pid = -1;
        }
        rows[2].lastUtcMs = 9000;
        std::string error;
        int64_t added = 0;
        {
            Transaction tx(db); // the import's writer holds the transaction
            QVERIFY2(alertstore::storeImported(db, rows, 4, 100, added, error), error.c_str());
            QVERIFY(tx.commit());
        }
        QCOMPARE(added, int64_t(2)); // the two R6 rows name the same alert: the second widens the first
        QCOMPARE(rows[1].caseId, rows[2].caseId);
        auto imported = alertstore::importedAlerts(db);
        QCOMPARE(imported.size(), size_t(2));
        QCOMPARE(imported[0].origin, std::string("hits.json, line 1"));
        QCOMPARE(imported[1].lastUtcMs, int64_t(9000));
        QCOMPARE(imported[1].count, int64_t(3));
        Triage tp;
        tp.state = TriageState::TruePositive;
        QVERIFY(alertstore::setTriage(db, rows[0].caseId, tp, error));

        // A run of the rules over a case without their events raises nothing: the imported alerts are not stale.
        AlertSet run;
        QVERIFY(alertstore::merge(db, run, {"R1", "R6"}, 4, 200, error));
        QCOMPARE(run.staleAlerts, int64_t(0));
        imported = alertstore::importedAlerts(db);
        QCOMPARE(imported.size(), size_t(2));
        QCOMPARE(imported[0].triage.state, TriageState::TruePositive);

        // Once the case holds the events and the workbench raises the same alert, it is the workbench's, triage kept.
        AlertSet raised;
        raised.alerts = {makeAlert("R1", "FLEET", "s1", "t1", 5)};
        raised.alerts[0].source.pid = -1;
        raised.alerts[0].target.pid = -1;
        QVERIFY(alertstore::merge(db, raised, {"R1"}, 4, 300, error));
        QCOMPARE(raised.alerts[0].caseId, rows[0].caseId);
        QCOMPARE(raised.alerts[0].triage.state, TriageState::TruePositive);
        QCOMPARE(alertstore::importedAlerts(db).size(), size_t(1));
        QCOMPARE(db.scalar("SELECT count(*) FROM alerts WHERE origin IS NULL"), int64_t(1));
    }
};

QTEST_GUILESS_MAIN(TestAlertStore)
#include "tst_alertstore.moc"
