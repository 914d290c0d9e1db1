// SPDX-License-Identifier: MIT
#include "listendialog.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSettings>
#include <QVBoxLayout>

#include <iterator>
#include <type_traits>
#include <vector>

namespace dscope::views {

ListenDialog::ListenDialog(QWidget* parent)
    : QDialog(parent)
    , m_follow(new QListWidget(this))
    , m_token(new QLineEdit(this))
    , m_tlsCertificate(new QLineEdit(this))
    , m_tlsKey(new QLineEdit(this))
    , m_warning(new QLabel(this))
{
    setWindowTitle(tr("Listen for live feeds"));
    QSettings settings;
    auto* form = new QFormLayout;
    const struct {
        const char* kind;
        QString label;
        const char* address;
    } kinds[] = {{"syslog-tcp", tr("Syslog over &TCP (Sysmon for Linux, rsyslog, NXLog)"), "127.0.0.1:5514"},
                 {"syslog-udp", tr("Syslog over &UDP"), "127.0.0.1:5514"},
                 {"jsonl-tcp", tr("&JSON lines over TCP (NXLog, OpenWEC)"), "127.0.0.1:5515"},
                 {"bulk", tr("&Elasticsearch bulk endpoint (Winlogbeat, Elastic clients)"), "127.0.0.1:9200"}};
    std::vector<std::remove_cvref_t<decltype(kinds[0])>> rows(std::begin(kinds), std::end(kinds));
#ifdef Q_OS_WIN
    // This machine's own event log, through the Windows event log API (the address is the channel).
    rows.push_back({"windows-channel", tr("&Windows event log channel"), "Microsoft-Windows-Sysmon/Operational"});
#endif
    for (const auto& k : rows) {
        Row row{QString::fromLatin1(k.kind), new QCheckBox(k.label, this), new QLineEdit(this)};
        const QString key = QStringLiteral("listen/") + row.kind;
        row.enabled->setChecked(settings.value(key + QStringLiteral("/on"), row.kind == QLatin1String("syslog-tcp")).toBool());
        row.address->setText(settings.value(key + QStringLiteral("/address"), QString::fromLatin1(k.address)).toString());
        row.address->setPlaceholderText(row.kind == QLatin1String("windows-channel") ? tr("channel") : QStringLiteral("ADDRESS:PORT"));
        connect(row.address, &QLineEdit::textChanged, this, &ListenDialog::updateWarning);
        connect(row.enabled, &QCheckBox::toggled, this, &ListenDialog::updateWarning);
        form->addRow(row.enabled, row.address);
        m_rows.push_back(row);
    }
    m_token->setPlaceholderText(tr("optional: bulk clients must send it (Bearer or ApiKey)"));
    m_token->setEchoMode(QLineEdit::PasswordEchoOnEdit);
    form->addRow(tr("Bulk &token:"), m_token);
    // TLS: RFC 5425 for syslog over TCP, and the same for JSON lines and the bulk endpoint (HTTPS).
    const auto fileRow = [this, form, &settings](QLineEdit* edit, const QString& label, const QString& key, const QString& title) {
        edit->setText(settings.value(key).toString());
        edit->setPlaceholderText(tr("optional: PEM file"));
        auto* browse = new QPushButton(tr("Browse\u2026"), this);
        connect(browse, &QPushButton::clicked, this, [this, edit, title] {
            const QString file = QFileDialog::getOpenFileName(this, title, edit->text(), tr("PEM files (*.pem *.crt *.key);;All files (*)"));
            if (!file.isEmpty())
                edit->setText(file);
        });
        connect(edit, &QLineEdit::textChanged, this, &ListenDialog::updateWarning);
        auto* row = new QHBoxLayout;
        row->addWidget(edit);
        row->addWidget(browse);
        auto* caption = new QLabel(label, this);
        caption->setBuddy(edit); // the mnemonic needs a buddy: a row of a layout gets none by itself
        form->addRow(caption, row);
    };
    fileRow(m_tlsCertificate, tr("TLS &certificate:"), QStringLiteral("listen/tlsCertificate"), tr("TLS certificate (chain)"));
    fileRow(m_tlsKey, tr("TLS &key:"), QStringLiteral("listen/tlsKey"), tr("TLS private key"));

    auto* followButtons = new QHBoxLayout;
    auto* add = new QPushButton(tr("&Add file\u2026"), this);
    auto* remove = new QPushButton(tr("Re&move"), this);
    followButtons->addWidget(add);
    followButtons->addWidget(remove);
    followButtons->addStretch();
    connect(add, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getSaveFileName(this, tr("Follow a file (it may not exist yet)"), QString(),
                                                          tr("Event logs (*.jsonl *.json *.xml);;All files (*)"), nullptr,
                                                          QFileDialog::DontConfirmOverwrite);
        if (!file.isEmpty())
            m_follow->addItem(file);
    });
    connect(remove, &QPushButton::clicked, this, [this] { delete m_follow->currentItem(); });
    m_follow->setMaximumHeight(90);
    m_warning->setWordWrap(true);
    m_warning->setStyleSheet(QStringLiteral("color: #b3261e"));

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Listen"));
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        QSettings s;
        for (const Row& r : m_rows) {
            s.setValue(QStringLiteral("listen/") + r.kind + QStringLiteral("/on"), r.enabled->isChecked());
            s.setValue(QStringLiteral("listen/") + r.kind + QStringLiteral("/address"), r.address->text().trimmed());
        }
        s.setValue(QStringLiteral("listen/tlsCertificate"), tlsCertificate());
        s.setValue(QStringLiteral("listen/tlsKey"), tlsKey());
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("Events received are stored in the open case as they arrive, and the rules run "
                                    "on them at once. Each sender becomes an input of the case."), this));
    layout->addLayout(form);
    layout->addWidget(new QLabel(tr("Follow files (new lines are read as they are written; rotation is followed):"), this));
    layout->addWidget(m_follow);
    layout->addLayout(followButtons);
    layout->addWidget(m_warning);
    layout->addWidget(buttons);
    updateWarning();
}

