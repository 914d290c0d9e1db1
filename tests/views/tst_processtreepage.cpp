// SPDX-License-Identifier: MIT
// The process tree page, offscreen: loading through the worker, alert badges, reveal, injection navigation,
// search keeping ancestors, and PNG renderings of the demo case and the Invoke-PSInject corpus case.
#include "import/importer.h"
#include "processtree/processtreemodel.h"
#include "processtree/processtreepage.h"

#include <QAbstractProxyModel>
#include <QAction>
#include <QComboBox>
#include <QFile>
#include <QDir>
#include <QFileInfo>
#include <QMenu>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "views_helpers.h"
#include <QTreeView>

using namespace dscope;
using model::ProcessTreeModel;

namespace {

using testing::importCase;
using testing::screenshotDir;

const char* kHost = "SIMULATED-WS01.demo.invalid";

model::AlertSetPtr demoAlerts()
{
    auto set = std::make_shared<model::AlertSet>();
    model::Alert doppel;
    doppel.ruleId = "R1";
    doppel.ruleName = "Process created from a transacted file";
    doppel.technique = "T1055.013";
    doppel.severity = model::Severity::Critical;
    doppel.host = kHost;
    doppel.source = {"de70c0de-0003-69ef-2c00-000000000100", 6240, "invoice_viewer.exe"};
    doppel.target = {"de70c0de-0004-69ef-3d00-000000000100", 7312, "svcupdate.tmp"};
    set->alerts.push_back(doppel);
    model::Alert crt;
    crt.ruleId = "R2";
    crt.ruleName = "Remote thread after process access";
    crt.technique = "T1055";
    crt.severity = model::Severity::High;
    crt.host = kHost;
    crt.source = {"de70c0de-0004-69ef-3d00-000000000100", 7312, "svcupdate.tmp"};
    crt.target = {"de70c0de-0002-69ef-1b00-000000000100", 3300, "notepad.exe"};
    set->alerts.push_back(crt);
    return set;
}

} // namespace

