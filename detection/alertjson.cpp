// SPDX-License-Identifier: MIT
#include "alertjson.h"

#include "domain/normalize.h"

#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QJsonObject>

namespace dscope::detection {

namespace {

QJsonValue text(const std::string& s) { return s.empty() ? QJsonValue() : QJsonValue(QString::fromStdString(s)); }
QJsonValue number(int64_t v) { return v < 0 ? QJsonValue() : QJsonValue(qint64(v)); }
QJsonValue iso(int64_t ms) { return QString::fromStdString(model::normalize::isoUtc(ms)); }

} // namespace

QByteArray alertJsonLine(const model::Alert& a)
{
    QJsonArray evidence;
    for (const auto& e : a.evidence)
        evidence.append(QJsonObject{
            {QStringLiteral("file"), QString::fromStdString(e.inputPath)},
            // Formats without an EventRecordID cite the record index / line instead.
            {QStringLiteral("record"), number(e.recordId >= 0 ? e.recordId : e.position)},
            {QStringLiteral("event_id"), qint64(e.eventId)},
            {QStringLiteral("utc"), iso(e.utcMs)},
        });
    const QJsonObject o{
        {QStringLiteral("rule"), text(a.ruleId)},
        {QStringLiteral("severity"), QLatin1String(model::severityName(a.severity))},
        {QStringLiteral("technique"), text(a.technique)},
        {QStringLiteral("host"), text(a.host)},
        {QStringLiteral("source_guid"), text(a.source.guid)},
        {QStringLiteral("source_pid"), number(a.source.pid)},
        {QStringLiteral("source_image"), text(a.source.image)},
        {QStringLiteral("target_guid"), text(a.target.guid)},
        {QStringLiteral("target_pid"), number(a.target.pid)},
        {QStringLiteral("target_image"), text(a.target.image)},
        {QStringLiteral("first_utc"), iso(a.firstUtcMs)},
        {QStringLiteral("last_utc"), iso(a.lastUtcMs)},
        {QStringLiteral("count"), qint64(a.count)},
        {QStringLiteral("evidence"), evidence},
        {QStringLiteral("explanation"), QString::fromStdString(a.explanation)},
        {QStringLiteral("origin"), text(a.origin)}, // null: raised by the workbench from the case's events
    };
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

} // namespace dscope::detection
