// SPDX-License-Identifier: MIT
// bench_gui_scroll [--case FILE] [--events N]: opens a case of N (default 5 M) events in the Events page,
// offscreen, scrolls it end to end and prints the open time, the longest event-loop stall and the peak RSS.
// Without --case it writes a synthetic case once (/tmp/dscope-bench-<N>.dscase) and reuses it.
#include "eventspage.h"
#include "itemmodels/eventtablemodel.h"
#include "storage/database.h"
#include "storage/eventwriter.h"
#include "storage/schema.h"
#include "import/importer.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QScrollBar>
#include <QTableView>
#include <QTextStream>
#include <QTimer>

#include <cstdio>

using namespace dscope;

namespace {

long peakRssKiB()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> lines = f.readAll().split('\n');
    for (const QByteArray& line : lines)
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').first().toLong();
    return -1;
}

bool writeCase(const QString& path, qint64 count)
{
    model::Database db;
    std::string error;
    if (!db.open(path.toStdString()) || !model::schema::prepareForWriting(db, error))
        return false;
    db.exec("PRAGMA synchronous=OFF");
    model::EventWriter writer(db);
    model::InputReport report;
    report.path = "synthetic";
    report.sha256 = "bench-" + std::to_string(count);
    const int64_t input = writer.beginInput(report);
    std::vector<model::Event> batch;
    static const int64_t eids[] = {1, 3, 7, 8, 10, 11, 13, 4688, 4624};
    for (qint64 i = 0; i < count; ++i) {
        model::Event e;
        e.position = i;
        e.recordId = i + 1;
        e.utcMs = 1700000000000 + i * 7;
        e.host = "HOST-" + std::to_string(i % 16);
        e.eventId = eids[i % 9];
        e.channel = e.eventId > 1000 ? "Security" : "Microsoft-Windows-Sysmon/Operational";
        e.subjectGuid = "00000000-0000-0000-0000-" + std::to_string(100000000000 + i % 5000);
        e.subjectPid = 1000 + i % 5000;
        e.subjectImage = "C:\\Program Files\\Vendor\\app" + std::to_string(i % 5000) + ".exe";
        if (i % 5 == 0) {
            e.targetImage = "C:\\Windows\\System32\\svchost.exe";
            e.targetPid = 800;
            e.grantedAccess = 0x1000;
        }
        e.commandLine = "app.exe --job " + std::to_string(i);
        batch.push_back(std::move(e));
        if (batch.size() == 100000 || i + 1 == count) {
            if (!writer.insert(batch, input) || !writer.commit())
                return false;
            batch.clear();
            std::fprintf(stderr, "\rwriting synthetic case: %lld / %lld", i + 1, count);
        }
    }
    std::fprintf(stderr, "\n");
    report.inputId = input;
    report.events = count;
    return writer.finishInput(report, dscope::model::InputStatus::Complete) && writer.commit();
}

} // namespace

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const QStringList args = app.arguments();
    qint64 events = 5000000;
    QString casePath;
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args.at(i) == QLatin1String("--case"))
            casePath = args.at(i + 1);
        else if (args.at(i) == QLatin1String("--events"))
            events = args.at(i + 1).toLongLong();
    }
    QTextStream out(stdout);
    if (casePath.isEmpty()) {
        casePath = QStringLiteral("/tmp/dscope-bench-%1.dscase").arg(events);
        if (!QFile::exists(casePath)) {
            QElapsedTimer w;
            w.start();
            if (!writeCase(casePath, events)) {
                QFile::remove(casePath);
                std::fprintf(stderr, "cannot write %s\n", qPrintable(casePath));
                return 1;
            }
            out << "wrote " << casePath << " in " << w.elapsed() << " ms\n";
        }
    }

    views::EventsPage page;
    page.resize(1400, 900);
    page.show();
    QTableView* table = page.table();
    auto* model = page.model();

    // Stall detector: a 10 ms timer; the largest gap between ticks is the longest time the GUI thread was busy.
    QElapsedTimer sinceTick, clock;
    qint64 maxGap = 0, firstRowsMs = -1, allIdsMs = -1;
    QTimer ticker;
    ticker.setTimerType(Qt::PreciseTimer);
    QObject::connect(&ticker, &QTimer::timeout, [&] {
        maxGap = std::max(maxGap, sinceTick.elapsed());
        sinceTick.restart();
    });

    QObject::connect(model, &model::EventTableModel::rowsLoaded, &page, [&] {
        if (firstRowsMs < 0)
            firstRowsMs = clock.elapsed();
    });
    int step = 0;
    qint64 openGap = 0;
    const int steps = 400;
    QTimer scroller;
    QScrollBar* bar = table->verticalScrollBar();
    qint64 scrollStart = 0;
    QObject::connect(model, &model::EventTableModel::loadingFinished, &page,
                     [&](qint64 rows, double seconds, const QString& error) {
                         allIdsMs = clock.elapsed();
                         out << "ids: " << rows << " rows, query " << seconds << " s" << (error.isEmpty() ? QString() : QStringLiteral(" error ") + error) << '\n';
                         out.flush();
                         scrollStart = clock.elapsed();
                         openGap = maxGap; // the scroll phase is measured on its own
                         maxGap = 0;
                         scroller.start(5);
                     });
    QObject::connect(&scroller, &QTimer::timeout, [&] {
        if (step > steps) {
            scroller.stop();
            const qint64 scrollMs = clock.elapsed() - scrollStart;
            // Wait until the rows on screen at the end are loaded, then report.
            auto* waitLoaded = new QTimer(&page);
            QObject::connect(waitLoaded, &QTimer::timeout, [&, scrollMs, waitLoaded] {
                const QModelIndex last = model->index(model->rowCount() - 1, 0);
                if (!last.data(model::EventLoadedRole).toBool())
                    return;
                waitLoaded->stop();
                const long rss = peakRssKiB();
                out << "events: " << model->rowCount() << '\n'
                    << "open: first rows on screen " << firstRowsMs << " ms, all ids " << allIdsMs << " ms (target < 2000)\n"
                    << "longest event-loop stall while opening: " << openGap << " ms\n"
                    << "scroll end to end in " << steps << " jumps: " << scrollMs << " ms, longest stall " << maxGap
                    << " ms, last row loaded " << (clock.elapsed() - scrollStart) << " ms after start\n"
                    << "peak RSS: " << rss / 1024 << " MiB (target < 500)\n";
                out.flush();
                QCoreApplication::exit(firstRowsMs < 2000 && allIdsMs < 2000 && rss / 1024 < 500 && maxGap < 100 ? 0 : 1);
            });
            waitLoaded->start(10);
            return;
        }
        // Jump through the whole range; each jump is a scroll bar drag step the user could make.
        bar->setValue(int(qint64(bar->maximum()) * step / steps));
        ++step;
    });

    sinceTick.start();
    ticker.start(10);
    clock.start();
    QString error;
    if (!page.openCase(casePath, &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return 1;
    }
    return app.exec();
}
