// SPDX-License-Identifier: MIT
#include "casecontroller.h"

#include "storage/database.h"
#include "storage/schema.h"

#include <QFileInfo>
#include <QSettings>
#include <QtConcurrent/QtConcurrentRun>

namespace dscope::app {

namespace {
const QString kRecentKey = QStringLiteral("recentCases");
constexpr int kMaxRecent = 10;

struct InfoResult {
    model::CaseInfo info;
    QString error;
};
} // namespace

CaseController::CaseController(QObject* parent) : QObject(parent) {}

CaseController::~CaseController() = default;

bool CaseController::createCase(const QString& path, QString& error)
{
    model::Database db;
    std::string message;
    if (!db.open(path.toStdString(), model::Database::Mode::ReadWrite))
        message = db.lastError();
    else
        model::schema::prepareForWriting(db, message);
    if (!message.empty()) {
        error = path + QLatin1String(": ") + QString::fromStdString(message);
        return false;
    }
    return true;
}

bool CaseController::open(const QString& path, QString& error)
{
    if (!QFileInfo::exists(path)) {
        error = tr("%1 does not exist").arg(path);
        return false;
    }
    // A quick read-only check (a few pages), so a wrong file is refused before any page opens it.
    model::Database db;
    std::string message;
    if (!db.open(path.toStdString(), model::Database::Mode::ReadOnly))
        message = db.lastError();
    else
        model::schema::prepareForReading(db, message);
    if (!message.empty()) {
        error = path + QLatin1String(": ") + QString::fromStdString(message);
        return false;
    }
    m_path = QFileInfo(path).absoluteFilePath();
    m_hasInfo = false;
    addRecent(m_path);
    refreshInfo();
    return true;
}

void CaseController::close()
{
    m_path.clear();
    m_hasInfo = false;
    m_info = {};
    ++m_infoToken;
}

void CaseController::refreshInfo()
{
    if (m_path.isEmpty())
        return;
    const quint64 token = ++m_infoToken;
    auto* watcher = new QFutureWatcher<InfoResult>(this);
    connect(watcher, &QFutureWatcher<InfoResult>::finished, this, [this, watcher, token] {
        watcher->deleteLater();
        if (token != m_infoToken)
            return; // another case, or a newer refresh
        const InfoResult r = watcher->result();
        if (!r.error.isEmpty()) {
            Q_EMIT infoFailed(r.error);
            return;
        }
        m_info = r.info;
        m_hasInfo = true;
        Q_EMIT infoAvailable(m_info);
    });
    watcher->setFuture(QtConcurrent::run([path = m_path.toStdString()] {
        InfoResult r;
        std::string error;
        if (!model::loadCaseInfo(path, r.info, error))
            r.error = QString::fromStdString(error);
        return r;
    }));
}

QStringList CaseController::recentCases() const
{
    QStringList list = QSettings().value(kRecentKey).toStringList();
    list.removeIf([](const QString& p) { return !QFileInfo::exists(p); });
    return list;
}

void CaseController::addRecent(const QString& path)
{
    QSettings settings;
    QStringList list = settings.value(kRecentKey).toStringList();
    list.removeAll(path);
    list.prepend(path);
    while (list.size() > kMaxRecent)
        list.removeLast();
    settings.setValue(kRecentKey, list);
}

} // namespace dscope::app
