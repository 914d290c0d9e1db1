// SPDX-License-Identifier: MIT
#include "ruleexportdialog.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace dscope::views {

RuleExportDialog::RuleExportDialog(const std::vector<std::pair<QString, QString>>& rules, const QStringList& checked, QWidget* parent)
    : QDialog(parent), m_rules(new QListWidget(this)), m_format(new QComboBox(this)), m_fields(new QComboBox(this)),
      m_preview(new QPlainTextEdit(this)), m_note(new QLabel(this))
{
    setWindowTitle(tr("Export rules"));
    for (const auto& [id, name] : rules) {
        auto* item = new QListWidgetItem(id + QStringLiteral("  ") + name, m_rules);
        item->setData(Qt::UserRole, id);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(checked.contains(id) ? Qt::Checked : Qt::Unchecked);
    }
    m_rules->setObjectName(QStringLiteral("exportRules"));
    const std::pair<const char*, QString> formats[] = {{"sparksql", tr("Spark SQL")}, {"sigma", tr("Sigma")},
                                                       {"spl", tr("Splunk SPL")},     {"eql", tr("Elastic EQL")},
                                                       {"kql", tr("KQL (Sentinel, Defender notes)")}};
    for (const auto& [key, label] : formats)
        m_format->addItem(label, QString::fromLatin1(key));
    m_format->setObjectName(QStringLiteral("exportFormat"));
    m_fields->addItem(tr("Sysmon's own names (raw)"), QStringLiteral("raw"));
    m_fields->addItem(tr("ECS (Winlogbeat)"), QStringLiteral("ecs"));
    m_fields->addItem(tr("OSSEM (HELK)"), QStringLiteral("ossem"));
    m_fields->setObjectName(QStringLiteral("exportFields"));
    m_preview->setReadOnly(true);
    m_preview->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_preview->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_preview->setObjectName(QStringLiteral("exportPreview"));
    m_note->setWordWrap(true);

    auto* form = new QFormLayout;
    form->addRow(tr("&Language:"), m_format);
    form->addRow(tr("Field &names:"), m_fields);
    auto* left = new QVBoxLayout;
    auto* rulesLabel = new QLabel(tr("&Rules:"), this);
    rulesLabel->setBuddy(m_rules);
    left->addWidget(rulesLabel);
    left->addWidget(m_rules, 1);
    left->addLayout(form);
    auto* top = new QHBoxLayout;
    top->addLayout(left, 1);
    top->addWidget(m_preview, 3);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    auto* copy = buttons->addButton(tr("&Copy"), QDialogButtonBox::ActionRole);
    auto* save = buttons->addButton(tr("&Save\u2026"), QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(copy, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(m_preview->toPlainText()); });
    connect(save, &QPushButton::clicked, this, [this] {
        const QString folder = QFileDialog::getExistingDirectory(this, tr("Save the exported rules into"));
        if (!folder.isEmpty())
            Q_EMIT saveRequested(folder);
    });
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top, 1);
    layout->addWidget(m_note);
    layout->addWidget(buttons);
    resize(1100, 700);

    connect(m_rules, &QListWidget::itemChanged, this, &RuleExportDialog::previewRequested);
    connect(m_format, &QComboBox::currentIndexChanged, this, [this] {
        // EQL is Elastic's: ECS names unless another set is chosen after.
        if (m_format->currentData().toString() == QLatin1String("eql"))
            m_fields->setCurrentIndex(1);
        Q_EMIT previewRequested();
    });
    connect(m_fields, &QComboBox::currentIndexChanged, this, &RuleExportDialog::previewRequested);
}

QStringList RuleExportDialog::chosenRules() const
{
    QStringList ids;
    for (int i = 0; i < m_rules->count(); ++i)
        if (m_rules->item(i)->checkState() == Qt::Checked)
            ids << m_rules->item(i)->data(Qt::UserRole).toString();
    return ids;
}

QString RuleExportDialog::format() const { return m_format->currentData().toString(); }
QString RuleExportDialog::fields() const { return m_fields->currentData().toString(); }

void RuleExportDialog::setPreview(const QString& text, const QString& note)
{
    m_preview->setPlainText(text);
    m_note->setText(note);
}

QString RuleExportDialog::previewText() const { return m_preview->toPlainText(); }

} // namespace dscope::views
