// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

class QLabel;
class QPushButton;
class QTextBrowser;

namespace dscope::views {

/**
 * Help > Learn the technique: Process Doppelgänging step by step (the Windows calls, what each step leaves in which
 * log and what never appears anywhere), the techniques the same rules catch and how they differ, and the draft
 * strategy as written beside what the workbench does instead, with the masks decoded. Its content is
 * resources/technique/technique.json. A button asks for the draft (R0) and its correction (R1) to be run on the
 * open case; the window runs them and hands back the comparison.
 */
class TechniquePage : public QWidget
{
    Q_OBJECT
public:
    explicit TechniquePage(QWidget* parent = nullptr);

    QTextBrowser* browser() const { return m_browser; }
    /// The comparison of R0 and R1 on the open case, as sentences; empty clears it.
    void showComparison(const QString& text);
    /// Whether a case is open (the comparison needs one).
    void setCaseOpen(bool open);
    /// Scrolls to a section: "steps", "related", "draft".
    void showSection(const QString& anchor);

Q_SIGNALS:
    void comparisonRequested();

private:
    QString html() const;

    QTextBrowser* m_browser;
    QPushButton* m_compare;
    QLabel* m_comparison;
};

} // namespace dscope::views
