// SPDX-License-Identifier: MIT
// File > Export report: the dialog and the report controller build the preview and write HTML, PDF and OCSF JSON
// off the GUI thread, with the triage recorded since the alerts were shown; an unwritable place says so.
#include "engine.h"
#include "exportreportdialog.h"
#include "reportcontroller.h"
#include "ruleset.h"
#include "storage/alertstore.h"
#include "storage/database.h"
#include "storage/schema.h"
#include "views_helpers.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>

using namespace dscope;

class TestExportReport : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private Q_SLOTS:
    void previewAndExport()
    {
        const QString casePath =
            testing::importCase(m_dir, QStringLiteral(DSCOPE_TEST_DATA "/chain/attack-chain.jsonl"));
        QVERIFY(!casePath.isEmpty());
        std::string error;
        auto rules = detection::RuleSet::fromFile(QStringLiteral(DSCOPE_TEST_DATA "/../../resources/rules/rules.json"), error);
        QVERIFY(rules);
        detection::Engine engine(std::move(*rules));
        detection::EngineOptions options;
        options.persist = true;
        const model::AlertSetPtr alerts = engine.run(casePath.toStdString(), options, nullptr, {}, error);
        QVERIFY(alerts && !alerts->alerts.empty());
        // A decision recorded after the snapshot: the report shows it.
        {
            model::Database db;
            QVERIFY(db.open(casePath.toStdString()) && model::schema::prepareForWriting(db, error));
            QVERIFY(model::alertstore::setTriage(db, alerts->alerts.front().caseId,
                                                 {model::TriageState::TruePositive, "seen", "carol", 1700000000000}, error));
        }
        app::ReportController controller;
        controller.setCase(casePath);
        controller.setAlerts(alerts);
        views::ExportReportDialog dialog(QStringLiteral("demo.dscase"), {QStringLiteral("SIMULATED-WS01.demo.invalid")},
                                         m_dir.filePath(QStringLiteral("out/demo-report")));
        QObject::connect(&dialog, &views::ExportReportDialog::previewRequested, &controller, &app::ReportController::preview);
        QObject::connect(&controller, &app::ReportController::previewReady, &dialog, &views::ExportReportDialog::showPreview);
        QObject::connect(&dialog, &views::ExportReportDialog::exportRequested, &controller, [&] {
            controller.exportReport({dialog.options(), dialog.htmlPath(), dialog.pdfPath(), dialog.jsonPath()});
        });
        QObject::connect(&controller, &app::ReportController::exported, &dialog, &views::ExportReportDialog::showResult);
        dialog.show();

        QSignalSpy preview(&controller, &app::ReportController::previewReady);
        controller.preview(dialog.options());
        QVERIFY(preview.wait(10000));
        const QString html = preview.first().at(0).toString();
        QVERIFY(html.contains(QLatin1String("Case report: demo.dscase")));
        QVERIFY(html.contains(QLatin1String("recorded by carol")));
        QVERIFY(dialog.findChild<QTextBrowser*>()->toPlainText().contains(QLatin1String("Alerts by severity")));
        dialog.grab().save(testing::screenshotDir() + QStringLiteral("/export-report.png")); // for a person to look at

        // Into a folder that does not exist: nothing is written, and the dialog says why.
        QSignalSpy exported(&controller, &app::ReportController::exported);
        QPushButton* exportButton = nullptr;
        for (auto* b : dialog.findChildren<QPushButton*>())
            if (b->text() == QLatin1String("&Export"))
                exportButton = b;
        QVERIFY(exportButton);
        exportButton->click();
        QVERIFY(exported.wait(30000));
        QVERIFY(!exported.last().at(1).toString().isEmpty());
        QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("out/demo-report.html"))));

        // Into the temporary folder: the three files, whole.
        dialog.findChild<QLineEdit*>()->setText(m_dir.filePath(QStringLiteral("demo-report")));
        exportButton->click();
        QVERIFY(exported.wait(60000));
        QCOMPARE(exported.last().at(1).toString(), QString());
        QCOMPARE(exported.last().at(0).toStringList().size(), 3);
        QFile pdf(m_dir.filePath(QStringLiteral("demo-report.pdf")));
        QVERIFY(pdf.open(QIODevice::ReadOnly));
        QVERIFY(pdf.read(5) == "%PDF-");
        QVERIFY(QFileInfo(m_dir.filePath(QStringLiteral("demo-report.html"))).size() > 10000);
        QVERIFY(QFileInfo(m_dir.filePath(QStringLiteral("demo-report.json"))).size() > 1000);
    }
};

QTEST_MAIN(TestExportReport)
#include "tst_exportreport.moc"
