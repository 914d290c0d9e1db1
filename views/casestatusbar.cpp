// SPDX-License-Identifier: MIT
#include "casestatusbar.h"

#include "itemmodels/alertlistmodel.h"
#include "itemmodels/plaintooltip.h"
#include "storage/caseinfo.h"

#include <QHBoxLayout>
#include <QLabel>

namespace dscope::views {

CaseStatusBar::CaseStatusBar(QWidget* parent)
    : QWidget(parent)
    , m_events(new QLabel(this))
    , m_hosts(new QLabel(this))
    , m_range(new QLabel(this))
    , m_inputs(new QLabel(this))
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(12);
    layout->addWidget(m_events);
    layout->addWidget(m_hosts);
    layout->addWidget(m_range);
    layout->addWidget(m_inputs);
    m_inputs->setTextFormat(Qt::RichText); // our own link text only; no log text goes into it
    m_inputs->setToolTip(tr("Show the case's inputs (Ctrl+Shift+L)"));
    m_inputs->hide();
    connect(m_inputs, &QLabel::linkActivated, this, &CaseStatusBar::inputsRequested);
}

void CaseStatusBar::setLoading()
{
    m_events->setText(tr("Loading case summary\u2026"));
    m_hosts->clear();
    m_range->clear();
    m_inputs->hide();
}

void CaseStatusBar::setInfo(const model::CaseInfo& info, bool utc)
{
    m_events->setText(tr("%L1 events").arg(info.events));
    QStringList hosts;
    for (const auto& h : info.hosts)
        hosts << QString::fromStdString(h.key);
    m_hosts->setText(tr("%n host(s)", nullptr, int(hosts.size())));
    m_hosts->setToolTip(model::plainToolTip(hosts.join(QLatin1Char('\n'))));
    qint64 skipped = 0;
    int failed = 0, unfinished = 0;
    for (const auto& r : info.inputs) {
        skipped += r.skipped;
        failed += r.status == model::InputStatus::Failed;
        unfinished += r.status == model::InputStatus::Incomplete || r.status == model::InputStatus::Importing;
    }
    QStringList attention;
    if (skipped)
        attention << tr("%n skipped at import", nullptr, int(skipped));
    if (failed)
        attention << tr("%n input(s) failed", nullptr, failed);
    if (unfinished)
        attention << tr("%n input(s) not imported in full", nullptr, unfinished);
    m_inputs->setText(QStringLiteral("<a href=\"inputs\">%1</a>").arg(attention.join(QStringLiteral(", "))));
    m_inputs->setVisible(!attention.isEmpty());
    m_range->setText(info.events ? tr("%1 \u2192 %2 %3")
                                       .arg(model::formatTime(info.firstUtcMs, utc), model::formatTime(info.lastUtcMs, utc),
                                            utc ? tr("UTC") : tr("local"))
                                 : tr("no events"));
}

QString CaseStatusBar::text() const
{
    QStringList parts{m_events->text(), m_hosts->text(), m_range->text()};
    if (m_inputs->isVisibleTo(this))
        parts << m_inputs->text();
    return parts.join(QLatin1String("  "));
}

} // namespace dscope::views
