// SPDX-License-Identifier: MIT
#include "clicommands.h"

#include "clicontext.h"
#include "import/libraryversions.h"
#include "ruleset.h"
#include "storage/schema.h"

#include <QHash>

#include <functional>
#include <vector>

namespace dscope::app {

int runDemo(const QStringList& args);
int runExportEvents(const QStringList& args);
int runExportRules(const QStringList& args);
int runExportTimeline(const QStringList& args);
int runImport(const QStringList& args);
int runInfo(const QStringList& args);
int runListen(const QStringList& args);
int runReplay(const QStringList& args);
int runReport(const QStringList& args);
int runScan(const QStringList& args);
int runScreenshot(const QStringList& args);

namespace {

using Command = std::function<int(const QStringList&)>;

const QHash<QString, Command>& commands()
{
    static const QHash<QString, Command> table = {
        {QStringLiteral("demo"), runDemo},
        {QStringLiteral("export-events"), runExportEvents},
        {QStringLiteral("export-rules"), runExportRules},
        {QStringLiteral("export-timeline"), runExportTimeline},
        {QStringLiteral("import"), runImport},
        {QStringLiteral("info"), runInfo},
        {QStringLiteral("listen"), runListen},
        {QStringLiteral("replay"), runReplay},
        {QStringLiteral("report"), runReport},
        {QStringLiteral("scan"), runScan},
        {QStringLiteral("screenshot"), runScreenshot},
    };
    return table;
}

/// One line per command: the usage text, and what `doppelscope COMMAND --help` prints.
const std::vector<std::pair<QString, const char*>>& usageLines()
{
    static const std::vector<std::pair<QString, const char*>> lines = {
        {QString(), "  (no command)                         open the workbench\n"},
        {QStringLiteral("import"), "  import --case CASE.dscase PATH...    import EVTX, XML, JSON, archives and folders (- reads stdin)\n"},
        {QStringLiteral("info"), "  info CASE.dscase [--json]            events per host, channel and event id; inputs\n"},
        {QStringLiteral("scan"), "  scan PATH... [--case C] [--rules R1,R3] [--json FILE]   import and run detection\n"},
        {QStringLiteral("report"), "  report --case C [--html F] [--pdf F] [--json F] [--host H] [--alerts all|open|tp]\n"},
        {QStringLiteral("demo"),
         "  demo --case OUT.dscase [--seed N] [--exercise NAME] [--answer-key FILE]   write the simulated training case\n"},
        {QStringLiteral("export-timeline"),
         "  export-timeline --case C --out F [--format jsonl|csv] [--host H] [--alert ID [--context-minutes N]]\n"},
        {QStringLiteral("export-rules"),
         "  export-rules [--rules R1,R2] --format sparksql|sigma|spl|eql|kql [--fields raw|ecs|ossem] [--out DIR]\n"
         "         every rule in another query language, one file per rule\n"},
        {QStringLiteral("export-events"),
         "  export-events --case C --format jsonl [--fields raw|ecs|ossem] [--out FILE]   the events for Spark or a SIEM\n"},
        {QStringLiteral("listen"),
         "  listen --case C [--syslog-tcp A:P] [--syslog-udp A:P] [--jsonl-tcp A:P] [--bulk A:P] [--follow FILE]...\n"
         "         [--alerts-jsonl FILE] [--token T] [--tls-cert F --tls-key F]   receive live feeds, print alerts\n"},
        {QStringLiteral("replay"),
         "  replay PATH... --to syslog-tcp|syslog-udp|jsonl-tcp|bulk ADDR:PORT [--rate N] [--loop] [--tls-ca F]\n"
         "         send files as a live feed (over TLS when --tls-ca names the listener's CA or certificate)\n"},
        {QStringLiteral("screenshot"), "  screenshot --case CASE.dscase --out DIR [--follow FILE]   render every page to PNG (and the window listening)\n"},
    };
    return lines;
}

} // namespace

bool isCliCommand(const QStringList& args)
{
    return args.size() > 1
           && (commands().contains(args.at(1)) || args.at(1) == QLatin1String("--help")
               || args.at(1) == QLatin1String("help") || args.at(1) == QLatin1String("--version"));
}

int runCli(const QStringList& args)
{
    const QString name = args.at(1);
    if (name == QLatin1String("--version")) {
        out() << "doppelscope " << DSCOPE_VERSION << '\n';
        std::string error;
        const auto rules = detection::RuleSet::fromFile(QString::fromLatin1(detection::kEmbeddedRules), error);
        out() << "rule set " << (rules ? QString::number(rules->version()) : QStringLiteral("unreadable: ") + QString::fromStdString(error))
              << '\n';
        out() << "case file schema " << model::schema::currentVersion() << '\n';
        for (const auto& [library, version] : model::libraryVersions())
            out() << library.c_str() << ' ' << version.c_str() << '\n';
        return 0;
    }
    const auto it = commands().constFind(name);
    const bool help = args.contains(QLatin1String("--help")) || args.contains(QLatin1String("-h"));
    if (it == commands().constEnd() || help) {
        out() << "usage: doppelscope [COMMAND] ...\n";
        for (const auto& [command, line] : usageLines())
            if (it == commands().constEnd() || command == name)
                out() << line;
        return help || name == QLatin1String("help") ? 0 : 2;
    }
    return (*it)(args.mid(2));
}

} // namespace dscope::app
