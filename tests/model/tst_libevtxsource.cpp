// SPDX-License-Identifier: MIT
// The libevtx EVTX source against libevtx's own exporter: every corpus EVTX file imported with the libevtx engine
// gives the records evtxexport gives, damaged files do not stop the others, archive members read from memory
// equal files read by path, and recovered records are counted apart.
#include "import/importer.h"
#include "ingest/inputbytes.h"
#include "ingest/libevtxsource.h"
#include "storage/database.h"

#include <QDir>
#include <QFileInfo>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

using namespace dscope::model;

namespace {

class CollectSink : public RecordSink
{
public:
    void add(Event&& event) override { events.push_back(std::move(event)); }
    void skip(int64_t position, std::string reason) override { skips.emplace_back(position, std::move(reason)); }
    void noteRecovered() override { ++recovered; }
    bool cancelled() const override { return false; }

    std::vector<Event> events;
    std::vector<std::pair<int64_t, std::string>> skips;
    int64_t recovered = 0;
};

QString datasets() { return QStringLiteral(DSCOPE_DATASETS); }

/// The relpath of every `format == evtx` row of MANIFEST.tsv.
QStringList manifestEvtx()
{
    QFile manifest(datasets() + QStringLiteral("/MANIFEST.tsv"));
    if (!manifest.open(QIODevice::ReadOnly))
        return {};
    const QList<QByteArray> header = manifest.readLine().trimmed().split('\t');
    const qsizetype pathCol = header.indexOf("relpath");
    const qsizetype formatCol = header.indexOf("format");
    QStringList out;
    while (!manifest.atEnd()) {
        const QList<QByteArray> row = manifest.readLine().trimmed().split('\t');
        if (row.size() > std::max(pathCol, formatCol) && row[formatCol] == "evtx")
            out << datasets() + QLatin1Char('/') + QString::fromUtf8(row[pathCol]);
    }
    return out;
}

struct ToolCount {
    int exitCode = -1;
    int64_t events = 0;
};

/// Runs libevtx-utils' evtxexport on one file (arguments, no shell) and counts the <Event> elements it printed.
ToolCount evtxexport(const QString& path, const QString& mode = QStringLiteral("items"))
{
    QProcess p;
    p.start(QStringLiteral("evtxexport"), {QStringLiteral("-f"), QStringLiteral("xml"), QStringLiteral("-m"), mode, path});
    p.waitForFinished(120000);
    const QByteArray out = p.readAllStandardOutput();
    ToolCount c;
    c.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    c.events = out.count("<Event ") + out.count("<Event>");
    return c;
}

/// evtxinfo's "Number of records".
int64_t evtxinfoRecords(const QString& path)
{
    QProcess p;
    p.start(QStringLiteral("evtxinfo"), {path});
    p.waitForFinished(60000);
    for (const QByteArray& line : p.readAllStandardOutput().split('\n')) {
        if (line.contains("Number of records"))
            return line.mid(line.indexOf(':') + 1).trimmed().toLongLong();
    }
    return -1;
}

std::string slurp(const QString& path)
{
    std::ifstream in(path.toStdString(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

bool haveTools()
{
    return !QStandardPaths::findExecutable(QStringLiteral("evtxexport")).isEmpty()
           && !QStandardPaths::findExecutable(QStringLiteral("evtxinfo")).isEmpty();
}

} // namespace

class TestLibevtxSource : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void notAnEvtxFileFailsWithTheReason()
    {
        // The EVTX magic followed by garbage: libevtx refuses the header and says why.
        std::string bytes("ElfFile\0", 8);
        bytes += std::string(8192, '\x5a');
        MemoryBytes input(bytes, "fake.evtx");
        LibevtxSource source;
        CollectSink sink;
        std::string error;
        QVERIFY(!source.read(input, sink, error));
        QVERIFY2(error.find("libevtx_file_open") != std::string::npos, error.c_str());
        QVERIFY(sink.events.empty());

        // Through the importer the failure names the file, and a good file next to it still imports.
        const QString fake = m_dir.filePath(QStringLiteral("fake.evtx"));
        QFile f(fake);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bytes.data(), qint64(bytes.size()));
        f.close();
        ImportOptions options;
        options.source.evtxEngine = EvtxEngine::Libevtx;
        const ImportSummary s = Importer(m_dir.filePath(QStringLiteral("fake.dscase")).toStdString(), options)
                                    .run({fake.toStdString(), std::string(DSCOPE_TEST_DATA) + "/xml/saved_events.xml"});
        QVERIFY(s.fatal.empty());
        QCOMPARE(s.inputs.size(), size_t(2));
        for (const InputReport& r : s.inputs) {
            if (r.path == fake.toStdString()) {
                QCOMPARE(statusName(r.status), "failed");
                QVERIFY2(r.failure.rfind(fake.toStdString() + ": ", 0) == 0 && r.failure.find("libevtx_file_open") != std::string::npos, r.failure.c_str());
                QCOMPARE(r.engine, std::string("libevtx"));
            } else {
                QCOMPARE(statusName(r.status), "imported");
                QCOMPARE(r.events, int64_t(3));
            }
        }
    }

    void corpusMatchesEvtxexport()
    {
        if (!QDir(datasets()).exists())
            QSKIP("the public log corpus (DSCOPE_DATASETS) is not available");
        if (!haveTools())
            QSKIP("evtxexport/evtxinfo (libevtx-utils) are not installed");
        const QStringList files = manifestEvtx();
        QVERIFY(files.size() >= 50);

        std::vector<std::string> paths;
        for (const QString& f : files)
            paths.push_back(f.toStdString());
        ImportOptions options;
        options.source.evtxEngine = EvtxEngine::Libevtx;
        options.threads = 2; // the warm-up must make two parser threads safe
        const std::string casePath = m_dir.filePath(QStringLiteral("corpus.dscase")).toStdString();
        const ImportSummary summary = Importer(casePath, options).run(paths);
        QVERIFY2(summary.fatal.empty(), summary.fatal.c_str());
        QCOMPARE(summary.inputs.size(), paths.size());

        QStringList problems;
        int64_t total = 0;
        int damagedSeen = 0;
        for (const InputReport& r : summary.inputs) {
            const QString path = QString::fromStdString(r.path);
            const QString name = QFileInfo(path).fileName();
            if (r.status == InputReport::Status::Duplicate)
                continue; // identical bytes listed twice in the corpus
            if (r.status != InputReport::Status::Imported) {
                // Allowed only with a message naming the file and a reason.
                if (r.failure.find(r.path + ": ") != 0 || r.failure.size() <= r.path.size() + 2)
                    problems << name + QStringLiteral(": failed without a reason: ") + QString::fromStdString(r.failure);
                continue;
            }
            total += r.events;
            const int64_t records = evtxinfoRecords(path);
            const ToolCount tool = evtxexport(path);
            if (r.events + r.skipped != records)
                problems << QStringLiteral("%1: %2 events + %3 skipped != %4 records").arg(name).arg(r.events).arg(r.skipped).arg(records);
            if (tool.exitCode == 0) {
                if (r.events != tool.events || r.skipped != 0)
                    problems << QStringLiteral("%1: %2 events, %3 skipped; evtxexport exported %4")
                                    .arg(name).arg(r.events).arg(r.skipped).arg(tool.events);
            } else {
                // evtxexport stops at the first record it cannot decode; we skip that record and go on.
                ++damagedSeen;
                if (r.events < tool.events || r.skipped < 1)
                    problems << QStringLiteral("%1: %2 events, %3 skipped; evtxexport failed after %4")
                                    .arg(name).arg(r.events).arg(r.skipped).arg(tool.events);
                for (const ImportIssue& issue : r.issues) {
                    const std::string prefix = "record " + std::to_string(issue.position) + ": libfwevt_";
                    if (issue.message.rfind(prefix, 0) != 0)
                        problems << name + QStringLiteral(": issue without record and reason: ")
                                        + QString::fromStdString(issue.message);
                }
            }
        }
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
        QVERIFY2(damagedSeen >= 4, "the Defender, SharpHound, CAPI2 and issue_201 files must be among the inputs");

        Database db;
        QVERIFY(db.open(casePath, Database::Mode::ReadOnly));
        QCOMPARE(db.scalar("SELECT count(*) FROM events", -1), total);
        QCOMPARE(db.scalar("SELECT count(*) FROM events WHERE event_id IS NULL", -1), int64_t(0));
    }

    void memberFromMemoryEqualsFileByPath()
    {
        if (!QDir(datasets()).exists())
            QSKIP("the public log corpus (DSCOPE_DATASETS) is not available");
        const QString path = datasets() + QStringLiteral("/EVTX-ATTACK-SAMPLES/Defense Evasion/de_unmanagedpowershell_psinject_sysmon_7_8_10.evtx");
        FileBytes file(path.toStdString());
        LibevtxSource byPath;
        CollectSink a;
        std::string error;
        QVERIFY2(byPath.read(file, a, error), error.c_str());

        MemoryBytes member(slurp(path), "archive.zip!psinject.evtx"); // no filePath(): the libbfio memory range
        QVERIFY(member.filePath() == nullptr);
        LibevtxSource fromMemory;
        CollectSink b;
        QVERIFY2(fromMemory.read(member, b, error), error.c_str());

        QCOMPARE(QString::fromStdString(fromMemory.layout()), QStringLiteral("evtx-3.1"));
        QCOMPARE(a.events.size(), size_t(84));
        QCOMPARE(b.events.size(), a.events.size());
        for (size_t i = 0; i < a.events.size(); ++i) {
            QCOMPARE(b.events[i].raw, a.events[i].raw);
            QCOMPARE(b.events[i].position, int64_t(i));
            QCOMPARE(b.events[i].recordId, a.events[i].recordId);
        }
        // A Sysmon 8 from this file, normalized through the shared XML reader (the FORMATS.md example).
        const auto it = std::find_if(a.events.begin(), a.events.end(), [](const Event& e) { return e.recordId == 18650; });
        QVERIFY(it != a.events.end());
        QCOMPARE(it->eventId, int64_t(8));
        QCOMPARE(QString::fromStdString(it->subjectGuid), QStringLiteral("365abb72-3d37-5ce0-0000-001013dc0b00"));
        QCOMPARE(it->subjectPid, int64_t(2108));
        QCOMPARE(it->targetPid, int64_t(2840));
        QCOMPARE(QString::fromStdString(it->startAddress), QStringLiteral("0x00590000"));
        QCOMPARE(it->utcMs, int64_t(1558199776176));
        QCOMPARE(QString::fromStdString(it->host), QStringLiteral("IEWIN7"));
        QCOMPARE(it->rawFormat, RawFormat::Xml);
    }

    void twoThreadsGiveWhatOneGives()
    {
        if (!QDir(datasets()).exists())
            QSKIP("the public log corpus (DSCOPE_DATASETS) is not available");
        const std::string bytes = slurp(datasets() + QStringLiteral("/DeepBlueCLI/evtx/metasploit-sysmon.evtx"));
        auto run = [&bytes](CollectSink& sink) {
            MemoryBytes input(bytes, "metasploit-sysmon.evtx");
            LibevtxSource source;
            std::string error;
            source.read(input, sink, error);
        };
        // Threads first: when this test runs alone (as under helgrind), they are libevtx's first users and the
        // warm-up inside read() is what keeps its lazy globals from racing.
        CollectSink one, two, three;
        std::thread t1([&] { run(two); });
        std::thread t2([&] { run(three); });
        t1.join();
        t2.join();
        run(one);
        QCOMPARE(one.events.size(), size_t(59));
        QCOMPARE(two.events.size(), one.events.size());
        QCOMPARE(three.events.size(), one.events.size());
        for (size_t i = 0; i < one.events.size(); ++i) {
            QCOMPARE(two.events[i].raw, one.events[i].raw);
            QCOMPARE(three.events[i].raw, one.events[i].raw);
        }
    }

    void recoveredRecordsAreCountedApart()
    {
        if (!QDir(datasets()).exists())
            QSKIP("the public log corpus (DSCOPE_DATASETS) is not available");
        if (!haveTools())
            QSKIP("evtxexport/evtxinfo (libevtx-utils) are not installed");
        for (const char* rel : {"/DeepBlueCLI/evtx/password-spray.evtx", "/DeepBlueCLI/evtx/Powershell-Invoke-Obfuscation-many.evtx"}) {
            const QString path = datasets() + QLatin1String(rel);
            FileBytes plainFile(path.toStdString()), recoverFile(path.toStdString());
            LibevtxSource plain(false), recovering(true);
            CollectSink a, b;
            std::string error;
            QVERIFY2(plain.read(plainFile, a, error), error.c_str());
            QVERIFY2(recovering.read(recoverFile, b, error), error.c_str());
            const ToolCount tool = evtxexport(path, QStringLiteral("recovered"));
            QCOMPARE(tool.exitCode, 0);
            QVERIFY(tool.events > 0);
            QCOMPARE(a.recovered, int64_t(0));
            QCOMPARE(b.recovered, tool.events);
            QCOMPARE(int64_t(b.events.size()), int64_t(a.events.size()) + tool.events);
            // Recovered records come after the allocated ones, so positions stay unique.
            for (size_t i = a.events.size(); i < b.events.size(); ++i)
                QVERIFY(b.events[i].position >= int64_t(a.events.size()));
        }
    }
};

QTEST_GUILESS_MAIN(TestLibevtxSource)
#include "tst_libevtxsource.moc"
