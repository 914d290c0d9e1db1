// SPDX-License-Identifier: MIT
#pragma once

#include "storage/caseinfo.h"

#include <QDialog>

class QCheckBox;
class QLabel;
class QPlainTextEdit;
class QSortFilterProxyModel;
class QTableView;

namespace dscope::model {
class InputListModel;
}

namespace dscope::views {

/// File > Case inputs: every input of the case with its SHA-256, format, engine and counts; the reasons kept for
/// what was skipped, for the selected input; copy buttons for the hash and the whole table.
class CaseInputsDialog : public QDialog
{
    Q_OBJECT
public:
    explicit CaseInputsDialog(QWidget* parent = nullptr);

    /// Shows the inputs of this summary (the dialog follows the case: call again after each import).
    void setInfo(const QString& casePath, const model::CaseInfo& info);
    void setUtc(bool utc);
    /// Shows only the inputs with something skipped, recovered or reported, or not imported in full.
    void setProblemsOnly(bool on);
    /// Selects the row of the first input with problems, if any, else the first row.
    void selectFirstProblem();

    QTableView* table() const { return m_table; }
    QString summaryText() const;
    QString issuesText() const;
    /// The SHA-256 of the selected input, empty without a selection.
    QString selectedSha256() const;
    /// Asks for the selected input's events (as a double-click on its row does).
    void showEventsOfSelection();

Q_SIGNALS:
    /// The analyst wants to see the events of one input (inputs.id), named by its path.
    void eventsOfInputRequested(qint64 inputId, const QString& path);

private:
    void showIssuesOfSelection();
    void copySelectedRows();
    std::vector<int> sourceRows(bool selectedOnly) const;

    model::InputListModel* m_model;
    QSortFilterProxyModel* m_proxy;
    QLabel* m_summary;
    QCheckBox* m_problemsOnly;
    QTableView* m_table;
    QLabel* m_issuesTitle;
    QPlainTextEdit* m_issues;
};

} // namespace dscope::views
