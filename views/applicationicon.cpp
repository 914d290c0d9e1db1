// SPDX-License-Identifier: MIT
#include "applicationicon.h"

#include <QPainter>
#include <QPainterPath>

namespace dscope::views {

namespace {

/// A page with a folded corner: the "image" of a process on disk.
QPainterPath page(QRectF r)
{
    const qreal fold = r.width() * 0.28;
    QPainterPath p;
    p.moveTo(r.topLeft());
    p.lineTo(r.right() - fold, r.top());
    p.lineTo(r.right(), r.top() + fold);
    p.lineTo(r.bottomRight());
    p.lineTo(r.bottomLeft());
    p.closeSubpath();
    return p;
}

} // namespace

QImage paintApplicationIcon(int pixels)
{
    QImage image(pixels, pixels, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    // Drawn on a 256-unit grid and scaled, so every size has the same proportions.
    p.scale(pixels / 256.0, pixels / 256.0);
    const bool tiny = pixels < 32; // at 16 px, thin strokes vanish: draw them thicker

    p.setPen(Qt::NoPen);
    p.setBrush(QColor(0x1d, 0x35, 0x57));
    p.drawRoundedRect(QRectF(8, 8, 240, 240), 44, 44);

    // The legitimate image, then its double, shifted and in the alert colour.
    const QRectF original(46, 40, 108, 140);
    p.setBrush(QColor(0xe8, 0xee, 0xf5));
    p.drawPath(page(original));
    p.setBrush(QColor(0xe0, 0x4f, 0x3f, 225));
    p.drawPath(page(original.translated(44, 30)));
    if (!tiny) {
        p.setPen(QPen(QColor(0x1d, 0x35, 0x57, 150), 7, Qt::SolidLine, Qt::RoundCap));
        for (int i = 0; i < 3; ++i)
            p.drawLine(QPointF(64, 92 + i * 22), QPointF(124 - i * 14, 92 + i * 22));
    }

    // The lens over the double.
    const QPointF centre(168, 160);
    const qreal radius = 44;
    p.setBrush(QColor(255, 255, 255, 60));
    p.setPen(QPen(QColor(0xff, 0xd1, 0x66), tiny ? 22 : 14));
    p.drawEllipse(centre, radius, radius);
    p.setPen(QPen(QColor(0xff, 0xd1, 0x66), tiny ? 30 : 22, Qt::SolidLine, Qt::RoundCap));
    p.drawLine(centre + QPointF(radius * 0.72, radius * 0.72), QPointF(226, 218));
    return image;
}

QIcon applicationIcon()
{
    QIcon icon;
    for (int size : {16, 24, 32, 48, 64, 128, 256})
        icon.addPixmap(QPixmap::fromImage(paintApplicationIcon(size)));
    return icon;
}

} // namespace dscope::views
