// SPDX-License-Identifier: MIT
#include "detectioncontroller.h"

#include "detectionrunner.h"
#include "ruleset.h"

namespace dscope::app {

DetectionController::DetectionController(QObject* parent) : QObject(parent)
{
    std::string error;
    auto rules = detection::RuleSet::fromFile(QStringLiteral(":/rules/rules.json"), error);
    if (!rules) {
        m_loadError = tr("Detection unavailable: the built-in rules do not load (%1)").arg(QString::fromStdString(error));
        return;
    }
    m_ruleSetVersion = rules->version();
    auto engine = std::make_shared<const detection::Engine>(std::move(*rules));
    m_runner = new detection::DetectionRunner(engine, this);
    connect(m_runner, &detection::DetectionRunner::alertsAvailable, this,
            [this](const model::AlertSetPtr& alerts, quint64 token) {
                if (token != m_runner->currentToken())
                    return;
                m_running = false;
                m_alerts = alerts;
                Q_EMIT alertsAvailable(alerts);
                Q_EMIT runFinished();
            });
    connect(m_runner, &detection::DetectionRunner::progressChanged, this,
            [this](int percent, const QString& stage, quint64 token) {
                if (token == m_runner->currentToken())
                    Q_EMIT statusChanged(tr("Detection running: %1 (%2%)").arg(stage).arg(percent));
            });
    connect(m_runner, &detection::DetectionRunner::failed, this, [this](const QString& message, quint64 token) {
        if (token != m_runner->currentToken())
            return;
        m_running = false;
        Q_EMIT statusChanged(tr("Detection failed: %1").arg(message));
        Q_EMIT runFinished();
    });
}

DetectionController::~DetectionController()
{
    if (m_runner)
        m_runner->cancel();
}

void DetectionController::run(const QString& casePath)
{
    if (!m_runner) {
        Q_EMIT statusChanged(m_loadError);
        Q_EMIT runFinished();
        return;
    }
    m_running = true;
    detection::EngineOptions options;
    options.persist = true; // alerts keep their identity and triage in the case
    m_runner->start(casePath, options);
    Q_EMIT statusChanged(tr("Detection running\u2026"));
}

void DetectionController::cancel()
{
    if (m_runner)
        m_runner->cancel();
    m_running = false;
}

} // namespace dscope::app
