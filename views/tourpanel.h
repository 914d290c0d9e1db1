// SPDX-License-Identifier: MIT
#pragma once

#include <QStringList>
#include <QWidget>

class QLabel;
class QPushButton;

namespace dscope::views {

/**
 * The guided tour's side panel: one step at a time (its title and what to notice), Back and Next (also Alt+Left and
 * Alt+Right), and Close. The steps come from resources/tour/tour.json; the window selects what each step's focus
 * names when the step is shown.
 */
class TourPanel : public QWidget
{
    Q_OBJECT
public:
    explicit TourPanel(QWidget* parent = nullptr);

    int stepCount() const { return int(m_focus.size()); }
    int step() const { return m_step; }
    /// Shows step `index` (clamped) and announces it.
    void setStep(int index);
    QString focusOf(int index) const { return m_focus.value(index); }

Q_SIGNALS:
    void stepShown(int index, const QString& focus);
    void closed();

private:
    QStringList m_focus;
    QStringList m_titles;
    QStringList m_texts;
    QLabel* m_title;
    QLabel* m_text;
    QLabel* m_position;
    QPushButton* m_back;
    QPushButton* m_next;
    int m_step = -1;
};

} // namespace dscope::views
