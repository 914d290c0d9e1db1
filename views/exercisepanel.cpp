// SPDX-License-Identifier: MIT
#include "exercisepanel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QStackedWidget>
#include <QTextBrowser>
#include <QTimer>
#include <QVBoxLayout>

namespace dscope::views {

namespace {
constexpr int HostRole = Qt::UserRole + 1;
constexpr int GuidRole = Qt::UserRole + 2;

QString minutes(qint64 seconds) { return QStringLiteral("%1:%2").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0')); }
} // namespace

ExercisePanel::ExercisePanel(QWidget* parent)
    : QWidget(parent), m_stack(new QStackedWidget(this)), m_title(new QLabel(this)), m_description(new QLabel(this)),
      m_clock(new QLabel(this)), m_accused(new QListWidget(this)), m_submit(new QPushButton(tr("&Submit"), this)),
      m_result(new QTextBrowser(this)), m_tick(new QTimer(this))
{
    auto* work = new QWidget(this);
    auto* layout = new QVBoxLayout(work);
    m_description->setWordWrap(true);
    layout->addWidget(m_title);
    layout->addWidget(m_description);
    layout->addWidget(new QLabel(tr("The alerts are hidden. Find the processes where the attacker's code ran, on every "
                                    "host: select one in the Process tree or one of its events, then Accuse, or tag it (or one of its events) "
                                    "\"malicious\" with Edit > Note, tags and bookmark."), work));
    static_cast<QLabel*>(layout->itemAt(2)->widget())->setWordWrap(true);
    layout->addWidget(m_clock);
    layout->addWidget(new QLabel(tr("Accused:"), work));
    layout->addWidget(m_accused, 1);
    auto* buttons = new QHBoxLayout;
    auto* accuse = new QPushButton(tr("&Accuse the selected process"), work);
    auto* remove = new QPushButton(tr("Re&move"), work);
    buttons->addWidget(accuse);
    buttons->addWidget(remove);
    layout->addLayout(buttons);
    layout->addWidget(m_submit);
    m_stack->addWidget(work);
    auto* done = new QWidget(this);
    auto* doneLayout = new QVBoxLayout(done);
    doneLayout->addWidget(m_result, 1);
    auto* reveal = new QPushButton(tr("Show the &alerts"), done);
    doneLayout->addWidget(reveal);
    m_stack->addWidget(done);
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(m_stack);
    connect(accuse, &QPushButton::clicked, this, &ExercisePanel::accuseRequested);
    connect(remove, &QPushButton::clicked, this, [this] { delete m_accused->currentItem(); });
    connect(m_submit, &QPushButton::clicked, this, &ExercisePanel::submitted);
    connect(reveal, &QPushButton::clicked, this, &ExercisePanel::revealRequested);
    connect(m_tick, &QTimer::timeout, this, [this] { m_clock->setText(tr("Time: %1").arg(minutes(++m_seconds))); });
}

void ExercisePanel::begin(const QString& title, const QString& description)
{
    m_title->setText(QStringLiteral("<b>%1</b>").arg(title.toHtmlEscaped()));
    m_description->setText(description);
    m_accused->clear();
    m_seconds = 0;
    m_clock->setText(tr("Time: 0:00"));
    m_tick->start(1000);
    m_stack->setCurrentIndex(0);
}

void ExercisePanel::accuse(const model::Accusation& process, const QString& label)
{
    for (int i = 0; i < m_accused->count(); ++i)
        if (m_accused->item(i)->data(GuidRole).toString().compare(QString::fromStdString(process.guid), Qt::CaseInsensitive) == 0)
            return;
    auto* item = new QListWidgetItem(label, m_accused);
    item->setData(HostRole, QString::fromStdString(process.host));
    item->setData(GuidRole, QString::fromStdString(process.guid));
}

bool ExercisePanel::showsResult() const
{
    return m_stack->currentIndex() == 1; // the score page
}

std::vector<model::Accusation> ExercisePanel::accused() const
{
    std::vector<model::Accusation> out;
    for (int i = 0; i < m_accused->count(); ++i)
        out.push_back({m_accused->item(i)->data(HostRole).toString().toStdString(), m_accused->item(i)->data(GuidRole).toString().toStdString()});
    return out;
}

void ExercisePanel::showResult(const model::ExerciseScore& score)
{
    m_tick->stop();
    QString h = tr("<h3>%1 points</h3><p>Found %2 of %3 processes where the attacker's code ran, in %4; %5 wrongly accused.</p>")
                    .arg(score.points)
                    .arg(score.found)
                    .arg(score.found + score.missed)
                    .arg(minutes(score.seconds))
                    .arg(score.wronglyAccused.size());
    h += tr("<h4>Found</h4><ul>");
    for (const model::Culprit& c : score.culprits)
        if (c.found)
            h += QStringLiteral("<li><b>%1</b> on %2 (%3)</li>")
                     .arg(QString::fromStdString(c.image).toHtmlEscaped(), QString::fromStdString(c.host).toHtmlEscaped(),
                          QString::fromStdString(c.attack).toHtmlEscaped());
    h += tr("</ul><h4>Missed, and how the workbench finds it</h4><ul>");
    for (const model::Culprit& c : score.culprits) {
        if (c.found)
            continue;
        QStringList rules;
        for (const std::string& r : c.rules)
            rules << QString::fromStdString(r);
        h += tr("<li><b>%1</b> (%5) on %2: part of the %3. Alerted by %4: show the alerts and read each one's explanation "
                "and evidence.</li>")
                 .arg(QString::fromStdString(c.image).toHtmlEscaped(), QString::fromStdString(c.host).toHtmlEscaped(),
                      QString::fromStdString(c.attack).toHtmlEscaped(), rules.join(QStringLiteral(", ")).toHtmlEscaped(),
                      QString::fromStdString(c.guid).toHtmlEscaped());
    }
    h += tr("</ul><h4>Wrongly accused</h4><ul>");
    for (const model::Accusation& a : score.wronglyAccused)
        h += QStringLiteral("<li>%1 on %2</li>").arg(QString::fromStdString(a.guid).toHtmlEscaped(), QString::fromStdString(a.host).toHtmlEscaped());
    h += QStringLiteral("</ul>");
    m_result->setHtml(h);
    m_stack->setCurrentIndex(1);
}

} // namespace dscope::views
