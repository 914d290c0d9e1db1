// SPDX-License-Identifier: MIT
// Tools > Export rules: the controller knows the described rules and writes their text; the dialog previews the
// chosen rules in the chosen language (EQL switching to ECS names), copies, and saves one file per rule off the GUI
// thread; looked at as a PNG.
#include "ruleexportcontroller.h"
#include "ruleexportdialog.h"
#include "views_helpers.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDir>
#include <QListWidget>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace dscope;

class TestRuleExportDialog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void previewsCopiesAndSaves()
    {
        app::RuleExportController controller;
        QString error;
        QVERIFY2(controller.load(error), qPrintable(error));
        const auto rules = controller.exportableRules();
        QStringList ids;
        for (const auto& r : rules)
            ids << r.first;
        QVERIFY(ids.contains(QStringLiteral("R1")) && ids.contains(QStringLiteral("R8")));

        views::RuleExportDialog dialog(rules, {QStringLiteral("R1")});
        auto refresh = [&] {
            QString note;
            dialog.setPreview(controller.exportText(dialog.chosenRules(), dialog.format(), dialog.fields(), &note), note);
        };
        connect(&dialog, &views::RuleExportDialog::previewRequested, &dialog, refresh);
        refresh();
        dialog.show();
        QCOMPARE(dialog.chosenRules(), QStringList{QStringLiteral("R1")});
        QVERIFY(dialog.previewText().contains(QLatin1String("FROM handle a JOIN thread b")));
        auto* format = dialog.findChild<QComboBox*>(QStringLiteral("exportFormat"));
        auto* fields = dialog.findChild<QComboBox*>(QStringLiteral("exportFields"));
        format->setCurrentIndex(format->findData(QStringLiteral("sigma")));
        QVERIFY(dialog.previewText().contains(QLatin1String("type: temporal_ordered")));
        format->setCurrentIndex(format->findData(QStringLiteral("eql")));
        QCOMPARE(dialog.fields(), QStringLiteral("ecs"));
        QVERIFY(dialog.previewText().contains(QLatin1String("sequence by host.name")));
        // Ticking R7 adds it; EQL cannot count, and the note says so.
        auto* list = dialog.findChild<QListWidget*>(QStringLiteral("exportRules"));
        for (int i = 0; i < list->count(); ++i)
            if (list->item(i)->data(Qt::UserRole).toString() == QLatin1String("R7"))
                list->item(i)->setCheckState(Qt::Checked);
        QVERIFY(dialog.previewText().contains(QLatin1String("Doppelscope rule R7")));
        QString note;
        controller.exportText(dialog.chosenRules(), dialog.format(), dialog.fields(), &note);
        QVERIFY2(note.contains(QLatin1String("R7")), qPrintable(note));
        fields->setCurrentIndex(0);
        for (auto* b : dialog.findChildren<QPushButton*>())
            if (b->text() == QLatin1String("&Copy"))
                b->click();
        QCOMPARE(QApplication::clipboard()->text(), dialog.previewText());
        dialog.grab().save(QDir(testing::screenshotDir()).filePath(QStringLiteral("rule-export.png")));

        QTemporaryDir dir;
        QSignalSpy saved(&controller, &app::RuleExportController::saved);
        controller.save(dialog.chosenRules(), QStringLiteral("spl"), QStringLiteral("raw"), dir.filePath(QStringLiteral("spl")));
        QVERIFY(saved.wait(10000));
        QCOMPARE(saved.first().at(0).toInt(), 2);
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("spl/R1.spl"))));
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("spl/R7.spl"))));
        // A folder that cannot be made: failed(), with the reason.
        QFile blocker(dir.filePath(QStringLiteral("file")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        QSignalSpy failed(&controller, &app::RuleExportController::failed);
        controller.save(dialog.chosenRules(), QStringLiteral("spl"), QStringLiteral("raw"), dir.filePath(QStringLiteral("file/sub")));
        QVERIFY(failed.wait(10000));
        QVERIFY(failed.first().at(0).toString().contains(QLatin1String("file/sub")));
    }
};

QTEST_MAIN(TestRuleExportDialog)
#include "tst_ruleexportdialog.moc"
