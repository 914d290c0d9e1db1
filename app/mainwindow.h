// SPDX-License-Identifier: MIT
#pragma once

#include <QMainWindow>

class QTableWidget;

namespace dscope::app {

/// The workbench shell. For now: open a case and list its inputs.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    void openCase(const QString& path);

private:
    void chooseCase();
    QTableWidget* m_inputs;
};

} // namespace dscope::app
