// SPDX-License-Identifier: MIT
#pragma once

#include <QDialog>
#include <QString>

#include <utility>
#include <vector>

class QComboBox;
class QLabel;
class QListWidget;
class QPlainTextEdit;

namespace dscope::views {

/**
 * Tools > Export rules: which rules, in which query language (Spark SQL, Sigma, Splunk SPL, Elastic EQL, KQL) and over
 * which field names, with the text shown as it will be written; Copy puts it on the clipboard, Save writes one file
 * per rule into a folder. The text comes from whoever owns the rules (previewRequested, then setPreview).
 */
class RuleExportDialog : public QDialog
{
    Q_OBJECT
public:
    /// `rules`: (id, name) of each rule that can be exported; `checked` are ticked at the start.
    RuleExportDialog(const std::vector<std::pair<QString, QString>>& rules, const QStringList& checked, QWidget* parent = nullptr);

    QStringList chosenRules() const;
    QString format() const;  ///< "sparksql", "sigma", "spl", "eql", "kql"
    QString fields() const;  ///< "raw", "ecs", "ossem"
    void setPreview(const QString& text, const QString& note);
    QString previewText() const;

Q_SIGNALS:
    /// The choice changed: the text for it is wanted.
    void previewRequested();
    /// Save into this folder.
    void saveRequested(const QString& folder);

private:
    QListWidget* m_rules;
    QComboBox* m_format;
    QComboBox* m_fields;
    QPlainTextEdit* m_preview;
    QLabel* m_note;
};

} // namespace dscope::views
