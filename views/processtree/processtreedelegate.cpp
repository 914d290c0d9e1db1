// SPDX-License-Identifier: MIT
#include "processtreedelegate.h"

#include "annotationmark.h"

#include "processtree/processtreemodel.h"

#include <QApplication>
#include <QPainter>
#include <QStyle>

namespace dscope::views {

using model::ProcessTreeModel;

namespace {
const QColor kInjection(0xc0, 0x4a, 0x00);
const QColor kAlert(0xc6, 0x28, 0x28);
} // namespace

void ProcessTreeDelegate::initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    if (index.data(ProcessTreeModel::InferredRole).toBool()) {
        option->font.setItalic(true);
        option->palette.setColor(QPalette::Text, QColor(0x6b, 0x6b, 0x6b)); // readable, but clearly not logged
    }
    if (index.column() == ProcessTreeModel::InjectionColumn) {
        option->palette.setColor(QPalette::Text, kInjection);
        option->font.setBold(true);
    }
    if (index.column() == ProcessTreeModel::ProcessColumn
        && index.data(ProcessTreeModel::CycleBrokenRole).toBool())
        option->text += QStringLiteral("  \u21ba"); // its logged parent link was cut to break a cycle
}

void ProcessTreeDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    const int alerts = index.data(ProcessTreeModel::AlertCountRole).toInt();
    if (index.column() != ProcessTreeModel::AlertsColumn || alerts == 0) {
        QStyledItemDelegate::paint(painter, option, index);
        // Processes that inject or are injected into get a coloured bar on the left of the name.
        if (index.column() == ProcessTreeModel::ProcessColumn
            && (index.data(ProcessTreeModel::InjectionOutCountRole).toInt()
                || index.data(ProcessTreeModel::InjectionInCountRole).toInt())) {
            painter->fillRect(QRect(option.rect.left(), option.rect.top() + 2, 3, option.rect.height() - 4),
                              kInjection);
        }
        if (index.column() == ProcessTreeModel::ProcessColumn)
            paintAnnotationMark(painter, option.rect, index.data(model::AnnotationMarkRole).toInt());
        return;
    }
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear();
    const QWidget* widget = option.widget;
    QStyle* style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget); // background and selection only
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    const QString text = QString::number(alerts);
    const int w = std::max(option.rect.height() - 4, option.fontMetrics.horizontalAdvance(text) + 10);
    const QRect badge(option.rect.left() + 4, option.rect.top() + 2, w, option.rect.height() - 4);
    painter->setBrush(kAlert);
    painter->setPen(Qt::NoPen);
    painter->drawRoundedRect(badge, badge.height() / 2.0, badge.height() / 2.0);
    painter->setPen(Qt::white);
    QFont f = option.font;
    f.setBold(true);
    painter->setFont(f);
    painter->drawText(badge, Qt::AlignCenter, text);
    painter->restore();
}

} // namespace dscope::views
