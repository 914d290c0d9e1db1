// SPDX-License-Identifier: MIT
#include "alertspage.h"

#include "annotationmark.h"
#include "scope/investigationscope.h"

#include "alertworkpanel.h"
#include "itemmodels/alertlistmodel.h"
#include "itemmodels/eventtablemodel.h"

#include <QCoreApplication>
#include <QComboBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QTableWidget>
#include <QTextBrowser>
#include <QVBoxLayout>

#include <algorithm>
#include <map>

namespace dscope::views {

using model::AlertListModel;

namespace {
QString qs(const std::string& s) { return QString::fromStdString(s); }

/// " — N imported ..." when the set holds alerts a team's run elsewhere raised (their events are not in the case).
QString importedText(const model::AlertSet& set)
{
    const auto n = std::count_if(set.alerts.begin(), set.alerts.end(), [](const model::Alert& a) { return !a.origin.empty(); });
    return n == 0 ? QString()
                  : QCoreApplication::translate("AlertsPage", " \u2014 %n imported from a run elsewhere (no events in the case)",
                                                nullptr, int(n));
}
constexpr int kNoAlertsRole = Qt::UserRole + 1; // a host entry added for a host without alerts

enum class TriageFilter { All, Open, TruePositive, Closed };

/// The alert list filtered by host (exact, without case) and by triage, sorted on raw values.
class AlertFilterProxy : public QSortFilterProxyModel
{
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    void setHost(const QString& host)
    {
        m_host = host;
        invalidateRowsFilter();
    }
    void setTriage(TriageFilter f)
    {
        m_triage = f;
        invalidateRowsFilter();
    }

protected:
    bool filterAcceptsRow(int row, const QModelIndex& parent) const override
    {
        const QModelIndex index = sourceModel()->index(row, AlertListModel::ColHost, parent);
        if (!m_host.isEmpty() && index.data().toString().compare(m_host, Qt::CaseInsensitive) != 0)
            return false;
        const auto state = model::TriageState(index.data(AlertListModel::TriageStateRole).toInt());
        switch (m_triage) {
        case TriageFilter::All: return true;
        case TriageFilter::Open: return model::triageIsOpen(state);
        case TriageFilter::TruePositive: return state == model::TriageState::TruePositive;
        case TriageFilter::Closed: return !model::triageIsOpen(state);
        }
        return true;
    }

private:
    QString m_host;
    TriageFilter m_triage = TriageFilter::All;
};
} // namespace

AlertsPage::AlertsPage(QWidget* parent)
    : QWidget(parent)
    , m_model(new AlertListModel(this))
    , m_proxy(new AlertFilterProxy(this))
    , m_evidence(new model::EvidenceModel(this))
    , m_status(new QLabel(this))
    , m_host(new QComboBox(this))
    , m_triageFilter(new QComboBox(this))
    , m_blindSpots(new QLabel(this))
    , m_table(new QTableView(this))
    , m_explanation(new QTextBrowser(this))
    , m_masks(new QTableWidget(this))
    , m_evidenceTable(new QTableView(this))
    , m_work(new AlertWorkPanel(this))
{
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(AlertListModel::SortRole);
    m_triageFilter->addItem(tr("Any triage"), int(TriageFilter::All));
    m_triageFilter->addItem(tr("Open (new, in progress)"), int(TriageFilter::Open));
    m_triageFilter->addItem(tr("True positives"), int(TriageFilter::TruePositive));
    m_triageFilter->addItem(tr("Closed (benign, false positive)"), int(TriageFilter::Closed));
    m_triageFilter->setToolTip(tr("Show alerts by what analysts decided"));
    m_host->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_host->setMaximumWidth(420);
    m_host->setToolTip(tr("Triage one host at a time: hosts are listed worst first"));
    m_table->setModel(m_proxy);
    m_table->setItemDelegateForColumn(0, new AnnotationMarkDelegate(m_table)); // noted and bookmarked alerts
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(AlertListModel::ColSeverity, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);

    m_blindSpots->setWordWrap(true);
    m_blindSpots->setTextFormat(Qt::RichText);
    m_blindSpots->setFrameShape(QFrame::StyledPanel);
    m_blindSpots->setMargin(6);

    m_explanation->setOpenLinks(false);
    connect(m_explanation, &QTextBrowser::anchorClicked, this, [this](const QUrl& url) {
        if (url.toString() == QLatin1String("doppelscope:technique"))
            Q_EMIT techniqueRequested();
    });
    m_masks->setColumnCount(3);
    m_masks->setHorizontalHeaderLabels({tr("Mask"), tr("Object"), tr("Rights")});
    m_masks->verticalHeader()->hide();
    m_masks->horizontalHeader()->setStretchLastSection(true);
    m_masks->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_masks->setWordWrap(false);
    m_masks->setMaximumHeight(m_masks->fontMetrics().height() * 6);
    m_evidenceTable->setModel(m_evidence);
    m_evidenceTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_evidenceTable->verticalHeader()->hide();
    m_evidenceTable->horizontalHeader()->setStretchLastSection(true);
    m_evidenceTable->verticalHeader()->setDefaultSectionSize(m_evidenceTable->fontMetrics().height() + 6);
    auto* open = new QPushButton(tr("Open in Events page"), this);

    auto* detail = new QWidget(this);
    auto* detailLayout = new QVBoxLayout(detail);
    detailLayout->setContentsMargins(0, 0, 0, 0);
    detailLayout->addWidget(new QLabel(tr("Explanation"), detail));
    detailLayout->addWidget(m_explanation, 2);
    detailLayout->addWidget(new QLabel(tr("Access masks"), detail));
    detailLayout->addWidget(m_masks, 1);
    detailLayout->addWidget(new QLabel(tr("Evidence (double-click opens the event)"), detail));
    detailLayout->addWidget(m_evidenceTable, 2);
    detailLayout->addWidget(open, 0, Qt::AlignRight);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_table);
    splitter->addWidget(detail);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);
    // The analyst's work on the selected alert sits beside the list and its evidence.
    auto* sides = new QSplitter(Qt::Horizontal, this);
    sides->addWidget(splitter);
    sides->addWidget(m_work);
    sides->setStretchFactor(0, 3);
    sides->setStretchFactor(1, 2);

    auto* top = new QHBoxLayout;
    top->addWidget(m_status, 1);
    top->addWidget(m_triageFilter);
    top->addWidget(m_host);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_blindSpots);
    layout->addWidget(sides, 1);

    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &AlertsPage::onCurrentChanged);
    connect(m_host, &QComboBox::currentIndexChanged, this,
            [this](int index) { setHost(m_host->itemData(index).toString()); });
    connect(m_triageFilter, &QComboBox::currentIndexChanged, this, [this] {
        static_cast<AlertFilterProxy*>(m_proxy)->setTriage(TriageFilter(m_triageFilter->currentData().toInt()));
        onCurrentChanged();
    });
    // A decision recorded since the snapshot: the host counts and the panel follow.
    connect(m_model, &QAbstractItemModel::dataChanged, this, [this] {
        fillHosts();
        onCurrentChanged();
    });
    connect(m_evidenceTable, &QAbstractItemView::doubleClicked, this, [this](const QModelIndex& index) {
        Q_EMIT openEventRequested(index.data(model::EventRowIdRole).toLongLong());
    });
    connect(open, &QPushButton::clicked, this, [this] {
        const QModelIndex index = m_evidenceTable->currentIndex();
        const QModelIndex pick = index.isValid() ? index : m_evidence->index(0, 0);
        if (pick.isValid())
            Q_EMIT openEventRequested(pick.data(model::EventRowIdRole).toLongLong());
    });
    setAlerts(nullptr);
}

