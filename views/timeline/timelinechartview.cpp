// SPDX-License-Identifier: MIT
#include "timelinechartview.h"

#include <QChart>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPainter>
#include <QScatterSeries>
#include <QValueAxis>
#include <QWheelEvent>

#include <cmath>

namespace dscope::views {

using model::MarkerKind;

namespace {

struct KindStyle {
    QColor color;
    QScatterSeries::MarkerShape shape;
    qreal size;
};

KindStyle styleOf(MarkerKind kind)
{
    switch (kind) {
    case MarkerKind::TxState: return {QColor(0x6a, 0x1b, 0x9a), QScatterSeries::MarkerShapeStar, 18};
    case MarkerKind::TxHandle: return {QColor(0x8e, 0x24, 0xaa), QScatterSeries::MarkerShapeRotatedRectangle, 14};
    case MarkerKind::FileCreate: return {QColor(0x15, 0x65, 0xc0), QScatterSeries::MarkerShapeRectangle, 12};
    case MarkerKind::ProcessCreate: return {QColor(0x2e, 0x7d, 0x32), QScatterSeries::MarkerShapeTriangle, 16};
    case MarkerKind::ProcessAccess: return {QColor(0xef, 0x6c, 0x00), QScatterSeries::MarkerShapeCircle, 12};
    case MarkerKind::RemoteThread: return {QColor(0xc6, 0x28, 0x28), QScatterSeries::MarkerShapePentagon, 14};
    case MarkerKind::Tampering: return {QColor(0xad, 0x14, 0x57), QScatterSeries::MarkerShapeStar, 18};
    case MarkerKind::ImageLoad: return {QColor(0x9e, 0x9e, 0x9e), QScatterSeries::MarkerShapeCircle, 8};
    case MarkerKind::Network: return {QColor(0x00, 0x83, 0x8f), QScatterSeries::MarkerShapeRectangle, 10};
    default: return {Qt::black, QScatterSeries::MarkerShapeCircle, 10};
    }
}

} // namespace

TimelineChartView::TimelineChartView(QWidget* parent)
    : QChartView(parent)
    , m_x(new QValueAxis)
    , m_y(new QValueAxis)
{
    auto* chart = new QChart;
    chart->setAnimationOptions(QChart::NoAnimation); // zoom and pan redraw at once
    chart->legend()->hide(); // the page lists the marker kinds next to the Doppelgänging steps
    chart->setBackgroundVisible(false);  // drawBackground() paints the background and the time grid
    chart->setPlotAreaBackgroundVisible(false);
    QChart* builtIn = this->chart();
    setChart(chart);
    delete builtIn; // setChart() releases the view's own first chart without deleting it
    setRenderHint(QPainter::Antialiasing);
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    // The axes only map values; their labels and grids are drawn from the model's TimeMapping ticks.
    for (QValueAxis* axis : {m_x, m_y}) {
        axis->setLabelsVisible(false);
        axis->setGridLineVisible(false);
        axis->setMinorGridLineVisible(false);
    }
    m_x->setLineVisible(false);
    m_y->setLineVisible(false);
    chart->addAxis(m_x, Qt::AlignBottom);
    chart->addAxis(m_y, Qt::AlignLeft);
}

double TimelineChartView::laneY(int lane) const
{
    // Lane 0 on top.
    return double(int(m_timeline->lanes.size()) - 1 - lane);
}

void TimelineChartView::setTimeline(model::TxfTimelinePtr timeline)
{
    QChart* c = chart();
    c->removeAllSeries(); // deletes the old series, including m_selected
    m_selected = nullptr;
    m_series.fill(nullptr);
    for (auto& list : m_seriesMarkers)
        list.clear();
    m_timeline = std::move(timeline);
    if (!m_timeline)
        return;
    m_selected = new QScatterSeries;

    const int64_t span = std::max<int64_t>(m_timeline->maxMs - m_timeline->minMs, 1000);
    const int64_t pad = span / 20 + 50; // markers at the very edge would be cut in half
    m_origin = m_timeline->minMs - pad;
    m_mapping.setBounds(m_timeline->minMs - pad, m_timeline->maxMs + pad);

    const int lanes = int(m_timeline->lanes.size());
    m_y->setRange(-0.6, std::max(0, lanes - 1) + 0.6);
    m_labelWidth = 60;
    for (const auto& lane : m_timeline->lanes)
        m_labelWidth = std::max(m_labelWidth, double(fontMetrics().horizontalAdvance(lane.label)) + 20);
    m_labelWidth = std::min(m_labelWidth, 340.0);
    for (int i = lanes - 1; i >= 0; --i) {        // A thin guide line per lane, so markers read as "this process".
        auto* guide = new QLineSeries;
        guide->setPen(QPen(QColor(0xcf, 0xd8, 0xdc), 1));
        guide->append(double(m_mapping.boundsStart() - m_origin), laneY(i));
        guide->append(double(m_mapping.boundsEnd() - m_origin), laneY(i));
        c->addSeries(guide);
        guide->attachAxis(m_x);
        guide->attachAxis(m_y);
    }

    for (size_t i = 0; i < m_timeline->markers.size(); ++i) {
        const auto& m = m_timeline->markers[i];
        const int k = int(m.kind);
        if (!m_series[size_t(k)]) {
            auto* s = new QScatterSeries;
            const KindStyle st = styleOf(m.kind);
            s->setName(model::markerKindName(m.kind));
            s->setMarkerShape(st.shape);
            s->setMarkerSize(st.size);
            s->setColor(st.color);
            s->setBorderColor(st.color.darker(140));
            m_series[size_t(k)] = s;
        }
        m_series[size_t(k)]->append(double(m.utcMs - m_origin), laneY(m.lane));
        m_seriesMarkers[size_t(k)].push_back(int(i));
    }
    for (int k = 0; k < kKinds; ++k) {
        QScatterSeries* s = m_series[size_t(k)];
        if (!s)
            continue;
        c->addSeries(s);
        s->attachAxis(m_x);
        s->attachAxis(m_y);
        connect(s, &QScatterSeries::clicked, this, [this, k](const QPointF& p) {
            const int marker = markerAt(k, p);
            if (marker >= 0) {
                m_markerPressed = true;
                emit markerClicked(marker, m_lastModifiers);
            }
        });
        connect(s, &QScatterSeries::hovered, this, [this, k](const QPointF& p, bool state) {
            const int marker = markerAt(k, p);
            if (marker >= 0)
                emit markerHovered(marker, state);
        });
    }
    m_selected->setName(tr("Selected"));
    m_selected->setMarkerShape(QScatterSeries::MarkerShapeCircle);
    m_selected->setMarkerSize(26);
    m_selected->setColor(Qt::transparent);
    m_selected->setBorderColor(Qt::black);
    m_selected->setPen(QPen(Qt::black, 2));
    c->addSeries(m_selected);
    m_selected->attachAxis(m_x);
    m_selected->attachAxis(m_y);
    layoutPlot();
    syncWidth();
    m_mapping.reset();
    applyView();
}

int TimelineChartView::markerAt(int kind, const QPointF& point) const
{
    const QScatterSeries* s = m_series[size_t(kind)];
    if (!s)
        return -1;
    int best = -1;
    double bestDistance = 0;
    const auto points = s->points();
    for (int i = 0; i < points.size(); ++i) {
        const double d = std::abs(points[i].x() - point.x()) + std::abs(points[i].y() - point.y()) * 1e6;
        if (best < 0 || d < bestDistance) {
            best = i;
            bestDistance = d;
        }
    }
    return best < 0 ? -1 : m_seriesMarkers[size_t(kind)][size_t(best)];
}

void TimelineChartView::setSelection(const std::vector<int>& markers)
{
    if (!m_timeline || !m_selected)
        return;
    QList<QPointF> points;
    for (int i : markers) {
        if (i >= 0 && i < int(m_timeline->markers.size())) {
            const auto& m = m_timeline->markers[size_t(i)];
            points << QPointF(double(m.utcMs - m_origin), laneY(m.lane));
        }
    }
    m_selected->replace(points);
}

void TimelineChartView::syncWidth()
{
    const double w = chart()->plotArea().width();
    m_mapping.setWidth(w > 10 ? w : std::max(100, viewport()->width() - 200));
}

void TimelineChartView::applyView()
{
    m_x->setRange(double(m_mapping.viewStart() - m_origin), double(m_mapping.viewEnd() - m_origin));
    viewport()->update();
    emit viewChanged();
}

double TimelineChartView::plotX(const QPointF& viewportPos) const
{
    const QPointF chartPos = chart()->mapFromScene(mapToScene(viewportPos.toPoint()));
    return chartPos.x() - chart()->plotArea().left();
}

QPointF TimelineChartView::markerPosition(int marker) const
{
    if (!m_timeline || marker < 0 || marker >= int(m_timeline->markers.size()))
        return {};
    const auto& m = m_timeline->markers[size_t(marker)];
    const QPointF scene = chart()->mapToScene(chart()->mapToPosition(QPointF(double(m.utcMs - m_origin), laneY(m.lane))));
    return mapFromScene(scene);
}

void TimelineChartView::zoomBy(double factor, double x)
{
    syncWidth();
    m_mapping.zoom(factor, x);
    applyView();
}

void TimelineChartView::panBy(double dx)
{
    syncWidth();
    m_mapping.pan(dx);
    applyView();
}

void TimelineChartView::resetView()
{
    m_mapping.reset();
    applyView();
}

void TimelineChartView::ensureVisible(int marker)
{
    if (!m_timeline || marker < 0 || marker >= int(m_timeline->markers.size()))
        return;
    const int64_t t = m_timeline->markers[size_t(marker)].utcMs;
    if (t >= m_mapping.viewStart() && t <= m_mapping.viewEnd())
        return;
    const int64_t half = m_mapping.viewSpan() / 2;
    m_mapping.setView(t - half, t + half);
    applyView();
}

void TimelineChartView::wheelEvent(QWheelEvent* event)
{
    const double steps = event->angleDelta().y() / 120.0;
    if (steps != 0)
        zoomBy(std::pow(1.25, steps), plotX(event->position()));
    event->accept();
}

void TimelineChartView::mousePressEvent(QMouseEvent* event)
{
    m_markerPressed = false;
    m_lastModifiers = event->modifiers();
    QChartView::mousePressEvent(event); // a marker under the pointer emits clicked() from in here
    if (event->button() == Qt::LeftButton && !m_markerPressed) {
        m_panning = true;
        m_lastPanX = event->position().x();
        setCursor(Qt::ClosedHandCursor);
    }
}

void TimelineChartView::mouseMoveEvent(QMouseEvent* event)
{
    if (m_panning) {
        const double x = event->position().x();
        panBy(x - m_lastPanX);
        m_lastPanX = x;
    }
    QChartView::mouseMoveEvent(event);
}

void TimelineChartView::mouseReleaseEvent(QMouseEvent* event)
{
    if (m_panning) {
        m_panning = false;
        unsetCursor();
    }
    QChartView::mouseReleaseEvent(event);
}

void TimelineChartView::keyPressEvent(QKeyEvent* event)
{
    const double mid = m_mapping.width() / 2;
    switch (event->key()) {
    case Qt::Key_Plus:
    case Qt::Key_Equal: zoomBy(1.5, mid); break;
    case Qt::Key_Minus: zoomBy(1 / 1.5, mid); break;
    case Qt::Key_Left: panBy(m_mapping.width() / 5); break;
    case Qt::Key_Right: panBy(-m_mapping.width() / 5); break;
    case Qt::Key_Home: resetView(); break;
    default: QChartView::keyPressEvent(event); return;
    }
    event->accept();
}

void TimelineChartView::resizeEvent(QResizeEvent* event)
{
    QChartView::resizeEvent(event);
    layoutPlot();
    if (m_timeline) {
        syncWidth();
        applyView(); // tick density follows the width
    }
}

void TimelineChartView::layoutPlot()
{
    // A fixed plot rectangle: lane labels on the left, two lines of tick labels below.
    const double tickSpace = fontMetrics().height() * 2 + 10;
    const QRectF r(m_labelWidth, 8, std::max(50.0, width() - m_labelWidth - 16),
                   std::max(30.0, height() - 8 - tickSpace));
    chart()->setPlotArea(r);
}

QRectF TimelineChartView::plotRectInView() const
{
    const QRectF scene = chart()->mapRectToScene(chart()->plotArea());
    return mapFromScene(scene).boundingRect();
}

void TimelineChartView::drawBackground(QPainter* painter, const QRectF& rect)
{
    painter->fillRect(rect, palette().color(QPalette::Base));
    if (!m_timeline)
        return;
    const QRectF plot = chart()->mapRectToScene(chart()->plotArea());
    painter->setPen(QPen(QColor(0xe0, 0xe0, 0xe0), 1));
    for (const auto& tick : m_mapping.ticks(110))
        painter->drawLine(QPointF(plot.left() + tick.x, plot.top()), QPointF(plot.left() + tick.x, plot.bottom()));
}

void TimelineChartView::drawForeground(QPainter* painter, const QRectF&)
{
    const QRectF plot = chart()->mapRectToScene(chart()->plotArea());
    painter->setPen(palette().color(QPalette::Text));
    painter->setFont(font());
    if (!m_timeline) {
        painter->drawText(plot, Qt::AlignCenter, tr("No timeline"));
        return;
    }
    const QFontMetricsF fm(font());
    painter->drawLine(plot.bottomLeft(), plot.bottomRight());
    for (const auto& tick : m_mapping.ticks(110)) {
        const QRectF box(plot.left() + tick.x - 60, plot.bottom() + 4, 120, fm.height() * 2 + 2);
        painter->drawText(box, Qt::AlignHCenter | Qt::AlignTop, tick.label);
    }
    const int lanes = int(m_timeline->lanes.size());
    const double laneHeight = plot.height() / (double(std::max(0, lanes - 1)) + 1.2);
    for (int i = 0; i < lanes; ++i) {
        const QPointF centre = chart()->mapToScene(chart()->mapToPosition(QPointF(0, laneY(i))));
        const QRectF box(4, centre.y() - laneHeight / 2, plot.left() - 12, laneHeight);
        const QString label = fm.elidedText(m_timeline->lanes[size_t(i)].label, Qt::ElideMiddle, box.width());
        painter->drawText(box, Qt::AlignRight | Qt::AlignVCenter, label);
    }
}

QColor TimelineChartView::kindColor(MarkerKind kind) { return styleOf(kind).color; }

QString TimelineChartView::kindSymbol(MarkerKind kind)
{
    switch (styleOf(kind).shape) {
    case QScatterSeries::MarkerShapeStar: return QStringLiteral("\u2605");
    case QScatterSeries::MarkerShapeRotatedRectangle: return QStringLiteral("\u25c6");
    case QScatterSeries::MarkerShapeRectangle: return QStringLiteral("\u25a0");
    case QScatterSeries::MarkerShapeTriangle: return QStringLiteral("\u25b2");
    case QScatterSeries::MarkerShapePentagon: return QStringLiteral("\u2b1f");
    default: return QStringLiteral("\u25cf");
    }
}

} // namespace dscope::views
