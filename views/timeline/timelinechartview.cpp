// SPDX-License-Identifier: MIT
#include "timelinechartview.h"

#include <QCategoryAxis>
#include <QChart>
#include <QLegendMarker>
#include <QLineSeries>
#include <QScatterSeries>
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
    , m_x(new QCategoryAxis)
    , m_y(new QCategoryAxis)
{
    auto* chart = new QChart;
    chart->setAnimationOptions(QChart::NoAnimation); // zoom and pan redraw at once
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setMargins(QMargins(4, 4, 12, 4));
    setChart(chart);
    setRenderHint(QPainter::Antialiasing);
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    // Tick labels come from the model's TimeMapping (UTC, 1-2-5 steps): QDateTimeAxis would use local time.
    m_x->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    m_y->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    m_y->setGridLineVisible(false);
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
    for (const QString& label : m_y->categoriesLabels())
        m_y->remove(label);
    if (!m_timeline)
        return;
    m_selected = new QScatterSeries;

    const int64_t span = std::max<int64_t>(m_timeline->maxMs - m_timeline->minMs, 1000);
    const int64_t pad = span / 20 + 50; // markers at the very edge would be cut in half
    m_origin = m_timeline->minMs - pad;
    m_mapping.setBounds(m_timeline->minMs - pad, m_timeline->maxMs + pad);

    const int lanes = int(m_timeline->lanes.size());
    m_y->setRange(-0.6, std::max(0, lanes - 1) + 0.6);
    m_y->setStartValue(-0.6);
    QStringList used;
    for (int i = lanes - 1; i >= 0; --i) {
        QString label = m_timeline->lanes[size_t(i)].label;
        while (used.contains(label))
            label += QLatin1Char(' '); // category labels must be unique
        used << label;
        m_y->append(label, laneY(i));
        // A thin guide line per lane, so markers read as "this process".
        auto* guide = new QLineSeries;
        guide->setPen(QPen(QColor(0xcf, 0xd8, 0xdc), 1));
        guide->append(double(m_mapping.boundsStart() - m_origin), laneY(i));
        guide->append(double(m_mapping.boundsEnd() - m_origin), laneY(i));
        c->addSeries(guide);
        guide->attachAxis(m_x);
        guide->attachAxis(m_y);
        for (auto* marker : c->legend()->markers(guide))
            marker->setVisible(false);
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
    for (auto* marker : c->legend()->markers(m_selected))
        marker->setVisible(false);
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
    m_x->setStartValue(double(m_mapping.viewStart() - m_origin));
    for (const QString& label : m_x->categoriesLabels())
        m_x->remove(label);
    for (const auto& tick : m_mapping.ticks(110))
        m_x->append(tick.label, double(tick.utcMs - m_origin));
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
    if (m_timeline) {
        syncWidth();
        applyView(); // tick density follows the width
    }
}

} // namespace dscope::views
