// SPDX-License-Identifier: MIT
#pragma once

#include "domain/alert.h"
#include "timeline/txftimeline.h"

#include <QWidget>

#include <vector>

class QLabel;
class QPushButton;

namespace dscope::model {
class TimeMapping;
class TimelineLoader;
} // namespace dscope::model

namespace dscope::model {
class InvestigationScope;
}

namespace dscope::views {

class TimelineChartView;

/**
 * The TxF timeline: one lane per process of the selected alert (and their parents), events as markers on a
 * UTC axis, and a legend of the Process Doppelgänging steps saying which ones this case's telemetry shows.
 * Clicking a marker selects its event; two selected markers show the time between them.
 */
class TimelinePage : public QWidget
{
    Q_OBJECT
public:
    explicit TimelinePage(QWidget* parent = nullptr);
    ~TimelinePage() override;

    /// A new case: the page shows its first TxF activity, built when the page is first shown.
    void setCase(const QString& casePath);
    void showAlert(const model::Alert& alert);
    void showRequest(const model::TimelineRequest& request);
    /// The case's first TxF activity (4985, or 4656 with a TransactionId) and what it created.
    void showTxfActivity();
    /// Shows an already built timeline (tests, reports).
    void setTimeline(model::TxfTimelinePtr timeline);
    void clear();

    model::TxfTimelinePtr timeline() const { return m_timeline; }
    // The chart seen through the page, so nothing outside this folder needs the QtCharts headers.
    const model::TimeMapping& mapping() const;
    void zoomBy(double factor, double plotX);
    void panBy(double dxPixels);
    /// The widget that receives mouse input over the chart, and a marker's position in it.
    QWidget* chartViewport() const;
    QPointF markerPosition(int marker) const;
    bool isLoading() const;
    /// Selected markers, oldest first (at most two).
    const std::vector<int>& selectedMarkers() const { return m_selection; }
    QString deltaText() const;

public Q_SLOTS:
    /// Selects the marker of that event, if it is on the timeline, and scrolls it into view.
    void selectEvent(qint64 eventRowId);
    /// Selects the first marker of that process's lane, if it has one.
    void selectProcess(const QString& host, const QString& guid);
    /// A click on a marker selects it; with Ctrl or Shift it joins the last one, and the delta is shown.
    void clickMarker(int marker, Qt::KeyboardModifiers modifiers = Qt::NoModifier);
    /// Follows the scope's case, alerts and linked selection; reports the event selected here to it.
    void attach(model::InvestigationScope* scope);

Q_SIGNALS:
    void eventSelected(qint64 eventRowId);
    void processSelected(const QString& host, const QString& guid, qint64 pid);
    void timelineLoaded(int markers);
    void loadFailed(const QString& message);

protected:
    void showEvent(QShowEvent* event) override;

private:
    void updateLegend();
    void updateSelectionText();
    void showTooltip(int marker, bool entered);

    TimelineChartView* m_chart;
    QLabel* m_title;
    QLabel* m_legend;
    QLabel* m_selectionText;
    QPushButton* m_reset;
    model::TimelineLoader* m_loader;
    model::TxfTimelinePtr m_timeline;
    QString m_casePath;
    bool m_stale = false; ///< a case was set while hidden: build on the next show
    std::vector<int> m_selection;
};

} // namespace dscope::views
