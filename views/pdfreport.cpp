// SPDX-License-Identifier: MIT
#include "pdfreport.h"

#include "report/reportdocument.h"

#include <QFile>
#include <QFontMetricsF>
#include <QPageLayout>
#include <QPainter>
#include <QPdfWriter>
#include <QTextLayout>

#include <algorithm>
#include <array>
#include <memory>
#include <vector>

namespace dscope::views {

namespace {

using namespace model::reportdoc;

constexpr qsizetype kMaxSpan = 4000;  // characters of one value the PDF shows
constexpr int kMaxCellLines = 40;     // lines of one table cell

/// One drawing step, placed on a page. Layout first, paint after: every page must know the page count.
struct Op {
    enum class Kind { Text, Lines, Fill, Frame, Rule, Dot };
    Kind kind = Kind::Text;
    int page = 0;
    QRectF rect;             ///< Fill, Frame, Dot; Rule: its top edge
    QPointF at;              ///< Text: baseline start; Lines: the layout's origin
    QString text;            ///< Text
    int font = 0;            ///< Text: index into Composer::m_fonts
    QColor colour;
    std::shared_ptr<QTextLayout> layout; ///< Lines: draws lines [first, last)
    int first = 0, last = 0;
};

enum Font { Body, Bold, Mono, Small, Title, Heading, Subheading, FontCount };

/// Lays the report's blocks out on A4 pages as a list of Ops.
class Composer
{
public:
    Composer(QPdfWriter& writer, QRectF body)
        : m_device(&writer), m_body(body), m_y(body.top())
    {
        const auto make = [](const char* family, qreal pt, bool bold) {
            QFont f(QString::fromLatin1(family));
            f.setPointSizeF(pt);
            f.setBold(bold);
            // A letter spacing turns ligatures off: "fi" stays two letters, so the PDF's text is searchable.
            f.setLetterSpacing(QFont::AbsoluteSpacing, 0.05); // above 1/64 px, the smallest step Qt keeps
            return f;
        };
        m_fonts = {make("DejaVu Sans", 8.5, false), make("DejaVu Sans", 8.5, true), make("DejaVu Sans Mono", 7.5, false),
                   make("DejaVu Sans", 7, false), make("DejaVu Sans", 16, true), make("DejaVu Sans", 13, true),
                   make("DejaVu Sans", 10.5, true)};
        for (const QFont& f : m_fonts) {
            m_metrics.emplace_back(f, m_device);
            std::array<qreal, 128> ascii{};
            for (int c = 32; c < 128; ++c)
                ascii[size_t(c)] = m_metrics.back().horizontalAdvance(QChar(c));
            m_ascii.push_back(ascii);
        }
        m_pad = m_metrics[Body].height() * 0.25;
    }

    void add(const Block& b);
    const std::vector<Op>& ops() const { return m_ops; }
    int pages() const { return m_page + 1; }
    const QFont& font(int i) const { return m_fonts[size_t(i)]; }

private:
    struct Laid {                       // a Line laid out in a width
        QString text;                   // fast path: one span on one line
        int font = Body;
        QColor colour;
        std::shared_ptr<QTextLayout> layout;
        std::vector<QRectF> badges;     // badge backgrounds, relative to the layout's origin
        QColor badgeColour;
        qreal height = 0;
    };

    qreal lineHeight(int font) const { return m_metrics[size_t(font)].lineSpacing(); }
    /// The width of text on one line, from the width of each character: shaping every cell twice (to measure,
    /// then to draw) cost a fifth of the PDF's time. Kerning makes real text a little narrower, never wider.
    qreal advance(int font, QStringView text) const
    {
        qreal w = 0;
        for (QChar c : text)
            w += c.unicode() < 128 ? m_ascii[size_t(font)][c.unicode()] : m_metrics[size_t(font)].horizontalAdvance(c);
        return w;
    }
    qreal room() const { return m_body.bottom() - m_y; }
    void newPage() { ++m_page; m_y = m_body.top(); }
    void need(qreal height) { if (height > room() && m_y > m_body.top()) newPage(); }
    Laid lay(const Line& line, qreal width, int baseFont, QColor colour, int maxLines = 0) const;
    /// Places `laid` at x; a multi-line layout may continue on the next pages.
    void place(const Laid& laid, qreal x);
    void placeOnRow(const Laid& laid, qreal x, qreal top);
    void paragraph(const Line& text, int font, QColor colour, qreal indent = 0);
    void list(const Block& b);
    void table(const Block& b);
    std::vector<qreal> columnWidths(const Block& b) const;
    qreal tableRow(const Block& b, const std::vector<Line>& cells, const std::vector<qreal>& widths, bool header);
    void timeline(const Timeline& t);

