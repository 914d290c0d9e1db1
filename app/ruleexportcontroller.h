// SPDX-License-Identifier: MIT
#pragma once

#include "ruleset.h"

#include <QObject>
#include <QStringList>
#include <QThreadPool>

#include <optional>
#include <utility>
#include <vector>

namespace dscope::app {

/**
 * The rules in other query languages, for Tools > Export rules and the Alerts page's "Export this rule": the text of
 * a choice (computed from the loaded rule set, in memory), and saving one file per rule off the GUI thread.
 */
class RuleExportController : public QObject
{
    Q_OBJECT
public:
    explicit RuleExportController(QObject* parent = nullptr);
    ~RuleExportController() override;

    /// The built-in rule set; false with error when it does not load.
    bool load(QString& error);
    /// (id, name) of the rules the rule file describes declaratively, which are the ones that export.
    std::vector<std::pair<QString, QString>> exportableRules() const;
    /// The exported text of the rules, one after another; `note` says which rules a language cannot express.
    QString exportText(const QStringList& ids, const QString& format, const QString& fields, QString* note = nullptr) const;
    /// Writes RULE.ext for each rule into folder, off the GUI thread: saved() or failed() follows.
    void save(const QStringList& ids, const QString& format, const QString& fields, const QString& folder);

Q_SIGNALS:
    void saved(int files, const QString& folder);
    void failed(const QString& error);

private:
    std::optional<detection::RuleSet> m_rules;
    QThreadPool m_pool;
};

} // namespace dscope::app
