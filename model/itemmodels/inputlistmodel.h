// SPDX-License-Identifier: MIT
#pragma once

#include "storage/caseinfo.h"

#include <QAbstractTableModel>
#include <QStringList>

#include <vector>

namespace dscope::model {

/**
 * The inputs of a case, one row each: what was read, how, what came of it, and its SHA-256. The analyst's record
 * of where every event came from, and of what was not imported and why.
 */
class InputListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        ColPath,
        ColStatus,
        ColFormat,
        ColEngine,
        ColEvents,
        ColSkipped,
        ColRecovered,
        ColSize,
        ColSha256,
        ColImported,
        ColSeconds,
        ColumnCount
    };
    enum Role {
        SortRole = Qt::UserRole + 1, ///< numbers as numbers, so that 9 sorts before 10
        ProblemRole,                 ///< "1" when inputHasProblems()
        InputIdRole,                 ///< qint64: inputs.id
    };

    explicit InputListModel(QObject* parent = nullptr);

    void setInputs(std::vector<InputRow> inputs);
    void setUtc(bool utc);
    const std::vector<InputRow>& inputs() const { return m_inputs; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    /// The rows as tab-separated text with a header line, for pasting into notes or a spreadsheet.
    QString toTsv(const std::vector<int>& rows) const;

private:
    QString text(const InputRow& r, int column) const;

    std::vector<InputRow> m_inputs;
    bool m_utc = true;
};

/// Whether an input needs the analyst's attention: something skipped, recovered or reported, or not imported in
/// full.
bool inputHasProblems(const InputRow& r);

/// The reasons the importer kept for an input (messages name their record, line or offset), in order; warnings
/// (damage that cost no record) begin with "warning: ".
QStringList inputIssues(const InputRow& r);

} // namespace dscope::model