    QPaintDevice* m_device;
    QRectF m_body;
    std::vector<QFont> m_fonts;
    std::vector<QFontMetricsF> m_metrics;
    std::vector<std::array<qreal, 128>> m_ascii;
    qreal m_pad = 0;
    std::vector<Op> m_ops;
    int m_page = 0;
    qreal m_y = 0;
    bool m_started = false;
};

int spanFont(Span::Style s, int base)
{
    switch (s) {
    case Span::Style::Bold:
    case Span::Style::Done:
    case Span::Style::Badge: return Bold;
    case Span::Style::Mono: return Mono;
    case Span::Style::Small: return Small;
    case Span::Style::Plain:
    case Span::Style::Todo: break;
    }
    return base;
}

QString spanText(const Span& s)
{
    QString text = QString::fromStdString(s.text);
    if (text.size() > kMaxSpan)
        text = text.left(kMaxSpan) + QStringLiteral(" \u2026 [%1 more characters: see the HTML or JSON report]").arg(text.size() - kMaxSpan);
    if (s.style == Span::Style::Badge)
        text = QLatin1Char(' ') + text + QLatin1Char(' ');
    // A newline in a value breaks the line; other control characters are shown as the replacement mark.
    for (QChar& c : text) {
        if (c == QLatin1Char('\n'))
            c = QChar::LineSeparator;
        else if (c.unicode() < 0x20 && c != QLatin1Char('\t'))
            c = QChar::ReplacementCharacter;
    }
    return text;
}

Composer::Laid Composer::lay(const Line& line, qreal width, int baseFont, QColor colour, int maxLines) const
{
    Laid out;
    out.colour = colour;
    if (line.size() == 1 && line[0].style != Span::Style::Badge) {
        const QString text = spanText(line[0]);
        const int font = spanFont(line[0].style, baseFont);
        if (!text.contains(QChar::LineSeparator) && advance(font, text) <= width) {
            out.text = text;
            out.font = font;
            if (line[0].style == Span::Style::Done)
                out.colour = QColor(0x2b8a3e);
            else if (line[0].style == Span::Style::Todo || line[0].style == Span::Style::Small)
                out.colour = QColor(0x555555);
            out.height = lineHeight(font);
            return out;
        }
    }
    QString text;
    QList<QTextLayout::FormatRange> formats;
    std::vector<std::pair<int, int>> badgeRanges;
    for (const Span& span : line) {
        const QString piece = spanText(span);
        QTextLayout::FormatRange range;
        range.start = int(text.size());
        range.length = int(piece.size());
        range.format.setFont(m_fonts[size_t(spanFont(span.style, baseFont))]);
        if (span.style == Span::Style::Badge) {
            const auto [background, foreground] = badgeColours(span.severity);
            range.format.setForeground(QColor(QString::fromLatin1(foreground)));
            out.badgeColour = QColor(QString::fromLatin1(background));
            badgeRanges.emplace_back(range.start, range.start + range.length);
        } else if (span.style == Span::Style::Small || span.style == Span::Style::Todo) {
            range.format.setForeground(QColor(0x555555));
        } else if (span.style == Span::Style::Done) {
            range.format.setForeground(QColor(0x2b8a3e));
        } else {
            range.format.setForeground(colour);
        }
        formats.append(range);
        text += piece;
    }
    auto layout = std::make_shared<QTextLayout>(text, m_fonts[size_t(baseFont)], m_device);
    QTextOption option;
    option.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    layout->setTextOption(option);
    layout->setFormats(formats);
    layout->beginLayout();
    qreal y = 0;
    for (QTextLine l = layout->createLine(); l.isValid(); l = layout->createLine()) {
        l.setLineWidth(width);
        l.setPosition(QPointF(0, y));
        y += l.height();
        if (maxLines > 0 && layout->lineCount() >= maxLines)
            break; // the rest of a huge cell is not shown; spanText already caps a single value
    }
    layout->endLayout();
    for (const auto& [from, to] : badgeRanges) {
        for (int i = 0; i < layout->lineCount(); ++i) {
            const QTextLine l = layout->lineAt(i);
            const int a = std::max(from, l.textStart()), b = std::min(to, l.textStart() + l.textLength());
            if (a < b)
                out.badges.emplace_back(QPointF(l.cursorToX(a), l.y()), QPointF(l.cursorToX(b), l.y() + l.height()));
        }
    }
    out.height = y;
    out.layout = std::move(layout);
    return out;
}

void Composer::place(const Laid& laid, qreal x)
{
    if (!laid.layout) {
        need(laid.height);
        m_ops.push_back({Op::Kind::Text, m_page, {}, QPointF(x, m_y + m_metrics[size_t(laid.font)].ascent()), laid.text,
                         laid.font, laid.colour, nullptr, 0, 0});
        m_y += laid.height;
        return;
    }
    const QTextLayout& layout = *laid.layout;
    for (int i = 0; i < layout.lineCount();) {
        need(layout.lineAt(i).height());
        // As many lines as fit here, in one step.
        const qreal originY = m_y - layout.lineAt(i).y();
        int j = i;
        while (j < layout.lineCount() && originY + layout.lineAt(j).y() + layout.lineAt(j).height() <= m_body.bottom() + 0.5)
            ++j;
        if (j == i)
            j = i + 1; // a line taller than the page
        for (const QRectF& r : laid.badges)
            if (r.top() >= layout.lineAt(i).y() - 0.5 && r.bottom() <= layout.lineAt(j - 1).y() + layout.lineAt(j - 1).height() + 0.5)
                m_ops.push_back({Op::Kind::Fill, m_page, r.translated(x, originY), {}, {}, 0, laid.badgeColour, nullptr, 0, 0});
        m_ops.push_back({Op::Kind::Lines, m_page, {}, QPointF(x, originY), {}, 0, {}, laid.layout, i, j});
        m_y = originY + layout.lineAt(j - 1).y() + layout.lineAt(j - 1).height();
        i = j;
    }
}

void Composer::placeOnRow(const Laid& laid, qreal x, qreal top)
{
    if (!laid.layout) {
        m_ops.push_back({Op::Kind::Text, m_page, {}, QPointF(x, top + m_metrics[size_t(laid.font)].ascent()), laid.text,
                         laid.font, laid.colour, nullptr, 0, 0});
        return;
    }
    for (const QRectF& r : laid.badges)
        m_ops.push_back({Op::Kind::Fill, m_page, r.translated(x, top), {}, {}, 0, laid.badgeColour, nullptr, 0, 0});
    m_ops.push_back({Op::Kind::Lines, m_page, {}, QPointF(x, top), {}, 0, {}, laid.layout, 0, laid.layout->lineCount()});
}

void Composer::paragraph(const Line& text, int font, QColor colour, qreal indent)
{
    place(lay(text, m_body.width() - indent, font, colour), m_body.left() + indent);
}

void Composer::list(const Block& b)
{
    const qreal step = m_metrics[Body].horizontalAdvance(QStringLiteral("MMM"));
    const QString bullet = QStringLiteral("\u2022");
    for (const ListItem& item : b.items) {
        const qreal indent = step * std::min(item.depth, 8) + step * 0.6;
        const Laid laid = lay(item.text, m_body.width() - indent, Body, Qt::black);
        need(std::min(laid.height, lineHeight(Body) * 2));
        m_ops.push_back({Op::Kind::Text, m_page, {}, QPointF(m_body.left() + indent - step * 0.5, m_y + m_metrics[Body].ascent()),
                         bullet, Body, Qt::darkGray, nullptr, 0, 0});
        place(laid, m_body.left() + indent);
    }
}

std::vector<qreal> Composer::columnWidths(const Block& b) const
{
    // As browsers lay out automatic tables: every column gets at least its longest word (up to 14 characters: a
    // longer one breaks anywhere, as mono columns do; times never break), and the rest of the width goes to the
    // columns in proportion to what they lack.
    const size_t n = b.columns.size();
    std::vector<qreal> natural(n, 0), minimum(n, 0);
    const qreal cap = m_body.width() * 0.6;
    const qreal extra = 2 * m_pad + 1;
    auto measure = [&](size_t col, const Line& line, int base) {
        qreal w = 0;
        for (const Span& s : line) {
            const int font = spanFont(s.style, base);
            const QFontMetricsF& fm = m_metrics[size_t(font)];
            const QString text = QString::fromStdString(s.text.substr(0, 300));
            w += advance(font, text) + (s.style == Span::Style::Badge ? advance(font, u"  ") : 0);
            if (b.columns[col].nowrap)
                continue;
            if (s.style == Span::Style::Mono || s.style == Span::Style::Small || b.columns[col].mono) {
                minimum[col] = std::max(minimum[col], std::min(fm.averageCharWidth() * 10, advance(font, text)) + extra);
                continue;
            }
            for (QStringView word : QStringView(text).split(QLatin1Char(' '), Qt::SkipEmptyParts))
                minimum[col] = std::max(minimum[col], std::min(fm.averageCharWidth() * 14, advance(font, word)) + extra);
        }
        natural[col] = std::max(natural[col], std::min(cap, w + extra));
        if (b.columns[col].nowrap)
            minimum[col] = natural[col];
    };
    for (size_t c = 0; c < n; ++c)
        if (!b.keyValue)
            measure(c, {{b.columns[c].header, Span::Style::Bold}}, Bold);
    for (size_t r = 0; r < std::min<size_t>(b.rows.size(), 300); ++r)
        for (size_t c = 0; c < n && c < b.rows[r].size(); ++c)
            measure(c, b.rows[r][c], b.keyValue && c == 0 ? Bold : b.columns[c].mono ? Mono : Body);
    qreal sumNatural = 0, sumMinimum = 0;
    for (size_t c = 0; c < n; ++c) {
        minimum[c] = std::min(minimum[c], natural[c]);
        sumNatural += natural[c];
        sumMinimum += minimum[c];
    }
    const qreal width = m_body.width();
    std::vector<qreal> out(n);
    for (size_t c = 0; c < n; ++c) {
        if (sumNatural <= width) // room to spare: every column grows in proportion
            out[c] = natural[c] * width / sumNatural;
        else if (sumMinimum >= width) // not even the words fit: shrink them all alike
            out[c] = minimum[c] * width / sumMinimum;
        else
            out[c] = minimum[c] + (natural[c] - minimum[c]) * (width - sumMinimum) / (sumNatural - sumMinimum);
    }
    return out;
}

qreal Composer::tableRow(const Block& b, const std::vector<Line>& cells, const std::vector<qreal>& widths, bool header)
{
    std::vector<Laid> laid;
    qreal height = 0;
    for (size_t c = 0; c < widths.size(); ++c) {
        const bool isHeader = header || (b.keyValue && c == 0);
        const Line line = c < cells.size() ? cells[c] : Line{};
        const int font = isHeader ? Bold : b.columns[c].mono ? Mono : Body;
        laid.push_back(lay(line, widths[c] - 2 * m_pad, font, Qt::black, kMaxCellLines));
        height = std::max(height, laid.back().height);
    }
    height += 2 * m_pad;
    need(height);
    qreal x = m_body.left();
    for (size_t c = 0; c < widths.size(); ++c) {
        const QRectF cell(x, m_y, widths[c], height);
        if (header || (b.keyValue && c == 0))
            m_ops.push_back({Op::Kind::Fill, m_page, cell, {}, {}, 0, QColor(0xeef2f6), nullptr, 0, 0});
        m_ops.push_back({Op::Kind::Frame, m_page, cell, {}, {}, 0, QColor(0xc8ced6), nullptr, 0, 0});
        qreal textX = x + m_pad;
        if (!header && b.columns[c].numeric && !laid[c].layout)
            textX = x + widths[c] - m_pad - advance(laid[c].font, laid[c].text);
        placeOnRow(laid[c], textX, m_y + m_pad);
        x += widths[c];
    }
    m_y += height;
    return height;
}

void Composer::table(const Block& b)
{
    if (b.columns.empty())
        return;
    const std::vector<qreal> widths = columnWidths(b);
    std::vector<Line> header;
    for (const Column& c : b.columns)
        header.push_back({{c.header, Span::Style::Bold}});
    m_y += m_pad;
    need(lineHeight(Body) * 3 + 4 * m_pad);
    if (!b.keyValue)
        tableRow(b, header, widths, true);
    for (const auto& row : b.rows) {
        const int page = m_page;
        const size_t mark = m_ops.size();
        const qreal height = tableRow(b, row, widths, false);
        if (m_page != page && !b.keyValue) {
            // The row moved to a new page: put the header above it there.
            std::vector<Op> moved(m_ops.begin() + std::ptrdiff_t(mark), m_ops.end());
            m_ops.resize(mark);
            m_y = m_body.top();
            const qreal headerHeight = tableRow(b, header, widths, true);
            for (Op& op : moved) {
                op.rect.translate(0, headerHeight);
                op.at += QPointF(0, headerHeight);
                m_ops.push_back(std::move(op));
            }
            m_y = m_body.top() + headerHeight + height;
        }
    }
    m_y += m_pad;
}

void Composer::timeline(const Timeline& t)
{
    const QFontMetricsF& fm = m_metrics[Small];
    const qreal height = fm.lineSpacing() * 4.5;
    m_y += m_pad;
    need(height);
    const qreal left = m_body.left() + 10, right = m_body.left() + std::min(m_body.width(), fm.averageCharWidth() * 160) - 10;
    const qreal legendY = m_y, axis = m_y + fm.lineSpacing() * 2.2;
    const qreal r = fm.height() * 0.35;
    const auto& palette = timelinePalette();
    qreal x = left;
    for (const auto& [role, colour] : t.legend) {
        m_ops.push_back({Op::Kind::Dot, m_page, QRectF(x, legendY + fm.height() / 2 - r, 2 * r, 2 * r), {}, {}, 0,
                         QColor(QString::fromLatin1(palette[size_t(colour)])), nullptr, 0, 0});
        const QString name = QString::fromStdString(role).left(60);
        m_ops.push_back({Op::Kind::Text, m_page, {}, QPointF(x + 3 * r, legendY + fm.ascent()), name, Small, Qt::black, nullptr, 0, 0});
        x += 5 * r + fm.horizontalAdvance(name);
    }
    m_ops.push_back({Op::Kind::Rule, m_page, QRectF(left, axis, right - left, 0), {}, {}, 0, QColor(0x888888), nullptr, 0, 0});
    for (const auto& mark : t.marks) {
        QColor c(QString::fromLatin1(palette[size_t(mark.colour)]));
        c.setAlphaF(0.8f);
        const qreal cx = left + mark.x * (right - left);
        m_ops.push_back({Op::Kind::Dot, m_page, QRectF(cx - r * 1.2, axis - r * 1.2, 2.4 * r, 2.4 * r), {}, {}, 0, c, nullptr, 0, 0});
    }
    const qreal labelY = axis + r * 1.2 + fm.ascent() + 2;
    const QString to = QString::fromStdString(t.toText);
    m_ops.push_back({Op::Kind::Text, m_page, {}, QPointF(left, labelY), QString::fromStdString(t.fromText), Small, QColor(0x444444), nullptr, 0, 0});
    m_ops.push_back({Op::Kind::Text, m_page, {}, QPointF(right - fm.horizontalAdvance(to), labelY), to, Small, QColor(0x444444), nullptr, 0, 0});
    m_y += height;
}

void Composer::add(const Block& b)
{
    const qreal gap = lineHeight(Body) * 0.4;
    switch (b.kind) {
    case Block::Kind::Title:
        paragraph(b.text, Title, QColor(0x1b1f24));
        break;
    case Block::Kind::Heading:
        m_y += gap * 2;
        need(lineHeight(Heading) + lineHeight(Body) * 4); // not alone at the foot of a page
        paragraph(b.text, Heading, QColor(0x1d3557));
        m_ops.push_back({Op::Kind::Rule, m_page, QRectF(m_body.left(), m_y + 1, m_body.width(), 0), {}, {}, 0, QColor(0x1d3557), nullptr, 0, 0});
        m_y += gap;
        break;
    case Block::Kind::Subheading:
        m_y += gap * 1.5;
        need(lineHeight(Subheading) + lineHeight(Body) * 4);
        paragraph(b.text, Subheading, QColor(0x1b1f24));
        m_y += gap * 0.5;
        break;
    case Block::Kind::Paragraph:
    case Block::Kind::Explanation:
        paragraph(b.text, Body, Qt::black);
        m_y += gap;
        break;
    case Block::Kind::Meta:
    case Block::Kind::Small:
        paragraph(b.text, b.kind == Block::Kind::Small ? Small : Body, QColor(0x555555));
        m_y += gap;
        break;
    case Block::Kind::Warning: {
        const Laid laid = lay(b.text, m_body.width() - 2 * m_pad, Body, Qt::black);
        need(laid.height + 2 * m_pad);
        m_ops.push_back({Op::Kind::Fill, m_page, QRectF(m_body.left(), m_y, m_body.width(), laid.height + 2 * m_pad), {}, {}, 0,
                         QColor(0xfff3cd), nullptr, 0, 0});
        m_y += m_pad;
        place(laid, m_body.left() + m_pad);
        m_y += m_pad + gap;
        break;
    }
    case Block::Kind::List: list(b); m_y += gap; break;
    case Block::Kind::Table: table(b); break;
    case Block::Kind::Timeline: timeline(b.timeline); break;
    case Block::Kind::AlertStart:
        m_y += gap;
        need(lineHeight(Body) * 12); // an alert starts with its heading, facts and tree together
        m_ops.push_back({Op::Kind::Rule, m_page, QRectF(m_body.left(), m_y, m_body.width(), 0), {}, {}, 0, QColor(0xc8ced6), nullptr, 0, 0});
        break;
    case Block::Kind::AlertEnd: m_y += gap; break;
    }
}

void paint(QPainter& painter, const Op& op, const Composer& composer)
{
    switch (op.kind) {
    case Op::Kind::Text:
        painter.setFont(composer.font(op.font));
        painter.setPen(op.colour);
        painter.drawText(op.at, op.text);
        break;
    case Op::Kind::Lines:
        painter.setPen(Qt::black);
        for (int i = op.first; i < op.last; ++i)
            op.layout->lineAt(i).draw(&painter, op.at);
        break;
    case Op::Kind::Fill: painter.fillRect(op.rect, op.colour); break;
    case Op::Kind::Frame:
        painter.setPen(QPen(op.colour, 1));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(op.rect);
        break;
    case Op::Kind::Rule:
        painter.setPen(QPen(op.colour, 2));
        painter.drawLine(op.rect.topLeft(), op.rect.topRight());
        break;
    case Op::Kind::Dot:
        painter.setPen(Qt::NoPen);
        painter.setBrush(op.colour);
        painter.drawEllipse(op.rect);
        painter.setBrush(Qt::NoBrush);
        break;
    }
}

} // namespace

bool writePdfReport(const model::CaseReport& report, const QString& path, int* pages, QString& error)
{
    {
        // QPdfWriter reports nothing when it cannot write: find out first, with the system's reason.
        QFile probe(path);
        if (!probe.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            error = QStringLiteral("cannot write %1: %2").arg(path, probe.errorString());
            return false;
        }
    }
    const QString caseName = QString::fromStdString(report.options.caseName);
    QPdfWriter writer(path);
    writer.setPageSize(QPageSize(QPageSize::A4));
    writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter);
    writer.setResolution(150);
    writer.setTitle(QStringLiteral("Case report: %1").arg(caseName));
    writer.setCreator(QStringLiteral("Doppelscope"));
    const QRectF page = writer.pageLayout().paintRectPixels(writer.resolution());
    const qreal band = writer.resolution() * 0.35; // header and footer height: about 9 mm

