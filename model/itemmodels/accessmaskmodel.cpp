// SPDX-License-Identifier: MIT
#include "accessmaskmodel.h"

namespace dscope::model {

AccessMaskModel::AccessMaskModel(Mode mode, QObject* parent)
    : QAbstractTableModel(parent)
    , m_mode(mode)
{
    rebuild();
}

void AccessMaskModel::setMask(quint32 mask)
{
    if (mask == m_mask && !m_rows.empty())
        return;
    m_mask = mask;
    if (m_mode == Mode::PresentOnly) {
        rebuild();
    } else if (!m_rows.empty()) {
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1), {Qt::CheckStateRole});
    }
    Q_EMIT maskChanged(m_mask);
}

void AccessMaskModel::setObjectType(access::ObjectType type)
{
    if (type == m_type)
        return;
    m_type = type;
    rebuild();
}

quint32 AccessMaskModel::unknownBits() const { return access::decode(m_mask, m_type).unknownBits; }

void AccessMaskModel::rebuild()
{
    beginResetModel();
    if (m_mode == Mode::AllCheckable) {
        m_rows = access::rights(m_type);
        m_unknown = 0;
    } else {
        const access::Decoded d = access::decode(m_mask, m_type);
        m_rows = d.rights;
        m_unknown = d.unknownBits;
    }
    endResetModel();
}

int AccessMaskModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size()) + (m_unknown ? 1 : 0);
}

int AccessMaskModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant AccessMaskModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const bool unknownRow = index.row() >= int(m_rows.size());
    const quint32 bit = unknownRow ? m_unknown : m_rows[size_t(index.row())].bit;
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case ColRight: return unknownRow ? tr("(undocumented bits)") : QString::fromLatin1(m_rows[size_t(index.row())].name);
        case ColValue: return QString::fromStdString(access::hex(bit));
        case ColMeaning:
            return unknownRow ? tr("no documented right of this object type") : QString::fromUtf8(m_rows[size_t(index.row())].meaning);
        default: return {};
        }
    case Qt::CheckStateRole:
        if (m_mode == Mode::AllCheckable && index.column() == ColRight)
            return (m_mask & bit) == bit ? Qt::Checked : Qt::Unchecked;
        return {};
    case InjectionRelevantRole: return !unknownRow && m_rows[size_t(index.row())].injectionRelevant;
    case BitRole: return bit;
    default: return {};
    }
}

bool AccessMaskModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (m_mode != Mode::AllCheckable || role != Qt::CheckStateRole || !checkIndex(index, CheckIndexOption::IndexIsValid)
        || index.column() != ColRight || index.row() >= int(m_rows.size()))
        return false;
    const quint32 bit = m_rows[size_t(index.row())].bit;
    const quint32 mask = value.value<Qt::CheckState>() == Qt::Checked ? (m_mask | bit) : (m_mask & ~bit);
    setMask(mask);
    return true;
}

Qt::ItemFlags AccessMaskModel::flags(const QModelIndex& index) const
{
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (m_mode == Mode::AllCheckable && index.isValid() && index.column() == ColRight)
        f |= Qt::ItemIsUserCheckable;
    return f;
}

QVariant AccessMaskModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case ColRight: return tr("Right");
    case ColValue: return tr("Value");
    case ColMeaning: return tr("Meaning");
    default: return {};
    }
}

} // namespace dscope::model
