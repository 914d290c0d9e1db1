// SPDX-License-Identifier: MIT
#include "pdfreport.h"

#include <QAbstractTextDocumentLayout>
#include <QFile>
#include <QPageLayout>
#include <QPainter>
#include <QPdfWriter>
#include <QTextDocument>

namespace dscope::views {

bool writePdfReport(const QString& html, const QString& caseName, const QString& path, int* pages, QString& error)
{
    {
        // QPdfWriter reports nothing when it cannot write: find out first, with the system's reason.
        QFile probe(path);
        if (!probe.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            error = QStringLiteral("cannot write %1: %2").arg(path, probe.errorString());
            return false;
        }
    }
    QPdfWriter writer(path);
    writer.setPageSize(QPageSize(QPageSize::A4));
    writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter);
    writer.setResolution(150);
    writer.setTitle(QStringLiteral("Case report: %1").arg(caseName));
    writer.setCreator(QStringLiteral("Doppelscope"));
    QPainter painter;
    if (!painter.begin(&writer)) {
        error = QStringLiteral("cannot start the PDF %1").arg(path);
        return false;
    }
    const QRectF page = writer.pageLayout().paintRectPixels(writer.resolution());
    const qreal band = writer.resolution() * 0.35; // header and footer height: about 9 mm
    QTextDocument doc;
    doc.documentLayout()->setPaintDevice(&writer); // lay the text out in the writer's resolution
    QFont font(QStringLiteral("DejaVu Sans"));
    font.setPointSizeF(9);
    doc.setDefaultFont(font);
    doc.setHtml(html);
    const QSizeF body(page.width(), page.height() - 2 * band);
    doc.setPageSize(body);
    const int count = doc.pageCount();
    QFont small = font;
    small.setPointSizeF(7.5);
    for (int i = 0; i < count; ++i) {
        if (i > 0)
            writer.newPage();
        painter.setFont(small);
        painter.setPen(Qt::darkGray);
        const QRectF top(0, 0, page.width(), band * 0.8);
        painter.drawText(top, Qt::AlignLeft | Qt::AlignVCenter,
                         painter.fontMetrics().elidedText(QStringLiteral("Case report: %1").arg(caseName), Qt::ElideMiddle,
                                                          int(page.width() * 0.8)));
        painter.drawLine(QPointF(0, band * 0.85), QPointF(page.width(), band * 0.85));
        const QRectF bottom(0, page.height() - band * 0.8, page.width(), band * 0.8);
        painter.drawText(bottom, Qt::AlignRight | Qt::AlignVCenter, QStringLiteral("page %1 of %2").arg(i + 1).arg(count));
        painter.drawText(bottom, Qt::AlignLeft | Qt::AlignVCenter, QStringLiteral("Doppelscope"));
        painter.save();
        painter.translate(0, band - i * body.height());
        doc.drawContents(&painter, QRectF(0, i * body.height(), body.width(), body.height()));
        painter.restore();
    }
    if (!painter.end()) {
        error = QStringLiteral("writing the PDF %1 failed").arg(path);
        return false;
    }
    if (pages)
        *pages = count;
    return true;
}

} // namespace dscope::views
