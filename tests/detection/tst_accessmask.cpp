// SPDX-License-Identifier: MIT
#include "domain/accessmask.h"

#include <QTest>

using namespace dscope::model::access;

class TestAccessMask : public QObject
{
    Q_OBJECT

private slots:
    void processNames_data()
    {
        QTest::addColumn<uint>("mask");
        QTest::addColumn<QString>("names");
        QTest::addColumn<uint>("unknown");
        QTest::newRow("draft 0x1440") << 0x1440u
            << QStringLiteral("PROCESS_DUP_HANDLE | PROCESS_QUERY_INFORMATION | PROCESS_QUERY_LIMITED_INFORMATION")
            << 0u;
        QTest::newRow("listed six 0x143a") << 0x143Au
            << QStringLiteral("PROCESS_CREATE_THREAD | PROCESS_VM_OPERATION | PROCESS_VM_READ | PROCESS_VM_WRITE | "
                              "PROCESS_QUERY_INFORMATION | PROCESS_QUERY_LIMITED_INFORMATION")
            << 0u;
        QTest::newRow("injection set") << 0x2Au
            << QStringLiteral("PROCESS_CREATE_THREAD | PROCESS_VM_OPERATION | PROCESS_VM_WRITE") << 0u;
        QTest::newRow("mavinject 0x10143a") << 0x10143Au
            << QStringLiteral("PROCESS_CREATE_THREAD | PROCESS_VM_OPERATION | PROCESS_VM_READ | PROCESS_VM_WRITE | "
                              "PROCESS_QUERY_INFORMATION | PROCESS_QUERY_LIMITED_INFORMATION | SYNCHRONIZE")
            << 0u;
        QTest::newRow("mimikatz 0x1010") << 0x1010u
            << QStringLiteral("PROCESS_VM_READ | PROCESS_QUERY_LIMITED_INFORMATION") << 0u;
        QTest::newRow("undocumented bits") << 0x4001u << QStringLiteral("PROCESS_TERMINATE | 0x4000") << 0x4000u;
        QTest::newRow("generic") << 0x80000000u << QStringLiteral("GENERIC_READ") << 0u;
    }

    void processNames()
    {
        QFETCH(uint, mask);
        QFETCH(QString, names);
        QFETCH(uint, unknown);
        const Decoded d = decode(mask, ObjectType::Process);
        QCOMPARE(QString::fromStdString(d.names), names);
        QCOMPARE(d.unknownBits, unknown);
        QCOMPARE(d.mask, mask);
    }

    void draftArithmetic()
    {
        // The six rights the draft lists add up to 0x143a, and 0x1440 is a different set.
        uint32_t sum = 0;
        for (const char* name : {"PROCESS_CREATE_THREAD", "PROCESS_QUERY_INFORMATION",
                                 "PROCESS_QUERY_LIMITED_INFORMATION", "PROCESS_VM_OPERATION", "PROCESS_VM_WRITE",
                                 "PROCESS_VM_READ"}) {
            for (const Right& r : rights(ObjectType::Process))
                if (std::string(r.name) == name)
                    sum += r.bit;
        }
        QCOMPARE(sum, kDraftListedRights);
        QVERIFY(sum != kDraftMask);
        const Decoded draft = decode(kDraftMask, ObjectType::Process);
        QVERIFY(draft.description.find("not an injection mask") != std::string::npos);
        const Decoded listed = decode(kDraftListedRights, ObjectType::Process);
        QVERIFY(listed.description.find("injection set") != std::string::npos);
        QVERIFY(listed.description.find("0x143a") != std::string::npos);
    }

    void allAccess()
    {
        const Decoded all = decode(0x1FFFFF, ObjectType::Process);
        QVERIFY(all.description.find("PROCESS_ALL_ACCESS") != std::string::npos);
        QCOMPARE(all.unknownBits, 0xC000u);
        QCOMPARE(all.rights.size(), size_t(14 + 5));
        const Decoded xp = decode(0x1F0FFF, ObjectType::Process);
        QVERIFY(xp.description.find("XP") != std::string::npos);
        QCOMPARE(xp.unknownBits, 0u);
        const Decoded queryOnly = decode(0x1000, ObjectType::Process);
        QVERIFY(queryOnly.description.find("Query or wait only") != std::string::npos);
        QVERIFY(queryOnly.description.find("injection") == std::string::npos);
    }

    void injectionRelevance()
    {
        const Decoded d = decode(0x1F3FFF, ObjectType::Process);
        int relevant = 0;
        for (const Right& r : d.rights)
            relevant += r.injectionRelevant ? 1 : 0;
        QCOMPARE(relevant, 3);
        QCOMPARE(QString::fromStdString(hex(0x1F3FFF)), QStringLiteral("0x1f3fff"));
    }

    void threadAndFile()
    {
        const Decoded t = decode(0x1A, ObjectType::Thread);
        QCOMPARE(QString::fromStdString(t.names),
                 QStringLiteral("THREAD_SUSPEND_RESUME | THREAD_GET_CONTEXT | THREAD_SET_CONTEXT"));
        QVERIFY(t.description.find("hijacking") != std::string::npos);
        const Decoded f = decode(0x10002, ObjectType::File);
        QCOMPARE(QString::fromStdString(f.names), QStringLiteral("FILE_WRITE_DATA | DELETE"));
        QVERIFY(f.description.find("Ghosting") != std::string::npos);
        const Decoded all = decode(0x1F01FF, ObjectType::File);
        QCOMPARE(all.unknownBits, 0u);
        QVERIFY(all.description.find("FILE_ALL_ACCESS") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TestAccessMask)
#include "tst_accessmask.moc"
