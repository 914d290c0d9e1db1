// SPDX-License-Identifier: MIT
#pragma once

#include "timeline/timemapping.h"
#include "timeline/txftimeline.h"

#include <QChartView>

#include <array>
#include <vector>

class QScatterSeries;
class QValueAxis;

namespace dscope::views {

/**
 * The lanes-and-markers chart of the TxF timeline. This folder is the only code that touches QtCharts (which
 * is deprecated from Qt 6.10): the page talks to this class in terms of markers and the model's TimeMapping,
 * so replacing the chart library changes this file only.
 *
 * Zoom: wheel (around the pointer), +/-; pan: drag or arrow keys; reset: Home.
 */
class TimelineChartView : public QChartView
{
    Q_OBJECT
public:
    explicit TimelineChartView(QWidget* parent = nullptr);

    void setTimeline(model::TxfTimelinePtr timeline);
    model::TxfTimelinePtr timeline() const { return m_timeline; }
    /// Markers drawn as selected (indexes into the timeline's markers).
    void setSelection(const std::vector<int>& markers);

    void zoomBy(double factor, double plotX);
    void panBy(double dxPixels);
    void resetView();
    /// Centres the view on a marker when it is outside the visible window.
    void ensureVisible(int marker);
    const model::TimeMapping& mapping() const { return m_mapping; }
    /// Where a marker is drawn, in viewport coordinates (for tests and keyboard navigation).
    QPointF markerPosition(int marker) const;

Q_SIGNALS:
    void markerClicked(int marker, Qt::KeyboardModifiers modifiers);
    void markerHovered(int marker, bool entered);
    void viewChanged();

protected:
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    // Grid, tick labels and lane labels are painted here rather than by QtCharts axes: QCategoryAxis drops
    // labels it considers crowded and QDateTimeAxis shows local time, and the workbench shows UTC.
    void drawBackground(QPainter* painter, const QRectF& rect) override;
    void drawForeground(QPainter* painter, const QRectF& rect) override;

public:
    /// Colour and a text symbol of a marker kind, for legends outside the chart.
    static QColor kindColor(model::MarkerKind kind);
    static QString kindSymbol(model::MarkerKind kind);

private:
    static constexpr int kKinds = int(model::MarkerKind::Count);
    void applyView();
    void syncWidth();
    void layoutPlot();
    QRectF plotRectInView() const;
    double plotX(const QPointF& viewportPos) const;
    int markerAt(int kind, const QPointF& point) const;
    double laneY(int lane) const;

    model::TxfTimelinePtr m_timeline;
    model::TimeMapping m_mapping;
    int64_t m_origin = 0; ///< chart x = utcMs - origin: small doubles, exact to the millisecond
    QValueAxis* m_x;
    QValueAxis* m_y;
    double m_labelWidth = 120; ///< room left of the plot for lane labels
    std::array<QScatterSeries*, kKinds> m_series{};
    std::array<std::vector<int>, kKinds> m_seriesMarkers; ///< point i of series k is marker m_seriesMarkers[k][i]
    QScatterSeries* m_selected = nullptr; ///< owned by the chart
    Qt::KeyboardModifiers m_lastModifiers;
    bool m_panning = false;
    bool m_markerPressed = false;
    double m_lastPanX = 0;
};

} // namespace dscope::views
