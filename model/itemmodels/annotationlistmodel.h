// SPDX-License-Identifier: MIT
#pragma once

#include "annotationmarks.h"

#include <QAbstractTableModel>

#include <memory>
#include <vector>

namespace dscope::model {

using AnnotationList = std::vector<DescribedAnnotation>;
using AnnotationListPtr = std::shared_ptr<const AnnotationList>;

/// The notes, tags and bookmarks of a case, one row each, as the store's search returned them (newest first).
class AnnotationListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { ColMark, ColKind, ColSubject, ColTags, ColNote, ColAnalyst, ColWhen, ColumnCount };
    enum Role { SortRole = Qt::UserRole + 1 };

    explicit AnnotationListModel(QObject* parent = nullptr);

    void setAnnotations(AnnotationListPtr list);
    const AnnotationListPtr& annotations() const { return m_list; }
    /// The row's annotation, or nullptr.
    const DescribedAnnotation* at(int row) const;
    void setUtc(bool utc);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    AnnotationListPtr m_list;
    bool m_utc = true;
};

} // namespace dscope::model
