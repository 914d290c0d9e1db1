// SPDX-License-Identifier: MIT
// Build tool: writes the application icon as PNG files for the freedesktop icon theme, one per size:
//   doppelscope-exporticons OUT_DIR   ->   OUT_DIR/<N>x<N>/apps/doppelscope.png
#include "applicationicon.h"

#include <QDir>
#include <QGuiApplication>

#include <cstdio>

int main(int argc, char** argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: %s OUT_DIR\n", argv[0]);
        return 2;
    }
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    const QDir out(QString::fromLocal8Bit(argv[1]));
    for (int size : {16, 24, 32, 48, 64, 128, 256}) {
        const QString dir = QStringLiteral("%1x%1/apps").arg(size);
        if (!out.mkpath(dir) || !dscope::views::paintApplicationIcon(size).save(out.filePath(dir + QStringLiteral("/doppelscope.png")))) {
            std::fprintf(stderr, "error: cannot write the %d px icon under %s\n", size, argv[1]);
            return 1;
        }
    }
    return 0;
}
