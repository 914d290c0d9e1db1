// SPDX-License-Identifier: MIT
#pragma once

#include <QStyledItemDelegate>

namespace dscope::views {

/// Draws the mark of an annotated row at the right end of `cell`: a ribbon for a bookmark, a tag for a note or
/// tags (model::AnnotatedRefs flags).
void paintAnnotationMark(QPainter* painter, const QRect& cell, int flags);

/// A delegate for a table's first column: the usual cell, plus the annotation mark (model::AnnotationMarkRole).
class AnnotationMarkDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
};

} // namespace dscope::views
