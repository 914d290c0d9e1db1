// SPDX-License-Identifier: MIT
// File > Case inputs: the inputs model (counts, sorting, what needs attention, reasons, copied text) and the dialog
// over a real import of good, damaged and unreadable inputs.
#include "views_helpers.h"

#include "caseinputsdialog.h"
#include "import/importer.h"
#include "itemmodels/inputlistmodel.h"
#include "itemmodels/plaintooltip.h"
#include "storage/caseinfo.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QClipboard>
#include <QCryptographicHash>
#include <QFile>
#include <QPushButton>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace dscope;
using model::InputListModel;
using model::InputRow;

namespace {

InputRow row(std::string path, std::string status, int64_t events, int64_t skipped, std::string errors = "[]")
{
    InputRow r;
    r.path = std::move(path);
    r.status = model::parseInputStatus(status);
    r.events = events;
    r.skipped = skipped;
    r.errorsJson = std::move(errors);
    r.format = "evtx";
    r.layout = "evtx-3.1";
    r.sha256 = std::string(64, 'a');
    r.size = 70000;
    return r;
}

void writeFile(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

QByteArray sha256Hex(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex()
                                       : QByteArray();
}

} // namespace

class TestCaseInputs : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void modelCountsSortsAndFlags()
    {
        InputListModel m;
        QAbstractItemModelTester tester(&m, QAbstractItemModelTester::FailureReportingMode::QtTest);
        m.setInputs({row("/e/a.evtx", "complete", 10, 0),
                     row("/e/b.evtx", "complete", 9, 0,
                         R"([{"position":4096,"message":"chunk 0 at offset 4096: event records checksum mismatch; records read individually","warning":true}])"),
                     row("/e/c.evtx", "complete", 100, 2,
                         R"([{"position":69632,"message":"chunk 1 at offset 69632: bad chunk signature"}])"),
                     row("/e/notes.txt", "failed", 0, 0)});
        QCOMPARE(m.rowCount(), 4);
        QCOMPARE(m.index(0, InputListModel::ColFormat).data().toString(), QStringLiteral("evtx [evtx-3.1]"));
        QCOMPARE(m.index(2, InputListModel::ColEvents).data(InputListModel::SortRole).toLongLong(), 100);
        // Numbers sort as numbers: 9 before 10 before 100.
        QSortFilterProxyModel sorted;
        sorted.setSourceModel(&m);
        sorted.setSortRole(InputListModel::SortRole);
        sorted.sort(InputListModel::ColEvents);
        QCOMPARE(sorted.index(0, InputListModel::ColPath).data().toString(), QStringLiteral("/e/notes.txt"));
        QCOMPARE(sorted.index(1, InputListModel::ColPath).data().toString(), QStringLiteral("/e/b.evtx"));
        QCOMPARE(sorted.index(3, InputListModel::ColPath).data().toString(), QStringLiteral("/e/c.evtx"));
        // What needs attention: a warning alone, a skip, a failure; not a clean input.
        QStringList flags;
        for (int r = 0; r < 4; ++r)
            flags << m.index(r, 0).data(InputListModel::ProblemRole).toString();
        QCOMPARE(flags, QStringList({QStringLiteral("0"), QStringLiteral("1"), QStringLiteral("1"), QStringLiteral("1")}));
        QCOMPARE(model::inputIssues(m.inputs()[1]),
                 QStringList{QStringLiteral("warning: chunk 0 at offset 4096: event records checksum mismatch; records "
                                            "read individually")});
        QCOMPARE(model::inputIssues(m.inputs()[2]),
                 QStringList{QStringLiteral("chunk 1 at offset 69632: bad chunk signature")});
        QVERIFY(model::inputIssues(row("x", "complete", 1, 0, "not json")).isEmpty());
    }

    void toolTipsShowLogTextAsItIs()
    {
        // Qt renders a tool tip as rich text when it looks like markup: "<!--" would hide the rest of a path.
        InputListModel m;
        m.setInputs({row("/e/a.evtx <!-- hidden <b>x</b>", "complete", 1, 0)});
        const QString tip = m.index(0, InputListModel::ColPath).data(Qt::ToolTipRole).toString();
        QVERIFY2(tip.contains(QLatin1String("/e/a.evtx &lt;!-- hidden &lt;b&gt;x&lt;/b&gt;")), qPrintable(tip));
        QVERIFY(!tip.contains(QLatin1String("<!--")));
        QVERIFY(!tip.contains(QLatin1String("<b>")));
        QCOMPARE(model::plainToolTip(QString()), QString());
        QVERIFY(model::plainToolTip(QStringLiteral("a\nb")).contains(QLatin1String("a\nb"))); // line breaks kept
    }

