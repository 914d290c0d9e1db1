// SPDX-License-Identifier: MIT
#include "techniquepage.h"

#include "domain/accessmask.h"

#include <QFile>
#include <QHBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace dscope::views {

namespace {

QString cell(const QJsonObject& o, const char* key) { return o.value(QLatin1String(key)).toString().toHtmlEscaped(); }

/// A mask with its rights named, and what the set allows.
QString decodedMask(const QString& text)
{
    bool ok = false;
    const uint32_t mask = text.toUInt(&ok, 16);
    if (!ok)
        return text.toHtmlEscaped();
    const auto d = model::access::decode(mask, model::access::ObjectType::Process);
    return QStringLiteral("<b>%1</b> = %2<br><i>%3</i>")
        .arg(text.toHtmlEscaped(), QString::fromStdString(d.names).toHtmlEscaped(), QString::fromStdString(d.description).toHtmlEscaped());
}

} // namespace

TechniquePage::TechniquePage(QWidget* parent)
    : QWidget(parent), m_browser(new QTextBrowser(this)), m_compare(new QPushButton(tr("&Compare the draft (R0) and R1 on this case"), this)),
      m_comparison(new QLabel(this))
{
    m_browser->setOpenExternalLinks(false);
    m_browser->setHtml(html());
    m_comparison->setWordWrap(true);
    m_comparison->setTextFormat(Qt::PlainText);
    m_comparison->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* bar = new QHBoxLayout;
    bar->addWidget(m_compare);
    bar->addWidget(m_comparison, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(m_browser, 1);
    connect(m_compare, &QPushButton::clicked, this, [this] {
        m_compare->setEnabled(false);
        m_comparison->setText(tr("Running R0 and R1 on the case\u2026"));
        Q_EMIT comparisonRequested();
    });
    setCaseOpen(false);
}

void TechniquePage::setCaseOpen(bool open)
{
    m_compare->setEnabled(open);
    m_compare->setToolTip(open ? QString() : tr("Open a case first"));
}

void TechniquePage::showComparison(const QString& text)
{
    m_comparison->setText(text);
    m_compare->setEnabled(true);
}

void TechniquePage::showSection(const QString& anchor) { m_browser->scrollToAnchor(anchor); }

QString TechniquePage::html() const
{
    QFile file(QStringLiteral(":/technique/technique.json"));
    if (!file.open(QIODevice::ReadOnly))
        return tr("<p>The technique's description is missing from this build.</p>");
    const QJsonObject content = QJsonDocument::fromJson(file.readAll()).object();
    QString h = QStringLiteral("<h2>Process Doppelg\u00e4nging (MITRE ATT&amp;CK T1055.013, formerly T1186)</h2>"
                               "<p>The attacker makes a legitimate-looking process run code that never exists as a file on "
                               "disk: Transactional NTFS (TxF) lets it write the payload inside a transaction, map it as an "
                               "image, and roll the write back before the process starts.</p>");
    h += QStringLiteral("<h3><a name=\"steps\"></a>The steps, and what each leaves in the logs</h3>"
                        "<table border=\"1\" cellspacing=\"0\" cellpadding=\"4\" width=\"100%\"><tr><th>Step</th><th>Windows calls</th>"
                        "<th>What the logs show</th><th>What no log shows</th></tr>");
    for (const QJsonValue& v : content.value(QLatin1String("steps")).toArray()) {
        const QJsonObject s = v.toObject();
        h += QStringLiteral("<tr><td><b>%1</b></td><td><code>%2</code></td><td>%3</td><td>%4</td></tr>")
                 .arg(cell(s, "name"), cell(s, "calls"), cell(s, "logs"), cell(s, "never"));
    }
    h += QStringLiteral("</table><h3><a name=\"related\"></a>What else the same rules catch</h3>"
                        "<table border=\"1\" cellspacing=\"0\" cellpadding=\"4\" width=\"100%\"><tr><th>Technique</th>"
                        "<th>How it differs</th><th>Rules</th></tr>");
    for (const QJsonValue& v : content.value(QLatin1String("related")).toArray()) {
        const QJsonObject r = v.toObject();
        h += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td><td>%3</td></tr>").arg(cell(r, "name"), cell(r, "differs"), cell(r, "rules"));
    }
    h += QStringLiteral("</table><h3><a name=\"draft\"></a>The draft strategy, and what the workbench does instead</h3>"
                        "<p>%1</p><pre style=\"white-space: pre-wrap\">%2</pre>")
             .arg(cell(content, "draftQuerySource"), cell(content, "draftQuery"));
    h += QStringLiteral("<table border=\"1\" cellspacing=\"0\" cellpadding=\"4\" width=\"100%\"><tr><th></th><th>The draft</th>"
                        "<th>The workbench, and why</th></tr>");
    for (const QJsonValue& v : content.value(QLatin1String("draft")).toArray()) {
        const QJsonObject d = v.toObject();
        QString why = cell(d, "workbench");
        for (const QJsonValue& m : d.value(QLatin1String("masks")).toArray())
            why += QStringLiteral("<br>") + decodedMask(m.toString());
        h += QStringLiteral("<tr><td><b>%1</b></td><td><code>%2</code></td><td>%3</td></tr>").arg(cell(d, "topic"), cell(d, "draft"), why);
    }
    h += QStringLiteral("</table>");
    return h;
}

} // namespace dscope::views
