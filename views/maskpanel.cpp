// SPDX-License-Identifier: MIT
#include "maskpanel.h"

#include "itemmodels/accessmaskmodel.h"
#include "maskrightsdelegate.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QTableView>
#include <QVBoxLayout>

namespace dscope::views {

using model::access::ObjectType;

MaskPanel::MaskPanel(QWidget* parent)
    : QWidget(parent)
    , m_edit(new QLineEdit(this))
    , m_type(new QComboBox(this))
    , m_table(new QTableView(this))
    , m_names(new QLabel(this))
    , m_description(new QLabel(this))
    , m_model(new model::AccessMaskModel(model::AccessMaskModel::Mode::AllCheckable, this))
{
    m_edit->setPlaceholderText(tr("0x1410"));
    m_edit->setFont(QFont(QStringLiteral("monospace")));
    m_type->addItem(tr("Process"), int(ObjectType::Process));
    m_type->addItem(tr("Thread"), int(ObjectType::Thread));
    m_type->addItem(tr("File"), int(ObjectType::File));
    m_table->setModel(m_model);
    m_table->setItemDelegate(new MaskRightsDelegate(m_table));
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->resizeColumnsToContents();
    m_names->setWordWrap(true);
    m_names->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_description->setWordWrap(true);
    m_description->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* form = new QFormLayout;
    form->addRow(tr("Mask:"), m_edit);
    form->addRow(tr("Object:"), m_type);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(form);
    layout->addWidget(m_table, 1);
    layout->addWidget(m_names);
    layout->addWidget(m_description);

    connect(m_edit, &QLineEdit::textEdited, this, &MaskPanel::onTextEdited);
    connect(m_model, &model::AccessMaskModel::maskChanged, this, &MaskPanel::onModelMask);
    connect(m_type, &QComboBox::currentIndexChanged, this, [this] {
        setObjectType(ObjectType(m_type->currentData().toInt()));
    });
    onModelMask(0);
}

bool MaskPanel::parseMask(const QString& text, quint32& mask)
{
    QString t = text.trimmed();
    bool ok = false;
    qulonglong v = 0;
    if (t.startsWith(QLatin1String("0n"), Qt::CaseInsensitive))
        v = t.mid(2).toULongLong(&ok, 10);
    else {
        if (t.startsWith(QLatin1String("0x"), Qt::CaseInsensitive))
            t = t.mid(2);
        v = t.toULongLong(&ok, 16);
    }
    if (!ok || v > 0xffffffffULL)
        return false;
    mask = quint32(v);
    return true;
}

void MaskPanel::setMask(quint32 mask)
{
    if (mask == m_model->mask())
        onModelMask(mask); // the model stays silent when nothing changes; the text may still need it
    else
        m_model->setMask(mask);
}

quint32 MaskPanel::mask() const { return m_model->mask(); }

void MaskPanel::setObjectType(ObjectType type)
{
    m_type->setCurrentIndex(m_type->findData(int(type)));
    m_model->setObjectType(type);
    m_table->resizeColumnsToContents();
    onModelMask(m_model->mask());
}

void MaskPanel::onTextEdited(const QString& text)
{
    quint32 mask = 0;
    if (!parseMask(text, mask)) {
        m_description->setText(text.trimmed().isEmpty() ? QString()
                                                        : tr("Not a mask: type hex (0x1410 or 1410) or 0n decimal."));
        return;
    }
    m_model->setMask(mask); // leaves the text as typed
}

void MaskPanel::onModelMask(quint32 mask)
{
    const QString hex = QString::fromStdString(model::access::hex(mask));
    quint32 shown = 0;
    if (!parseMask(m_edit->text(), shown) || shown != mask)
        m_edit->setText(hex);
    const auto decoded = model::access::decode(mask, m_model->objectType());
    m_names->setText(QString::fromStdString(decoded.names.empty() ? std::string("(no rights)") : decoded.names));
    m_description->setText(QString::fromStdString(decoded.description));
    Q_EMIT maskChanged(mask);
}

} // namespace dscope::views
