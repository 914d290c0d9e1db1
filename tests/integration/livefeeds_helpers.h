// SPDX-License-Identifier: MIT
#pragma once
// What the live-feed tests share: a running `doppelscope listen`, alert keys, and the official Python Elasticsearch
// client installed into the build folder.

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QProcess>
#include <QSet>
#include <QString>
#include <QStringList>

namespace dscope::testing {

/// A running `doppelscope listen`, with the ports it bound.
struct Listener {
    QProcess process;
    QMap<QString, quint16> ports; ///< "syslog-tcp" -> port
    QString stderrText;

    /// Starts it and waits until `listeners` listeners have said their ports.
    bool start(const QStringList& args, int listeners);
    /// Ctrl-C: commits and stops; the alerts printed are returned.
    QList<QJsonObject> stop();
};

/// "rule|host|source_guid|target_guid" of each alert.
QSet<QString> alertKeys(const QList<QJsonObject>& alerts);

/// The Python of a virtual environment in the build folder with the official Elasticsearch client; empty with the
/// reason when it cannot be made (no python3, no venv module, PyPI not reachable).
QString elasticsearchPython(QString& why);

/// The bulk helper of the official client: sends `count` copies of the Winlogbeat test document (record ids from
/// 1000) and one document that is no event; prints the server's version, then "stored refused first-refusal-status".
/// argv: URL, the document file, count, and optionally a CA file for HTTPS and "gzip" for compressed requests.
extern const char* const kBulkClientScript;

} // namespace dscope::testing
