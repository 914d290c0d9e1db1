// SPDX-License-Identifier: MIT
// The investigation scope: what one page reports reaches the others with its origin, and a page that selects in
// turn does not echo the selection back.
#include "scope/investigationscope.h"

#include <QSignalSpy>
#include <QTest>

using dscope::model::InvestigationScope;

class TestInvestigationScope : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void selectionsCarryTheirOrigin()
    {
        InvestigationScope scope;
        QObject events, tree;
        QSignalSpy selected(&scope, &InvestigationScope::eventSelected);
        scope.selectEvent(42, QStringLiteral("HOST-A"), QStringLiteral("guid"), &events);
        QCOMPARE(selected.count(), 1);
        QCOMPARE(selected.at(0).at(0).toLongLong(), 42);
        QCOMPARE(selected.at(0).at(1).toString(), QStringLiteral("HOST-A"));
        QCOMPARE(selected.at(0).at(3).value<const QObject*>(), static_cast<const QObject*>(&events));
    }

    void aPageThatSelectsInTurnDoesNotEcho()
    {
        InvestigationScope scope;
        QObject events, tree;
        int treeSelections = 0, eventsTold = 0;
        // The tree, told of a selection, selects the process and reports its own selection (as a page does).
        connect(&scope, &InvestigationScope::eventSelected, &tree,
                [&](qint64 id, const QString&, const QString&, const QObject* origin) {
                    if (origin == &tree)
                        return;
                    ++treeSelections;
                    scope.selectEvent(id + 1, {}, {}, &tree);
                });
        connect(&scope, &InvestigationScope::eventSelected, &events,
                [&](qint64, const QString&, const QString&, const QObject* origin) {
                    if (origin != &events)
                        ++eventsTold;
                });
        scope.selectEvent(7, {}, {}, &events);
        QCOMPARE(treeSelections, 1);
        QCOMPARE(eventsTold, 0); // the tree's echo was dropped while the first selection was passed on
        // Once passed on, the next selection goes through again.
        scope.selectEvent(9, {}, {}, &tree);
        QCOMPARE(eventsTold, 1);
    }

    void hostAndCase()
    {
        InvestigationScope scope;
        QSignalSpy host(&scope, &InvestigationScope::hostChosen);
        QSignalSpy cased(&scope, &InvestigationScope::caseChanged);
        QSignalSpy alerts(&scope, &InvestigationScope::alertsChanged);
        QSignalSpy utc(&scope, &InvestigationScope::utcChanged);
        scope.chooseHost(QStringLiteral("HOST-B"));
        QCOMPARE(scope.host(), QStringLiteral("HOST-B"));
        QCOMPARE(host.count(), 1);
        scope.setAlerts(std::make_shared<const dscope::model::AlertSet>());
        QVERIFY(scope.alerts());
        scope.setCase(QStringLiteral("/cases/a.dscase"));
        QCOMPARE(cased.count(), 1);
        QVERIFY(!scope.alerts()); // a new case starts without the previous case's alerts
        scope.setUtc(true);       // unchanged: nothing to tell
        scope.setUtc(false);
        QCOMPARE(utc.count(), 1);
    }
};

QTEST_GUILESS_MAIN(TestInvestigationScope)
#include "tst_investigationscope.moc"
