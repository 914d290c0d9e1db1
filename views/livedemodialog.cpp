// SPDX-License-Identifier: MIT
#include "livedemodialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

namespace dscope::views {

LiveDemoDialog::LiveDemoDialog(const QString& defaultCasePath, QWidget* parent)
    : QDialog(parent), m_path(new QLineEdit(defaultCasePath, this)), m_rate(new QComboBox(this)), m_seed(new QSpinBox(this))
{
    setWindowTitle(tr("Live demonstration"));
    auto* intro = new QLabel(tr("The simulated working day (about 40,000 events on four hosts, with a Process "
                                "Doppelg\u00e4nging chain, two injections, credential dumping and a lateral movement) "
                                "is sent to a listener of the workbench as a live feed. Alerts appear as the "
                                "attack unfolds. All of it is simulated."),
                             this);
    intro->setWordWrap(true);
    m_path->setObjectName(QStringLiteral("demoCasePath"));
    auto* browse = new QPushButton(tr("&Browse\u2026"), this);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString chosen = QFileDialog::getSaveFileName(this, tr("Demonstration case"), m_path->text(),
                                                            tr("Doppelscope cases (*.dscase)"));
        if (!chosen.isEmpty())
            m_path->setText(chosen);
    });
    auto* pathRow = new QHBoxLayout;
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(browse);

    m_rate->setObjectName(QStringLiteral("demoRate"));
    // From a pace a class can follow (the attack comes after some minutes) to as fast as the listener takes it.
    const std::pair<QString, int> rates[] = {{tr("200 events per second (about 3\u00bd minutes)"), 200},
                                             {tr("1,000 events per second (about 40 seconds)"), 1000},
                                             {tr("5,000 events per second"), 5000},
                                             {tr("As fast as the listener takes them"), 0}};
    for (const auto& [label, rate] : rates)
        m_rate->addItem(label, rate);
    m_rate->setCurrentIndex(1);
    m_seed->setRange(1, 1000000);
    m_seed->setValue(1);
    m_seed->setToolTip(tr("Seed 1 is the built-in demo case's day; others give other days with the same attacks."));

    auto* form = new QFormLayout;
    auto* pathLabel = new QLabel(tr("&Case file:"), this);
    pathLabel->setBuddy(m_path);
    form->addRow(pathLabel, pathRow);
    form->addRow(tr("&Speed:"), m_rate);
    form->addRow(tr("&Day (seed):"), m_seed);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Start"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_path, &QLineEdit::textChanged, this,
            [this, buttons] { buttons->button(QDialogButtonBox::Ok)->setEnabled(!m_path->text().trimmed().isEmpty()); });
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(buttons);
    resize(560, sizeHint().height());
}

QString LiveDemoDialog::casePath() const
{
    return m_path->text().trimmed();
}

double LiveDemoDialog::rate() const
{
    return m_rate->currentData().toDouble();
}

quint64 LiveDemoDialog::seed() const
{
    return quint64(m_seed->value());
}

} // namespace dscope::views
