// SPDX-License-Identifier: MIT
#pragma once

#include "storage/caseinfo.h"

#include <QFutureWatcher>
#include <QObject>
#include <QStringList>

namespace dscope::app {

/// The open case: its path, its summary (loaded on a worker: counting hosts is a full scan at 5 M events) and
/// the recent-cases list.
class CaseController : public QObject
{
    Q_OBJECT
public:
    explicit CaseController(QObject* parent = nullptr);
    ~CaseController() override;

    /// Creates an empty case file (schema only). False with error set when it cannot.
    static bool createCase(const QString& path, QString& error);
    /// Checks the file is a case and makes it current; the summary follows through infoAvailable().
    bool open(const QString& path, QString& error);
    void close();
    /// Reloads the summary (after an import).
    void refreshInfo();

    const QString& path() const { return m_path; }
    bool isOpen() const { return !m_path.isEmpty(); }
    const model::CaseInfo& info() const { return m_info; }
    bool hasInfo() const { return m_hasInfo; }

    QStringList recentCases() const;

Q_SIGNALS:
    void infoAvailable(const dscope::model::CaseInfo& info);
    void infoFailed(const QString& error);

private:
    void addRecent(const QString& path);

    QString m_path;
    model::CaseInfo m_info;
    bool m_hasInfo = false;
    quint64 m_infoToken = 0;
};

} // namespace dscope::app
