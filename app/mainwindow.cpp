// SPDX-License-Identifier: MIT
#include "mainwindow.h"

#include "storage/caseinfo.h"

#include <QFileDialog>
#include <QHeaderView>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QTableWidget>

namespace dscope::app {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_inputs(new QTableWidget(this))
{
    setWindowTitle(QStringLiteral("Doppelscope"));
    m_inputs->setColumnCount(5);
    m_inputs->setHorizontalHeaderLabels({tr("Input"), tr("Format"), tr("Events"), tr("Skipped"), tr("Status")});
    m_inputs->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    setCentralWidget(m_inputs);
    auto* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open case..."), QKeySequence::Open, this, &MainWindow::chooseCase);
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
    resize(1100, 700);
}

void MainWindow::chooseCase()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open case"), QString(), tr("Cases (*.dscase)"));
    if (!path.isEmpty())
        openCase(path);
}

void MainWindow::openCase(const QString& path)
{
    model::CaseInfo info;
    std::string error;
    if (!model::loadCaseInfo(path.toStdString(), info, error)) {
        QMessageBox::warning(this, tr("Open case"), QString::fromStdString(error));
        return;
    }
    m_inputs->setRowCount(int(info.inputs.size()));
    for (int i = 0; i < int(info.inputs.size()); ++i) {
        const auto& r = info.inputs[size_t(i)];
        m_inputs->setItem(i, 0, new QTableWidgetItem(QString::fromStdString(r.path)));
        m_inputs->setItem(i, 1, new QTableWidgetItem(QString::fromStdString(r.format)));
        m_inputs->setItem(i, 2, new QTableWidgetItem(QString::number(r.events)));
        m_inputs->setItem(i, 3, new QTableWidgetItem(QString::number(r.skipped)));
        m_inputs->setItem(i, 4, new QTableWidgetItem(QString::fromStdString(r.status)));
    }
    statusBar()->showMessage(tr("%1 events in %2 inputs").arg(info.events).arg(info.inputs.size()));
    setWindowTitle(tr("Doppelscope - %1").arg(path));
}

} // namespace dscope::app
