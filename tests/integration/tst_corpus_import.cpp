// SPDX-License-Identifier: MIT
// Imports the whole public corpus in one run, as an analyst would drop the folder in: every file either imports
// with the event count MANIFEST.tsv gives, or fails with a message naming the file and the reason, and no file
// stops the others.
#include "import/importer.h"
#include "storage/caseinfo.h"

#include <QDir>
#include <QFile>
#include <QHash>
#include <QTemporaryDir>
#include <QTest>

using namespace dscope::model;

class TestCorpusImport : public QObject
{
    Q_OBJECT
private:
    QString m_root = QStringLiteral(DSCOPE_DATASETS);
    QTemporaryDir m_dir;
    ImportSummary m_summary;
    QHash<QString, qint64> m_manifest; // relpath -> records

private Q_SLOTS:
    void initTestCase()
    {
        if (!QFile::exists(m_root + QStringLiteral("/MANIFEST.tsv")))
            QSKIP("corpus not found (DSCOPE_DATASETS); the corpus import test needs ../shared/datasets");
        QFile f(m_root + QStringLiteral("/MANIFEST.tsv"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QStringList header = QString::fromUtf8(f.readLine()).trimmed().split(QLatin1Char('\t'));
        const int pathCol = header.indexOf(QStringLiteral("relpath"));
        const int recCol = header.indexOf(QStringLiteral("records"));
        QVERIFY(pathCol >= 0 && recCol >= 0);
        while (!f.atEnd()) {
            const QStringList cols = QString::fromUtf8(f.readLine()).split(QLatin1Char('\t'));
            if (cols.size() <= recCol || cols[recCol].trimmed().isEmpty())
                continue;
            m_manifest.insert(cols[pathCol], cols[recCol].toLongLong());
        }
        QVERIFY(m_manifest.size() > 50);
        Importer importer(m_dir.filePath(QStringLiteral("corpus.dscase")).toStdString());
        m_summary = importer.run({m_root.toStdString()});
        QVERIFY2(m_summary.fatal.empty(), m_summary.fatal.c_str());
    }

    void everyFileImportsOrSaysWhy()
    {
        int imported = 0, failed = 0;
        for (const auto& r : m_summary.inputs) {
            const QString rel = QDir(m_root).relativeFilePath(QString::fromStdString(r.path));
            if (r.status == InputReport::Status::Failed) {
                ++failed;
                QVERIFY2(!r.failure.empty(), qPrintable(rel));
                QVERIFY2(r.failure.find(r.path) != std::string::npos, qPrintable(rel + QStringLiteral(": message does not name the file")));
                qInfo("not imported (expected for non-log files): %s: %s", qPrintable(rel), r.failure.c_str());
            } else {
                QCOMPARE(statusName(r.status), "imported");
                ++imported;
            }
            for (const auto& issue : r.issues)
                QVERIFY2(!issue.message.empty(), qPrintable(rel));
        }
        qInfo("%d inputs imported, %d not imported, %lld events", imported, failed, qlonglong(m_summary.events));
    }

    void countsMatchTheManifest()
    {
        int checked = 0;
        QStringList mismatches;
        for (const auto& r : m_summary.inputs) {
            const QString rel = QDir(m_root).relativeFilePath(QString::fromStdString(r.path));
            const auto it = m_manifest.constFind(rel);
            if (it == m_manifest.constEnd())
                continue;
            ++checked;
            if (r.status != InputReport::Status::Imported || r.events != it.value())
                mismatches << QStringLiteral("%1: manifest %2, imported %3 (%4 skipped, status %5, %6)")
                                  .arg(rel)
                                  .arg(it.value())
                                  .arg(r.events)
                                  .arg(r.skipped)
                                  .arg(QLatin1String(statusName(r.status)))
                                  .arg(QString::fromStdString(r.failure));
        }
        QVERIFY2(mismatches.isEmpty(), qPrintable(mismatches.join(QLatin1Char('\n'))));
        QCOMPARE(checked, m_manifest.size());
    }

    void layoutIsReported()
    {
        for (const auto& r : m_summary.inputs) {
            if (r.status != InputReport::Status::Imported)
                continue;
            QVERIFY2(!r.format.empty(), r.path.c_str());
            QVERIFY2(!r.layout.empty(), qPrintable(QStringLiteral("no layout reported for ") + QString::fromStdString(r.path)));
        }
    }
};

QTEST_GUILESS_MAIN(TestCorpusImport)
#include "tst_corpus_import.moc"
