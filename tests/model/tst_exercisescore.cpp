// SPDX-License-Identifier: MIT
// The exercise scorer on fixed submissions against the simulated case's answer key: perfect, empty, all wrong,
// partial; the victim lsass.exe neither found nor held against the trainee; GUID spellings; the key's JSON round trip.
#include "demo/demogenerator.h"
#include "demo/exercisescore.h"

#include <QTest>

#include <set>

using namespace dscope::model;

class TestExerciseScore : public QObject
{
    Q_OBJECT
private:
    DemoCase m_demo = generateDemoCase({});

    std::vector<Accusation> allCulprits() const
    {
        std::vector<Accusation> out;
        for (const ExpectedAlert& a : m_demo.answerKey) {
            if (!a.sourceGuid.empty())
                out.push_back({a.host, a.sourceGuid});
            if (a.rule != "R8")
                out.push_back({a.host, a.targetGuid});
        }
        return out;
    }

private Q_SLOTS:
    void culpritsAreWhereTheAttackersCodeRan()
    {
        const ExerciseScore s = scoreExercise(m_demo.answerKey, {}, 0);
        // invoice_viewer and the doppelgänged process; powershell and explorer; mavinject and notepad; pd64.
        QCOMPARE(int(s.culprits.size()), 7);
        std::set<std::string> attacks;
        for (const Culprit& c : s.culprits) {
            attacks.insert(c.attack);
            QVERIFY(!c.rules.empty());
            QVERIFY(!c.image.empty());
        }
        QCOMPARE(attacks.size(), size_t(4)); // the doppelgänged process's own dump is part of its chain's culprits
    }

    void perfect()
    {
        const ExerciseScore s = scoreExercise(m_demo.answerKey, allCulprits(), 1260);
        QCOMPARE(s.found, 7);
        QCOMPARE(s.missed, 0);
        QVERIFY(s.wronglyAccused.empty());
        QCOMPARE(s.points, 100);
        QCOMPARE(s.seconds, int64_t(1260));
    }

    void empty()
    {
        const ExerciseScore s = scoreExercise(m_demo.answerKey, {}, 30);
        QCOMPARE(s.found, 0);
        QCOMPARE(s.missed, 7);
        QCOMPARE(s.points, 0);
    }

    void allWrong()
    {
        const std::vector<Accusation> wrong{{m_demo.hosts[0], "{11111111-2222-3333-4444-555555555555}"},
                                            {m_demo.hosts[1], "aaaaaaaa-2222-3333-4444-555555555555"},
                                            {m_demo.hosts[1], "aaaaaaaa-2222-3333-4444-555555555555"}}; // twice: once
        const ExerciseScore s = scoreExercise(m_demo.answerKey, wrong, 60);
        QCOMPARE(s.found, 0);
        QCOMPARE(int(s.wronglyAccused.size()), 2);
        QCOMPARE(s.points, 0);
    }

    void partialWithOneWrongAndTheVictim()
    {
        // The two processes of the Doppelgänging chain, in other spellings, plus lsass (the victim: no penalty) and
        // one innocent process.
        std::vector<Accusation> some;
        for (const ExpectedAlert& a : m_demo.answerKey)
            if (a.rule == "R4") {
                some.push_back({a.host, "{" + a.sourceGuid + "}"});
                std::string upper = a.targetGuid;
                for (char& c : upper)
                    c = char(std::toupper(static_cast<unsigned char>(c)));
                some.push_back({a.host, upper});
            }
        for (const ExpectedAlert& a : m_demo.answerKey)
            if (a.rule == "R8")
                some.push_back({a.host, a.targetGuid});
        some.push_back({m_demo.hosts[0], "{de70c0de-0001-69ef-ffff-000000000001}"});
        const ExerciseScore s = scoreExercise(m_demo.answerKey, some, 600);
        QCOMPARE(s.found, 2);
        QCOMPARE(s.missed, 5);
        QCOMPARE(int(s.wronglyAccused.size()), 1);
        QCOMPARE(s.points, 2 * 100 / 7 - 10);
        int chainFound = 0;
        for (const Culprit& c : s.culprits)
            chainFound += c.found && c.attack == "Process Doppelgänging" ? 1 : 0;
        QCOMPARE(chainFound, 2);
    }

    void answerKeyRoundTrip()
    {
        const std::vector<ExpectedAlert> back = parseAnswerKey(answerKeyJsonLines(m_demo) + "not json\n\n");
        QCOMPARE(back.size(), m_demo.answerKey.size());
        for (size_t i = 0; i < back.size(); ++i) {
            QCOMPARE(back[i].rule, m_demo.answerKey[i].rule);
            QCOMPARE(back[i].host, m_demo.answerKey[i].host);
            QCOMPARE(back[i].sourceGuid, m_demo.answerKey[i].sourceGuid);
            QCOMPARE(back[i].targetGuid, m_demo.answerKey[i].targetGuid);
            QCOMPARE(back[i].attack, m_demo.answerKey[i].attack);
            QCOMPARE(back[i].targetImage, m_demo.answerKey[i].targetImage);
            QVERIFY(!back[i].targetImage.empty());
        }
    }
};

QTEST_GUILESS_MAIN(TestExerciseScore)
#include "tst_exercisescore.moc"
