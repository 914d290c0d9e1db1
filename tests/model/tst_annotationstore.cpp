// SPDX-License-Identifier: MIT
// Notes, tags and bookmarks in the case: one per thing, replaced on save, removed when emptied, tags normalized,
// search without case and with the analyst's % and _ meaning themselves, kept across reopening.
#include "storage/annotationstore.h"
#include "storage/database.h"
#include "storage/schema.h"

#include <QTemporaryDir>
#include <algorithm>
#include <QTest>

using namespace dscope::model;

class TestAnnotationStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void tagsAreNormalized()
    {
        QCOMPARE(annotationstore::normalizeTags("a, B ,a,, c"), (std::vector<std::string>{"a", "b", "c"}));
        QCOMPARE(annotationstore::normalizeTags(""), std::vector<std::string>{});
    }

    void saveReplaceSearchAndReopen()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("n.dscase")).toStdString();
        std::string error;
        {
            Database db;
            QVERIFY(db.open(path) && schema::prepareForWriting(db, error));
            Annotation a{0, Annotation::Kind::Event, "42", "injected <b>here</b>", {"C2, Lateral"}, true, "alice", 10};
            QVERIFY2(annotationstore::save(db, a, error), error.c_str());
            QVERIFY(a.id > 0);
            QCOMPARE(a.tags, (std::vector<std::string>{"c2", "lateral"}));
            Annotation p{0, Annotation::Kind::Process, processRef("WS1", "guid-1"), "100% sure_", {}, false, "bob", 20};
            QVERIFY(annotationstore::save(db, p, error));
            // Saving again for the same event replaces it.
            Annotation again{0, Annotation::Kind::Event, "42", "injected here, confirmed", {"c2"}, true, "bob", 30};
            QVERIFY(annotationstore::save(db, again, error));
            QCOMPARE(db.scalar("SELECT count(*) FROM annotations WHERE kind='event'"), int64_t(1));
        }
        Database db;
        QVERIFY(db.open(path) && schema::prepareForWriting(db, error));
        const auto event = annotationstore::find(db, Annotation::Kind::Event, "42");
        QVERIFY(event);
        QCOMPARE(event->note, std::string("injected here, confirmed"));
        QCOMPARE(event->analyst, std::string("bob"));
        QVERIFY(event->bookmark);
        QCOMPARE(annotationstore::search(db, "C2").size(), size_t(1));      // a tag, without case
        QCOMPARE(annotationstore::search(db, "CONFIRMED").size(), size_t(1)); // the note
        QCOMPARE(annotationstore::search(db, "%").size(), size_t(1));        // the literal percent sign
        QCOMPARE(annotationstore::search(db, "_").size(), size_t(1));
        QCOMPARE(annotationstore::search(db, "").size(), size_t(2));
        QCOMPARE(annotationstore::search(db, "").front().kind, Annotation::Kind::Event); // newest first
        // The marks of the views: which refs, noted or bookmarked.
        const AnnotatedRefs marks = annotationstore::annotatedRefs(db);
        QCOMPARE(marks.processes.size(), size_t(1));
        QCOMPARE(marks.flags(Annotation::Kind::Process, "WS1|guid-1"), int(AnnotatedRefs::Noted));
        QCOMPARE(marks.flags(Annotation::Kind::Event, "42"), int(AnnotatedRefs::Noted | AnnotatedRefs::Bookmarked));
        QCOMPARE(marks.flags(Annotation::Kind::Alert, "42"), 0);
        // What they are on, in words: this case holds no such event or process events, and says so.
        const auto described = annotationstore::searchDescribed(db, "");
        QCOMPARE(described.size(), size_t(2));
        QCOMPARE(described[0].subject, std::string("event 42 (no longer in the case)"));
        QCOMPARE(described[0].host, std::string());
        QCOMPARE(described[1].subject, std::string("process {guid-1} on WS1"));
        QCOMPARE(described[1].host, std::string("WS1"));
        // Emptied: removed.
        Annotation cleared{0, Annotation::Kind::Event, "42", "  ", {}, false, "bob", 40};
        QVERIFY(annotationstore::save(db, cleared, error));
        QVERIFY(!annotationstore::find(db, Annotation::Kind::Event, "42"));
        QCOMPARE(cleared.id, int64_t(0));
    }

    void taggedProcessesComeFromProcessesAndTheirEvents()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath(QStringLiteral("t.dscase")).toStdString();
        std::string error;
        Database db;
        QVERIFY(db.open(path) && schema::prepareForWriting(db, error));
        // Two events of one process and one Security event without a process.
        QVERIFY(db.exec("INSERT INTO events(id, input_id, host, event_id, subject_guid) VALUES (7, 1, 'WS2', 10, '{aaaa}'), "
                        "(8, 1, 'WS2', 8, '{aaaa}'), (9, 1, 'WS2', 4985, NULL)"));
        auto save = [&](Annotation::Kind kind, const std::string& ref, const std::string& tags, const std::string& note = {}) {
            Annotation a{0, kind, ref, note, annotationstore::normalizeTags(tags), false, "trainee", 1};
            return annotationstore::save(db, a, error);
        };
        QVERIFY(save(Annotation::Kind::Process, processRef("WS1", "{bbbb}"), "Malicious, lateral"));
        QVERIFY(save(Annotation::Kind::Event, "7", "malicious"));
        QVERIFY(save(Annotation::Kind::Event, "8", "malicious"));   // the same process again: counted once
        QVERIFY(save(Annotation::Kind::Event, "9", "malicious"));   // no process behind it
        QVERIFY(save(Annotation::Kind::Process, processRef("WS1", "{cccc}"), "maliciousness")); // another tag
        QVERIFY(save(Annotation::Kind::Process, processRef("WS1", "{dddd}"), "benign", "not malicious at all"));
        QVERIFY(save(Annotation::Kind::Alert, "3", "malicious"));  // alerts name two processes: not an accusation
        auto tagged = annotationstore::taggedProcesses(db, " MALICIOUS ");
        std::sort(tagged.begin(), tagged.end(), [](const auto& a, const auto& b) { return a.guid < b.guid; });
        QCOMPARE(tagged.size(), size_t(2));
        QCOMPARE(tagged[0].host, std::string("WS2"));
        QCOMPARE(tagged[0].guid, std::string("{aaaa}"));
        QVERIFY(tagged[0].subject.rfind("event ", 0) == 0);
        QCOMPARE(tagged[1].host, std::string("WS1"));
        QCOMPARE(tagged[1].guid, std::string("{bbbb}"));
        QVERIFY(annotationstore::taggedProcesses(db, "").empty());
    }
};

QTEST_GUILESS_MAIN(TestAnnotationStore)
#include "tst_annotationstore.moc"
