// SPDX-License-Identifier: MIT
#pragma once

#include <QDialog>

class QComboBox;
class QLineEdit;
class QSpinBox;

namespace dscope::views {

/**
 * Help > Live demonstration: where the demonstration's case is written (a new case; an existing file there is
 * replaced), how fast the simulated day is sent into the workbench's listener, and which day (the seed).
 */
class LiveDemoDialog : public QDialog
{
    Q_OBJECT
public:
    LiveDemoDialog(const QString& defaultCasePath, QWidget* parent = nullptr);

    QString casePath() const;
    /// Events per second; 0 for as fast as the listener takes them.
    double rate() const;
    quint64 seed() const;

private:
    QLineEdit* m_path;
    QComboBox* m_rate;
    QSpinBox* m_seed;
};

} // namespace dscope::views
