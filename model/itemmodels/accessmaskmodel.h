// SPDX-License-Identifier: MIT
#pragma once

#include "domain/accessmask.h"

#include <QAbstractTableModel>

namespace dscope::model {

/**
 * The bits of an access mask as a table: right, hex value, meaning. Two uses: the detail pane lists only the
 * rights present (plus a row for undocumented bits), the calculator lists every right with a check box and
 * rebuilds the mask as boxes are ticked.
 */
class AccessMaskModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { ColRight, ColValue, ColMeaning, ColumnCount };
    enum Role {
        InjectionRelevantRole = Qt::UserRole + 1, ///< bool: the view highlights these rights
        BitRole,                                  ///< quint32 value of the right
    };
    enum class Mode { PresentOnly, AllCheckable };

    explicit AccessMaskModel(Mode mode, QObject* parent = nullptr);

    void setMask(quint32 mask);
    quint32 mask() const { return m_mask; }
    void setObjectType(access::ObjectType type);
    access::ObjectType objectType() const { return m_type; }
    /// Bits no documented right of this object type explains.
    quint32 unknownBits() const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

Q_SIGNALS:
    void maskChanged(quint32 mask);

private:
    void rebuild();

    Mode m_mode;
    access::ObjectType m_type = access::ObjectType::Process;
    quint32 m_mask = 0;
    std::vector<access::Right> m_rows;
    quint32 m_unknown = 0; ///< shown as an extra row in PresentOnly mode
};

} // namespace dscope::model
