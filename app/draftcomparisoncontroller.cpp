// SPDX-License-Identifier: MIT
#include "draftcomparisoncontroller.h"

#include "engine.h"
#include "ruleset.h"

#include <QtConcurrent/QtConcurrentRun>

#include <set>
#include <tuple>

namespace dscope::app {

namespace {

using Pair = std::tuple<std::string, std::string, std::string>; // host, source, target

/// The (host, source, target) pairs a rule raises on the case; false with error.
bool pairsOf(const std::string& casePath, const char* rule, std::set<Pair>& out, std::string& error)
{
    auto rules = detection::RuleSet::fromFile(QString::fromLatin1(detection::kEmbeddedRules), error);
    if (!rules)
        return false;
    detection::Engine engine(std::move(*rules));
    detection::EngineOptions options;
    options.ruleIds = {rule};
    options.persist = false; // a comparison, not the case's detection: nothing is stored
    options.createIndexes = false;
    const auto alerts = engine.run(casePath, options, nullptr, {}, error);
    if (!alerts)
        return false;
    for (const model::Alert& a : alerts->alerts)
        out.insert({a.host, a.source.guid, a.target.guid});
    return true;
}

QString summarize(const std::set<Pair>& draft, const std::set<Pair>& corrected)
{
    int both = 0, draftOnly = 0, correctedOnly = 0;
    for (const Pair& p : draft)
        (corrected.count(p) ? both : draftOnly) += 1;
    for (const Pair& p : corrected)
        correctedOnly += draft.count(p) ? 0 : 1;
    return DraftComparisonController::tr("The draft (R0) raises %1 alert(s), R1 raises %2: %3 source and target pair(s) "
                                         "found by both, %4 by the draft only (its join ignores the target and the time, "
                                         "and its 0x1440 test), %5 by R1 only (injection handles the 0x1440 test misses).")
        .arg(draft.size())
        .arg(corrected.size())
        .arg(both)
        .arg(draftOnly)
        .arg(correctedOnly);
}

} // namespace

DraftComparisonController::DraftComparisonController(QObject* parent) : QObject(parent) { m_pool.setMaxThreadCount(1); }

DraftComparisonController::~DraftComparisonController() { m_pool.waitForDone(); }

void DraftComparisonController::run(const QString& casePath)
{
    const quint64 token = ++m_token;
    // `this` outlives the task (the destructor waits for the pool); a queued call to a deleted object is dropped.
    (void)QtConcurrent::run(&m_pool, [this, token, path = casePath.toStdString()] {
        std::set<Pair> draft, corrected;
        std::string error;
        const QString summary = pairsOf(path, "R0", draft, error) && pairsOf(path, "R1", corrected, error)
                                    ? summarize(draft, corrected)
                                    : tr("The comparison failed: %1").arg(QString::fromStdString(error));
        QMetaObject::invokeMethod(this, [this, token, summary] {
            if (token == m_token) // a newer request is under way: this answer is stale
                Q_EMIT finished(summary);
        }, Qt::QueuedConnection);
    });
}

} // namespace dscope::app
