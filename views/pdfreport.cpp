// SPDX-License-Identifier: MIT
#include "pdfreport.h"

#include <QAbstractTextDocumentLayout>
#include <QFile>
#include <QPageLayout>
#include <QPainter>
#include <QPdfWriter>
#include <QTextBlock>
#include <QTextDocument>

#include <memory>
#include <vector>

namespace dscope::views {

namespace {

/// Where one page's worth of a section goes: which section, which of its own pages, on which PDF page, at what y.
struct Placement {
    size_t section;
    int sectionPage;
    int pdfPage;
    qreal y;
    qreal height;
};

} // namespace

bool writePdfReport(const QStringList& sections, const QString& caseName, const QString& path, int* pages,
                    QString& error)
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
    const QRectF page = writer.pageLayout().paintRectPixels(writer.resolution());
    const qreal band = writer.resolution() * 0.35; // header and footer height: about 9 mm
    const QSizeF body(page.width(), page.height() - 2 * band);
    const qreal gap = writer.resolution() * 0.1;
    QFont font(QStringLiteral("DejaVu Sans"));
    font.setPointSizeF(9);

    // Layout first, so that every page can say how many there are.
    std::vector<std::unique_ptr<QTextDocument>> docs;
    std::vector<Placement> placements;
    int pdfPage = 0;
    qreal y = 0;
    for (const QString& html : sections) {
        auto doc = std::make_unique<QTextDocument>();
        doc->documentLayout()->setPaintDevice(&writer); // lay the text out in the writer's resolution
        doc->setDefaultFont(font);
        doc->setHtml(html);
        doc->setPageSize(body);
        const int count = doc->pageCount();
        const qreal bottom = doc->documentLayout()->blockBoundingRect(doc->lastBlock()).bottom();
        const qreal lastHeight = std::min(body.height(), bottom - (count - 1) * body.height());
        if (count == 1 && y + lastHeight <= body.height()) {
            placements.push_back({docs.size(), 0, pdfPage, y, lastHeight});
            y += lastHeight + gap;
        } else {
            if (y > 0)
                ++pdfPage;
            for (int i = 0; i < count; ++i)
                placements.push_back({docs.size(), i, pdfPage + i, 0, i + 1 == count ? lastHeight : body.height()});
            pdfPage += count - 1;
            y = lastHeight + gap;
        }
        docs.push_back(std::move(doc));
    }
    const int total = pdfPage + 1;

    QPainter painter;
    if (!painter.begin(&writer)) {
        error = QStringLiteral("cannot start the PDF %1").arg(path);
        return false;
    }
    QFont small = font;
    small.setPointSizeF(7.5);
    int drawnPage = -1;
    for (const Placement& p : placements) {
        while (drawnPage < p.pdfPage) {
            if (drawnPage >= 0)
                writer.newPage();
            ++drawnPage;
            painter.setFont(small);
            painter.setPen(Qt::darkGray);
            painter.drawText(QRectF(0, 0, page.width(), band * 0.8), Qt::AlignLeft | Qt::AlignVCenter,
                             painter.fontMetrics().elidedText(QStringLiteral("Case report: %1").arg(caseName),
                                                              Qt::ElideMiddle, int(page.width() * 0.8)));
            painter.drawLine(QPointF(0, band * 0.85), QPointF(page.width(), band * 0.85));
            const QRectF bottom(0, page.height() - band * 0.8, page.width(), band * 0.8);
            painter.drawText(bottom, Qt::AlignRight | Qt::AlignVCenter,
                             QStringLiteral("page %1 of %2").arg(drawnPage + 1).arg(total));
            painter.drawText(bottom, Qt::AlignLeft | Qt::AlignVCenter, QStringLiteral("Doppelscope"));
        }
        painter.save();
        painter.translate(0, band + p.y - p.sectionPage * body.height());
        docs[p.section]->drawContents(&painter, QRectF(0, p.sectionPage * body.height(), body.width(), p.height));
        painter.restore();
    }
    if (!painter.end()) {
        error = QStringLiteral("writing the PDF %1 failed").arg(path);
        return false;
    }
    if (pages)
        *pages = total;
    return true;
}

} // namespace dscope::views
