// SPDX-License-Identifier: MIT
#pragma once

#include <QStyledItemDelegate>

namespace dscope::views {

/// Highlights rights an injection needs (AccessMaskModel::InjectionRelevantRole): bold, on the palette's
/// highlight colour at low alpha, so it reads in light and dark themes alike.
class MaskRightsDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override;
};

} // namespace dscope::views
