// SPDX-License-Identifier: MIT
#include "tlsfiles.h"

#include <QFile>
#include <QSslCertificate>
#include <QSslKey>
#include <QSslSocket>

namespace dscope::app {

namespace {

bool readPem(const QString& path, QByteArray& out, QString& error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        error = QStringLiteral("%1: %2").arg(path, f.errorString());
        return false;
    }
    // PEM certificates and keys are a few kilobytes; anything this large is the wrong file.
    out = f.read(1 << 20);
    return true;
}

bool tlsAvailable(QString& error)
{
    if (QSslSocket::supportsSsl())
        return true;
    error = QStringLiteral("TLS is not available: Qt found no TLS library (%1)").arg(QSslSocket::sslLibraryVersionString());
    return false;
}

} // namespace

bool loadServerTls(const QString& certificatePath, const QString& keyPath, QSslConfiguration& out, QString& error)
{
    if (!tlsAvailable(error))
        return false;
    QByteArray certificatePem, keyPem;
    if (!readPem(certificatePath, certificatePem, error) || !readPem(keyPath, keyPem, error))
        return false;
    const QList<QSslCertificate> chain = QSslCertificate::fromData(certificatePem, QSsl::Pem);
    if (chain.isEmpty()) {
        error = QStringLiteral("%1: no PEM certificate in it").arg(certificatePath);
        return false;
    }
    QSslKey key(keyPem, QSsl::Rsa, QSsl::Pem, QSsl::PrivateKey);
    if (key.isNull())
        key = QSslKey(keyPem, QSsl::Ec, QSsl::Pem, QSsl::PrivateKey);
    if (key.isNull()) {
        error = QStringLiteral("%1: no unencrypted RSA or EC private key in PEM form").arg(keyPath);
        return false;
    }
    out = QSslConfiguration::defaultConfiguration();
    out.setLocalCertificateChain(chain);
    out.setPrivateKey(key);
    // Senders are not asked for certificates: the bulk endpoint's token is the way to admit them.
    out.setPeerVerifyMode(QSslSocket::VerifyNone);
    out.setProtocol(QSsl::TlsV1_2OrLater);
    out.setSslOption(QSsl::SslOptionDisableSessionTickets, true);
    return true;
}

bool loadClientTls(const QString& caPath, QSslConfiguration& out, QString& error)
{
    if (!tlsAvailable(error))
        return false;
    QByteArray pem;
    if (!readPem(caPath, pem, error))
        return false;
    const QList<QSslCertificate> certificates = QSslCertificate::fromData(pem, QSsl::Pem);
    if (certificates.isEmpty()) {
        error = QStringLiteral("%1: no PEM certificate in it").arg(caPath);
        return false;
    }
    out = QSslConfiguration::defaultConfiguration();
    out.addCaCertificates(certificates);
    out.setProtocol(QSsl::TlsV1_2OrLater);
    return true;
}

} // namespace dscope::app
