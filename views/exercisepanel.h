// SPDX-License-Identifier: MIT
#pragma once

#include "demo/exercisescore.h"

#include <QWidget>

class QLabel;
class QListWidget;
class QPushButton;
class QStackedWidget;
class QTextBrowser;
class QTimer;

namespace dscope::views {

/**
 * The exercise beside the case: what to find, the clock, the processes the trainee accused (from the Process tree
 * or the Events page), and Submit; then the score, with what was missed and how the workbench finds it.
 */
class ExercisePanel : public QWidget
{
    Q_OBJECT
public:
    explicit ExercisePanel(QWidget* parent = nullptr);

    void begin(const QString& title, const QString& description);
    /// Adds a process (once); `label` is what the list shows.
    void accuse(const model::Accusation& process, const QString& label);
    std::vector<model::Accusation> accused() const;
    void showResult(const model::ExerciseScore& score);
    QTextBrowser* resultView() const { return m_result; }
    /// The score is on screen (after showResult, until the next begin).
    bool showsResult() const;

Q_SIGNALS:
    void accuseRequested();
    void submitted();
    void revealRequested();

private:
    QStackedWidget* m_stack;
    QLabel* m_title;
    QLabel* m_description;
    QLabel* m_clock;
    QListWidget* m_accused;
    QPushButton* m_submit;
    QTextBrowser* m_result;
    QTimer* m_tick;
    qint64 m_seconds = 0;
};

} // namespace dscope::views
