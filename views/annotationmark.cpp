// SPDX-License-Identifier: MIT
#include "annotationmark.h"

#include "itemmodels/annotationmarks.h"

#include <QPainter>
#include <QPainterPath>

namespace dscope::views {

void paintAnnotationMark(QPainter* painter, const QRect& cell, int flags)
{
    if (!flags)
        return;
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const int h = std::max(8, cell.height() - 6);
    int right = cell.right() - 3;
    if (flags & model::AnnotatedRefs::Bookmarked) {
        // A ribbon with a notch at the foot.
        const qreal w = h * 0.6, top = cell.top() + (cell.height() - h) / 2.0, left = right - w;
        QPainterPath ribbon;
        ribbon.moveTo(left, top);
        ribbon.lineTo(left + w, top);
        ribbon.lineTo(left + w, top + h);
        ribbon.lineTo(left + w / 2, top + h * 0.7);
        ribbon.lineTo(left, top + h);
        ribbon.closeSubpath();
        painter->fillPath(ribbon, QColor(0x1c7ed6));
        right = int(left) - 3;
    }
    if (flags & model::AnnotatedRefs::Noted) {
        // A price tag: a pointed label with a hole.
        const qreal w = h * 0.95, th = h * 0.6, top = cell.top() + (cell.height() - th) / 2.0, left = right - w;
        QPainterPath tag;
        tag.moveTo(left, top + th / 2);
        tag.lineTo(left + th / 2, top);
        tag.lineTo(left + w, top);
        tag.lineTo(left + w, top + th);
        tag.lineTo(left + th / 2, top + th);
        tag.closeSubpath();
        tag.addEllipse(QPointF(left + th / 2, top + th / 2), th * 0.14, th * 0.14);
        tag.setFillRule(Qt::OddEvenFill);
        painter->fillPath(tag, QColor(0xe8590c));
    }
    painter->restore();
}

void AnnotationMarkDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    QStyledItemDelegate::paint(painter, option, index);
    paintAnnotationMark(painter, option.rect, index.data(model::AnnotationMarkRole).toInt());
}

} // namespace dscope::views
