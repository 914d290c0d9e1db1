// SPDX-License-Identifier: MIT
// Process tree building: GUID and PID+time linking, PID reuse, missing parents, inferred nodes, cycles,
// injection relations and alert badges, from compact text fixtures (see processtree_helpers.h).
#include "processtree_helpers.h"

#include "import/importer.h"
#include "storage/database.h"
#include "storage/eventwriter.h"
#include "storage/schema.h"

#include <QElapsedTimer>
#include <QTest>

using namespace dscope::model;

class TestProcessTree : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void build_data()
    {
        QTest::addColumn<QString>("events");
        QTest::addColumn<QString>("expected");

        QTest::newRow("guid chain") << QStringLiteral(
            "100 1 s=a:10:explorer.exe p=-:-:\n"
            "200 1 s=b:20:cmd.exe p=a:10:explorer.exe\n"
            "300 1 s=c:30:whoami.exe p=b:20:cmd.exe\n"
            "250 1 s=d:40:notepad.exe p=a:10:explorer.exe\n")
                                    << QStringLiteral("explorer.exe:10\n"
                                                      "  cmd.exe:20\n"
                                                      "    whoami.exe:30\n"
                                                      "  notepad.exe:40");

        // The parent's creation is not in the log: it still gets a node, from the child's Parent* fields.
        QTest::newRow("missing parent by guid") << QStringLiteral("200 1 s=b:20:cmd.exe p=a:10:explorer.exe\n"
                                                                  "300 1 s=c:30:ping.exe p=a:10:explorer.exe\n")
                                                << QStringLiteral("explorer.exe:10 inferred\n"
                                                                  "  cmd.exe:20\n"
                                                                  "  ping.exe:30");

        // Security 4688: the parent is only a PID. PID 100 exits at 2000 and is reused at 3000.
        QTest::newRow("pid reuse with exit") << QStringLiteral(
            "1000 4688 s=-:100:first.exe p=-:4:System\n"
            "1500 4688 s=-:201:childA.exe p=-:100:first.exe\n"
            "2000 4689 s=-:100:first.exe\n"
            "2500 4688 s=-:202:orphan.exe p=-:100:ghost.exe\n"
            "3000 4688 s=-:100:second.exe p=-:4:System\n"
            "3500 4688 s=-:203:childB.exe p=-:100:second.exe\n")
                                             << QStringLiteral("System:4 inferred\n"
                                                               "  first.exe:100 end=2000\n"
                                                               "    childA.exe:201\n"
                                                               "  second.exe:100\n"
                                                               "    childB.exe:203\n"
                                                               "ghost.exe:100 inferred\n"
                                                               "  orphan.exe:202");

        // Without an exit event, the next creation of the PID ends the first process's claim on it.
        QTest::newRow("pid reuse without exit") << QStringLiteral(
            "1000 4688 s=-:100:first.exe p=-:-:\n"
            "2000 4688 s=-:201:a.exe p=-:100:first.exe\n"
            "3000 4688 s=-:100:second.exe p=-:-:\n"
            "4000 4688 s=-:202:b.exe p=-:100:second.exe\n")
                                                << QStringLiteral("first.exe:100\n"
                                                                  "  a.exe:201\n"
                                                                  "second.exe:100\n"
                                                                  "  b.exe:202");

        // A PID referenced before its first creation belongs to an earlier, unseen process.
        QTest::newRow("pid before creation") << QStringLiteral("500 4688 s=-:300:early.exe p=-:100:old.exe\n"
                                                               "1000 4688 s=-:100:new.exe p=-:-:\n")
                                             << QStringLiteral("old.exe:100 inferred\n"
                                                               "  early.exe:300\n"
                                                               "new.exe:100");

        // Sysmon 1 and Security 4688 of the same creation are one process; the GUID parent link wins.
        QTest::newRow("sysmon and security merged") << QStringLiteral(
            "100 1 s=a:10:explorer.exe p=-:-:\n"
            "1000 4688 s=-:50:C:\\x\\tool.exe p=-:10:explorer.exe\n"
            "1001 1 s=b:50:C:\\x\\TOOL.EXE p=a:10:explorer.exe\n")
                                                    << QStringLiteral("explorer.exe:10\n"
                                                                      "  C:\\x\\tool.exe:50");

        QTest::newRow("same guid on two hosts") << QStringLiteral("100 1 h=A s=a:10:one.exe p=-:-:\n"
                                                                  "100 1 h=B s=a:10:two.exe p=-:-:\n"
                                                                  "200 1 h=B s=b:11:kid.exe p=a:10:two.exe\n")
                                                << QStringLiteral("one.exe:10\n"
                                                                  "two.exe:10\n"
                                                                  "  kid.exe:11");

        QTest::newRow("two-node cycle") << QStringLiteral("100 1 s=a:10:a.exe p=b:20:b.exe\n"
                                                          "200 1 s=b:20:b.exe p=a:10:a.exe\n")
                                        << QStringLiteral("a.exe:10 cycle\n"
                                                          "  b.exe:20");
        QTest::newRow("own parent") << QStringLiteral("100 1 s=a:10:a.exe p=a:10:a.exe\n")
                                    << QStringLiteral("a.exe:10 cycle");
        QTest::newRow("duplicate creation") << QStringLiteral("100 1 s=a:10:a.exe p=-:-:\n"
                                                              "100 1 s=a:10:a.exe p=-:-:\n")
                                            << QStringLiteral("a.exe:10");

        QTest::newRow("sysmon exit") << QStringLiteral("100 1 s=a:10:a.exe p=-:-:\n"
                                                       "900 5 s=a:10:a.exe\n"
                                                       "950 5 s=z:77:gone.exe\n")
                                     << QStringLiteral("a.exe:10 end=900\n"
                                                       "gone.exe:77 inferred end=950");

        // Sources and targets get nodes; only thread creation and write/thread rights are injection, and the
        // handles a parent and csrss get to a new child are not.
        QTest::newRow("injection relations") << QStringLiteral(
            "100 1 s=p:10:parent.exe p=-:-:\n"
            "200 1 s=c:20:child.exe p=p:10:parent.exe\n"
            "201 10 s=p:10:parent.exe t=c:20:child.exe a=1fffff\n"
            "202 10 s=k:5:csrss.exe t=c:20:child.exe a=1fffff\n"
            "300 10 s=m:30:mimikatz.exe t=l:40:lsass.exe a=1010\n"
            "400 10 s=i:50:inject.exe t=c:20:child.exe a=143a\n"
            "401 8 s=i:50:inject.exe t=c:20:child.exe\n"
            "402 8 s=i:50:inject.exe t=c:20:child.exe\n")
                                             << QStringLiteral("parent.exe:10\n"
                                                               "  child.exe:20\n"
                                                               "csrss.exe:5 inferred\n"
                                                               "mimikatz.exe:30 inferred\n"
                                                               "lsass.exe:40 inferred\n"
                                                               "inject.exe:50 inferred\n"
                                                               "inj inject.exe:50 -> child.exe:20 TA- x3");

    }

    void build()
    {
        QFETCH(QString, events);
        QFETCH(QString, expected);
        auto tree = treetest::build(events);
        QVERIFY(tree);
        QCOMPARE(treetest::print(*tree), expected);
    }

    void otherChannelIgnored()
    {
        ProcessTreeBuilder builder;
        EventRecord r;
        r.eventId = 1;
        r.channel = "Application";
        r.subjectGuid = "a";
        r.subjectPid = 1;
        r.host = "H";
        builder.add(r);
        QVERIFY(!ProcessTreeBuilder::isTreeEvent(10, "Application"));
        QVERIFY(ProcessTreeBuilder::isTreeEvent(4688, "Security"));
        QCOMPARE(builder.finish(nullptr)->nodes.size(), size_t(0));
    }

    void alertBadges()
    {
        AlertSet alerts;
        Alert a;
        a.host = "h"; // host names compare case-insensitively
        a.source = {"i", 50, "inject.exe"};
        a.target = {"", 20, "child.exe"};
        a.firstUtcMs = 400;
        alerts.alerts.push_back(a);
        Alert b;
        b.host = "H";
        b.source = {"unseen", 99, "ghost.exe"};
        b.target = {"c", 20, "child.exe"};
        b.firstUtcMs = 500;
        alerts.alerts.push_back(b);
        auto tree = treetest::build(QStringLiteral("100 1 s=p:10:parent.exe p=-:-:\n"
                                                   "200 1 s=c:20:child.exe p=p:10:parent.exe\n"
                                                   "400 10 s=i:50:inject.exe t=c:20:child.exe a=1f3fff\n"),
                                    &alerts);
        QCOMPARE(treetest::print(*tree), QStringLiteral("parent.exe:10\n"
                                                        "  child.exe:20 alerts=0,1\n"
                                                        "inject.exe:50 inferred alerts=0\n"
                                                        "ghost.exe:99 inferred alerts=1\n"
                                                        "inj inject.exe:50 -> child.exe:20 -A! x1\n"
                                                        "inj ghost.exe:99 -> child.exe:20 --! x0"));
        QCOMPARE(tree->findByGuid(QStringLiteral("H"), QStringLiteral("{C}")), tree->findByPid(QStringLiteral("h"), 20));
    }

    void lookups()
    {
        auto tree = treetest::build(QStringLiteral("1000 4688 s=-:100:first.exe p=-:-:\n"
                                                   "2000 4689 s=-:100:first.exe\n"
                                                   "3000 4688 s=-:100:second.exe p=-:-:\n"));
        const int first = tree->findByPid(QStringLiteral("H"), 100, 1500);
        const int second = tree->findByPid(QStringLiteral("H"), 100, 3500);
        QVERIFY(first >= 0 && second >= 0);
        QCOMPARE(tree->nodes[size_t(first)].image, QStringLiteral("first.exe"));
        QCOMPARE(tree->nodes[size_t(second)].image, QStringLiteral("second.exe"));
        QCOMPARE(tree->findByPid(QStringLiteral("H"), 100, 2500), -1); // between the two lifetimes
        QCOMPARE(tree->findByPid(QStringLiteral("H"), 100), second);  // no time: the most recent
        QCOMPARE(tree->findByPid(QStringLiteral("other"), 100), -1);
    }

    // A 50,000-deep chain closed into a cycle: no recursion, no hang, one link cut.
    void deepChainWithCycle()
    {
        ProcessTreeBuilder builder;
        const int depth = 50000;
        for (int i = 0; i < depth; ++i) {
            EventRecord r;
            r.id = i + 1;
            r.utcMs = 1000 + i;
            r.eventId = 1;
            r.host = "H";
            r.channel = "Microsoft-Windows-Sysmon/Operational";
            r.subjectGuid = "g" + std::to_string(i);
            r.subjectPid = i + 8;
            r.subjectImage = "p.exe";
            r.parentGuid = "g" + std::to_string(i == 0 ? depth - 1 : i - 1);
            builder.add(std::move(r));
        }
        QElapsedTimer timer;
        timer.start();
        auto tree = builder.finish(nullptr);
        QVERIFY(timer.elapsed() < 5000);
        QCOMPARE(tree->cyclesBroken, 1);
        QCOMPARE(tree->roots.size(), size_t(1));
        // g0's logged parent started last: that impossible link is the one cut.
        const int g0 = tree->findByGuid(QStringLiteral("H"), QStringLiteral("g0"));
        QVERIFY(tree->nodes[size_t(g0)].cycleBroken);
        const auto path = tree->pathTo(tree->findByGuid(QStringLiteral("H"), QStringLiteral("g49999")));
        QCOMPARE(path.size(), size_t(depth));
        QCOMPARE(path.front(), g0);
    }

    // End to end through the case file: rows written by the writer, read back by buildProcessTree.
    void fromCaseFile()
    {
        Database db;
        QVERIFY(db.open(":memory:"));
        std::string error;
        QVERIFY2(schema::prepareForWriting(db, error), error.c_str());
        EventWriter writer(db);
        InputReport input;
        input.path = "fixture";
        input.sha256 = "x";
        const int64_t inputId = writer.beginInput(input);
        std::vector<Event> events(3);
        events[0].eventId = 1;
        events[0].channel = "Microsoft-Windows-Sysmon/Operational";
        events[0].host = "WS1";
        events[0].utcMs = 100;
        events[0].subjectGuid = "aaaa";
        events[0].subjectPid = 10;
        events[0].subjectImage = "C:\\Windows\\explorer.exe";
        events[0].user = "DOM\\user";
        events[0].commandLine = "explorer.exe";
        events[1] = events[0];
        events[1].utcMs = 200;
        events[1].subjectGuid = "bbbb";
        events[1].subjectPid = 20;
        events[1].subjectImage = "C:\\Windows\\System32\\cmd.exe";
        events[1].parentGuid = "aaaa";
        events[1].parentPid = 10;
        events[2].eventId = 4624; // not a process event
        events[2].host = "WS1";
        QVERIFY(writer.insert(events, inputId));
        QVERIFY(writer.commit());

        auto tree = buildProcessTree(db, nullptr, error);
        QVERIFY2(tree, error.c_str());
        QCOMPARE(tree->eventsRead, int64_t(2));
        QCOMPARE(treetest::print(*tree),
                 QStringLiteral("C:\\Windows\\explorer.exe:10\n  C:\\Windows\\System32\\cmd.exe:20"));
        const auto& cmd = tree->nodes[size_t(tree->findByGuid(QStringLiteral("ws1"), QStringLiteral("bbbb")))];
        QCOMPARE(cmd.user, QStringLiteral("DOM\\user"));
        QVERIFY(cmd.creationEventRowId > 0);
        QCOMPARE(cmd.startUtcMs, int64_t(200));
    }
};

QTEST_GUILESS_MAIN(TestProcessTree)
#include "tst_processtree.moc"
