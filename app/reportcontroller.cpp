// SPDX-License-Identifier: MIT
#include "reportcontroller.h"

#include "pdfreport.h"
#include "report/htmlreport.h"
#include "report/ocsfreport.h"
#include "storage/alertstore.h"
#include "storage/database.h"
#include "storage/schema.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QPointer>
#include <QSaveFile>
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

bool writeWhole(const QString& path, const std::string& bytes, QString& error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes.data(), qint64(bytes.size())) != qint64(bytes.size())
        || !file.commit()) {
        error = QStringLiteral("%1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
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
            if (!request.htmlPath.isEmpty() && writeWhole(request.htmlPath, model::renderHtmlReport(report), error))
                written << tr("%1 (HTML)").arg(request.htmlPath);
            if (!request.jsonPath.isEmpty() && writeWhole(request.jsonPath, model::renderOcsfReport(report), error))
                written << tr("%1 (OCSF JSON)").arg(request.jsonPath);
            if (!request.pdfPath.isEmpty()) {
                QStringList sections;
                for (const std::string& section : model::renderHtmlReportSections(report))
                    sections << QString::fromStdString(model::htmlReportDocument(report, section));
                const QString part = request.pdfPath + QStringLiteral(".part");
                int pages = 0;
                QString pdfError;
                if (views::writePdfReport(sections, QString::fromStdString(request.options.caseName), part, &pages, pdfError)
                    && (!QFile::exists(request.pdfPath) || QFile::remove(request.pdfPath))
                    && QFile::rename(part, request.pdfPath)) {
                    written << tr("%1 (PDF, %n page(s))", nullptr, pages).arg(request.pdfPath);
                } else {
                    QFile::remove(part);
                    error = pdfError.isEmpty() ? tr("cannot write %1").arg(request.pdfPath) : pdfError;
                }
            }
        }
        QMetaObject::invokeMethod(self, [self, token, written, error] {
            if (self && token == self->m_token)
                Q_EMIT self->exported(written, error);
        }, Qt::QueuedConnection);
    });
}

} // namespace dscope::app
