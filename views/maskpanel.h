// SPDX-License-Identifier: MIT
#pragma once

#include "domain/accessmask.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QTableView;

namespace dscope::model {
class AccessMaskModel;
}

namespace dscope::views {

/// One mask: a hex field, an object type, the rights as check boxes and the meaning in words. Typing updates the
/// boxes, ticking updates the text; used twice side by side by the calculator.
class MaskPanel : public QWidget
{
    Q_OBJECT
public:
    explicit MaskPanel(QWidget* parent = nullptr);

    void setMask(quint32 mask);
    quint32 mask() const;
    void setObjectType(model::access::ObjectType type);
    /// Parses "0x1440", "1440" (hex, as Sysmon writes it) or "0n5184" (decimal); false on anything else.
    static bool parseMask(const QString& text, quint32& mask);

Q_SIGNALS:
    void maskChanged(quint32 mask);

private:
    void onTextEdited(const QString& text);
    void onModelMask(quint32 mask);

    QLineEdit* m_edit;
    QComboBox* m_type;
    QTableView* m_table;
    QLabel* m_names;
    QLabel* m_description;
    model::AccessMaskModel* m_model;
};

} // namespace dscope::views
