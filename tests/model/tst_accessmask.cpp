// SPDX-License-Identifier: MIT
#include "domain/accessmask.h"

#include <QTest>

using namespace dscope::model::access;
namespace am = dscope::model::access;

class TestAccessMask : public QObject
{
    Q_OBJECT

private Q_SLOTS:
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

// The one vocabulary of masks: what R1 asks for, what the process tree draws, how a mask is written and which
// object an event's mask is about.
class TestAccessMaskVocabulary : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void injectionRelations_data()
    {
        QTest::addColumn<quint32>("mask");
        QTest::addColumn<bool>("r1");   // every right of the injection set
        QTest::addColumn<bool>("tree"); // a route to run code in the target
        QTest::newRow("0x2a") << quint32(0x2a) << true << true;
        QTest::newRow("0x143a (the draft's six rights)") << quint32(0x143a) << true << true;
        QTest::newRow("0x1440 (the draft's constant)") << quint32(0x1440) << false << false;
        QTest::newRow("0x1fffff") << quint32(0x1fffff) << true << true;
        QTest::newRow("create thread only") << quint32(0x1002) << false << true;
        QTest::newRow("write memory, no thread") << quint32(0x1428) << false << true;
        QTest::newRow("write without operation") << quint32(0x1420) << false << false;
        QTest::newRow("read only (lsass dumpers)") << quint32(0x1410) << false << false;
    }
    void injectionRelations()
    {
        QFETCH(quint32, mask);
        QFETCH(bool, r1);
        QFETCH(bool, tree);
        QCOMPARE(am::hasAll(mask, am::kInjectionSet), r1);
        QCOMPARE(am::grantsCodeInjection(mask), tree);
        QVERIFY(!r1 || tree); // what R1 asks for is always drawn in the tree
    }
    void constants()
    {
        QCOMPARE(am::kInjectionSet, 0x2au);
        QCOMPARE(am::kDraftListedRights, 0x143au);
        QVERIFY(am::isProcessAllAccess(0x1fffff) && am::isProcessAllAccess(0x1f0fff));
        QVERIFY(!am::isProcessAllAccess(0x1f3fff));
        QCOMPARE(am::hex(0x1f3fff), std::string("0x1f3fff"));
        QCOMPARE(am::hex(0), std::string("0x0"));
    }
    void objectOfAMask()
    {
        QCOMPARE(am::maskObjectType("Security", 4656), am::ObjectType::File);
        QCOMPARE(am::maskObjectType("security", 4663), am::ObjectType::File);
        QCOMPARE(am::maskObjectType("Microsoft-Windows-Sysmon/Operational", 10), am::ObjectType::Process);
        QCOMPARE(am::maskObjectType("Security", 4690), am::ObjectType::Process);
        QCOMPARE(std::string(am::objectTypeName(am::ObjectType::File)), std::string("file"));
        QCOMPARE(std::string(am::objectTypeName(am::ObjectType::Thread)), std::string("thread"));
    }
};

int main(int argc, char** argv)
{
    TestAccessMask masks;
    TestAccessMaskVocabulary vocabulary;
    return QTest::qExec(&masks, argc, argv) | QTest::qExec(&vocabulary, argc, argv);
}
#include "tst_accessmask.moc"
