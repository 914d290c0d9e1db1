// SPDX-License-Identifier: MIT
#include "pdfreport.h"

#include <QAbstractTextDocumentLayout>
#include <QFile>
#include <QPageLayout>
#include <QPainter>
#include <QPdfWriter>
#include <QRegularExpression>
#include <QTextBlock>
#include <QTextDocument>
#include <QTextLayout>

#include <memory>
#include <vector>

namespace dscope::views {

namespace {

/// A piece of a section on a PDF page: the section's band [from, from + height) drawn at y on page pdfPage.
struct Placement {
    size_t section;
    int pdfPage;
    qreal y;
    qreal from;
    qreal height;
};

/// The vertical extent of every line of text in the document, table cells included, in document coordinates.
std::vector<std::pair<qreal, qreal>> textLines(const QTextDocument& doc)
{
    std::vector<std::pair<qreal, qreal>> lines;
    QAbstractTextDocumentLayout* layout = doc.documentLayout();
    for (QTextBlock block = doc.begin(); block.isValid(); block = block.next()) {
        const QRectF box = layout->blockBoundingRect(block);
        const QTextLayout* text = block.layout();
        for (int i = 0; text && i < text->lineCount(); ++i) {
            const QRectF line = text->lineAt(i).rect();
            lines.emplace_back(box.top() + line.top(), box.top() + line.bottom());
        }
    }
    return lines;
}

/// The lowest y in (from, limit] that cuts through no line; `from` when there is none.
qreal safeBreak(const std::vector<std::pair<qreal, qreal>>& lines, qreal from, qreal limit)
{
    qreal best = from;
    for (const auto& [top, bottom] : lines) {
        (void)bottom;
        if (top <= from || top > limit || top <= best)
            continue;
        bool cuts = false;
        for (const auto& [t, b] : lines)
            if (t < top - 0.5 && b > top + 0.5) {
                cuts = true;
                break;
            }
        if (!cuts)
            best = top;
    }
    // The end of the last line that fits, when everything up to the limit is whole lines.
    for (const auto& [top, bottom] : lines)
        if (bottom <= limit && bottom > best) {
            bool cuts = false;
            for (const auto& [t, b] : lines)
                if (t < bottom - 0.5 && b > bottom + 0.5) {
                    cuts = true;
                    break;
                }
            if (!cuts)
                best = bottom;
        }
    return best;
}

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
        // Qt's rich text would print an inline SVG's text elements as a run of words: leave the pictures out.
        static const QRegularExpression svg(QStringLiteral("<svg[\\s\\S]*?</svg>"));
        doc->setHtml(QString(html).remove(svg));
        doc->setTextWidth(body.width()); // one long page: the breaks are chosen below
        const qreal height = doc->size().height();
        const std::vector<std::pair<qreal, qreal>> lines = textLines(*doc);
        // Each piece fills what is left of the page, cut where no line of text is.
        for (qreal from = 0; from < height - 0.5;) {
            const qreal room = body.height() - y;
            qreal to = from + room >= height ? height : safeBreak(lines, from, from + room);
            if (to <= from + 1) {
                if (y > 0) { // not even one line fits here: the next page
                    ++pdfPage;
                    y = 0;
                    continue;
                }
                to = std::min(height, from + room); // a line taller than a page: cut it
            }
            placements.push_back({docs.size(), pdfPage, y, from, to - from});
            y += to - from;
            from = to;
            if (from < height - 0.5) {
                ++pdfPage;
                y = 0;
            }
        }
        y += gap;
        if (y >= body.height()) {
            ++pdfPage;
            y = 0;
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
        painter.translate(0, band + p.y - p.from);
        docs[p.section]->drawContents(&painter, QRectF(0, p.from, body.width(), p.height));
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