    Composer composer(writer, QRectF(0, band, page.width(), page.height() - 2 * band));
    for (const Section& section : buildReportDocument(report))
        for (const Block& block : section)
            composer.add(block);
    const int total = composer.pages();

    QPainter painter;
    if (!painter.begin(&writer)) {
        error = QStringLiteral("cannot start the PDF %1").arg(path);
        return false;
    }
    QFont small(QStringLiteral("DejaVu Sans"));
    small.setPointSizeF(7);
    const QString title = QFontMetricsF(small, &writer).elidedText(QStringLiteral("Case report: %1").arg(caseName),
                                                                   Qt::ElideMiddle, page.width() * 0.8);
    auto frame = [&](int index) {
        painter.setFont(small);
        painter.setPen(Qt::darkGray);
        painter.drawText(QRectF(0, 0, page.width(), band * 0.8), Qt::AlignLeft | Qt::AlignVCenter, title);
        painter.drawLine(QPointF(0, band * 0.85), QPointF(page.width(), band * 0.85));
        const QRectF bottom(0, page.height() - band * 0.8, page.width(), band * 0.8);
        painter.drawText(bottom, Qt::AlignRight | Qt::AlignVCenter, QStringLiteral("page %1 of %2").arg(index + 1).arg(total));
        painter.drawText(bottom, Qt::AlignLeft | Qt::AlignVCenter, QStringLiteral("Doppelscope"));
    };
    int drawn = 0;
    frame(0);
    for (const Op& op : composer.ops()) {
        while (drawn < op.page) {
            writer.newPage();
            frame(++drawn);
        }
        paint(painter, op, composer);
    }
    while (drawn < total - 1) {
        writer.newPage();
        frame(++drawn);
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
