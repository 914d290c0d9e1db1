// SPDX-License-Identifier: MIT
#include "cli/clicommands.h"
#include "mainwindow.h"

#include <QApplication>
#include <QCoreApplication>

int main(int argc, char** argv)
{
    QStringList args;
    for (int i = 0; i < argc; ++i)
        args << QString::fromLocal8Bit(argv[i]);

    // Headless commands never create a QApplication, so they run on machines without a display.
    if (dscope::app::isCliCommand(args)) {
        QCoreApplication app(argc, argv);
        QCoreApplication::setApplicationName(QStringLiteral("Doppelscope"));
        return dscope::app::runCli(args);
    }

    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("Doppelscope"));
    QApplication::setOrganizationName(QStringLiteral("Doppelscope"));
    QApplication::setApplicationVersion(QStringLiteral(DSCOPE_VERSION));
    dscope::app::MainWindow window;
    window.show();
    if (args.size() > 1)
        window.openCase(args.at(1));
    return app.exec();
}