void AlertsPage::setAlerts(model::AlertSetPtr alerts)
{
    m_alerts = alerts;
    m_model->setAlerts(alerts);
    fillHosts();
    m_table->resizeColumnsToContents();
    if (!alerts)
        m_status->setText(tr("No detection run yet for this case."));
    else
        m_status->setText((alerts->live ? tr("%n alert(s) raised live over the %L1 events received", nullptr, int(alerts->alerts.size()))
                                              .arg(alerts->eventsScanned)
                                        : tr("%n alert(s) from %L1 events scanned in %2 s", nullptr, int(alerts->alerts.size()))
                                              .arg(alerts->eventsScanned)
                                              .arg(alerts->seconds, 0, 'f', 2))
                          + (alerts->alerts.empty() ? QString()
                                                    : tr(" \u2014 per rule: %1").arg(qs(model::alertsPerRuleText(*alerts))))
                          + importedText(*alerts)
                          + (alerts->staleAlerts == 0
                                 ? QString()
                                 : tr(" \u2014 %n earlier alert(s) no longer raised: kept in the case with their "
                                      "triage, listed in the report", nullptr, int(alerts->staleAlerts))));
    showBlindSpots();
    onCurrentChanged();
}

void AlertsPage::setDetectionStatus(const QString& text) { m_status->setText(text); }

