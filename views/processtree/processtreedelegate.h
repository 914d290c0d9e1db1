// SPDX-License-Identifier: MIT
#pragma once

#include <QStyledItemDelegate>

namespace dscope::views {

/// Styles the tree from model roles (the model stays GUI-free): inferred processes in grey italics, alert
/// counts as red badges, injection relations in a distinct colour from parent -> child indentation.
class ProcessTreeDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;

protected:
    void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override;
};

} // namespace dscope::views
