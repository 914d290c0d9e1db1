// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

class QLabel;

namespace dscope::model {
struct CaseInfo;
}

namespace dscope::views {

/**
 * The case's counts in the status bar: events, hosts (listed in the tool tip), the time range, and, only when
 * something was not imported in full, a link to the inputs that need attention.
 */
class CaseStatusBar : public QWidget
{
    Q_OBJECT
public:
    explicit CaseStatusBar(QWidget* parent = nullptr);

    /// A case is opening: its summary is on its way.
    void setLoading();
    void setInfo(const model::CaseInfo& info, bool utc);

    /// The text shown, for tests: events, hosts, range, inputs (empty when hidden).
    QString text() const;

Q_SIGNALS:
    /// The analyst followed the link to the inputs that need attention.
    void inputsRequested();

private:
    QLabel* m_events;
    QLabel* m_hosts;
    QLabel* m_range;
    QLabel* m_inputs;
};

} // namespace dscope::views
