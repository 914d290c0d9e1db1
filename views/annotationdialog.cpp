// SPDX-License-Identifier: MIT
#include "annotationdialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace dscope::views {

AnnotationDialog::AnnotationDialog(const model::Annotation& annotation, const QString& subject, QWidget* parent)
    : QDialog(parent)
    , m_annotation(annotation)
    , m_note(new QPlainTextEdit(this))
    , m_tags(new QLineEdit(this))
    , m_bookmark(new QCheckBox(tr("&Bookmark"), this))
{
    setWindowTitle(tr("Note, tags and bookmark"));
    auto* what = new QLabel(this);
    what->setTextFormat(Qt::PlainText); // the subject holds log strings
    what->setText(subject);
    what->setWordWrap(true);
    what->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_note->setPlainText(QString::fromStdString(annotation.note));
    m_note->setPlaceholderText(tr("What you found, what it means, what to do next"));
    m_note->setTabChangesFocus(true);
    QStringList tags;
    for (const auto& t : annotation.tags)
        tags << QString::fromStdString(t);
    m_tags->setText(tags.join(QStringLiteral(", ")));
    m_tags->setPlaceholderText(tr("comma-separated, e.g. lateral-movement, c2"));
    m_bookmark->setChecked(annotation.bookmark);

    auto* form = new QFormLayout;
    form->addRow(tr("On:"), what);
    form->addRow(tr("&Note:"), m_note);
    form->addRow(tr("&Tags:"), m_tags);
    form->addRow(QString(), m_bookmark);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    QPushButton* clear = buttons->addButton(tr("&Remove all"), QDialogButtonBox::DestructiveRole);
    clear->setEnabled(annotation.id > 0);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(clear, &QPushButton::clicked, this, [this] {
        m_cleared = true;
        accept();
    });
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);
    resize(520, 320);
    m_note->setFocus();
}

model::Annotation AnnotationDialog::annotation() const
{
    model::Annotation a = m_annotation;
    a.note = m_cleared ? std::string() : m_note->toPlainText().trimmed().toStdString();
    a.tags = m_cleared ? std::vector<std::string>{} : model::annotationstore::normalizeTags(m_tags->text().toStdString());
    a.bookmark = !m_cleared && m_bookmark->isChecked();
    return a;
}

} // namespace dscope::views
