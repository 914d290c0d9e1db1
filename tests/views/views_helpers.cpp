// SPDX-License-Identifier: MIT
#include "views_helpers.h"

#include "engine.h"
#include "import/importer.h"
#include "ruleset.h"

#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>

#include <sqlite3.h>


namespace dscope::testing {

QString importCase(const QTemporaryDir& dir, const QString& input, bool libevtx)
{
    const QString casePath = dir.filePath(QFileInfo(input).completeBaseName() + QStringLiteral(".dscase"));
    model::ImportOptions options;
    if (libevtx)
        options.source.evtxEngine = model::EvtxEngine::Libevtx;
    model::Importer importer(casePath.toStdString(), options);
    const auto summary = importer.run({input.toStdString()});
    return summary.fatal.empty() && summary.events > 0 ? casePath : QString();
}

model::AlertSetPtr detectAndStore(const QString& casePath)
{
    std::string error;
    auto rules = detection::RuleSet::fromFile(QStringLiteral(DSCOPE_TEST_DATA "/../../resources/rules/rules.json"), error);
    if (!rules)
        return nullptr;
    detection::Engine engine(std::move(*rules));
    detection::EngineOptions options;
    options.persist = true;
    return engine.run(casePath.toStdString(), options, nullptr, {}, error);
}

qint64 scalar(const QString& casePath, const char* sql)
{
    sqlite3* db = nullptr;
    qint64 v = -1;
    sqlite3_open_v2(casePath.toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

QString screenshotDir()
{
    const QString dir = QDir::temp().filePath(QStringLiteral("dscope-screens"));
    QDir().mkpath(dir);
    return dir;
}

} // namespace dscope::testing
