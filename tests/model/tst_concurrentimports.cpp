// SPDX-License-Identifier: MIT
// Two `doppelscope import` processes at once: creating the same new case (its creation and migration are one
// exclusive step, so the second waits and goes on), into an existing case, and of the same file. Each ends with
// every input stored once, and an input one process is importing is not taken for an interrupted one by the other.
#include "bulkjson_helpers.h"
#include "storage/caseinfo.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace dscope::model;

namespace {

struct Finished {
    int exitCode = -1;
    QString output;
};

/// Starts every import at once (each in its own process), then waits for all of them.
std::vector<Finished> importTogether(const QString& casePath, const QStringList& inputs)
{
    std::vector<std::unique_ptr<QProcess>> procs;
    for (const QString& input : inputs) {
        auto p = std::make_unique<QProcess>();
        p->setProcessChannelMode(QProcess::MergedChannels);
        p->setProgram(QStringLiteral(DSCOPE_BINARY));
        p->setArguments({QStringLiteral("import"), QStringLiteral("--case"), casePath, input});
        procs.push_back(std::move(p));
    }
    for (auto& p : procs)
        p->start();
    std::vector<Finished> out;
    for (auto& p : procs) {
        Finished f;
        if (p->waitForFinished(120000) && p->exitStatus() == QProcess::NormalExit)
            f.exitCode = p->exitCode();
        f.output = QString::fromUtf8(p->readAll());
        out.push_back(f);
    }
    return out;
}

CaseInfo info(const QString& casePath)
{
    CaseInfo i;
    std::string error;
    if (!loadCaseInfo(casePath.toStdString(), i, error))
        qWarning("%s", error.c_str());
    return i;
}

void writeSmall(const QString& path, const QByteArray& host, int n)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    for (int i = 0; i < n; ++i)
        f.write("{\"EventID\":1,\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"Hostname\":\"" + host
                + "\",\"RecordNumber\":" + QByteArray::number(i) + ",\"UtcTime\":\"2021-01-01 00:00:00.000\"}\n");
}

} // namespace

class TestConcurrentImports : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_a, m_b;

private Q_SLOTS:
    void initTestCase()
    {
        m_a = m_dir.filePath(QStringLiteral("a.jsonl"));
        m_b = m_dir.filePath(QStringLiteral("b.jsonl"));
        writeSmall(m_a, "HOST-A", 300);
        writeSmall(m_b, "HOST-B", 500);
    }

    void twoImportsCreateOneNewCase()
    {
        // The race is a matter of milliseconds: several rounds, each on a case that does not exist yet.
        for (int round = 0; round < 12; ++round) {
            const QString casePath = m_dir.filePath(QStringLiteral("new%1.dscase").arg(round));
            const auto results = importTogether(casePath, {m_a, m_b});
            for (const Finished& f : results)
                QVERIFY2(f.exitCode == 0, qPrintable(QStringLiteral("round %1: %2").arg(round).arg(f.output)));
            const CaseInfo i = info(casePath);
            QCOMPARE(i.events, int64_t(800));
            QCOMPARE(i.inputs.size(), size_t(2));
            for (const auto& in : i.inputs)
                QCOMPARE(in.status, InputStatus::Complete);
        }
    }

    void twoImportsIntoAnExistingCase()
    {
        const QString casePath = m_dir.filePath(QStringLiteral("existing.dscase"));
        const QString big1 = m_dir.filePath(QStringLiteral("big1.jsonl"));
        const QString big2 = m_dir.filePath(QStringLiteral("big2.jsonl"));
        writeBigJsonLines(big1, 60000);
        writeSmall(big2, "HOST-C", 40000);
        QCOMPARE(importTogether(casePath, {m_a}).front().exitCode, 0);
        const auto results = importTogether(casePath, {big1, big2});
        for (const Finished& f : results)
            QVERIFY2(f.exitCode == 0, qPrintable(f.output));
        const CaseInfo i = info(casePath);
        QCOMPARE(i.events, int64_t(300 + 60000 + 40000));
        QCOMPARE(i.inputs.size(), size_t(3));
        for (const auto& in : i.inputs)
            QCOMPARE(in.status, InputStatus::Complete);
    }

    void theSameFileTwiceAtOnceIsStoredOnce()
    {
        const QString casePath = m_dir.filePath(QStringLiteral("same.dscase"));
        const QString big = m_dir.filePath(QStringLiteral("same.jsonl"));
        writeBigJsonLines(big, 80000);
        QCOMPARE(importTogether(casePath, {m_a}).front().exitCode, 0);
        const auto results = importTogether(casePath, {big, big});
        for (const Finished& f : results)
            QVERIFY2(f.exitCode == 0, qPrintable(f.output));
        const CaseInfo i = info(casePath);
        QCOMPARE(i.events, int64_t(300 + 80000));
        QCOMPARE(i.inputs.size(), size_t(2));
        for (const auto& in : i.inputs)
            QCOMPARE(in.status, InputStatus::Complete);
    }

    void anInputBeingImportedIsNotShownAsInterrupted()
    {
        // While one process imports, another opening the case for writing must not mark its input incomplete.
        const QString casePath = m_dir.filePath(QStringLiteral("live.dscase"));
        const QString big = m_dir.filePath(QStringLiteral("live.jsonl"));
        writeBigJsonLines(big, 600000);
        QProcess slow;
        slow.start(QStringLiteral(DSCOPE_BINARY), {QStringLiteral("import"), QStringLiteral("--case"), casePath, big});
        QVERIFY(slow.waitForStarted());
        QElapsedTimer t;
        t.start();
        bool sawImporting = false;
        while (t.elapsed() < 60000 && slow.state() == QProcess::Running && !sawImporting) {
            if (!QFileInfo::exists(casePath)) {
                QThread::msleep(10);
                continue;
            }
            const CaseInfo i = info(casePath);
            sawImporting = !i.inputs.empty() && i.inputs.front().status == InputStatus::Importing;
            if (!sawImporting)
                QThread::msleep(10);
        }
        if (!sawImporting)
            QSKIP("the import finished before a reader could see it running; the machine is too fast for this input");
        QCOMPARE(importTogether(casePath, {m_a}).front().exitCode, 0);
        // Still being stored, or stored in full by now: never "incomplete" because another process opened the case.
        const CaseInfo during = info(casePath);
        QVERIFY2(during.inputs.front().status != InputStatus::Incomplete, inputStatusName(during.inputs.front().status));
        QVERIFY(slow.waitForFinished(120000));
        QCOMPARE(slow.exitCode(), 0);
        const CaseInfo after = info(casePath);
        QCOMPARE(after.events, int64_t(600000 + 300));
        for (const auto& in : after.inputs)
            QCOMPARE(in.status, InputStatus::Complete);
    }
};

QTEST_GUILESS_MAIN(TestConcurrentImports)
#include "tst_concurrentimports.moc"
