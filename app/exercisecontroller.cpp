// SPDX-License-Identifier: MIT
#include "exercisecontroller.h"

#include "demo/demogenerator.h"
#include "import/importer.h"

#include <QDir>
#include <QFile>
#include <QtConcurrent/QtConcurrentRun>

namespace dscope::app {

ExerciseController::ExerciseController(QObject* parent) : QObject(parent) { m_pool.setMaxThreadCount(1); }

ExerciseController::~ExerciseController() { m_pool.waitForDone(); }

void ExerciseController::prepare(const QString& exercise, quint64 seed, const QString& folder)
{
    const quint64 token = ++m_token;
    m_active = false;
    (void)QtConcurrent::run(&m_pool, [this, token, exercise, seed, folder] {
        model::DemoOptions options;
        options.seed = seed;
        options.exercise = exercise.toStdString();
        model::DemoCase demo = model::generateDemoCase(options);
        QString error;
        const QString base = QDir(folder).filePath(QStringLiteral("%1-seed%2").arg(exercise).arg(seed));
        const QString casePath = base + QStringLiteral(".dscase");
        const QString eventsPath = base + QStringLiteral(".events.jsonl");
        // An earlier attempt's case goes: the exercise starts from its events again.
        for (const QString& suffix : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
            QFile::remove(casePath + suffix);
        std::string why;
        if (!QDir().mkpath(folder) || !model::writeEventLines(demo, eventsPath.toStdString(), why)) {
            error = why.empty() ? tr("cannot create %1").arg(folder) : QString::fromStdString(why);
        } else {
            const model::ImportSummary summary = model::Importer(casePath.toStdString()).run({eventsPath.toStdString()});
            if (!summary.fatal.empty() || summary.events != int64_t(demo.lines.size()))
                error = tr("the exercise's events did not import whole: %1").arg(QString::fromStdString(summary.fatal));
        }
        QMetaObject::invokeMethod(this, [this, token, exercise, casePath, error, key = std::move(demo.answerKey)]() mutable {
            if (token != m_token)
                return; // another exercise was asked for meanwhile
            if (!error.isEmpty()) {
                Q_EMIT failed(error);
                return;
            }
            m_key = std::move(key);
            m_exercise = exercise;
            m_active = true;
            Q_EMIT ready(casePath);
        }, Qt::QueuedConnection);
    });
}

void ExerciseController::start() { m_clock.start(); }

model::ExerciseScore ExerciseController::submit(const std::vector<model::Accusation>& accused)
{
    return model::scoreExercise(m_key, accused, m_clock.isValid() ? m_clock.elapsed() / 1000 : 0);
}

} // namespace dscope::app
