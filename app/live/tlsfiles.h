// SPDX-License-Identifier: MIT
#pragma once

#include <QSslConfiguration>
#include <QString>

namespace dscope::app {

/// A listener's TLS identity (syslog over TLS as RFC 5425, JSON lines, the bulk endpoint): its certificate chain and
/// unencrypted private key (RSA or EC), both PEM files; TLS 1.2 or later. False with an error that names the file and
/// what is wrong.
bool loadServerTls(const QString& certificatePath, const QString& keyPath, QSslConfiguration& out, QString& error);

/// A sender's TLS settings that trust the certificates of this PEM file (a private CA, or a listener's self-signed
/// certificate) besides the system's. False with an error that names the file.
bool loadClientTls(const QString& caPath, QSslConfiguration& out, QString& error);

} // namespace dscope::app
