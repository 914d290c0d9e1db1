// SPDX-License-Identifier: MIT
// Case files that are not what they claim: written by a newer version, truncated, not SQLite at all, not even a
// database, and read-only. Reading and importing each one gets a clear message and a non-zero exit, never a crash,
// and never a change to the file (nor a log or shared-memory file left beside it).
#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>
#include <unistd.h>

namespace {

const QString kDemo = QStringLiteral(DSCOPE_TEST_DATA "/chain/attack-chain.jsonl");
const QString kInput = QStringLiteral(DSCOPE_TEST_DATA "/json/layout_a_nxlog.jsonl");

QByteArray fileHash(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex();
}

struct Run {
    int exitCode = -1;
    bool crashed = false;
    QString err;
};

/// Runs the command line; `asNobody` drops to an unprivileged user first (when running as root), so that a file's
/// write protection applies as it does for an analyst.
Run run(const QStringList& args, bool asNobody = false)
{
    QProcess p;
    if (asNobody)
        p.setChildProcessModifier([] {
            if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
                _exit(99);
        });
    p.start(QStringLiteral(DSCOPE_BINARY), args);
    Run r;
    if (!p.waitForFinished(60000))
        return r;
    r.crashed = p.exitStatus() != QProcess::NormalExit;
    r.exitCode = p.exitCode();
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

} // namespace

class TestBadCaseFiles : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_good;

    QString path(const char* name) const { return m_dir.filePath(QLatin1String(name)); }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QFile::setPermissions(m_dir.path(), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadOther
                                                | QFile::ExeOther | QFile::ReadGroup | QFile::ExeGroup);
        m_good = path("good.dscase");
        const Run made = run({QStringLiteral("import"), QStringLiteral("--case"), m_good, kDemo});
        QVERIFY2(made.exitCode == 0, qPrintable(made.err));
        // One file, no log beside it: what a closed case looks like.
        QVERIFY(!QFile::exists(m_good + QStringLiteral("-wal")));
    }

    void eachGetsAClearMessageAndIsLeftAlone_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("expected"); // in the message
        QTest::newRow("newer version") << QStringLiteral("newer.dscase") << QStringLiteral("newer Doppelscope (schema 99)");
        QTest::newRow("truncated") << QStringLiteral("truncated.dscase") << QStringLiteral("malformed");
        QTest::newRow("random bytes") << QStringLiteral("random.dscase") << QStringLiteral("not a database");
        QTest::newRow("a text file") << QStringLiteral("text.dscase") << QStringLiteral("not a database");
        QTest::newRow("another SQLite database") << QStringLiteral("other.dscase")
                                                 << QStringLiteral("not a Doppelscope case");
    }

    void eachGetsAClearMessageAndIsLeftAlone()
    {
        QFETCH(QString, name);
        QFETCH(QString, expected);
        const QString file = m_dir.filePath(name);
        QFile::remove(file);
        if (name == QLatin1String("newer.dscase")) {
            QVERIFY(QFile::copy(m_good, file));
            QFile::setPermissions(file, QFile::ReadOwner | QFile::WriteOwner);
            sqlite3* db = nullptr;
            QCOMPARE(sqlite3_open(file.toUtf8().constData(), &db), SQLITE_OK);
            QCOMPARE(sqlite3_exec(db, "PRAGMA journal_mode=DELETE; PRAGMA user_version=99", nullptr, nullptr, nullptr),
                     SQLITE_OK);
            sqlite3_close(db);
        } else if (name == QLatin1String("truncated.dscase")) {
            QFile in(m_good);
            QVERIFY(in.open(QIODevice::ReadOnly));
            QFile out(file);
            QVERIFY(out.open(QIODevice::WriteOnly));
            out.write(in.read(in.size() / 3)); // the header promises pages that are not there
        } else if (name == QLatin1String("other.dscase")) {
            sqlite3* db = nullptr;
            QCOMPARE(sqlite3_open(file.toUtf8().constData(), &db), SQLITE_OK);
            QCOMPARE(sqlite3_exec(db, "CREATE TABLE notes(x); INSERT INTO notes VALUES('mine')", nullptr, nullptr, nullptr),
                     SQLITE_OK);
            sqlite3_close(db);
        } else {
            QFile out(file);
            QVERIFY(out.open(QIODevice::WriteOnly));
            if (name == QLatin1String("text.dscase")) {
                out.write("this is not a case\n");
            } else {
                QByteArray noise(64 * 1024, '\0');
                for (int i = 0; i < noise.size(); ++i)
                    noise[i] = char((i * 2654435761u) >> 24);
                out.write(noise);
            }
        }
        const QByteArray before = fileHash(file);
        for (const QStringList& args : {QStringList{QStringLiteral("info"), file},
                                        QStringList{QStringLiteral("import"), QStringLiteral("--case"), file, kInput},
                                        QStringList{QStringLiteral("scan"), QStringLiteral("--case"), file}}) {
            const Run r = run(args);
            QVERIFY2(!r.crashed, qPrintable(args.join(QLatin1Char(' '))));
            QVERIFY2(r.exitCode != 0, qPrintable(args.join(QLatin1Char(' '))));
            QVERIFY2(r.err.contains(QLatin1String("error: ")) && r.err.contains(file) && r.err.contains(expected),
                     qPrintable(r.err));
            QVERIFY2(!r.err.contains(QLatin1String("MiB free")), qPrintable(r.err)); // no storage talk off the point
        }
        QCOMPARE(fileHash(file), before);
        // Reading a file whose header says WAL opens its log; nothing may be written into it.
        QVERIFY(!QFile::exists(file + QStringLiteral("-wal")) || QFileInfo(file + QStringLiteral("-wal")).size() == 0);
        QVERIFY(!QFile::exists(file + QStringLiteral("-journal")));
    }

    void aReadOnlyCaseIsReadNotChanged()
    {
        const QString file = path("readonly.dscase");
        QVERIFY(QFile::copy(m_good, file));
        QVERIFY(QFile::setPermissions(file, QFile::ReadOwner | QFile::ReadGroup | QFile::ReadOther));
        const QByteArray before = fileHash(file);
        const Run info = run({QStringLiteral("info"), file}, true);
        QVERIFY2(info.exitCode == 0, qPrintable(info.err)); // reading it is fine
        const Run import = run({QStringLiteral("import"), QStringLiteral("--case"), file, kInput}, true);
        QVERIFY(!import.crashed);
        QCOMPARE(import.exitCode, 1);
        QVERIFY2(import.err.contains(QLatin1String("read-only")) && import.err.contains(file), qPrintable(import.err));
        QCOMPARE(fileHash(file), before);
    }
};

QTEST_GUILESS_MAIN(TestBadCaseFiles)
#include "tst_badcasefiles.moc"
