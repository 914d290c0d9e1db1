// SPDX-License-Identifier: MIT
// The response checklists file and the pivots its items run: every rule's checklist exists, the draft strategy's
// response steps are all there, every pivot resolves to a filter that finds what it promises on a crafted case.
#include "domain/checklist.h"
#include "itemmodels/pivots.h"
#include "storage/database.h"
#include "storage/eventwriter.h"
#include "storage/schema.h"
#include "storage/statement.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include <set>

using namespace dscope::model;

namespace {

std::string readFile(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll().toStdString() : std::string();
}

const QString kResources = QStringLiteral(DSCOPE_TEST_DATA "/../../resources");

bool contains(const std::string& haystack, const char* needle) { return haystack.find(needle) != std::string::npos; }

Event makeEvent(int64_t id, int64_t ms, const std::string& subject, const std::string& user = {})
{
    Event e;
    e.eventId = id;
    e.utcMs = ms;
    e.host = "WS1";
    e.subjectGuid = subject;
    e.user = user;
    e.rawFormat = RawFormat::Json;
    e.raw = "{}";
    return e;
}

} // namespace

class TestChecklists : public QObject
{
    Q_OBJECT
private:
    Checklists m_lists;

private Q_SLOTS:
    void initTestCase()
    {
        std::string error;
        auto lists = Checklists::parse(readFile(kResources + QStringLiteral("/checklists/checklists.json")), error);
        QVERIFY2(lists, error.c_str());
        m_lists = std::move(*lists);
    }

    void everyRuleHasItsChecklist()
    {
        const QJsonObject rules = QJsonDocument::fromJson(QByteArray::fromStdString(
                                                              readFile(kResources + QStringLiteral("/rules/rules.json"))))
                                      .object();
        const QJsonArray list = rules.value(QLatin1String("rules")).toArray();
        QVERIFY(list.size() >= 9);
        for (const QJsonValue& r : list) {
            const std::string key = r.toObject().value(QLatin1String("checklist")).toString().toStdString();
            QVERIFY2(m_lists.find(key), key.c_str());
        }
    }

    void theDraftsResponseStepsAreThere()
    {
        // Get-InjectedThread, killing the threads, the parent, the user's activity and what it may lead to:
        // lateral movement, credential dumping, persistence. Memory comes first, and MEM_IMAGE is not forgotten.
        const Checklist* injection = m_lists.find("injection");
        QVERIFY(injection);
        std::string all;
        for (const auto& item : injection->items)
            all += item.text + "\n";
        for (const char* needle : {"Get-InjectedThread", "terminate the injected threads", "parent", "same user",
                                   "lsass.exe", "persistence", "lateral movement", "MEM_IMAGE"})
            QVERIFY2(contains(all, needle), needle);
        QVERIFY(contains(injection->items.front().text, "memory"));
        std::set<ChecklistItem::Where> where;
        for (const auto& item : injection->items)
            where.insert(item.where);
        QCOMPARE(where.size(), size_t(2)); // live-host steps and case checks
    }

    void badFilesAreRefusedWithTheItemNamed()
    {
        std::string error;
        QVERIFY(!Checklists::parse("{\"format\":\"doppelscope-checklists\",\"pivots\":{},\"checklists\":{\"x\":{\"items\":"
                                   "[{\"id\":\"a\",\"text\":\"t\",\"where\":\"case\",\"pivot\":\"nope\"}]}}}",
                                   error));
        QVERIFY2(contains(error, "checklist x, item 1 (a)") && contains(error, "nope"), error.c_str());
        QVERIFY(!Checklists::parse("{\"format\":\"doppelscope-checklists\",\"checklists\":{\"x\":{\"items\":"
                                   "[{\"id\":\"a\",\"text\":\"t\",\"where\":\"live\"},{\"id\":\"a\",\"text\":\"u\","
                                   "\"where\":\"live\"}]}}}",
                                   error));
        QVERIFY2(contains(error, "used twice"), error.c_str());
        QVERIFY(!Checklists::parse("[1,2]", error));
        QVERIFY(!Checklists::parse("{\"format\":\"other\"}", error));
    }

