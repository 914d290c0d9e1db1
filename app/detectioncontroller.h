// SPDX-License-Identifier: MIT
#pragma once

#include "domain/alert.h"

#include <QObject>

#include <memory>

namespace dscope::detection {
class DetectionRunner;
}

namespace dscope::app {

/// Connects the detection runner to the GUI: loads the built-in rule file once, runs detection for the open case
/// (after opening and after every import) and hands the AlertSet snapshot to whoever shows it.
class DetectionController : public QObject
{
    Q_OBJECT
public:
    explicit DetectionController(QObject* parent = nullptr);
    ~DetectionController() override;

    /// False (with the reason in statusChanged) when the rules could not be loaded.
    bool isAvailable() const { return m_runner != nullptr; }
    void run(const QString& casePath);
    void cancel();
    bool isRunning() const { return m_running; }
    const model::AlertSetPtr& alerts() const { return m_alerts; }
    /// The built-in rule set's version (0 when it did not load).
    int ruleSetVersion() const { return m_ruleSetVersion; }

Q_SIGNALS:
    void alertsAvailable(const dscope::model::AlertSetPtr& alerts);
    void statusChanged(const QString& text);
    void runFinished();

private:
    detection::DetectionRunner* m_runner = nullptr;
    model::AlertSetPtr m_alerts;
    QString m_loadError;
    bool m_running = false;
    int m_ruleSetVersion = 0;
};

} // namespace dscope::app
