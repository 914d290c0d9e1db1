// SPDX-License-Identifier: MIT
#pragma once

#include <QDialog>

class QLabel;

namespace dscope::views {

class MaskPanel;

/// Tools > Access mask calculator: two masks side by side, by default the draft strategy's 0x1440 and the 0x143A
/// its six listed rights add up to, with the bits that differ spelled out.
class MaskCalculatorDialog : public QDialog
{
    Q_OBJECT
public:
    explicit MaskCalculatorDialog(QWidget* parent = nullptr);

    MaskPanel* left() const { return m_left; }
    MaskPanel* right() const { return m_right; }
    QString differenceText() const;

private:
    void updateDifference();

    MaskPanel* m_left;
    MaskPanel* m_right;
    QLabel* m_difference;
};

} // namespace dscope::views