    void everyPivotResolvesAndFindsWhatItSays()
    {
        // A crafted case: the source (user CORP\alice) injects into the target, whose parent is explorer; alice's
        // other process opens lsass; a service is installed; a logon; the target later opens another process.
        QTemporaryDir dir;
        Database db;
        std::string error;
        QVERIFY(db.open(dir.filePath(QStringLiteral("p.dscase")).toStdString()) && schema::prepareForWriting(db, error));
        const int64_t t0 = 1'600'000'000'000;
        std::vector<Event> events;
        events.push_back(makeEvent(1, t0 - 1000, "src", "CORP\\alice"));      // the source starts
        Event target = makeEvent(1, t0 - 500, "tgt", "CORP\\bob");
        target.parentGuid = "explorer";
        events.push_back(target);                                          // the target starts under explorer
        events.push_back(makeEvent(1, t0 + 1000, "other", "corp\\ALICE"));     // alice starts another process
        Event lsass = makeEvent(10, t0 + 2000, "other");
        lsass.targetImage = "C:\\Windows\\System32\\lsass.exe";
        events.push_back(lsass);
        events.push_back(makeEvent(7045, t0 + 3000, ""));                      // a service is installed
        events.push_back(makeEvent(4624, t0 + 4000, ""));                      // a logon
        Event onward = makeEvent(10, t0 + 5000, "tgt");
        onward.targetGuid = "third";
        events.push_back(onward);                                          // the target opens a third process
        events.push_back(makeEvent(4985, t0 + 100, ""));                       // a transaction
        Event elsewhere = makeEvent(7045, t0 + 3000, "");
        elsewhere.host = "WS2";
        events.push_back(elsewhere);                                       // another host: never shown
        EventWriter writer(db);
        InputReport r;
        r.path = "crafted";
        r.sha256 = "x";
        const int64_t input = writer.beginInput(r);
        QVERIFY(writer.insert(events, input) && writer.commit());

        Alert alert;
        alert.host = "WS1";
        alert.source = {"src", 1, "C:\\evil.exe"};
        alert.target = {"tgt", 2, "C:\\Windows\\notepad.exe"};
        alert.firstUtcMs = t0;
        alert.lastUtcMs = t0;
        auto count = [&](const EventFilter& f) {
            const SqlQuery q = buildIdQuery(f, {});
            Statement st(db, "SELECT count(*) FROM (" + q.sql + ")");
            for (size_t i = 0; i < q.params.size(); ++i) {
                if (std::holds_alternative<int64_t>(q.params[i]))
                    st.bind(int(i + 1), std::get<int64_t>(q.params[i]));
                else
                    st.bindText(int(i + 1), std::get<std::string>(q.params[i]));
            }
            return st.next() ? st.columnInt(0) : -1;
        };
        // pivot -> events expected
        const std::map<std::string, int64_t> expected = {
            {"user-activity", 2},   // the source's start and alice's other process (user compared without case)
            {"lsass-handles", 1},
            {"persistence", 1},     // WS1's service, not WS2's
            {"remote-access", 1},
            {"later-threads", 1},   // the target's onward handle, not its own start before the alert
            {"parent-activity", 0}, // neither the source nor explorer did anything after the alert
            {"txf-activity", 1},
        };
        for (const auto& [key, pivotDescription] : m_lists.pivots) {
            Pivot p;
            QVERIFY2(resolvePivot(db, key, alert, p, error), key.c_str());
            QVERIFY2(!p.description.empty(), key.c_str());
            QVERIFY2(expected.count(key), ("no expectation for pivot " + key).c_str());
            QCOMPARE(count(p.filter), expected.at(key));
        }
        Pivot p;
        QVERIFY(resolvePivot(db, "user-activity", alert, p, error));
        QCOMPARE(p.filter.user, std::string("CORP\\alice"));
        QVERIFY(p.caveat.empty());
        QVERIFY(resolvePivot(db, "parent-activity", alert, p, error));
        QCOMPARE(p.filter.processGuids, (std::vector<std::string>{"src", "explorer"}));
        // A source the case knows no user for: the pivot says so and falls back to the source's own events.
        Alert unknown = alert;
        unknown.source.guid = "ghost";
        QVERIFY(resolvePivot(db, "user-activity", unknown, p, error));
        QVERIFY(!p.caveat.empty());
        QCOMPARE(p.filter.processGuids, (std::vector<std::string>{"ghost"}));
        QVERIFY(!resolvePivot(db, "no-such-pivot", alert, p, error));
    }
};

QTEST_GUILESS_MAIN(TestChecklists)
#include "tst_checklists.moc"
