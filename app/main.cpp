// SPDX-License-Identifier: MIT
#include "applicationicon.h"
#include "cli/clicommands.h"
#include "mainwindow.h"

#include <QApplication>
#include <QCoreApplication>
#include <QTimer>

#include <csignal>
#include <cstdio>

int main(int argc, char** argv)
{
#ifdef SIGXFSZ
    // A file size limit (ulimit -f) makes a write fail with EFBIG instead of killing the process, so that the
    // import reports which write failed and what the case holds, as for a full disk.
    std::signal(SIGXFSZ, SIG_IGN);
#endif
    QStringList args;
    for (int i = 0; i < argc; ++i)
        args << QString::fromLocal8Bit(argv[i]);

    // Headless commands never create a QApplication, so they run on machines without a display.
    // `screenshot` renders widgets and `report` lays out its PDF, so they need QApplication; offscreen unless a
    // platform was chosen.
    if (args.size() > 1 && (args.at(1) == QLatin1String("screenshot") || args.at(1) == QLatin1String("report"))) {
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        QApplication app(argc, argv);
        QApplication::setApplicationName(QStringLiteral("Doppelscope"));
        QApplication::setOrganizationName(QStringLiteral("Doppelscope"));
        return dscope::app::runCli(args);
    }
    if (dscope::app::isCliCommand(args)) {
        QCoreApplication app(argc, argv);
        QCoreApplication::setApplicationName(QStringLiteral("Doppelscope"));
        return dscope::app::runCli(args);
    }

    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Doppelscope"));
    QApplication::setOrganizationName(QStringLiteral("Doppelscope"));
    QApplication::setApplicationVersion(QStringLiteral(DSCOPE_VERSION));
    QApplication::setWindowIcon(dscope::views::applicationIcon());
    // Ties the windows to the installed desktop entry (task bars group them under its name and icon).
    QGuiApplication::setDesktopFileName(QStringLiteral("doppelscope"));
    // --quit-after SECONDS: closes the window after that time, for checks that the workbench builds, starts and
    // opens its case on a machine without a person in front of it (scripts/fresh-machine-check.sh).
    const qsizetype quitAt = args.indexOf(QLatin1String("--quit-after"));
    const int quitAfterSeconds = quitAt > 0 && quitAt + 1 < args.size() ? args.at(quitAt + 1).toInt() : 0;
    dscope::app::MainWindow window;
    window.show();
    if (args.contains(QLatin1String("--demo"))) {
        // Prepared on a worker (generated and imported the first time); the window is up meanwhile. An unattended
        // check (--quit-after) ends with exit code 3 when the demo case cannot be made, instead of asking a person.
        window.setExitOnDemoFailure(quitAfterSeconds > 0);
        window.openDemoCase(true);
    } else if (args.size() > 1 && !args.at(1).startsWith(QLatin1String("--"))) {
        window.openCase(args.at(1));
    }
    if (quitAfterSeconds > 0)
        QTimer::singleShot(quitAfterSeconds * 1000, &app, &QApplication::quit);
    return app.exec();
}
