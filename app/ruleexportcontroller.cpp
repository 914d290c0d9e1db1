// SPDX-License-Identifier: MIT
#include "ruleexportcontroller.h"

#include "export/ruleexport.h"

#include <QDir>
#include <QSaveFile>
#include <QtConcurrent/QtConcurrentRun>

namespace dscope::app {

namespace {

struct Exported {
    QString id;
    QString text;
    bool expressible = true;
};

std::vector<Exported> exportRules(const detection::RuleSet& set, const QStringList& ids, const QString& format, const QString& fields)
{
    std::vector<Exported> out;
    detection::ExportFormat f;
    detection::FieldSet fs;
    if (!detection::parseExportFormat(format.toStdString(), f) || !detection::parseFieldSet(fields.toStdString(), fs))
        return out;
    for (const QString& id : ids) {
        const detection::Rule* rule = set.find(id.toStdString());
        detection::RuleDescription d;
        std::string error;
        if (!rule || !detection::describeRule(*rule, set, d, error))
            continue;
        Exported e;
        e.id = id;
        e.text = QString::fromStdString(detection::exportRule(d, set, f, fs, &e.expressible));
        out.push_back(std::move(e));
    }
    return out;
}

} // namespace

RuleExportController::RuleExportController(QObject* parent) : QObject(parent)
{
    m_pool.setMaxThreadCount(1);
}

RuleExportController::~RuleExportController()
{
    m_pool.waitForDone();
}

bool RuleExportController::load(QString& error)
{
    std::string why;
    m_rules = detection::RuleSet::fromFile(QString::fromLatin1(detection::kEmbeddedRules), why);
    error = QString::fromStdString(why);
    return m_rules.has_value();
}

std::vector<std::pair<QString, QString>> RuleExportController::exportableRules() const
{
    std::vector<std::pair<QString, QString>> out;
    if (!m_rules)
        return out;
    for (const detection::Rule& r : m_rules->rules()) {
        detection::RuleDescription d;
        std::string error;
        if (detection::describeRule(r, *m_rules, d, error))
            out.emplace_back(QString::fromStdString(r.id), QString::fromStdString(r.name));
    }
    return out;
}

QString RuleExportController::exportText(const QStringList& ids, const QString& format, const QString& fields, QString* note) const
{
    if (!m_rules)
        return {};
    QString text;
    QStringList notExpressible;
    for (const Exported& e : exportRules(*m_rules, ids, format, fields)) {
        text += e.text + QLatin1Char('\n');
        if (!e.expressible)
            notExpressible << e.id;
    }
    if (note)
        *note = notExpressible.isEmpty() ? QString()
                                         : tr("Not expressible in this language (each file says why): %1").arg(notExpressible.join(QStringLiteral(", ")));
    return text;
}

void RuleExportController::save(const QStringList& ids, const QString& format, const QString& fields, const QString& folder)
{
    if (!m_rules)
        return;
    const std::vector<Exported> files = exportRules(*m_rules, ids, format, fields);
    detection::ExportFormat f;
    detection::parseExportFormat(format.toStdString(), f);
    const QString extension = QString::fromLatin1(detection::exportExtension(f));
    (void)QtConcurrent::run(&m_pool, [this, files, folder, extension] {
        QString error;
        int written = 0;
        if (!QDir().mkpath(folder))
            error = tr("cannot create %1").arg(folder);
        for (const Exported& e : files) {
            if (!error.isEmpty())
                break;
            QSaveFile file(QDir(folder).filePath(e.id + QLatin1Char('.') + extension));
            if (!file.open(QIODevice::WriteOnly) || file.write(e.text.toUtf8()) < 0 || !file.commit())
                error = tr("cannot write %1: %2").arg(file.fileName(), file.errorString());
            else
                ++written;
        }
        QMetaObject::invokeMethod(this, [this, written, folder, error] {
            if (error.isEmpty())
                Q_EMIT saved(written, folder);
            else
                Q_EMIT failed(error);
        }, Qt::QueuedConnection);
    });
}

} // namespace dscope::app
