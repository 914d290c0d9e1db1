// SPDX-License-Identifier: MIT
// The engine takes each step's events through the description's compiled selection: the tests of each operator on
// rows (a missing value fails a test and passes its negation, as the exported forms do), the rule file's
// allow-lists and kernel start addresses, and a selection naming no event field refused with its place.
#include "detection_helpers.h"
#include "export/ruledescription.h"
#include "stepfilter.h"

#include <QTest>

using namespace dscope::detection;

namespace {

const RuleSet& rules()
{
    static const RuleSet set = dscope::testing::loadRules();
    return set;
}

StepFilter filterOf(const std::string& ruleId, const std::string& step)
{
    RuleDescription d;
    std::string error;
    if (!describeRule(*rules().find(ruleId), rules(), d, error))
        qFatal("%s", error.c_str());
    StepFilter f;
    if (!f.compile(*d.selection(step), rules(), ruleId, error))
        qFatal("%s", error.c_str());
    return f;
}

Row handle(const std::string& source, const std::string& target, int64_t mask, const std::string& targetImage = "C:\\x.exe")
{
    Row r;
    r.eventId = 10;
    r.subjectGuid = source;
    r.targetGuid = target;
    r.grantedAccess = mask;
    r.subjectImage = "C:\\Tools\\a.exe";
    r.targetImage = targetImage;
    return r;
}

} // namespace

class TestStepFilter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void masksAndPresence()
    {
        const StepFilter r1 = filterOf("R1", "handle"); // allBits 0x2a, both GUIDs present
        QCOMPARE(r1.eventId(), 10);
        QVERIFY(r1.matches(handle("s", "t", 0x2a)));
        QVERIFY(r1.matches(handle("s", "t", 0x1fffff)));
        QVERIFY(!r1.matches(handle("s", "t", 0x28)));   // VM_WRITE missing
        QVERIFY(!r1.matches(handle("s", "t", -1)));     // no mask: a missing value fails the test
        QVERIFY(!r1.matches(handle("", "t", 0x2a)));    // no source GUID
    }

    void negatedTestsAndLists()
    {
        const StepFilter r5 = filterOf("R5", "sysmonProcess"); // an image without a folder, not ignored, not vmmem*
        Row p;
        p.eventId = 1;
        p.subjectImage = "svcupdate.tmp";
        QVERIFY(r5.matches(p));
        p.subjectImage = "C:\\Windows\\notepad.exe";
        QVERIFY(!r5.matches(p));
        p.subjectImage = "VMMEM";
        QVERIFY(!r5.matches(p)); // startsWith, without case
        p.subjectImage.clear();
        QVERIFY(!r5.matches(p)); // present fails
        const StepFilter r8 = filterOf("R8", "handleUnbacked"); // 0x10 and UNKNOWN frames, not a benign mask
        Row h = handle("s", "t", 0x1010, "C:\\Windows\\System32\\lsass.exe");
        h.callTrace = "C:\\Windows\\SYSTEM32\\ntdll.dll+9d234|UNKNOWN(00000000001A1F2B)";
        QVERIFY(r8.matches(h));
        h.callTrace.clear(); // a negated test ("no .NET runtime frame") passes on a missing value; "unknown(" fails
        QVERIFY(!r8.matches(h));
        Row same = handle("g", "G", 0x1010, "C:\\Windows\\System32\\lsass.exe");
        same.callTrace = "UNKNOWN(0)";
        QVERIFY(!r8.matches(same)); // sameAs without case: the same process
    }

    void allowListsAndKernelAddresses()
    {
        const StepFilter r2 = filterOf("R2", "thread");
        Row t;
        t.eventId = 8;
        t.subjectGuid = "a";
        t.targetGuid = "b";
        t.subjectImage = "C:\\Tools\\x.exe";
        t.targetImage = "C:\\Windows\\explorer.exe";
        QVERIFY(r2.matches(t)); // no StartModule: unbacked
        t.startModule = "C:\\Windows\\System32\\kernel32.dll";
        t.startFunction = "LoadLibraryW";
        QVERIFY(r2.matches(t)); // DLL injection
        t.startFunction = "BaseThreadInitThunk";
        QVERIFY(!r2.matches(t)); // a trusted module: not selected
        // Every allow-list entry for R2 excludes what it names.
        bool sawEntry = false;
        for (const AllowEntry& a : rules().allowList()) {
            if (std::find(a.rules.begin(), a.rules.end(), "R2") == a.rules.end())
                continue;
            Row listed = t;
            listed.startModule.clear();
            if (!a.sourceImage.empty())
                listed.subjectImage = "C:\\some\\folder" + a.sourceImage;
            if (!a.targetImage.empty())
                listed.targetImage = "C:\\some\\folder" + a.targetImage;
            if (!a.startFunction.empty())
                listed.startFunction = a.startFunction;
            QVERIFY2(!r2.matches(listed), a.id.c_str());
            sawEntry = true;
        }
        QVERIFY(sawEntry);
        // A start address in a class the rule file calls kernel code (win32k's threads into csrss.exe).
        bool sawKernel = false;
        for (const AddressClass& c : rules().addressClasses()) {
            if (c.verdict != AddressClass::Verdict::NotUserCode || std::find(c.rules.begin(), c.rules.end(), "R2") == c.rules.end())
                continue;
            Row kernel = t;
            kernel.startModule.clear();
            char text[32];
            std::snprintf(text, sizeof text, c.width == 64 ? "0x%016llX" : "0x%08llX", static_cast<unsigned long long>(c.from));
            kernel.startAddress = text;
            QVERIFY2(c.matches(kernel.startAddress), text);
            QVERIFY2(!r2.matches(kernel), text);
            sawKernel = true;
        }
        QVERIFY(sawKernel);
    }

    void keysAndEmptyFilters()
    {
        using dscope::model::EventField;
        const std::vector<EventField> by{EventField::Host, EventField::SubjectGuid, EventField::TargetGuid};
        Row a = handle("", "x", 0);
        Row b = handle("x", "", 0);
        a.hostKey = b.hostKey = "ws1";
        QVERIFY(correlationKey(a, by) != correlationKey(b, by)); // empty values keep their place
        b = handle("", "x", 0);
        b.hostKey = "ws1";
        QCOMPARE(correlationKey(a, by), correlationKey(b, by));
        const std::vector<EventField> pair{EventField::SubjectGuid, EventField::TargetGuid};
        QVERIFY(correlationKey(handle("", "x", 0), pair) != correlationKey(handle("x", "", 0), pair));
        // No conditions (a rule without excused or helper processes), or a step the description lacks: nothing.
        StepFilter none;
        std::string error;
        QVERIFY(none.compileConditions({}, "R4: alert.helper", error));
        QVERIFY(!none.matches(a));
        QVERIFY(!StepFilter::none().matches(a));
    }

    void unknownFieldsAreRefusedWithTheirPlace()
    {
        RuleDescription d;
        std::string error;
        QVERIFY(describeRule(*rules().find("R1"), rules(), d, error));
        Selection s = *d.selection("handle");
        s.where.front().field = "grantedAcess";
        StepFilter f;
        QVERIFY(!f.compile(s, rules(), "R1", error));
        QCOMPARE(error, std::string("R1: events.handle.where[0]: no event field named 'grantedAcess'"));
        s.where.front().field = "subjectImage"; // a mask test on text
        QVERIFY(!f.compile(s, rules(), "R1", error));
        QVERIFY2(error.find("a mask test needs a number field") != std::string::npos, error.c_str());
    }
};

QTEST_GUILESS_MAIN(TestStepFilter)
#include "tst_stepfilter.moc"
