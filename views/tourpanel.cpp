// SPDX-License-Identifier: MIT
#include "tourpanel.h"

#include <QFile>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>

namespace dscope::views {

TourPanel::TourPanel(QWidget* parent)
    : QWidget(parent), m_title(new QLabel(this)), m_text(new QLabel(this)), m_position(new QLabel(this)),
      m_back(new QPushButton(tr("\u2190 &Back"), this)), m_next(new QPushButton(tr("&Next \u2192"), this))
{
    QFile file(QStringLiteral(":/tour/tour.json"));
    if (file.open(QIODevice::ReadOnly))
        for (const QJsonValue& v : QJsonDocument::fromJson(file.readAll()).object().value(QLatin1String("steps")).toArray()) {
            const QJsonObject s = v.toObject();
            m_focus << s.value(QLatin1String("focus")).toString();
            m_titles << s.value(QLatin1String("title")).toString();
            m_texts << s.value(QLatin1String("text")).toString();
        }
    QFont bold = m_title->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.2);
    m_title->setFont(bold);
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::PlainText);
    m_text->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_back->setShortcut(QKeySequence(Qt::ALT | Qt::Key_Left));
    m_next->setShortcut(QKeySequence(Qt::ALT | Qt::Key_Right));
    m_back->setToolTip(tr("Previous step (Alt+Left)"));
    m_next->setToolTip(tr("Next step (Alt+Right)"));
    auto* close = new QPushButton(tr("&Close the tour"), this);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_back);
    buttons->addWidget(m_next);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_position);
    layout->addWidget(m_title);
    layout->addWidget(m_text, 1);
    layout->addLayout(buttons);
    layout->addWidget(close);
    connect(m_back, &QPushButton::clicked, this, [this] { setStep(m_step - 1); });
    connect(m_next, &QPushButton::clicked, this, [this] { setStep(m_step + 1); });
    connect(close, &QPushButton::clicked, this, &TourPanel::closed);
}

void TourPanel::setStep(int index)
{
    if (m_focus.isEmpty())
        return;
    m_step = std::clamp(index, 0, int(m_focus.size()) - 1);
    m_position->setText(tr("Guided tour (simulated case): step %1 of %2").arg(m_step + 1).arg(m_focus.size()));
    m_title->setText(m_titles.value(m_step));
    m_text->setText(m_texts.value(m_step));
    m_back->setEnabled(m_step > 0);
    m_next->setEnabled(m_step + 1 < m_focus.size());
    Q_EMIT stepShown(m_step, m_focus.value(m_step));
}

} // namespace dscope::views