void AlertsPage::setUtc(bool utc)
{
    m_model->setUtc(utc);
    m_evidence->setUtc(utc);
    m_work->setUtc(utc);
}

void AlertsPage::setExtraContextActions(const QList<QAction*>& actions)
{
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_table->addActions(actions);
}

void AlertsPage::setTriage(qint64 caseId, const model::Triage& triage)
{
    m_model->setTriage(caseId, triage);
    m_work->setTriage(caseId, triage);
}

const model::Alert* AlertsPage::currentAlert() const
{
    const QModelIndex current = m_proxy->mapToSource(m_table->currentIndex());
    return m_model->alertAt(current.isValid() ? current.row() : -1);
}

bool AlertsPage::selectAlert(int row)
{
    const QModelIndex index = m_proxy->index(row, 0);
    if (!index.isValid())
        return false;
    m_table->selectionModel()->setCurrentIndex(index,
                                               QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    return true;
}

void AlertsPage::attach(model::InvestigationScope* scope)
{
    using model::InvestigationScope;
    connect(scope, &InvestigationScope::caseChanged, this, [this] { setAlerts(nullptr); });
    connect(scope, &InvestigationScope::alertsChanged, this, &AlertsPage::setAlerts);
    connect(scope, &InvestigationScope::utcChanged, this, &AlertsPage::setUtc);
    connect(scope, &InvestigationScope::hostChosen, this, [this](const QString& host, const QObject* origin) {
        if (origin != this)
            setHost(host);
    });
    connect(this, &AlertsPage::hostChosen, scope, [this, scope](const QString& host) { scope->chooseHost(host, this); });
    connect(this, &AlertsPage::alertSelected, scope, [this, scope](int index) { scope->selectAlert(index, this); });
    connect(this, &AlertsPage::openEventRequested, scope, [this, scope](qint64 id) { scope->openEvent(id, this); });
}

void AlertsPage::fillHosts()
{
    // Worst severity first, then most alerts: the order in which an analyst would take the hosts.
    struct HostAlerts {
        QString host;
        model::Severity worst = model::Severity::Low;
        int count = 0;
        int open = 0;
    };
    std::map<QString, HostAlerts> byKey; // hosts compare without case, as Windows names do
    if (m_alerts) {
        for (int row = 0; row < int(m_alerts->alerts.size()); ++row) {
            const model::Alert& a = m_alerts->alerts[size_t(row)];
            HostAlerts& h = byKey[qs(a.host).toLower()];
            if (h.host.isEmpty())
                h.host = qs(a.host);
            ++h.count;
            h.open += model::triageIsOpen(m_model->triageAt(row).state) ? 1 : 0;
            h.worst = std::max(h.worst, a.severity);
        }
    }
    std::vector<HostAlerts> hosts;
    for (auto& [key, h] : byKey)
        hosts.push_back(std::move(h));
    std::stable_sort(hosts.begin(), hosts.end(), [](const HostAlerts& a, const HostAlerts& b) {
        return a.worst != b.worst ? a.worst > b.worst : a.count > b.count;
    });
    const QString chosen = m_host->currentData().toString();
    const QSignalBlocker quiet(m_host);
    m_host->clear();
    m_host->addItem(tr("Any host (%n host(s) with alerts)", nullptr, int(hosts.size())), QString());
    for (const auto& h : hosts)
        m_host->addItem(tr("%1: %n alert(s), worst %2, %3 open", nullptr, h.count)
                            .arg(h.host.isEmpty() ? tr("(no host)") : h.host, QLatin1String(model::severityName(h.worst)))
                            .arg(h.open),
                        h.host);
    const int keep = chosen.isEmpty() ? 0 : std::max(0, m_host->findData(chosen, Qt::UserRole, Qt::MatchFixedString));
    m_host->setCurrentIndex(keep);
    applyHostFilter(m_host->itemData(keep).toString());
}

void AlertsPage::applyHostFilter(const QString& host) { static_cast<AlertFilterProxy*>(m_proxy)->setHost(host); }

void AlertsPage::setHost(const QString& host)
{
    int index = host.isEmpty() ? 0 : m_host->findData(host, Qt::UserRole, Qt::MatchFixedString);
    if (index < 0) {
        // Chosen on another page: a host with nothing here is an answer too. One such entry at a time.
        const QSignalBlocker quiet(m_host);
        for (int i = m_host->count() - 1; i > 0; --i)
            if (m_host->itemData(i, kNoAlertsRole).toBool())
                m_host->removeItem(i);
        m_host->addItem(tr("%1: no alerts").arg(host), host);
        index = m_host->count() - 1;
        m_host->setItemData(index, true, kNoAlertsRole);
    }
    if (m_host->currentIndex() != index) {
        m_host->setCurrentIndex(index); // comes back through currentIndexChanged
        return;
    }
    applyHostFilter(host);
    onCurrentChanged();
    Q_EMIT hostChosen(host);
}

void AlertsPage::showBlindSpots()
{
    if (!m_alerts) {
        m_blindSpots->setText(tr("<b>Blind spots:</b> unknown until detection has run."));
        return;
    }
    if (m_alerts->live) {
        // A live pass sees its window only; what the whole case lacks is said by the full run when listening stops.
        m_blindSpots->setText(tr("<b>Blind spots:</b> checked on the whole case when listening stops."));
        return;
    }
    if (m_alerts->blindSpots.empty()) {
        m_blindSpots->setText(tr("<b>Blind spots:</b> none reported: the telemetry every rule needs is present."));
        return;
    }
    // Messages may quote log values (host names, paths): escape before they enter rich text.
    QString html = tr("<b>Blind spots of this case</b> (what the telemetry cannot show):<ul style='margin:0'>");
    for (const auto& b : m_alerts->blindSpots) {
        html += QLatin1String("<li>");
        if (!b.ruleId.empty())
            html += QLatin1String("<b>") + qs(b.ruleId).toHtmlEscaped() + QLatin1String("</b>: ");
        html += qs(b.message).toHtmlEscaped() + QLatin1String("</li>");
    }
    m_blindSpots->setText(html + QLatin1String("</ul>"));
}

void AlertsPage::onCurrentChanged()
{
    const QModelIndex current = m_proxy->mapToSource(m_table->currentIndex());
    const int row = current.isValid() ? current.row() : -1;
    const model::Alert* a = m_model->alertAt(row);
    m_evidence->setAlert(m_alerts, a ? row : -1);
    m_evidenceTable->resizeColumnsToContents();
    m_masks->setRowCount(0);
    const qint64 shownCaseId = a ? a->caseId : -1;
    if (shownCaseId != m_workCaseId || !a) {
        m_workCaseId = shownCaseId;
        m_work->setAlert(a, a ? m_model->triageAt(row) : model::Triage{});
        Q_EMIT workRequested(a ? a->caseId : 0);
    }
    Q_EMIT alertSelected(a ? row : -1);
    if (!a) {
        m_explanation->setPlainText(m_alerts && !m_alerts->alerts.empty() ? tr("Select an alert.") : QString());
        return;
    }
    QString html = QLatin1String("<h3>") + qs(a->ruleId).toHtmlEscaped() + QLatin1String(" ")
                   + qs(a->ruleName).toHtmlEscaped() + QLatin1String("</h3><p>")
                   + tr("<b>%1</b> severity, technique <b>%2</b>, host %3")
                         .arg(QLatin1String(model::severityName(a->severity)), qs(a->technique).toHtmlEscaped(),
                              qs(a->host).toHtmlEscaped())
                   + QLatin1String("</p><p>")
                   + tr("Source: %1 %2<br>Target: %3 %4")
                         .arg(AlertListModel::processText(a->source).toHtmlEscaped(),
                              qs(a->source.guid).toHtmlEscaped(),
                              AlertListModel::processText(a->target).toHtmlEscaped(),
                              qs(a->target.guid).toHtmlEscaped())
                   + QLatin1String("</p><p>") + qs(a->explanation).toHtmlEscaped().replace(QLatin1Char('\n'), QLatin1String("<br>"))
                   + QLatin1String("</p>");
    // The injection family (T1055 and its sub-techniques) is what the Technique page teaches.
    if (a->technique.rfind("T1055", 0) == 0)
        html += QLatin1String("<p><a href=\"doppelscope:technique\">")
                + tr("Learn the technique: the Doppelg\u00e4nging steps, what each leaves in which log, and the related "
                     "injections these rules catch")
                + QLatin1String("</a></p>");
    m_explanation->setHtml(html);
    m_masks->setRowCount(int(a->masks.size()));
    for (int i = 0; i < int(a->masks.size()); ++i) {
        const auto& m = a->masks[size_t(i)];
        m_masks->setItem(i, 0, new QTableWidgetItem(qs(model::access::hex(uint32_t(m.value)))));
        m_masks->setItem(i, 1, new QTableWidgetItem(QLatin1String(model::access::objectTypeName(m.objectType))));
        m_masks->setItem(i, 2, new QTableWidgetItem(qs(m.summary)));
    }
    m_masks->resizeColumnsToContents();
}

} // namespace dscope::views
