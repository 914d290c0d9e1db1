// SPDX-License-Identifier: MIT
#include "maskrightsdelegate.h"

#include "itemmodels/accessmaskmodel.h"

namespace dscope::views {

void MaskRightsDelegate::initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    if (!index.data(model::AccessMaskModel::InjectionRelevantRole).toBool())
        return;
    option->font.setBold(true);
    QColor tint = option->palette.color(QPalette::Highlight);
    tint.setAlpha(60);
    option->backgroundBrush = tint;
}

} // namespace dscope::views