class TestProcessTreePage : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_demo;

    int current(views::ProcessTreePage& page)
    {
        const int node = page.currentNode();
        return node;
    }
    /// Shows the page at that size and waits for the case's tree.
    static bool showLoaded(views::ProcessTreePage& page, const QString& casePath, QSize size)
    {
        page.resize(size);
        page.show();
        QSignalSpy loaded(&page, &views::ProcessTreePage::treeLoaded);
        page.setCase(casePath);
        return loaded.wait(10000);
    }
    /// Every row the page's filters leave, at any depth.
    static QModelIndexList shownRows(views::ProcessTreePage& page)
    {
        QModelIndexList rows;
        std::vector<QModelIndex> stack{QModelIndex()};
        while (!stack.empty()) {
            const QModelIndex p = stack.back();
            stack.pop_back();
            for (int r = 0; r < page.view()->model()->rowCount(p); ++r) {
                rows << page.view()->model()->index(r, 0, p);
                stack.push_back(rows.back());
            }
        }
        return rows;
    }
    /// NXLog-style Sysmon 1 lines: `children` processes under one root, each with two children of its own,
    /// their GUIDs numbered from `first`.
    static bool writeProcesses(const QString& path, int first, int children)
    {
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly))
            return false;
        const auto guid = [](int n) { return QStringLiteral("{5eed0000-0000-0000-0000-%1}").arg(n, 12, 10, QLatin1Char('0')); };
        int record = first * 10;
        const auto line = [&](int n, int parent, const QString& image) {
            f.write(QStringLiteral("{\"EventID\":1,\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"Hostname\":\"PLACE-HOST\","
                                   "\"RecordNumber\":%1,\"UtcTime\":\"2024-05-01 10:%2:%3.000\",\"ProcessGuid\":\"%4\","
                                   "\"ProcessId\":\"%5\",\"Image\":\"C:\\\\Tools\\\\%6\",\"ParentProcessGuid\":\"%7\","
                                   "\"ParentProcessId\":\"%8\"}\n")
                        .arg(++record)
                        .arg((n / 60) % 60, 2, 10, QLatin1Char('0'))
                        .arg(n % 60, 2, 10, QLatin1Char('0'))
                        .arg(guid(n))
                        .arg(1000 + n)
                        .arg(image)
                        .arg(guid(parent))
                        .arg(1000 + parent)
                        .toUtf8());
        };
        if (first == 1)
            line(1, 0, QStringLiteral("root.exe"));
        for (int c = 0; c < children; ++c) {
            const int n = first + 1 + c * 3;
            line(n, 1, QStringLiteral("child%1.exe").arg(n));
            line(n + 1, n, QStringLiteral("leaf%1.exe").arg(n + 1));
            line(n + 2, n, QStringLiteral("leaf%1.exe").arg(n + 2));
        }
        return true;
    }
    QString currentImage(views::ProcessTreePage& page)
    {
        const int node = page.currentNode();
        return node < 0 ? QString() : page.treeModel()->nodeLabel(node);
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_demo = importCase(m_dir, QStringLiteral(DSCOPE_TEST_DATA "/chain/attack-chain.jsonl"));
        QVERIFY2(!m_demo.isEmpty(), "the demo case did not import");
    }

    void demoCase()
    {
        views::ProcessTreePage page;
        page.resize(1400, 560);
        page.show();
        QSignalSpy loaded(&page, &views::ProcessTreePage::treeLoaded);
        QSignalSpy echoes(&page, &views::ProcessTreePage::eventSelected);
        page.setCase(m_demo, demoAlerts());
        page.selectProcess(QString::fromLatin1(kHost), QStringLiteral("de70c0de-0002-69ef-1b00-000000000100"));
        QVERIFY(loaded.wait(10000)); // the selection asked for while loading is applied on arrival
        QCOMPARE(currentImage(page), QStringLiteral("notepad.exe (3300)"));
        // ... without announcing it: the page that asked is elsewhere by now.
        QCOMPARE(echoes.count(), 0);

        const auto tree = page.treeModel()->tree();
        const int svc = tree->findByGuid(QString::fromLatin1(kHost), QStringLiteral("de70c0de-0004-69ef-3d00-000000000100"));
        QVERIFY(svc >= 0);
        QCOMPARE(page.treeModel()->indexForNode(svc).data(ProcessTreeModel::AlertCountRole).toInt(), 2);
        QVERIFY(!tree->nodes[size_t(svc)].inferred);
        QCOMPARE(tree->nodes[size_t(svc)].commandLine, QStringLiteral("svchost.exe -k netsvcs"));

        // Reveal: the injection alert selects its source.
        page.revealAlert(1);
        QCOMPARE(current(page), svc);

        // Injection is followed both ways from the context menu.
        std::unique_ptr<QMenu> menu(page.createContextMenu(svc));
        QAction* toTarget = nullptr;
        for (QAction* a : menu->actions()) {
            if (a->text() == QLatin1String("Go to injection target: notepad.exe (3300)"))
                toTarget = a;
        }
        QVERIFY(toTarget);
        toTarget->trigger();
        QCOMPARE(currentImage(page), QStringLiteral("notepad.exe (3300)"));
        std::unique_ptr<QMenu> back(page.createContextMenu(page.currentNode()));
        QStringList texts;
        for (QAction* a : back->actions())
            texts << a->text();
        QVERIFY2(texts.contains(QLatin1String("Go to injection source: svcupdate.tmp (7312)")), qPrintable(texts.join(QLatin1Char('|'))));
        // notepad -> lsass with 0x1010 is a read, not injection: no relation to lsass.
        QVERIFY(!texts.join(QLatin1Char('|')).contains(QLatin1String("lsass")));

        // Selection linking: the creation event of the selected process is announced.
        QSignalSpy events(&page, &views::ProcessTreePage::eventSelected);
        page.selectEvent(tree->nodes[size_t(svc)].creationEventRowId);
        QCOMPARE(current(page), svc);
        QCOMPARE(events.count(), 1);
        QCOMPARE(events.at(0).at(0).toLongLong(), tree->nodes[size_t(svc)].creationEventRowId);

        QVERIFY(page.grab().save(screenshotDir() + QStringLiteral("/processtree-demo.png")));

        // Search keeps ancestors: lsass is inferred (only a target) and a root; csrss too.
        page.setSearchText(QStringLiteral("lsass"));
        QCOMPARE(page.view()->model()->rowCount(), 1);
        page.setSearchText(QStringLiteral("svchost.exe -k"));
        const QModelIndex root = page.view()->model()->index(0, 0);
        QCOMPARE(page.view()->model()->rowCount(), 1);
        QCOMPARE(root.data().toString(), QStringLiteral("userinit.exe")); // explorer's inferred parent
        page.setSearchText(QString());
        page.setFlaggedOnly(true);
        QVERIFY(page.grab().save(screenshotDir() + QStringLiteral("/processtree-demo-flagged.png")));
        // invoice_viewer, svcupdate, notepad and their ancestors (userinit, explorer), plus csrss and powershell
        // (a Sysmon 8 between them is a remote thread, even if a benign one): nothing else.
        QCOMPARE(shownRows(page).size(), 7);
    }

    void hostFilterShowsOneHostAtATime()
    {
        // Two hosts: HOST-A explorer -> cmd, HOST-B explorer -> powershell -> whoami (parents of explorer inferred).
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("two-hosts.jsonl"));
        {
            QFile f(file);
            QVERIFY(f.open(QIODevice::WriteOnly));
            auto create = [&](const char* host, int guid, int pid, const char* image, int parentGuid, int parentPid) {
                f.write(QStringLiteral(R"({"Channel":"Microsoft-Windows-Sysmon/Operational","Hostname":"%1","EventID":1,)"
                                       R"("UtcTime":"2024-05-01 10:00:%2.000","ProcessGuid":"{0000000%3-0000-0000-0000-000000000000}",)"
                                       R"("ProcessId":"%4","Image":"C:\\Windows\\%5","ParentProcessGuid":"{0000000%6-0000-0000-0000-000000000000}",)"
                                       R"("ParentProcessId":"%7"})")
                            .arg(QLatin1String(host), QString::number(10 + guid), QString::number(guid), QString::number(pid),
                                 QLatin1String(image), QString::number(parentGuid), QString::number(parentPid))
                            .toUtf8()
                        + "\n");
            };
            create("HOST-A", 1, 100, "explorer.exe", 9, 90);
            create("HOST-A", 2, 200, "cmd.exe", 1, 100);
            create("HOST-B", 3, 300, "explorer.exe", 8, 80);
            create("HOST-B", 4, 400, "powershell.exe", 3, 300);
            create("HOST-B", 5, 500, "whoami.exe", 4, 400);
        }
        const QString casePath = importCase(dir, file);
        QVERIFY(!casePath.isEmpty());
        views::ProcessTreePage page;
        QVERIFY(showLoaded(page, casePath, {1000, 400}));
        auto* hosts = page.findChild<QComboBox*>();
        QVERIFY(hosts);
        QCOMPARE(hosts->count(), 3);
        QCOMPARE(hosts->itemText(1), QStringLiteral("HOST-A (3 process(es))"));
        QCOMPARE(hosts->itemText(2), QStringLiteral("HOST-B (4 process(es))"));

        auto visible = [&] {
            QStringList hostsShown;
            for (const QModelIndex& i : shownRows(page))
                hostsShown << i.data(ProcessTreeModel::HostRole).toString();
            return hostsShown;
        };
        QCOMPARE(visible().size(), 7);
        QSignalSpy chosen(&page, &views::ProcessTreePage::hostChosen);
        page.setHost(QStringLiteral("host-b")); // hosts compare without case, as Windows names do
        QCOMPARE(hosts->currentIndex(), 2);
        QCOMPARE(chosen.count(), 1); // the other pages follow, with the host as the tree spells it
        QCOMPARE(chosen.last().first().toString(), QStringLiteral("HOST-B"));
        QCOMPARE(visible(), QStringList(4, QStringLiteral("HOST-B")));
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest); // the bar's relayout for the host names
        QVERIFY(page.grab().save(screenshotDir() + QStringLiteral("/processtree-one-host.png")));

        // Another page asks for a process of HOST-A: the filter moves to its host.
        page.selectProcess(QStringLiteral("HOST-A"), QStringLiteral("00000002-0000-0000-0000-000000000000"));
        QCOMPARE(currentImage(page), QStringLiteral("cmd.exe (200)"));
        QCOMPARE(hosts->currentIndex(), 1);
        QCOMPARE(visible(), QStringList(3, QStringLiteral("HOST-A")));

        // A rebuild (new alerts) keeps the host chosen.
        QSignalSpy rebuilt(&page, &views::ProcessTreePage::treeLoaded);
        page.setAlerts({});
        QVERIFY(rebuilt.wait(10000));
        QCOMPARE(hosts->currentIndex(), 1);
        QCOMPARE(visible().size(), 3);
        hosts->setCurrentIndex(0);
        QCOMPARE(visible().size(), 7);
    }

    void psInjectCorpusCase()
    {
        const QString file = QStringLiteral(
            DSCOPE_DATASETS "/EVTX-ATTACK-SAMPLES/Defense Evasion/de_unmanagedpowershell_psinject_sysmon_7_8_10.evtx");
        if (!QFileInfo::exists(file))
            QSKIP("corpus not present (DSCOPE_DATASETS)");
        QTemporaryDir dir;
        const QString casePath = importCase(dir, file, true);
        QVERIFY2(!casePath.isEmpty(), "the PSInject sample did not import");
        views::ProcessTreePage page;
        QVERIFY(showLoaded(page, casePath, {1400, 400}));
        const auto tree = page.treeModel()->tree();
        // No creation events in this file: both processes are inferred from Sysmon 8/10 sources and targets.
        QVERIFY(tree->nodes.size() >= 2);
        for (const auto& n : tree->nodes)
            QVERIFY(n.inferred);
        bool found = false;
        for (const auto& l : tree->injections) {
            const auto& s = tree->nodes[size_t(l.source)];
            const auto& t = tree->nodes[size_t(l.target)];
            if (s.image.endsWith(QLatin1String("powershell.exe")) && t.image.endsWith(QLatin1String("notepad.exe"),
                                                                                        Qt::CaseInsensitive)) {
                found = true;
                QVERIFY(l.kinds & model::InjectionThread);
                QVERIFY(l.count >= 82);
            }
        }
        QVERIFY(found);
        QVERIFY(page.grab().save(screenshotDir() + QStringLiteral("/processtree-psinject.png")));
    }

    void liveReloadKeepsThePlace()
    {
        // A live feed rebuilds the tree every few seconds: what the analyst collapsed, selected and scrolled to
        // must survive it, while the new processes appear.
        QTemporaryDir dir;
        const QString first = dir.filePath(QStringLiteral("first.jsonl"));
        QVERIFY(writeProcesses(first, 1, 60));
        const QString casePath = importCase(dir, first);
        QVERIFY(!casePath.isEmpty());
        views::ProcessTreePage page;
        QVERIFY(showLoaded(page, casePath, QSize(900, 400)));
        const auto tree = page.treeModel()->tree();
        auto proxyOf = [&](const QString& guid) {
            const int node = page.treeModel()->tree()->findByGuid(QStringLiteral("PLACE-HOST"), guid);
            auto* proxy = static_cast<QAbstractProxyModel*>(page.view()->model());
            return proxy->mapFromSource(page.treeModel()->indexForNode(node));
        };
        const QString collapsed = QStringLiteral("{5eed0000-0000-0000-0000-000000000005}");
        const QString selected = QStringLiteral("{5eed0000-0000-0000-0000-000000000090}");
        const QString top = QStringLiteral("{5eed0000-0000-0000-0000-000000000061}");
        QVERIFY(page.view()->isExpanded(proxyOf(collapsed)));
        page.view()->collapse(proxyOf(collapsed));
        page.view()->setCurrentIndex(proxyOf(selected));
        page.view()->scrollTo(proxyOf(top), QAbstractItemView::PositionAtTop);
        QCOMPARE(page.view()->indexAt(QPoint(0, 0)).siblingAtColumn(0), proxyOf(top));

        // More processes of the same root arrive, and the page rebuilds.
        const QString second = dir.filePath(QStringLiteral("second.jsonl"));
        QVERIFY(writeProcesses(second, 500, 20));
        const model::ImportSummary more = model::Importer(casePath.toStdString()).run({second.toStdString()});
        QCOMPARE(more.events, int64_t(60));
        QSignalSpy loaded(&page, &views::ProcessTreePage::treeLoaded);
        QSignalSpy announced(&page, &views::ProcessTreePage::processSelected);
        page.reloadKeepingPlace({});
        QVERIFY(loaded.wait(10000));
        QVERIFY(page.treeModel()->tree() != tree);
        QCOMPARE(loaded.first().at(0).toInt(), 1 + 1 + 60 * 3 + 20 * 3); // the root's parent is inferred
        QVERIFY(!page.view()->isExpanded(proxyOf(collapsed)));
        QVERIFY(page.view()->isExpanded(proxyOf(QStringLiteral("{5eed0000-0000-0000-0000-000000000008}"))));
        QVERIFY(page.view()->isExpanded(proxyOf(QStringLiteral("{5eed0000-0000-0000-0000-000000000501}")))); // new
        QCOMPARE(currentImage(page), QStringLiteral("leaf90.exe (1090)"));
        QCOMPARE(page.view()->indexAt(QPoint(0, 0)).siblingAtColumn(0), proxyOf(top));
        QCOMPARE(announced.count(), 0); // restoring is not the analyst choosing: other pages stay where they are
    }
};

QTEST_MAIN(TestProcessTreePage)
#include "tst_processtreepage.moc"
