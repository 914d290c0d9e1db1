// SPDX-License-Identifier: MIT
#pragma once

#include "domain/importreport.h"

#include <QDialog>

class QLabel;
class QProgressBar;
class QPushButton;
class QStackedWidget;
class QTableWidget;

namespace dscope::views {

/**
 * Import progress and summary. Shows each file with its status while the import runs on a worker, a Cancel
 * button (the case stays valid: committed batches remain, the interrupted input is marked incomplete), and at
 * the end what was imported and what was skipped, with reasons.
 */
class ImportDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ImportDialog(QWidget* parent = nullptr);

    /// The files about to be imported (folders already expanded).
    void setFiles(const std::vector<std::string>& files);
    void setProgress(const model::ImportProgress& progress);
    void setSummary(const model::ImportSummary& summary);
    bool isFinished() const { return m_finished; }
    QTableWidget* summaryTable() const { return m_summary; }
    /// The banner that says the import stopped at a write failure (hidden otherwise).
    QLabel* errorBanner() const { return m_error; }

Q_SIGNALS:
    void cancelRequested();

private:
    void setStatus(int row, const QString& status);

    std::vector<std::string> m_files;
    QStackedWidget* m_stack;
    QTableWidget* m_fileTable;
    QProgressBar* m_bar;
    QLabel* m_counts;
    QTableWidget* m_summary;
    QLabel* m_totals;
    QLabel* m_error;
    QPushButton* m_button;
    bool m_finished = false;
    int m_lastCurrent = -1;
};

} // namespace dscope::views