std::vector<ListenChoice> ListenDialog::choices() const
{
    std::vector<ListenChoice> out;
    for (const Row& r : m_rows)
        if (r.enabled->isChecked())
            out.push_back({r.kind, r.address->text().trimmed()});
    for (int i = 0; i < m_follow->count(); ++i)
        out.push_back({QStringLiteral("follow"), m_follow->item(i)->text()});
    return out;
}

QString ListenDialog::token() const { return m_token->text(); }
QString ListenDialog::tlsCertificate() const { return m_tlsCertificate->text().trimmed(); }
QString ListenDialog::tlsKey() const { return m_tlsKey->text().trimmed(); }

void ListenDialog::updateWarning()
{
    QStringList open;
    for (const Row& r : m_rows) {
        if (!r.enabled->isChecked() || r.kind == QLatin1String("windows-channel"))
            continue;
        const QString host = r.address->text().section(QLatin1Char(':'), 0, -2).remove(QLatin1Char('[')).remove(QLatin1Char(']'));
        const bool loopback = host.isEmpty() || host.startsWith(QLatin1String("127.")) || host == QLatin1String("::1")
                              || host == QLatin1String("localhost");
        if (!loopback)
            open << r.kind;
    }
    QStringList warnings;
    if (!open.isEmpty()) {
        const bool tls = !tlsCertificate().isEmpty();
        warnings << tr("%1 will be reachable from other machines: anyone who can reach the port can write events into "
                       "this case.")
                        .arg(open.join(QStringLiteral(", ")))
                 + (tls ? QString() : tr(" The events cross the network in clear text unless TLS is set."));
    }
    if (tlsCertificate().isEmpty() != tlsKey().isEmpty())
        warnings << tr("TLS needs both a certificate and its key.");
    m_warning->setText(warnings.join(QLatin1Char('\n')));
}

} // namespace dscope::views
