// SPDX-License-Identifier: MIT
#include "annotationlistmodel.h"

#include "alertlistmodel.h"
#include "plaintooltip.h"

namespace dscope::model {

AnnotationListModel::AnnotationListModel(QObject* parent) : QAbstractTableModel(parent) {}

void AnnotationListModel::setAnnotations(AnnotationListPtr list)
{
    beginResetModel();
    m_list = std::move(list);
    endResetModel();
}

const DescribedAnnotation* AnnotationListModel::at(int row) const
{
    return m_list && row >= 0 && row < int(m_list->size()) ? &(*m_list)[size_t(row)] : nullptr;
}

void AnnotationListModel::setUtc(bool utc)
{
    m_utc = utc;
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, ColWhen), index(rowCount() - 1, ColWhen));
}

int AnnotationListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() || !m_list ? 0 : int(m_list->size());
}

int AnnotationListModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant AnnotationListModel::data(const QModelIndex& index, int role) const
{
    const DescribedAnnotation* d = checkIndex(index, CheckIndexOption::IndexIsValid) ? at(index.row()) : nullptr;
    if (!d)
        return {};
    const Annotation& a = d->annotation;
    if (role == AnnotationMarkRole)
        return (a.note.empty() && a.tags.empty() ? 0 : int(AnnotatedRefs::Noted)) | (a.bookmark ? int(AnnotatedRefs::Bookmarked) : 0);
    if (role == SortRole && index.column() == ColWhen)
        return qint64(a.utcMs);
    if (role == SortRole && index.column() == ColMark)
        return int(a.bookmark);
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole && role != SortRole)
        return {};
    QString text;
    switch (index.column()) {
    case ColMark: return role == Qt::ToolTipRole && a.bookmark ? QVariant(tr("Bookmarked")) : QVariant();
    case ColKind: text = QString::fromLatin1(annotationKindName(a.kind)); break;
    case ColSubject: text = QString::fromStdString(d->subject); break;
    case ColTags: {
        QStringList tags;
        for (const auto& t : a.tags)
            tags << QString::fromStdString(t);
        text = tags.join(QStringLiteral(", "));
        break;
    }
    case ColNote: text = QString::fromStdString(a.note); break;
    case ColAnalyst: text = QString::fromStdString(a.analyst); break;
    case ColWhen: text = formatTime(a.utcMs, m_utc); break;
    default: return {};
    }
    if (role == Qt::ToolTipRole)
        return plainToolTip(text);
    if (role == Qt::DisplayRole && index.column() == ColNote)
        text.replace(QLatin1Char('\n'), QChar(0x21b5)); // one line per row; the tooltip and the editor show it whole
    return text;
}

QVariant AnnotationListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case ColMark: return QString();
    case ColKind: return tr("On");
    case ColSubject: return tr("What");
    case ColTags: return tr("Tags");
    case ColNote: return tr("Note");
    case ColAnalyst: return tr("Analyst");
    case ColWhen: return tr("When");
    default: return {};
    }
}

} // namespace dscope::model
