// SPDX-License-Identifier: MIT
// `doppelscope screenshot` renders every page and dialog to PNG: the files exist, have the window's size and are not
// blank; and it refuses a window where two actions share a shortcut.
#include "views_helpers.h"

#include <QFile>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

class TestScreenshot : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void rendersEveryPage()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString casePath = dir.filePath(QStringLiteral("shots.dscase"));
        QString error;
        QVERIFY2(dscope::testing::writeSyntheticCase(casePath, 2000, &error), qPrintable(error));
        const QString out = dir.filePath(QStringLiteral("png"));
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), dir.filePath(QStringLiteral("config"))); // no user settings
        env.insert(QStringLiteral("XDG_DATA_HOME"), dir.filePath(QStringLiteral("data")));     // the exercise's case
        env.insert(QStringLiteral("XDG_CACHE_HOME"), dir.filePath(QStringLiteral("cache")));   // the demo case
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(DSCOPE_BINARY),
                {QStringLiteral("screenshot"), QStringLiteral("--case"), casePath, QStringLiteral("--out"), out,
                 QStringLiteral("--size"), QStringLiteral("1400x900")});
        QVERIFY(p.waitForFinished(180000));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        qInfo("%s", p.readAllStandardOutput().constData()); // the files written, with their sizes
        const QStringList pages = {QStringLiteral("alerts.png"), QStringLiteral("events.png"),
                                   QStringLiteral("events-original.png"), QStringLiteral("events-mask.png"),
                                   QStringLiteral("processtree.png"), QStringLiteral("timeline.png"),
                                   QStringLiteral("mask-calculator.png"), QStringLiteral("inputs.png"),
                                   QStringLiteral("notes.png"), QStringLiteral("technique.png"),
                                   QStringLiteral("exercise.png"), QStringLiteral("exercise-result.png"), QStringLiteral("live-demo.png"),
                                   QStringLiteral("tour-1.png"), QStringLiteral("tour-3.png"), QStringLiteral("tour-4.png"),
                                   QStringLiteral("tour-5.png"), QStringLiteral("tour-7.png")};
        for (const QString& name : pages) {
            const QImage image(out + QLatin1Char('/') + name);
            QVERIFY2(!image.isNull(), qPrintable(name));
            // The window may grow to its pages' minimum size, never shrink below the size asked for.
            if (name != QLatin1String("mask-calculator.png") && name != QLatin1String("inputs.png")) // dialogs
                QVERIFY(image.width() >= 1400 && image.height() >= 900);
            // Not blank: a rendered page has text, grids and a selection, so many distinct colours.
            QSet<QRgb> colours;
            for (int y = 0; y < image.height(); y += 3)
                for (int x = 0; x < image.width(); x += 3)
                    colours.insert(image.pixel(x, y));
            QVERIFY2(colours.size() > 20, qPrintable(QStringLiteral("%1 looks blank (%2 colours)").arg(name).arg(colours.size())));
        }
    }

    void rendersTheWindowWhileListening()
    {
        // --follow: the demo case's events arrive as a live feed; the shot is taken once an alert came in.
        QTemporaryDir dir;
        const QString casePath = dir.filePath(QStringLiteral("live.dscase"));
        QVERIFY(dscope::testing::writeSyntheticCase(casePath, 500));
        const QString feed = dir.filePath(QStringLiteral("feed.jsonl"));
        QVERIFY(QFile::copy(QStringLiteral(DSCOPE_TEST_DATA "/chain/attack-chain.jsonl"), feed));
        const QString out = dir.filePath(QStringLiteral("png"));
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), dir.filePath(QStringLiteral("config")));
        env.insert(QStringLiteral("XDG_DATA_HOME"), dir.filePath(QStringLiteral("data")));
        env.insert(QStringLiteral("XDG_CACHE_HOME"), dir.filePath(QStringLiteral("cache")));
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(DSCOPE_BINARY), {QStringLiteral("screenshot"), QStringLiteral("--case"), casePath,
                                                QStringLiteral("--out"), out, QStringLiteral("--follow"), feed});
        QVERIFY(p.waitForFinished(180000));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        const QImage image(out + QStringLiteral("/live.png"));
        QVERIFY(!image.isNull());
        QVERIFY(image.width() >= 1400 && image.height() >= 900);
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 3)
            for (int x = 0; x < image.width(); x += 3)
                colours.insert(image.pixel(x, y));
        QVERIFY(colours.size() > 20);
        // What was followed is in the case: the info command counts the synthetic events and the feed's.
        QProcess info;
        info.start(QStringLiteral(DSCOPE_BINARY), {QStringLiteral("info"), casePath, QStringLiteral("--json")});
        QVERIFY(info.waitForFinished(60000));
        const QJsonObject summary = QJsonDocument::fromJson(info.readAllStandardOutput()).object();
        QCOMPARE(summary.value(QStringLiteral("events")).toInteger(), qint64(500 + 24));
    }

    void refusesAFileThatIsNotACase()
    {
        QTemporaryDir dir;
        const QString bogus = dir.filePath(QStringLiteral("bogus.dscase"));
        QFile f(bogus);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("not sqlite");
        f.close();
        QProcess p;
        p.start(QStringLiteral(DSCOPE_BINARY), {QStringLiteral("screenshot"), QStringLiteral("--case"), bogus,
                                                QStringLiteral("--out"), dir.filePath(QStringLiteral("png"))});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 1);
    }
};

QTEST_GUILESS_MAIN(TestScreenshot)
#include "tst_screenshot.moc"
