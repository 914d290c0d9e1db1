// SPDX-License-Identifier: MIT
#pragma once

#include "demo/exercisescore.h"

#include <QElapsedTimer>
#include <QObject>
#include <QThreadPool>

namespace dscope::app {

/**
 * An exercise: generates its simulated case (events written beside it, imported by the normal importer) on a worker
 * thread, keeps its answer key from the trainee, times the attempt and scores what the trainee accused.
 */
class ExerciseController : public QObject
{
    Q_OBJECT
public:
    explicit ExerciseController(QObject* parent = nullptr);
    ~ExerciseController() override;

    /// Writes the exercise's case into `folder` (replacing an earlier attempt's); ready() or failed() follows.
    void prepare(const QString& exercise, quint64 seed, const QString& folder);
    bool isActive() const { return m_active; }
    const QString& exercise() const { return m_exercise; }
    /// Starts the clock (when the case is on screen).
    void start();
    model::ExerciseScore submit(const std::vector<model::Accusation>& accused);
    void end() { m_active = false; }

Q_SIGNALS:
    void ready(const QString& casePath);
    void failed(const QString& error);

private:
    QThreadPool m_pool;
    std::vector<model::ExpectedAlert> m_key;
    QString m_exercise;
    QElapsedTimer m_clock;
    bool m_active = false;
    quint64 m_token = 0;
};

} // namespace dscope::app
