// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

#include <cstdint>
#include <vector>

namespace dscope::model {

/**
 * Time <-> pixel arithmetic of a horizontal time axis: the visible window [start, start + span) in UTC
 * milliseconds drawn across `width` pixels, kept inside the data bounds.
 *
 * Times stay int64 milliseconds; only offsets from the window start become doubles, so a window of a few
 * milliseconds inside a multi-year case keeps millisecond precision (an absolute epoch time in a float would not).
 */
class TimeMapping
{
public:
    struct Tick {
        int64_t utcMs = 0;
        double x = 0;
        QString label;
    };

    /// Narrowest window: 10 ms across the axis is already far below what markers can separate.
    static constexpr int64_t kMinSpanMs = 10;

    /// Data extent; the view is reset to it. An empty or inverted extent becomes a 1 s window.
    void setBounds(int64_t minMs, int64_t maxMs);
    void setWidth(double pixels);
    /// Shows [startMs, endMs], clamped to the bounds and to kMinSpanMs.
    void setView(int64_t startMs, int64_t endMs);
    void reset() { setView(m_min, m_max); }

    int64_t boundsStart() const { return m_min; }
    int64_t boundsEnd() const { return m_max; }
    int64_t viewStart() const { return m_start; }
    int64_t viewEnd() const { return m_start + m_span; }
    int64_t viewSpan() const { return m_span; }
    double width() const { return m_width; }

    double toPixel(int64_t utcMs) const;
    /// Nearest millisecond under pixel x.
    int64_t toTime(double x) const;
    /// Milliseconds one pixel covers.
    double msPerPixel() const { return double(m_span) / m_width; }

    /// factor > 1 zooms in, < 1 out. The time under anchorX stays under anchorX unless clamping moves it.
    void zoom(double factor, double anchorX);
    /// Content follows the pointer: dx > 0 (dragged right) shows earlier times.
    void pan(double dxPixels);

    /// Round-valued tick marks (1-2-5 ms ... days, aligned in UTC) at most every minSpacing pixels.
    std::vector<Tick> ticks(double minSpacing = 90) const;
    /// The tick step ticks() uses for this window.
    int64_t tickStep(double minSpacing = 90) const;

private:
    void clamp();

    int64_t m_min = 0;
    int64_t m_max = 1000;
    int64_t m_start = 0;
    int64_t m_span = 1000;
    double m_width = 1000;
};

/// "2026-03-10 09:02:01.520" (UTC); also "12.345 s", "3 min 02.000 s" for differences.
QString timelineTimeText(int64_t utcMs);
QString timelineDeltaText(int64_t deltaMs);

} // namespace dscope::model
