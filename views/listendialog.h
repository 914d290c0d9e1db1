// SPDX-License-Identifier: MIT
#pragma once

#include <QDialog>
#include <QStringList>

#include <vector>

class QCheckBox;
class QLabel;
class QLineEdit;
class QListWidget;

namespace dscope::views {

/// One listener chosen in File > Listen.
struct ListenChoice {
    QString kind;    ///< "syslog-tcp", "syslog-udp", "jsonl-tcp", "bulk", "follow"
    QString address; ///< "127.0.0.1:5514", or the followed file
};

/**
 * File > Listen: which live feeds to receive into the open case (syslog over TCP and UDP, JSON lines over TCP,
 * the Elasticsearch bulk endpoint, followed files), on which address and port, with a token for bulk clients and
 * optionally TLS (a certificate and key) for everything but UDP.
 * Addresses default to the loopback interface; another one is allowed and warned about.
 */
class ListenDialog : public QDialog
{
    Q_OBJECT
public:
    explicit ListenDialog(QWidget* parent = nullptr);

    std::vector<ListenChoice> choices() const;
    QString token() const;
    /// TLS for the TCP listeners and the bulk endpoint: certificate and key files (PEM), both empty for none.
    QString tlsCertificate() const;
    QString tlsKey() const;

private:
    void updateWarning();

    struct Row {
        QString kind;
        QCheckBox* enabled;
        QLineEdit* address;
    };
    std::vector<Row> m_rows;
    QListWidget* m_follow;
    QLineEdit* m_token;
    QLineEdit* m_tlsCertificate;
    QLineEdit* m_tlsKey;
    QLabel* m_warning;
};

} // namespace dscope::views
