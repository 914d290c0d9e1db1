// SPDX-License-Identifier: MIT
#include "maskcalculatordialog.h"

#include "domain/accessmask.h"
#include "maskpanel.h"

#include <QDialogButtonBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace dscope::views {

namespace {

QString names(quint32 bits)
{
    const auto d = model::access::decode(bits, model::access::ObjectType::Process);
    return QString::fromStdString(d.names);
}

} // namespace

MaskCalculatorDialog::MaskCalculatorDialog(QWidget* parent)
    : QDialog(parent)
    , m_left(new MaskPanel(this))
    , m_right(new MaskPanel(this))
    , m_difference(new QLabel(this))
{
    setWindowTitle(tr("Access mask calculator"));
    auto* leftBox = new QGroupBox(tr("Mask A"), this);
    (new QVBoxLayout(leftBox))->addWidget(m_left);
    auto* rightBox = new QGroupBox(tr("Mask B"), this);
    (new QVBoxLayout(rightBox))->addWidget(m_right);
    auto* panels = new QHBoxLayout;
    panels->addWidget(leftBox);
    panels->addWidget(rightBox);

    m_difference->setWordWrap(true);
    m_difference->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("Type a mask to decode it, or tick rights to build one. Highlighted rights are what "
                                "code injection needs. Opened on the draft strategy's 0x1440 next to 0x143A, the sum "
                                "of the six rights the draft lists."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    layout->addLayout(panels, 1);
    layout->addWidget(m_difference);
    layout->addWidget(buttons);

    connect(m_left, &MaskPanel::maskChanged, this, &MaskCalculatorDialog::updateDifference);
    connect(m_right, &MaskPanel::maskChanged, this, &MaskCalculatorDialog::updateDifference);
    m_left->setMask(model::access::kDraftMask);
    m_right->setMask(model::access::kDraftListedRights);
    resize(1100, 720);
}

QString MaskCalculatorDialog::differenceText() const { return m_difference->text(); }

void MaskCalculatorDialog::updateDifference()
{
    const quint32 a = m_left->mask();
    const quint32 b = m_right->mask();
    const QString ha = QString::fromStdString(model::access::hex(a));
    const QString hb = QString::fromStdString(model::access::hex(b));
    if (a == b) {
        m_difference->setText(tr("%1 and %2 are the same mask.").arg(ha, hb));
        return;
    }
    QStringList lines;
    if (const quint32 onlyA = a & ~b)
        lines << tr("Only in A (%1): %2").arg(QString::fromStdString(model::access::hex(onlyA)), names(onlyA));
    if (const quint32 onlyB = b & ~a)
        lines << tr("Only in B (%1): %2").arg(QString::fromStdString(model::access::hex(onlyB)), names(onlyB));
    // The draft's test is "(GrantedAccess & A) == A": say whether B would pass it.
    lines << tr("A test \"(mask & %1) == %1\" %2 %3.")
                 .arg(ha, (b & a) == a ? tr("matches") : tr("does NOT match"), hb);
    m_difference->setText(lines.join(QLatin1Char('\n')));
}

} // namespace dscope::views
