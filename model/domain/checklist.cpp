// SPDX-License-Identifier: MIT
#include "checklist.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <set>

namespace dscope::model {

const Checklist* Checklists::find(const std::string& key) const
{
    const auto it = lists.find(key);
    return it == lists.end() ? nullptr : &it->second;
}

std::optional<Checklists> Checklists::load(const std::string& path, std::string& error)
{
    QFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::ReadOnly)) {
        error = "cannot read the response checklists " + path + ": " + file.errorString().toStdString();
        return std::nullopt;
    }
    return parse(file.readAll().toStdString(), error);
}

std::optional<Checklists> Checklists::parse(const std::string& json, std::string& error)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(json), &parseError);
    if (!doc.isObject()) {
        error = "the checklists file is not a JSON object: " + parseError.errorString().toStdString() + " at offset "
                + std::to_string(parseError.offset);
        return std::nullopt;
    }
    const QJsonObject root = doc.object();
    if (root.value(QLatin1String("format")).toString() != QLatin1String("doppelscope-checklists")) {
        error = "not a Doppelscope checklists file (its \"format\" is not \"doppelscope-checklists\")";
        return std::nullopt;
    }
    Checklists out;
    out.version = root.value(QLatin1String("version")).toInt();
    const QJsonObject pivots = root.value(QLatin1String("pivots")).toObject();
    for (auto it = pivots.begin(); it != pivots.end(); ++it) {
        const QJsonObject p = it.value().toObject();
        out.pivots[it.key().toStdString()] = {p.value(QLatin1String("title")).toString().toStdString(),
                                              p.value(QLatin1String("explains")).toString().toStdString()};
    }
    std::set<std::string> ids;
    const QJsonObject lists = root.value(QLatin1String("checklists")).toObject();
    for (auto it = lists.begin(); it != lists.end(); ++it) {
        Checklist c;
        c.key = it.key().toStdString();
        const QJsonObject o = it.value().toObject();
        c.title = o.value(QLatin1String("title")).toString().toStdString();
        const QJsonArray items = o.value(QLatin1String("items")).toArray();
        for (qsizetype i = 0; i < items.size(); ++i) {
            const QJsonObject io = items.at(i).toObject();
            ChecklistItem item;
            item.id = io.value(QLatin1String("id")).toString().toStdString();
            item.text = io.value(QLatin1String("text")).toString().toStdString();
            item.pivot = io.value(QLatin1String("pivot")).toString().toStdString();
            const QString where = io.value(QLatin1String("where")).toString();
            const std::string at = "checklist " + c.key + ", item " + std::to_string(i + 1);
            if (item.id.empty() || item.text.empty()) {
                error = at + ": an item needs an id and a text";
                return std::nullopt;
            }
            if (!ids.insert(item.id).second) {
                error = at + ": the id " + item.id + " is used twice";
                return std::nullopt;
            }
            if (where == QLatin1String("live"))
                item.where = ChecklistItem::Where::LiveHost;
            else if (where == QLatin1String("case"))
                item.where = ChecklistItem::Where::Case;
            else {
                error = at + " (" + item.id + "): \"where\" must be \"live\" or \"case\"";
                return std::nullopt;
            }
            if (!item.pivot.empty() && !out.pivots.count(item.pivot)) {
                error = at + " (" + item.id + "): the pivot " + item.pivot + " is not described under \"pivots\"";
                return std::nullopt;
            }
            c.items.push_back(std::move(item));
        }
        out.lists.emplace(c.key, std::move(c));
    }
    return out;
}

} // namespace dscope::model
