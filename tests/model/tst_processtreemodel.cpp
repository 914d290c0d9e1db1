// SPDX-License-Identifier: MIT
// ProcessTreeModel under QAbstractItemModelTester, its proxy filtering, and the asynchronous loader
// (results arrive through the event loop; a superseded build never replaces the newer tree).
#include "processtree_helpers.h"

#include "import/importer.h"
#include "processtree/processtreeloader.h"
#include "storage/database.h"
#include "storage/eventwriter.h"
#include "storage/schema.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTemporaryDir>
#include <QTest>

using namespace dscope::model;

namespace {

const char* kFixture = "100 1 s=a:10:C:\\Windows\\explorer.exe p=-:-: u=DOM\\ann\n"
                       "200 1 s=b:20:C:\\Windows\\System32\\cmd.exe p=a:10:explorer.exe\n"
                       "300 1 s=c:30:C:\\Windows\\System32\\whoami.exe p=b:20:cmd.exe\n"
                       "400 1 s=d:40:C:\\Windows\\System32\\notepad.exe p=a:10:explorer.exe\n"
                       "500 8 s=x:50:C:\\Temp\\evil.exe t=d:40:notepad.exe\n"
                       "600 5 s=c:30:whoami.exe\n";

// Writes `processes` Sysmon 1 events as a flat list under one root into a new case file.
bool writeCase(const QString& path, int processes, const std::string& image, std::string& error)
{
    Database db;
    if (!db.open(path.toStdString()) || !schema::prepareForWriting(db, error))
        return false;
    EventWriter writer(db);
    InputReport input;
    input.path = path.toStdString();
    input.sha256 = path.toStdString();
    const int64_t inputId = writer.beginInput(input);
    std::vector<Event> events;
    for (int i = 0; i < processes; ++i) {
        Event e;
        e.eventId = 1;
        e.channel = "Microsoft-Windows-Sysmon/Operational";
        e.host = "H";
        e.utcMs = 1000 + i;
        e.subjectGuid = "p" + std::to_string(i);
        e.subjectPid = 100 + i;
        e.subjectImage = image;
        e.parentGuid = i ? "p0" : "";
        events.push_back(std::move(e));
    }
    return writer.insert(events, inputId) && writer.commit();
}

} // namespace

class TestProcessTreeModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void modelMatchesTree()
    {
        ProcessTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        auto tree = treetest::build(QString::fromLatin1(kFixture));
        model.setTree(tree, nullptr);
        QCOMPARE(treetest::printModel(model, *tree), treetest::print(*tree).section(QStringLiteral("\ninj"), 0, 0));
        QCOMPARE(model.rowCount(), 2); // explorer and the inferred evil.exe

        const int notepad = tree->findByGuid(QStringLiteral("H"), QStringLiteral("d"));
        const QModelIndex idx = model.indexForNode(notepad);
        QCOMPARE(model.nodeAt(idx), notepad);
        QCOMPARE(idx.parent(), model.indexForNode(tree->findByGuid(QStringLiteral("H"), QStringLiteral("a"))));
        QCOMPARE(idx.data().toString(), QStringLiteral("notepad.exe"));
        QCOMPARE(idx.siblingAtColumn(ProcessTreeModel::InjectionColumn).data().toString(),
                 QStringLiteral("\u2190 evil.exe (50)"));
        QCOMPARE(idx.data(ProcessTreeModel::InjectionInCountRole).toInt(), 1);
        // Escaped: a tool tip that looks like markup is rendered as rich text (see plainToolTip).
        QVERIFY(idx.data(Qt::ToolTipRole).toString().contains(QLatin1String("&lt;- evil.exe (50): remote thread")));
        const QModelIndex whoami = model.indexForNode(tree->findByGuid(QStringLiteral("H"), QStringLiteral("c")));
        QCOMPARE(whoami.siblingAtColumn(ProcessTreeModel::StartColumn).data().toString(),
                 QStringLiteral("1970-01-01 00:00:00.300"));
        QCOMPARE(whoami.siblingAtColumn(ProcessTreeModel::EndColumn).data().toString(),
                 QStringLiteral("1970-01-01 00:00:00.600"));
        QVERIFY(model.indexForNode(tree->findByGuid(QStringLiteral("H"), QStringLiteral("x")))
                    .data(ProcessTreeModel::InferredRole)
                    .toBool());

        // A second snapshot replaces the first through one reset; the tester checks the bookkeeping.
        model.setTree(treetest::build(QStringLiteral("1 1 s=z:1:one.exe p=-:-:")), nullptr);
        QCOMPARE(model.rowCount(), 1);
        model.setTree(nullptr, nullptr);
        QCOMPARE(model.rowCount(), 0);
    }

    // The page filters with a recursive proxy: a match keeps its ancestors, non-matching siblings go.
    void recursiveFilterKeepsAncestors()
    {
        ProcessTreeModel model;
        QSortFilterProxyModel proxy;
        proxy.setRecursiveFilteringEnabled(true);
        proxy.setFilterRole(ProcessTreeModel::SearchTextRole);
        proxy.setFilterCaseSensitivity(Qt::CaseInsensitive);
        proxy.setSourceModel(&model);
        QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
        auto tree = treetest::build(QString::fromLatin1(kFixture));
        model.setTree(tree, nullptr);
        proxy.setFilterFixedString(QStringLiteral("WHOAMI"));
        QCOMPARE(treetest::printModel(proxy, *tree), QStringLiteral("C:\\Windows\\explorer.exe:10\n"
                                                                    "  C:\\Windows\\System32\\cmd.exe:20\n"
                                                                    "    C:\\Windows\\System32\\whoami.exe:30 end=600"));
        proxy.setFilterFixedString(QStringLiteral("ann")); // the user
        QCOMPARE(treetest::printModel(proxy, *tree), QStringLiteral("C:\\Windows\\explorer.exe:10"));
    }

    void loaderDeliversThroughEventLoop()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("a.dscase"));
        std::string error;
        QVERIFY2(writeCase(path, 50, "a.exe", error), error.c_str());
        ProcessTreeLoader loader;
        ProcessTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        connect(&loader, &ProcessTreeLoader::treeAvailable, &model,
                [&model](ProcessTreePtr tree, AlertSetPtr alerts, double) { model.setTree(tree, alerts); });
        QSignalSpy spy(&loader, &ProcessTreeLoader::treeAvailable);
        loader.load(path, nullptr);
        QCOMPARE(model.rowCount(), 0); // nothing is delivered synchronously
        QVERIFY(spy.wait(10000));
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.rowCount(model.index(0, 0)), 49);
    }

    void staleResultDropped()
    {
        QTemporaryDir dir;
        const QString big = dir.filePath(QStringLiteral("big.dscase"));
        const QString small = dir.filePath(QStringLiteral("small.dscase"));
        std::string error;
        QVERIFY2(writeCase(big, 20000, "big.exe", error), error.c_str());
        QVERIFY2(writeCase(small, 3, "small.exe", error), error.c_str());
        ProcessTreeLoader loader;
        QSignalSpy spy(&loader, &ProcessTreeLoader::treeAvailable);
        loader.load(big, nullptr);
        loader.load(small, nullptr);
        QVERIFY(spy.wait(10000));
        QTRY_VERIFY(!loader.isLoading()); // both jobs have reported back
        QCOMPARE(spy.count(), 1);
        auto tree = spy.at(0).at(0).value<ProcessTreePtr>();
        QCOMPARE(tree->nodes.size(), size_t(3));
        QCOMPARE(tree->nodes[0].image, QStringLiteral("small.exe"));
    }

    void loaderReportsBadCase()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("missing.dscase"));
        ProcessTreeLoader loader;
        QSignalSpy failed(&loader, &ProcessTreeLoader::loadFailed);
        loader.load(path, nullptr);
        QVERIFY(failed.wait(10000));
        QVERIFY(failed.at(0).at(0).toString().contains(QLatin1String("missing.dscase")));
    }
};

QTEST_GUILESS_MAIN(TestProcessTreeModel)
#include "tst_processtreemodel.moc"
