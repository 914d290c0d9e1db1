// SPDX-License-Identifier: MIT
#include "alertworkcontroller.h"

#include "storage/database.h"
#include "storage/schema.h"

#include <QDateTime>
#include <QPointer>
#include <QSettings>
#include <QtConcurrent/QtConcurrentRun>

#include <optional>

namespace dscope::app {

namespace {
const QString kAnalystKey = QStringLiteral("analyst/name");
}

AlertWorkController::AlertWorkController(QObject* parent) : QObject(parent)
{
    m_pool.setMaxThreadCount(1); // one writer, and decisions stored in the order they were made
    std::string error;
    if (auto lists = model::Checklists::load(model::kEmbeddedChecklists, error))
        m_checklists = std::make_shared<const model::Checklists>(std::move(*lists));
    else
        m_loadError = tr("The response checklists cannot be read: %1").arg(QString::fromStdString(error));
}

AlertWorkController::~AlertWorkController() { m_pool.waitForDone(); }

void AlertWorkController::setCase(const QString& casePath)
{
    m_casePath = casePath;
    ++m_caseToken;
}

QString AlertWorkController::analyst() const
{
    QString name = QSettings().value(kAnalystKey).toString().trimmed();
    if (name.isEmpty())
        name = qEnvironmentVariable("USER", qEnvironmentVariable("USERNAME", tr("analyst")));
    return name;
}

void AlertWorkController::setAnalyst(const QString& name) { QSettings().setValue(kAnalystKey, name.trimmed()); }

template <typename Result>
void AlertWorkController::submit(bool write, std::function<Result(model::Database&, std::string&)> job,
                                 std::function<void(const Result&)> done, const QString& what)
{
    if (m_casePath.isEmpty())
        return;
    QPointer<AlertWorkController> self(this);
    const quint64 token = m_caseToken;
    const std::string path = m_casePath.toStdString();
    (void)QtConcurrent::run(&m_pool, [self, token, path, write, job, done, what] {
        std::string error;
        std::optional<Result> result;
        model::Database db;
        const bool open = db.open(path, write ? model::Database::Mode::ReadWrite : model::Database::Mode::ReadOnly)
                          && (write ? model::schema::prepareForWriting(db, error)
                                    : model::schema::prepareForReading(db, error));
        if (!open && error.empty())
            error = db.lastError();
        if (open) {
            Result r = job(db, error);
            if (error.empty())
                result = std::move(r);
        }
        QMetaObject::invokeMethod(self, [self, token, result, error, done, what] {
            if (!self || token != self->m_caseToken)
                return; // another case is open now
            if (result)
                done(*result);
            else
                Q_EMIT self->failed(tr("%1: %2").arg(what, QString::fromStdString(error)));
        }, Qt::QueuedConnection);
    });
}

void AlertWorkController::recordTriage(qint64 caseId, model::TriageState state, const QString& reason)
{
    const model::Triage triage{state, reason.trimmed().toStdString(), analyst().toStdString(),
                               QDateTime::currentMSecsSinceEpoch()};
    submit<bool>(
        true,
        [caseId, triage](model::Database& db, std::string& error) {
            return model::alertstore::setTriage(db, caseId, triage, error);
        },
        [this, caseId, triage](const bool&) {
            Q_EMIT triageRecorded(caseId, triage);
            loadWork(caseId); // the history gained a row
        },
        tr("Recording the triage failed"));
}

void AlertWorkController::loadWork(qint64 caseId)
{
    const quint64 token = ++m_workToken;
    submit<std::shared_ptr<const AlertWork>>(
        false,
        [caseId](model::Database& db, std::string&) {
            auto work = std::make_shared<AlertWork>();
            work->caseId = caseId;
            work->checklist = model::alertstore::checklistState(db, caseId);
            work->history = model::alertstore::history(db, caseId);
            return std::shared_ptr<const AlertWork>(std::move(work));
        },
        [this, token](const std::shared_ptr<const AlertWork>& work) {
            if (token == m_workToken) // a later selection asked for another alert
                Q_EMIT workLoaded(work);
        },
        tr("Reading the alert's checklist failed"));
}

void AlertWorkController::setChecklistItem(qint64 caseId, const QString& item, bool done, const QString& note)
{
    const model::alertstore::ChecklistItemState state{item.toStdString(), done, analyst().toStdString(),
                                                      QDateTime::currentMSecsSinceEpoch(), note.toStdString()};
    submit<bool>(
        true,
        [caseId, state](model::Database& db, std::string& error) {
            return model::alertstore::setChecklistItem(db, caseId, state, error);
        },
        [this, caseId](const bool&) { loadWork(caseId); },
        tr("Recording the checklist item failed"));
}

void AlertWorkController::resolvePivot(const model::Alert& alert, const QString& pivot)
{
    const std::string key = pivot.toStdString();
    submit<model::Pivot>(
        false,
        [alert, key](model::Database& db, std::string& error) {
            model::Pivot p;
            model::resolvePivot(db, key, alert, p, error);
            return p;
        },
        [this](const model::Pivot& p) { Q_EMIT pivotResolved(p); },
        tr("Preparing the pivot failed"));
}

void AlertWorkController::loadAnnotations(const QString& search)
{
    m_annotationSearch = search;
    const quint64 token = ++m_annotationToken;
    const std::string text = search.toStdString();
    using Snapshot = std::pair<model::AnnotationListPtr, model::AnnotatedRefsPtr>;
    submit<Snapshot>(
        false,
        [text](model::Database& db, std::string&) {
            return Snapshot{std::make_shared<const model::AnnotationList>(model::annotationstore::searchDescribed(db, text)),
                            std::make_shared<const model::AnnotatedRefs>(model::annotationstore::annotatedRefs(db))};
        },
        [this, token](const Snapshot& s) {
            if (token == m_annotationToken) // a newer search is on its way
                Q_EMIT annotationsLoaded(s.first, s.second);
        },
        tr("Reading the notes failed"));
}

void AlertWorkController::editAnnotation(model::Annotation::Kind kind, const QString& ref)
{
    const std::string key = ref.toStdString();
    using Found = std::pair<model::Annotation, QString>;
    submit<Found>(
        false,
        [kind, key](model::Database& db, std::string&) {
            model::Annotation a = model::annotationstore::find(db, kind, key).value_or(model::Annotation{});
            a.kind = kind;
            a.ref = key;
            return Found{a, QString::fromStdString(model::annotationstore::describe(db, a))};
        },
        [this](const Found& f) { Q_EMIT annotationReady(f.first, f.second); },
        tr("Reading the note failed"));
}

void AlertWorkController::saveAnnotation(model::Annotation annotation)
{
    annotation.analyst = analyst().toStdString();
    annotation.utcMs = QDateTime::currentMSecsSinceEpoch();
    submit<model::Annotation>(
        true,
        [annotation](model::Database& db, std::string& error) mutable {
            model::annotationstore::save(db, annotation, error);
            return annotation;
        },
        [this](const model::Annotation& a) {
            Q_EMIT annotationSaved(a);
            loadAnnotations(m_annotationSearch); // the list and the marks show it
        },
        tr("Storing the note failed"));
}

void AlertWorkController::toggleBookmark(model::Annotation::Kind kind, const QString& ref)
{
    const std::string key = ref.toStdString();
    const std::string who = analyst().toStdString();
    const int64_t now = QDateTime::currentMSecsSinceEpoch();
    submit<model::Annotation>(
        true,
        [kind, key, who, now](model::Database& db, std::string& error) {
            model::Annotation a = model::annotationstore::find(db, kind, key).value_or(model::Annotation{});
            a.kind = kind;
            a.ref = key;
            a.bookmark = !a.bookmark;
            a.analyst = who;
            a.utcMs = now;
            model::annotationstore::save(db, a, error);
            return a;
        },
        [this](const model::Annotation& a) {
            Q_EMIT annotationSaved(a);
            loadAnnotations(m_annotationSearch);
        },
        tr("Storing the bookmark failed"));
}

void AlertWorkController::loadTaggedProcesses(const QString& tag)
{
    using Tagged = std::vector<model::annotationstore::TaggedProcess>;
    submit<Tagged>(
        false,
        [key = tag.toStdString()](model::Database& db, std::string&) { return model::annotationstore::taggedProcesses(db, key); },
        [this, tag](const Tagged& found) { Q_EMIT taggedProcessesLoaded(tag, found); },
        tr("Reading the tagged processes failed"));
}

} // namespace dscope::app