    void copiedTableKeepsItsColumns()
    {
        // A path may hold tabs and line breaks: pasted into a sheet, it must stay one cell.
        InputListModel m;
        m.setInputs({row("/e/odd\tname\nx.evtx", "complete", 1234567, 3)});
        const QStringList lines = m.toTsv({0}).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 2);
        QCOMPARE(lines[0].split(QLatin1Char('\t')).size(), int(InputListModel::ColumnCount));
        const QStringList cells = lines[1].split(QLatin1Char('\t'));
        QCOMPARE(cells.size(), int(InputListModel::ColumnCount));
        QCOMPARE(cells[InputListModel::ColPath], QStringLiteral("/e/odd name x.evtx"));
        QCOMPARE(cells[InputListModel::ColEvents], QStringLiteral("1234567")); // no thousands separator
        QCOMPARE(cells[InputListModel::ColSkipped], QStringLiteral("3"));
        QCOMPARE(cells[InputListModel::ColSize], QStringLiteral("70000"));
    }

    void dialogShowsARealImport()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString good = dir.filePath(QStringLiteral("good.jsonl"));
        // A hostile name: markup, and a placeholder that a second QString::arg() would fill.
        const QString bad = dir.filePath(QStringLiteral("bad %2 <b>x.jsonl"));
        const QString junk = dir.filePath(QStringLiteral("notes.txt"));
        const QByteArray line = R"({"EventID":1,"Channel":"Microsoft-Windows-Sysmon/Operational","Hostname":"H",)"
                                R"("UtcTime":"2020-01-01 00:00:00.000","ProcessGuid":"{11111111-2222-3333-4444-555555555555}"})";
        writeFile(good, line + "\n" + line + "\n");
        writeFile(bad, line + "\n{not json\n" + line + "\n");
        writeFile(junk, "plain text, not a log\n");
        const QString casePath = dir.filePath(QStringLiteral("inputs.dscase"));
        const auto summary = model::Importer(casePath.toStdString())
                                 .run({good.toStdString(), bad.toStdString(), junk.toStdString()});
        QVERIFY(summary.fatal.empty());
        model::CaseInfo info;
        std::string error;
        QVERIFY2(model::loadCaseInfo(casePath.toStdString(), info, error), error.c_str());
        QCOMPARE(info.inputs.size(), size_t(3));

        views::CaseInputsDialog dialog;
        dialog.setInfo(casePath, info);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        const QString summaryText = dialog.summaryText();
        QVERIFY2(summaryText.contains(QStringLiteral("3 input(s)")), qPrintable(summaryText));
        QVERIFY2(summaryText.contains(QStringLiteral("2 complete")), qPrintable(summaryText));
        QVERIFY2(summaryText.contains(QStringLiteral("1 failed")), qPrintable(summaryText));
        QVERIFY2(summaryText.contains(QStringLiteral("4 events")), qPrintable(summaryText));
        QVERIFY2(summaryText.contains(QStringLiteral("1 skipped")), qPrintable(summaryText));
        QCOMPARE(dialog.table()->model()->rowCount(), 3);

        dialog.setProblemsOnly(true);
        QCOMPARE(dialog.table()->model()->rowCount(), 2); // the damaged file and the unreadable one
        dialog.selectFirstProblem();
        const QString firstProblem = dialog.selectedSha256();
        QVERIFY(firstProblem.toLatin1() == sha256Hex(bad) || firstProblem.toLatin1() == sha256Hex(junk));
        // Inputs are listed in the order the importer began them, which two parser threads do not fix.
        auto selectPath = [&](const QString& path) {
            const QAbstractItemModel* shown = dialog.table()->model();
            for (int r = 0; r < shown->rowCount(); ++r)
                if (shown->index(r, InputListModel::ColPath).data().toString() == path)
                    dialog.table()->selectRow(r);
            return dialog.issuesText();
        };
        const QString issues = selectPath(bad);
        QCOMPARE(dialog.selectedSha256().toLatin1(), sha256Hex(bad));
        QVERIFY2(issues.startsWith(QStringLiteral("bad %2 <b>x.jsonl: 1 reason(s):")), qPrintable(issues));
        QVERIFY2(issues.contains(QStringLiteral("line 2:")), qPrintable(issues));
        const QString failure = selectPath(junk);
        QVERIFY2(failure.contains(QStringLiteral("not a recognised event log format")), qPrintable(failure));

        // Copy table: the rows shown, tab-separated, with the hash of each.
        dialog.setProblemsOnly(false);
        QPushButton* copy = nullptr;
        for (auto* b : dialog.findChildren<QPushButton*>())
            if (b->text() == QLatin1String("Copy table"))
                copy = b;
        QVERIFY(copy);
        copy->click();
        const QString copied = QApplication::clipboard()->text();
        QCOMPARE(copied.count(QLatin1Char('\n')), 4);
        QVERIFY(copied.contains(QString::fromLatin1(sha256Hex(good))));
        QVERIFY(copied.contains(QString::fromLatin1(sha256Hex(junk))));

        // Double-click asks for that input's events, by its id in the case.
        QSignalSpy wanted(&dialog, &views::CaseInputsDialog::eventsOfInputRequested);
        const QAbstractItemModel* shown = dialog.table()->model();
        for (int r = 0; r < shown->rowCount(); ++r) {
            if (shown->index(r, InputListModel::ColPath).data().toString() != good)
                continue;
            const QRect cell = dialog.table()->visualRect(shown->index(r, InputListModel::ColEvents));
            QTest::mouseClick(dialog.table()->viewport(), Qt::LeftButton, {}, cell.center());
            QTest::mouseDClick(dialog.table()->viewport(), Qt::LeftButton, {}, cell.center());
        }
        QCOMPARE(wanted.count(), 1);
        int64_t goodId = -1;
        for (const auto& in : info.inputs)
            if (QString::fromStdString(in.path) == good)
                goodId = in.id;
        QCOMPARE(wanted.first().at(0).toLongLong(), goodId);
        QCOMPARE(wanted.first().at(1).toString(), good);

        // A refresh (after another import) keeps the selected input selected.
        dialog.table()->selectRow(2);
        const QString selected = dialog.selectedSha256();
        dialog.setInfo(casePath, info);
        QCOMPARE(dialog.selectedSha256(), selected);

        const QString shot = testing::screenshotDir() + QStringLiteral("/case-inputs.png");
        QVERIFY(dialog.grab().save(shot));
    }
};

QTEST_MAIN(TestCaseInputs)
#include "tst_caseinputs.moc"
