// SPDX-License-Identifier: MIT
#include "reportcontroller.h"

#include "reportfiles.h"
#include "report/htmlreport.h"
#include "storage/alertstore.h"
#include "storage/database.h"
#include "storage/schema.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

#include <map>

namespace dscope::app {

namespace {

/// The report as the case holds it now: the snapshot's alerts with the triage recorded since, their checklists and
/// history.
bool buildNow(const std::string& casePath, const model::AlertSet& snapshot, const model::ReportOptions& options,
              model::CaseReport& report, std::string& error)
{
    auto lists = model::Checklists::load(model::kEmbeddedChecklists, error);
    model::Database db;
    if (!lists || !db.open(casePath, model::Database::Mode::ReadOnly) || !model::schema::prepareForReading(db, error)) {
        if (error.empty())
            error = db.lastError();
        return false;
    }
    model::AlertSet current = snapshot;
    std::map<int64_t, model::Triage> triage;
    for (auto& [id, t] : model::alertstore::triageById(db))
        triage[id] = t;
    for (model::Alert& a : current.alerts)
        if (const auto it = triage.find(a.caseId); it != triage.end())
            a.triage = it->second;
    return model::buildCaseReport(db, current, std::make_shared<const model::Checklists>(std::move(*lists)), options,
                                  report, error);
}

} // namespace

ReportController::ReportController(QObject* parent) : QObject(parent) { m_pool.setMaxThreadCount(1); }

ReportController::~ReportController() { m_pool.waitForDone(); }

void ReportController::setCase(const QString& casePath)
{
    m_casePath = casePath;
    m_alerts.reset();
    ++m_token;
}

void ReportController::preview(const model::ReportOptions& options)
{
    if (m_casePath.isEmpty() || !m_alerts)
        return;
    QPointer<ReportController> self(this);
    const quint64 token = ++m_token;
    (void)QtConcurrent::run(&m_pool, [self, token, path = m_casePath.toStdString(), alerts = m_alerts, options] {
        model::CaseReport report;
        std::string error;
        const bool ok = buildNow(path, *alerts, options, report, error);
        const QString html = ok ? QString::fromStdString(model::renderHtmlReport(report)) : QString();
        const int count = int(report.alerts.size());
        QMetaObject::invokeMethod(self, [self, token, ok, html, count, error] {
            if (!self || token != self->m_token)
                return;
            if (ok)
                Q_EMIT self->previewReady(html, count);
            else
                Q_EMIT self->failed(tr("The report cannot be built: %1").arg(QString::fromStdString(error)));
        }, Qt::QueuedConnection);
    });
}

void ReportController::exportReport(const ReportRequest& request)
{
    if (m_casePath.isEmpty() || !m_alerts)
        return;
    QPointer<ReportController> self(this);
    const quint64 token = m_token;
    (void)QtConcurrent::run(&m_pool, [self, token, path = m_casePath.toStdString(), alerts = m_alerts, request] {
        model::CaseReport report;
        std::string buildError;
        QStringList written;
        QString error;
        if (!buildNow(path, *alerts, request.options, report, buildError)) {
            error = QString::fromStdString(buildError);
        } else {
            views::writeReportFiles(report, request.htmlPath, request.pdfPath, request.jsonPath, written, error);
        }
        QMetaObject::invokeMethod(self, [self, token, written, error] {
            if (self && token == self->m_token)
                Q_EMIT self->exported(written, error);
        }, Qt::QueuedConnection);
    });
}

} // namespace dscope::app
