// SPDX-License-Identifier: MIT
#include "timemapping.h"

#include <QDateTime>

#include <algorithm>
#include <cmath>
#include <limits>

namespace dscope::model {

namespace {

constexpr int64_t kSecond = 1000;
constexpr int64_t kMinute = 60 * kSecond;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;

// Steps read naturally on a clock: 1-2-5 below a second, then clock divisions, then days.
constexpr int64_t kSteps[] = {1, 2, 5, 10, 20, 50, 100, 200, 500,
                              kSecond, 2 * kSecond, 5 * kSecond, 10 * kSecond, 15 * kSecond, 30 * kSecond,
                              kMinute, 2 * kMinute, 5 * kMinute, 10 * kMinute, 15 * kMinute, 30 * kMinute,
                              kHour, 2 * kHour, 3 * kHour, 6 * kHour, 12 * kHour,
                              kDay, 2 * kDay, 7 * kDay, 14 * kDay, 30 * kDay, 91 * kDay, 182 * kDay, 365 * kDay,
                              2 * 365 * kDay, 5 * 365 * kDay, 10 * 365 * kDay};

int64_t floorDiv(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0)))
        --q;
    return q;
}

} // namespace

void TimeMapping::setBounds(int64_t minMs, int64_t maxMs)
{
    if (maxMs - minMs < kMinSpanMs) {
        const int64_t mid = minMs + (std::max(maxMs, minMs) - minMs) / 2;
        minMs = mid - 500;
        maxMs = mid + 500;
    }
    m_min = minMs;
    m_max = maxMs;
    reset();
}

void TimeMapping::setWidth(double pixels)
{
    m_width = std::max(1.0, pixels);
}

void TimeMapping::setView(int64_t startMs, int64_t endMs)
{
    if (endMs < startMs)
        std::swap(startMs, endMs);
    m_start = startMs;
    m_span = std::max(kMinSpanMs, endMs - startMs);
    clamp();
}

void TimeMapping::clamp()
{
    m_span = std::clamp(m_span, kMinSpanMs, std::max(kMinSpanMs, m_max - m_min));
    if (m_start < m_min)
        m_start = m_min;
    if (m_start + m_span > m_max)
        m_start = m_max - m_span;
}

double TimeMapping::toPixel(int64_t utcMs) const
{
    // The int64 difference is exact; only the (small) offset goes through floating point.
    return double(utcMs - m_start) * m_width / double(m_span);
}

int64_t TimeMapping::toTime(double x) const
{
    return m_start + std::llround(x * double(m_span) / m_width);
}

void TimeMapping::zoom(double factor, double anchorX)
{
    if (!(factor > 0) || !std::isfinite(factor))
        return;
    const double fraction = std::clamp(anchorX / m_width, 0.0, 1.0);
    const double anchorOffset = fraction * double(m_span); // ms from start to the anchor, exact enough
    const int64_t anchor = m_start + std::llround(anchorOffset);
    const int64_t maxSpan = std::max(kMinSpanMs, m_max - m_min);
    const int64_t span = std::clamp<int64_t>(std::llround(double(m_span) / factor), kMinSpanMs, maxSpan);
    m_start = anchor - std::llround(fraction * double(span));
    m_span = span;
    clamp();
}

void TimeMapping::pan(double dxPixels)
{
    m_start -= std::llround(dxPixels * double(m_span) / m_width);
    clamp();
}

int64_t TimeMapping::tickStep(double minSpacing) const
{
    const double minStepMs = std::max(1.0, minSpacing) * msPerPixel();
    for (int64_t step : kSteps) {
        if (double(step) >= minStepMs)
            return step;
    }
    return kSteps[std::size(kSteps) - 1];
}

std::vector<TimeMapping::Tick> TimeMapping::ticks(double minSpacing) const
{
    std::vector<Tick> out;
    const int64_t step = tickStep(minSpacing);
    // Multiples of the step since the epoch: the epoch is a UTC midnight, so day ticks fall on midnights.
    const int64_t first = (floorDiv(m_start - 1, step) + 1) * step;
    QString format;
    if (step < kSecond)
        format = QStringLiteral("HH:mm:ss.zzz");
    else if (step < kMinute)
        format = QStringLiteral("HH:mm:ss");
    else if (step < kDay)
        format = QStringLiteral("HH:mm");
    else
        format = QStringLiteral("yyyy-MM-dd");
    qint64 lastDay = std::numeric_limits<qint64>::min();
    for (int64_t t = first; t <= viewEnd(); t += step) {
        const QDateTime dt = QDateTime::fromMSecsSinceEpoch(t, Qt::UTC);
        QString label = dt.toString(format);
        // Show the date where it changes, so a label is never ambiguous across midnight.
        const qint64 day = floorDiv(t, kDay);
        if (step < kDay && day != lastDay)
            label = dt.toString(QStringLiteral("yyyy-MM-dd")) + QLatin1Char('\n') + label;
        lastDay = day;
        out.push_back({t, toPixel(t), label});
        if (out.size() > 1000)
            break; // cannot happen with minSpacing >= 1, but a tick list must never grow without bound
    }
    return out;
}

QString timelineTimeText(int64_t utcMs)
{
    return QDateTime::fromMSecsSinceEpoch(utcMs, Qt::UTC).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
}

QString timelineDeltaText(int64_t deltaMs)
{
    const QString sign = deltaMs < 0 ? QStringLiteral("-") : QString();
    const uint64_t d = deltaMs < 0 ? uint64_t(-(deltaMs + 1)) + 1 : uint64_t(deltaMs);
    const uint64_t ms = d % 1000, s = (d / 1000) % 60, min = (d / 60000) % 60, h = (d / 3600000) % 24;
    const uint64_t days = d / 86400000;
    const QString secs = QStringLiteral("%1.%2 s").arg(s).arg(ms, 3, 10, QLatin1Char('0'));
    if (d < 60000)
        return sign + QStringLiteral("%1.%2 s").arg(d / 1000).arg(ms, 3, 10, QLatin1Char('0'));
    if (d < 3600000)
        return sign + QStringLiteral("%1 min ").arg(min) + secs;
    if (d < 86400000)
        return sign + QStringLiteral("%1 h %2 min ").arg(h).arg(min) + secs;
    return sign + QStringLiteral("%1 d %2 h %3 min ").arg(days).arg(h).arg(min) + secs;
}

} // namespace dscope::model
