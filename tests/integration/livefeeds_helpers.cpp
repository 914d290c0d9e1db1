// SPDX-License-Identifier: MIT
#include "livefeeds_helpers.h"

#include <QFile>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QStandardPaths>

#include <csignal>

namespace dscope::testing {

namespace {
const QString kBinary = QStringLiteral(DSCOPE_BINARY);
}

bool Listener::start(const QStringList& args, int listeners)
    {
        process.start(kBinary, QStringList{QStringLiteral("listen"), QStringLiteral("--status-seconds"), QStringLiteral("0")} + args);
        if (!process.waitForStarted(10000))
            return false;
        static const QRegularExpression line(QStringLiteral("listening: (\\S+) \\S*:(\\d+)"));
        for (int waited = 0; ports.size() < listeners && waited < 100; ++waited) {
            process.waitForReadyRead(100);
            stderrText += QString::fromUtf8(process.readAllStandardError());
            for (auto it = line.globalMatch(stderrText); it.hasNext();) {
                const auto m = it.next();
                ports.insert(m.captured(1), quint16(m.captured(2).toUInt()));
            }
        }
        return ports.size() >= listeners;
    }

    QList<QJsonObject> Listener::stop()
    {
        ::kill(pid_t(process.processId()), SIGINT);
        process.waitForFinished(60000);
        stderrText += QString::fromUtf8(process.readAllStandardError());
        QList<QJsonObject> alerts;
        for (const QByteArray& l : process.readAllStandardOutput().split('\n'))
            if (!l.trimmed().isEmpty())
                alerts << QJsonDocument::fromJson(l).object();
        return alerts;
    }

QSet<QString> alertKeys(const QList<QJsonObject>& alerts)
{
    QSet<QString> keys;
    for (const QJsonObject& a : alerts)
        keys << QStringList{a.value(QLatin1String("rule")).toString(), a.value(QLatin1String("host")).toString(),
                            a.value(QLatin1String("source_guid")).toString(), a.value(QLatin1String("target_guid")).toString()}
                    .join(QLatin1Char('|'));
    return keys;
}

QString elasticsearchPython(QString& why)
{
    const QString python = QStandardPaths::findExecutable(QStringLiteral("python3"));
    if (python.isEmpty()) {
        why = QStringLiteral("no python3: the Elasticsearch client cannot run");
        return {};
    }
    const QString venv = QStringLiteral(QT_TESTCASE_BUILDDIR "/pyenv-elasticsearch");
    const QString venvPython = venv + QStringLiteral("/bin/python");
    if (!QFile::exists(venvPython + QStringLiteral(".ready"))) {
        QProcess make;
        make.start(python, {QStringLiteral("-m"), QStringLiteral("venv"), venv});
        make.waitForFinished(120000);
        QProcess pip;
        pip.start(venv + QStringLiteral("/bin/pip"), {QStringLiteral("install"), QStringLiteral("-q"), QStringLiteral("elasticsearch>=8,<9")});
        if (!pip.waitForFinished(300000) || pip.exitCode() != 0) {
            why = QStringLiteral("cannot install the Python Elasticsearch client (venv or PyPI not reachable): ")
                  + QString::fromUtf8(make.readAllStandardError() + pip.readAllStandardError()).right(300);
            return {};
        }
        QFile(venvPython + QStringLiteral(".ready")).open(QIODevice::WriteOnly);
    }
    return venvPython;
}

const char* const kBulkClientScript =
    "import json, sys\n"
    "from elasticsearch import Elasticsearch, helpers\n"
    "extra = {'ca_certs': sys.argv[4]} if len(sys.argv) > 4 else {}\n"
    "if len(sys.argv) > 5 and sys.argv[5] == 'gzip': extra['http_compress'] = True\n"
    "es = Elasticsearch(sys.argv[1], request_timeout=30, **extra)\n"
    "print(es.info()['version']['number'])\n"
    "template = json.loads(open(sys.argv[2]).readline())\n"
    "def docs():\n"
    "    for i in range(int(sys.argv[3])):\n"
    "        d = json.loads(json.dumps(template))\n"
    "        d['winlog']['record_id'] = 1000 + i\n"
    "        yield {'_index': 'winlogbeat-8', '_op_type': 'create', '_source': d}\n"
    "    yield {'_index': 'winlogbeat-8', '_op_type': 'create', '_source': {'colour': 'blue'}}\n"
    "ok, errors = helpers.bulk(es, docs(), chunk_size=100, raise_on_error=False)\n"
    "print(ok, len(errors), errors[0]['create']['status'] if errors else '')\n";


} // namespace dscope::testing
