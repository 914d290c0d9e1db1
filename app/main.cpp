// SPDX-License-Identifier: MIT
#include "cli/clicommands.h"
#include "democase.h"
#include "mainwindow.h"

#include <QApplication>
#include <QCoreApplication>
#include <QMessageBox>

int main(int argc, char** argv)
{
    QStringList args;
    for (int i = 0; i < argc; ++i)
        args << QString::fromLocal8Bit(argv[i]);

    // Headless commands never create a QApplication, so they run on machines without a display.
    // `screenshot` renders widgets, so it needs QApplication; offscreen unless a platform was chosen.
    if (args.size() > 1 && args.at(1) == QLatin1String("screenshot")) {
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
    dscope::app::MainWindow window;
    window.show();
    if (args.contains(QLatin1String("--demo"))) {
        QString error;
        const QString demo = dscope::app::prepareDemoCase(error);
        if (demo.isEmpty())
            QMessageBox::warning(&window, QObject::tr("Demo case"), error);
        else
            window.openCase(demo);
    } else if (args.size() > 1) {
        window.openCase(args.at(1));
    }
    return app.exec();
}
