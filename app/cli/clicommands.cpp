// SPDX-License-Identifier: MIT
#include "clicommands.h"

#include "clicontext.h"
#include "import/libraryversions.h"
#include "ruleset.h"
#include "storage/schema.h"

#include <QHash>
#include <functional>

namespace dscope::app {

int runExportTimeline(const QStringList& args);
int runImport(const QStringList& args);
int runInfo(const QStringList& args);
int runReport(const QStringList& args);
int runScan(const QStringList& args);
int runScreenshot(const QStringList& args);

namespace {

using Command = std::function<int(const QStringList&)>;

const QHash<QString, Command>& commands()
{
    static const QHash<QString, Command> table = {
        {QStringLiteral("export-timeline"), runExportTimeline},
        {QStringLiteral("import"), runImport},
        {QStringLiteral("info"), runInfo},
        {QStringLiteral("report"), runReport},
        {QStringLiteral("scan"), runScan},
        {QStringLiteral("screenshot"), runScreenshot},
    };
    return table;
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
    if (it == commands().constEnd()) {
        out() << "usage: doppelscope [COMMAND] ...\n"
                 "  (no command)                         open the workbench\n"
                 "  import --case CASE.dscase PATH...    import EVTX, XML, JSON, archives and folders (- reads stdin)\n"
                 "  info CASE.dscase [--json]            events per host, channel and event id; inputs\n"
                 "  scan PATH... [--case C] [--rules R1,R3] [--json FILE]   import and run detection\n"
                 "  report --case C [--html F] [--pdf F] [--json F] [--host H] [--alerts all|open|tp]\n"
                 "  export-timeline --case C --out F [--format jsonl|csv] [--host H] [--alert ID [--context-minutes N]]\n"
                 "  screenshot --case CASE.dscase --out DIR   render every page to PNG\n";
        return name == QLatin1String("--help") || name == QLatin1String("help") ? 0 : 2;
    }
    return (*it)(args.mid(2));
}

} // namespace dscope::app
