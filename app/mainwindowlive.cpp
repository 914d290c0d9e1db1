// SPDX-License-Identifier: MIT
// MainWindow, continued: live feeds (File > Listen, the status panel, pages and alerts that follow the feed).
#include "mainwindow.h"

#include "alertspage.h"
#include "casecontroller.h"
#include "detectioncontroller.h"
#include "eventspage.h"
#include "itemmodels/alertlistmodel.h"
#include "listendialog.h"
#include "livecontroller.h"
#include "liveservice.h"
#include "livestatuspanel.h"
#include "processtree/processtreemodel.h"
#include "processtree/processtreepage.h"
#include "scope/investigationscope.h"

#include <QDockWidget>
#include <QMessageBox>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>

#include <algorithm>

namespace dscope::app {

void MainWindow::attachLive()
{
    m_liveDock->setObjectName(QStringLiteral("liveFeeds"));
    m_liveDock->setWidget(m_liveStatus);
    addDockWidget(Qt::BottomDockWidgetArea, m_liveDock);
    m_liveDock->hide();
    connect(m_liveStatus, &views::LiveStatusPanel::stopRequested, m_live, &LiveController::stop);
    connect(m_live, &LiveController::statusChanged, this, [this](const LiveStatus& s) {
        std::vector<model::FeedStats> feeds;
        std::vector<double> rates;
        for (const LiveFeedRow& r : s.feeds) {
            feeds.push_back(r.stats);
            rates.push_back(r.rate);
        }
        m_liveStatus->setStatus(s.listeners, feeds, rates, s.stored, s.rate, s.failure, s.running);
        if (!s.failure.isEmpty())
            statusBar()->showMessage(tr("Live feeds: writing stopped: %1").arg(s.failure));
    });
    connect(m_live, &LiveController::eventsArrived, this, &MainWindow::refreshLivePages);
    // The feed is over: one full run says what the whole case raises and lacks (the live passes saw windows).
    connect(m_live, &LiveController::stopped, this, [this] {
        if (m_case->isOpen() && !m_alertsHidden)
            m_detection->run(m_case->path());
    });
    connect(m_live, &LiveController::alertsRaised, this, &MainWindow::mergeLiveAlerts);
    connect(m_tabs, &QTabWidget::currentChanged, this, [this](int index) {
        if (index == AlertsPageIndex && m_unseenAlerts > 0) {
            m_unseenAlerts = 0;
            m_tabs->setTabText(AlertsPageIndex, tr("&Alerts"));
        }
    });
}

void MainWindow::listen()
{
    if (!m_case->isOpen()) {
        QMessageBox::information(this, tr("Listen"), tr("Open or create a case first: live events are stored in it."));
        return;
    }
    views::ListenDialog dialog(this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    if (dialog.tlsCertificate().isEmpty() != dialog.tlsKey().isEmpty()) {
        QMessageBox::warning(this, tr("Listen"), tr("TLS needs both a certificate and its key."));
        return;
    }
    std::vector<ListenSpec> specs;
    QString error;
    for (const views::ListenChoice& c : dialog.choices()) {
        ListenSpec spec;
        spec.token = dialog.token();
        // RFC 5425 is TCP; datagram TLS is not offered, and a followed file is local.
        if (c.kind != QLatin1String("syslog-udp") && c.kind != QLatin1String("follow") && c.kind != QLatin1String("windows-channel")) {
            spec.tlsCertificate = dialog.tlsCertificate();
            spec.tlsKey = dialog.tlsKey();
        }
        if (c.kind == QLatin1String("follow")) {
            spec.kind = ListenSpec::Kind::Follow;
            spec.path = c.address;
        } else if (c.kind == QLatin1String("windows-channel")) {
            spec.kind = ListenSpec::Kind::WindowsChannel;
            spec.path = c.address;
        } else {
            spec.kind = c.kind == QLatin1String("syslog-udp") ? ListenSpec::Kind::SyslogUdp
                        : c.kind == QLatin1String("jsonl-tcp") ? ListenSpec::Kind::JsonlTcp
                        : c.kind == QLatin1String("bulk")      ? ListenSpec::Kind::Bulk
                                                               : ListenSpec::Kind::SyslogTcp;
            if (!parseListenAddress(c.address, spec, error)) {
                QMessageBox::warning(this, tr("Listen"), error);
                return;
            }
        }
        specs.push_back(spec);
    }
    if (specs.empty())
        return;
    if (!startListening(specs, error))
        QMessageBox::warning(this, tr("Listen"), error);
}

bool MainWindow::startListening(const std::vector<ListenSpec>& specs, QString& error)
{
    if (!m_case->isOpen()) {
        error = tr("no case is open");
        return false;
    }
    if (!m_live->start(m_case->path(), specs, error))
        return false;
    m_liveDock->show();
    statusBar()->showMessage(tr("Listening for live feeds"), 5000);
    return true;
}

void MainWindow::refreshLivePages()
{
    // Each page reads the case again and comes back to where the analyst was: selection, scroll, expanded rows.
    m_case->refreshInfo();
    m_events->reloadKeepingPlace();
    m_processTree->reloadKeepingPlace(m_scope->alerts());
}

void MainWindow::mergeLiveAlerts(const model::AlertSetPtr& fresh)
{
    // An extended alert replaces its earlier self; a new one joins the list.
    auto merged = std::make_shared<model::AlertSet>(m_scope->alerts() ? *m_scope->alerts() : model::AlertSet{});
    merged->live = true;
    merged->eventsScanned = m_live->storedEvents();
    merged->blindSpots.clear();
    int added = 0;
    for (const model::Alert& a : fresh->alerts) {
        const std::string identity = model::alertIdentity(a);
        auto it = std::find_if(merged->alerts.begin(), merged->alerts.end(),
                               [&](const model::Alert& b) { return model::alertIdentity(b) == identity; });
        if (it != merged->alerts.end()) {
            *it = a;
        } else {
            merged->alerts.push_back(a);
            ++added;
        }
    }
    const model::Alert* current = m_alerts->currentAlert();
    const qint64 keep = current ? current->caseId : 0;
    m_scope->setAlerts(merged);
    if (keep)
        for (int row = 0; row < m_alerts->table()->model()->rowCount(); ++row)
            if (m_alerts->table()->model()->index(row, 0).data(model::AlertListModel::CaseIdRole).toLongLong() == keep) {
                m_alerts->selectAlert(row);
                break;
            }
    if (added > 0) {
        const model::Alert& first = fresh->alerts.front();
        statusBar()->showMessage(tr("New alert: %1 %2 on %3").arg(QString::fromStdString(first.ruleId),
                                                                QString::fromStdString(first.ruleName),
                                                                QString::fromStdString(first.host)),
                                 10000);
        if (m_tabs->currentIndex() != AlertsPageIndex) {
            m_unseenAlerts += added;
            m_tabs->setTabText(AlertsPageIndex, tr("&Alerts (%1 new)").arg(m_unseenAlerts));
        }
    }
}

} // namespace dscope::app
