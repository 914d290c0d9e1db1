// SPDX-License-Identifier: MIT
// doppelscope replay: any importable file sent as a live feed (syslog over TCP or UDP, JSON lines over TCP, or
// Elasticsearch bulk requests), at a chosen rate, for demonstrations, training and tests.
#include "clicontext.h"
#include "import/importer.h"
#include "import/sourcefactory.h"
#include "ingest/inputbytes.h"
#include "liveservice.h"
#include "replaysender.h"
#include "tlsfiles.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QEventLoop>
#include <QFile>
#include <QHostInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QSslSocket>
#include <QThread>
#include <QUdpSocket>

#include <atomic>
#include <chrono>
#include <csignal>
#include <optional>
#include <thread>

namespace dscope::app {

namespace {

std::atomic_bool g_stopReplay{false};
extern "C" void onReplaySignal(int) { g_stopReplay = true; }

/// Hands each record's original text to the sender as the source reads it.
class ReplaySink : public model::RecordSink
{
public:
    explicit ReplaySink(ReplaySender& sender) : m_sender(sender) {}
    void add(model::Event&& e) override
    {
        if (!m_error.isEmpty() || e.raw.empty())
            return;
        if (!m_sender.send(e.raw, e.rawFormat == model::RawFormat::Xml, m_error))
            return;
    }
    void skip(int64_t, std::string) override { ++m_skipped; }
    bool cancelled() const override { return g_stopReplay || !m_error.isEmpty(); }
    QString m_error;
    int64_t m_skipped = 0;

private:
    ReplaySender& m_sender;
};

} // namespace

int runReplay(const QStringList& args)
{
    QCommandLineParser p;
    p.setApplicationDescription(QStringLiteral("Send files as a live feed."));
    p.addOption({QStringLiteral("to"), QStringLiteral("syslog-tcp, syslog-udp, jsonl-tcp or bulk, then ADDR:PORT."), QStringLiteral("target")});
    p.addOption({QStringLiteral("rate"), QStringLiteral("Events per second (default: as fast as the receiver takes them)."), QStringLiteral("n")});
    p.addOption({QStringLiteral("loop"), QStringLiteral("Start again at the end, until Ctrl-C.")});
    p.addOption({QStringLiteral("token"), QStringLiteral("Bearer token for the bulk endpoint."), QStringLiteral("token")});
    p.addOption({QStringLiteral("tls-ca"),
                 QStringLiteral("Send over TLS (syslog-tcp, jsonl-tcp, bulk), trusting this PEM CA or the listener's own certificate."),
                 QStringLiteral("file")});
    p.addPositionalArgument(QStringLiteral("path"), QStringLiteral("Files or folders to send."));
    p.process(QStringList{QStringLiteral("doppelscope replay")} + args);
    // --to takes two words: the kind, then the address ("--to bulk 127.0.0.1:9200").
    QStringList positional = p.positionalArguments();
    const QString kind = p.value(QStringLiteral("to"));
    QString address;
    for (qsizetype i = 0; i < positional.size(); ++i) {
        static const QRegularExpression hostPort(QStringLiteral("^[^/\\\\]*:\\d+$"));
        if (hostPort.match(positional.at(i)).hasMatch() && !QFile::exists(positional.at(i))) {
            address = positional.takeAt(i);
            break;
        }
    }
    const std::pair<const char*, ReplayTarget> targets[] = {{"syslog-tcp", ReplayTarget::SyslogTcp}, {"syslog-udp", ReplayTarget::SyslogUdp},
                                                     {"jsonl-tcp", ReplayTarget::JsonlTcp}, {"bulk", ReplayTarget::Bulk}};
    const auto target = std::find_if(std::begin(targets), std::end(targets),
                                     [&](const auto& t) { return kind == QLatin1String(t.first); });
    ListenSpec to;
    QString error;
    if (positional.isEmpty() || target == std::end(targets) || !parseListenAddress(address, to, error)) {
        if (!error.isEmpty())
            err() << "error: " << error << '\n';
        err() << "usage: doppelscope replay PATH... --to syslog-tcp|syslog-udp|jsonl-tcp|bulk ADDR:PORT [--rate N] [--loop] [--tls-ca FILE]\n";
        return ExitUsage;
    }
    to.token = p.value(QStringLiteral("token"));
    const double rate = p.value(QStringLiteral("rate")).toDouble();
    std::vector<std::string> paths;
    for (const QString& s : positional)
        paths.push_back(s.toStdString());
    paths = model::expandPaths(paths);

    std::signal(SIGINT, onReplaySignal);
    std::signal(SIGTERM, onReplaySignal);
    std::optional<QSslConfiguration> tls;
    if (p.isSet(QStringLiteral("tls-ca"))) {
        if (target->second == ReplayTarget::SyslogUdp) {
            err() << "error: --tls-ca: syslog over UDP is sent in clear text\n";
            return ExitUsage;
        }
        tls.emplace();
        if (!loadClientTls(p.value(QStringLiteral("tls-ca")), *tls, error)) {
            err() << "error: " << error << '\n';
            return ExitFailure;
        }
    }
    ReplaySender sender(target->second, to, rate, tls);
    int64_t skipped = 0;
    // What went out, and for bulk what the receiver said it stored: printed on success and on failure alike.
    auto summary = [&] {
        err() << "sent " << sender.sent() << " events to " << kind << ' ' << address
              << (skipped ? QStringLiteral(" (%1 unreadable records skipped)").arg(skipped) : QString())
              << (sender.acknowledged() >= 0 ? QStringLiteral(", %1 acknowledged as stored").arg(sender.acknowledged()) : QString())
              << (sender.refused() ? QStringLiteral(", %1 refused by the receiver").arg(sender.refused()) : QString()) << '\n';
    };
    if (!sender.connect(error)) {
        err() << "error: " << error << '\n';
        return ExitFailure;
    }
    model::SourceOptions options;
    options.evtxEngine = model::EvtxEngine::Libevtx; // its records come with their XML, which is what is sent
    do {
        for (const std::string& path : paths) {
            model::FileBytes bytes(path);
            if (!bytes.isOpen()) {
                err() << "error: cannot read " << QString::fromStdString(path) << '\n';
                return ExitFailure;
            }
            const model::InputFormat format = model::sniffFormat(bytes);
            auto source = model::makeSource(format, options);
            if (!source) {
                err() << "skipped " << QString::fromStdString(path) << ": " << model::formatName(format)
                      << " is not replayed (extract archives first)\n";
                continue;
            }
            ReplaySink sink(sender);
            std::string readError;
            if (!source->read(bytes, sink, readError))
                err() << "skipped " << QString::fromStdString(path) << ": " << QString::fromStdString(readError) << '\n';
            skipped += sink.m_skipped;
            if (!sink.m_error.isEmpty()) {
                err() << "error: " << sink.m_error << '\n';
                summary();
                return ExitFailure;
            }
            if (g_stopReplay)
                break;
        }
    } while (p.isSet(QStringLiteral("loop")) && !g_stopReplay);
    if (!sender.finish(error)) {
        err() << "error: " << error << '\n';
        summary();
        return ExitFailure;
    }
    summary();
    return sender.refused() > 0 ? ExitFailure : ExitOk;
}

} // namespace dscope::app
