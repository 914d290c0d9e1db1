// SPDX-License-Identifier: MIT
#include "clicontext.h"

#include "engine.h"
#include "ruleset.h"

#include <cstdio>

namespace dscope::app {

QTextStream& out()
{
    static QTextStream s(stdout);
    return s;
}

QTextStream& err()
{
    static QTextStream s(stderr);
    return s;
}

model::AlertSetPtr detectAndStore(const QString& casePath, size_t maxEvidence, int* ruleSetVersion, std::string& error)
{
    auto rules = detection::RuleSet::fromFile(QString::fromLatin1(detection::kEmbeddedRules), error);
    if (!rules)
        return nullptr;
    if (ruleSetVersion)
        *ruleSetVersion = rules->version();
    detection::Engine engine(std::move(*rules));
    detection::EngineOptions options;
    options.persist = true;
    options.maxEvidence = maxEvidence;
    return engine.run(casePath.toStdString(), options, nullptr, {}, error);
}

} // namespace dscope::app
