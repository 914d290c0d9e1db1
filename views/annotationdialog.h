// SPDX-License-Identifier: MIT
#pragma once

#include "storage/annotationstore.h"

#include <QDialog>

class QCheckBox;
class QLineEdit;
class QPlainTextEdit;

namespace dscope::views {

/**
 * Writes a note, tags and a bookmark on one alert, event or process. Opened with what the case holds for it (or an
 * empty annotation); Save returns the edited one, Remove all returns it emptied (the store then deletes it).
 */
class AnnotationDialog : public QDialog
{
    Q_OBJECT
public:
    AnnotationDialog(const model::Annotation& annotation, const QString& subject, QWidget* parent = nullptr);

    /// The annotation as edited: kind and ref unchanged; analyst and time are the caller's to set.
    model::Annotation annotation() const;

private:
    model::Annotation m_annotation;
    QPlainTextEdit* m_note;
    QLineEdit* m_tags;
    QCheckBox* m_bookmark;
    bool m_cleared = false;
};

} // namespace dscope::views
