// SPDX-License-Identifier: MIT
#include "timelinepage.h"

#include "scope/investigationscope.h"

#include "timeline/timelineloader.h"
#include "timeline/timemapping.h"
#include "timelinechartview.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QShowEvent>
#include <QSplitter>
#include <QThread>
#include <QToolTip>
#include <QVBoxLayout>

#include <array>

namespace dscope::views {

using model::DoppelStep;

TimelinePage::TimelinePage(QWidget* parent)
    : QWidget(parent)
    , m_chart(new TimelineChartView(this))
    , m_title(new QLabel(this))
    , m_legend(new QLabel(this))
    , m_selectionText(new QLabel(this))
    , m_reset(new QPushButton(tr("Reset zoom"), this))
    , m_loader(new model::TimelineLoader(this))
{
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setTextFormat(Qt::PlainText); // the title holds image names from the log
    m_selectionText->setTextFormat(Qt::PlainText);
    m_selectionText->setWordWrap(true);
    m_selectionText->setMinimumHeight(m_selectionText->fontMetrics().height() * 3 + 6); // two markers and the delta
    m_legend->setTextFormat(Qt::RichText); // built with every log string escaped
    m_legend->setWordWrap(true);
    m_legend->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_legend->setMargin(6);

    auto* top = new QHBoxLayout;
    top->addWidget(m_title, 1);
    top->addWidget(new QLabel(tr("Wheel: zoom, drag: pan, Ctrl+click: second marker"), this));
    top->addWidget(m_reset);
    auto* legendScroll = new QScrollArea(this);
    legendScroll->setWidget(m_legend);
    legendScroll->setWidgetResizable(true);
    legendScroll->setMinimumWidth(300);
    auto* splitter = new QSplitter(this);
    splitter->addWidget(m_chart);
    splitter->addWidget(legendScroll);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(splitter, 1);
    layout->addWidget(m_selectionText);

    connect(m_reset, &QPushButton::clicked, m_chart, &TimelineChartView::resetView);
    connect(m_chart, &TimelineChartView::markerClicked, this, &TimelinePage::clickMarker);
    connect(m_chart, &TimelineChartView::markerHovered, this, &TimelinePage::showTooltip);
    connect(m_loader, &model::TimelineLoader::timelineAvailable, this, &TimelinePage::setTimeline);
    connect(m_loader, &model::TimelineLoader::loadFailed, this, [this](const QString& message) {
        m_title->setText(tr("Timeline not built: %1").arg(message));
        emit loadFailed(message);
    });
    updateLegend();
}

TimelinePage::~TimelinePage() = default;

bool TimelinePage::isLoading() const { return m_loader->isLoading(); }

const model::TimeMapping& TimelinePage::mapping() const { return m_chart->mapping(); }
void TimelinePage::zoomBy(double factor, double plotX) { m_chart->zoomBy(factor, plotX); }
void TimelinePage::panBy(double dxPixels) { m_chart->panBy(dxPixels); }
QWidget* TimelinePage::chartViewport() const { return m_chart->viewport(); }
QPointF TimelinePage::markerPosition(int marker) const { return m_chart->markerPosition(marker); }

void TimelinePage::setCase(const QString& casePath)
{
    m_casePath = casePath;
    setTimeline(nullptr);
    // Hidden pages refresh only when shown: a case opened while another page is up costs nothing here.
    m_stale = true;
    if (isVisible())
        showTxfActivity();
}

void TimelinePage::showEvent(QShowEvent* event)
{
    QWidget::showEvent(event);
    if (m_stale && !m_casePath.isEmpty())
        showTxfActivity();
}

void TimelinePage::showTxfActivity()
{
    m_stale = false;
    if (m_casePath.isEmpty())
        return;
    m_title->setText(tr("Reading TxF activity..."));
    m_loader->load(m_casePath, std::nullopt);
}

void TimelinePage::showAlert(const model::Alert& alert)
{
    m_stale = false;
    if (m_casePath.isEmpty())
        return;
    m_title->setText(tr("Reading the alert's events..."));
    m_loader->load(m_casePath, std::optional<model::Alert>(alert));
}

void TimelinePage::showRequest(const model::TimelineRequest& request)
{
    m_stale = false;
    if (!m_casePath.isEmpty())
        m_loader->load(m_casePath, request);
}

void TimelinePage::clear()
{
    m_casePath.clear();
    m_stale = false;
    setTimeline(nullptr);
}

void TimelinePage::setTimeline(model::TxfTimelinePtr timeline)
{
    Q_ASSERT(QThread::currentThread() == thread());
    m_timeline = std::move(timeline);
    m_selection.clear();
    m_chart->setTimeline(m_timeline);
    if (!m_timeline) {
        m_title->setText(m_casePath.isEmpty() ? tr("No case open") : QString());
    } else if (m_timeline->lanes.empty()) {
        m_title->setText(tr("No TxF activity in this case (no Security 4985, no 4656 with a TransactionId)"));
    } else {
        QString title = m_timeline->title;
        title += tr("  -  %1 events, %2 to %3 UTC")
                     .arg(m_timeline->markers.size())
                     .arg(model::timelineTimeText(m_timeline->minMs), model::timelineTimeText(m_timeline->maxMs));
        if (m_timeline->truncated)
            title += tr(" (truncated)");
        m_title->setText(title);
    }
    updateLegend();
    updateSelectionText();
    if (m_timeline)
        emit timelineLoaded(int(m_timeline->markers.size()));
}

void TimelinePage::updateLegend()
{
    QString html = QStringLiteral("<b>%1</b><br/>").arg(tr("Process Doppelgänging steps"));
    if (!m_timeline) {
        m_legend->setText(html + tr("Select an alert to see which steps this case's telemetry shows."));
        return;
    }
    html += QStringLiteral("<table cellspacing='2'>");
    for (const auto& step : m_timeline->steps) {
        QString mark, color;
        switch (step.visibility) {
        case DoppelStep::Visibility::Shown: mark = QStringLiteral("\u2714"); color = QStringLiteral("#2e7d32"); break;
        case DoppelStep::Visibility::NotInCase: mark = QStringLiteral("\u2718"); color = QStringLiteral("#c62828"); break;
        case DoppelStep::Visibility::NeverLogged: mark = QStringLiteral("\u2205"); color = QStringLiteral("#757575"); break;
        }
        html += QStringLiteral("<tr><td valign='top' style='color:%1'><b>%2</b></td><td><b>%3</b><br/>"
                               "<span style='color:#555'>%4</span></td></tr>")
                    .arg(color, mark, step.name.toHtmlEscaped(), step.evidence.toHtmlEscaped());
    }
    html += QStringLiteral("</table><p style='color:#555'>%1</p>")
                .arg(tr("\u2714 visible in this case, \u2718 not in this case's telemetry, "
                        "\u2205 never logged by Windows or Sysmon.").toHtmlEscaped());
    // Marker kinds with their count on this timeline.
    std::array<int, int(model::MarkerKind::Count)> counts{};
    for (const auto& m : m_timeline->markers)
        ++counts[size_t(m.kind)];
    html += QStringLiteral("<b>%1</b><br/>").arg(tr("Markers"));
    for (int k = 0; k < int(model::MarkerKind::Count); ++k) {
        const auto kind = model::MarkerKind(k);
        html += QStringLiteral("<span style='color:%1; font-size:large'>%2</span> %3%4<br/>")
                    .arg(TimelineChartView::kindColor(kind).name(), TimelineChartView::kindSymbol(kind),
                         model::markerKindName(kind).toHtmlEscaped(),
                         counts[size_t(k)] ? QStringLiteral(" <b>\u00d7%1</b>").arg(counts[size_t(k)]) : QString());
    }
    m_legend->setText(html);
}

void TimelinePage::clickMarker(int marker, Qt::KeyboardModifiers modifiers)
{
    if (!m_timeline || marker < 0 || marker >= int(m_timeline->markers.size()))
        return;
    if ((modifiers & (Qt::ControlModifier | Qt::ShiftModifier)) && !m_selection.empty())
        m_selection = {m_selection.back(), marker};
    else
        m_selection = {marker};
    m_chart->setSelection(m_selection);
    updateSelectionText();
    const auto& m = m_timeline->markers[size_t(marker)];
    emit eventSelected(m.eventRowId);
    const auto& lane = m_timeline->lanes[size_t(m.lane)].process;
    emit processSelected(QString::fromStdString(lane.host), QString::fromStdString(lane.guid), lane.pid);
}

QString TimelinePage::deltaText() const
{
    if (!m_timeline || m_selection.size() != 2)
        return {};
    const auto& a = m_timeline->markers[size_t(m_selection[0])];
    const auto& b = m_timeline->markers[size_t(m_selection[1])];
    return model::timelineDeltaText(b.utcMs - a.utcMs);
}

void TimelinePage::updateSelectionText()
{
    if (!m_timeline || m_selection.empty()) {
        m_selectionText->setText(tr("Click a marker to select its event; Ctrl+click a second one for the time "
                                    "between them."));
        return;
    }
    QStringList parts;
    for (int i : m_selection) {
        const auto& m = m_timeline->markers[size_t(i)];
        parts << model::timelineTimeText(m.utcMs) + QLatin1String("  ") + m.text;
    }
    QString text = parts.join(QLatin1String("\n"));
    if (m_selection.size() == 2)
        text += QLatin1Char('\n') + tr("\u0394t = %1").arg(deltaText());
    m_selectionText->setText(text);
}

void TimelinePage::showTooltip(int marker, bool entered)
{
    if (!entered || !m_timeline || marker < 0 || marker >= int(m_timeline->markers.size())) {
        QToolTip::hideText();
        return;
    }
    const auto& m = m_timeline->markers[size_t(marker)];
    QString text = model::timelineTimeText(m.utcMs) + QLatin1String(" UTC\n") + m.text + QLatin1Char('\n')
                   + m_timeline->lanes[size_t(m.lane)].label;
    if (!m_selection.empty() && m_selection.back() != marker) {
        const auto& sel = m_timeline->markers[size_t(m_selection.back())];
        text += QLatin1Char('\n') + tr("%1 after the selected marker").arg(model::timelineDeltaText(m.utcMs - sel.utcMs));
    }
    QToolTip::showText(QCursor::pos(), text, m_chart);
}

void TimelinePage::selectEvent(qint64 eventRowId)
{
    if (!m_timeline)
        return;
    for (size_t i = 0; i < m_timeline->markers.size(); ++i) {
        if (m_timeline->markers[i].eventRowId == eventRowId) {
            m_selection = {int(i)};
            m_chart->setSelection(m_selection);
            m_chart->ensureVisible(int(i));
            updateSelectionText();
            return;
        }
    }
}

void TimelinePage::selectProcess(const QString& host, const QString& guid)
{
    if (!m_timeline)
        return;
    for (size_t lane = 0; lane < m_timeline->lanes.size(); ++lane) {
        const auto& p = m_timeline->lanes[lane].process;
        if (QString::fromStdString(p.guid) != guid || QString::fromStdString(p.host).compare(host, Qt::CaseInsensitive))
            continue;
        for (size_t i = 0; i < m_timeline->markers.size(); ++i) {
            if (m_timeline->markers[i].lane == int(lane)) {
                m_selection = {int(i)};
                m_chart->setSelection(m_selection);
                m_chart->ensureVisible(int(i));
                updateSelectionText();
                return;
            }
        }
    }
}

void TimelinePage::attach(model::InvestigationScope* scope)
{
    using model::InvestigationScope;
    connect(scope, &InvestigationScope::caseChanged, this, &TimelinePage::setCase);
    connect(scope, &InvestigationScope::caseReloaded, this, &TimelinePage::setCase);
    connect(scope, &InvestigationScope::eventSelected, this,
            [this](qint64 id, const QString&, const QString&, const QObject* origin) {
                if (origin != this)
                    selectEvent(id);
            });
    connect(scope, &InvestigationScope::alertSelected, this, [this, scope](int index) {
        const auto& alerts = scope->alerts();
        if (alerts && index >= 0 && index < int(alerts->alerts.size()))
            showAlert(alerts->alerts[size_t(index)]);
    });
    connect(this, &TimelinePage::eventSelected, scope, [this, scope](qint64 id) { scope->selectEvent(id, {}, {}, this); });
}

} // namespace dscope::views
