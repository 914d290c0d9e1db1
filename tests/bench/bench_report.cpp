// SPDX-License-Identifier: MIT
// Report benchmark: a case with N alerts (default 1,000; each with 12 evidence events, two masks, a triage, ticked
// checklist items and history) written as HTML, OCSF JSON and PDF. Prints each format's time and size; the target
// is the whole report in under 5 s. Reference in the same run: writing the same HTML bytes to disk.
//
//   bench_report [--alerts N]
#include "pdfreport.h"
#include "report/casereport.h"
#include "report/htmlreport.h"
#include "report/ocsfreport.h"
#include "storage/alertstore.h"
#include "storage/database.h"
#include "storage/schema.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTextStream>

using namespace dscope;
using namespace dscope::model;

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    int count = 1000;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); ++i)
        if (args.at(i) == QLatin1String("--alerts"))
            count = args.at(i + 1).toInt();
    QTextStream out(stdout);
    QTemporaryDir dir;
    std::string error;
    Database db;
    if (!db.open(dir.filePath(QStringLiteral("bench.dscase")).toStdString()) || !schema::prepareForWriting(db, error)) {
        std::fprintf(stderr, "cannot create the case: %s\n", error.c_str());
        return 1;
    }
    // The checklists file of this source tree, as bench_detection finds the rule file.
    const QString checklistsPath = QFileInfo(QStringLiteral(__FILE__)).absolutePath()
                                   + QStringLiteral("/../../resources/checklists/checklists.json");
    auto lists = Checklists::load(checklistsPath.toStdString(), error);
    if (!lists) {
        std::fprintf(stderr, "no checklists: %s\n", error.c_str());
        return 1;
    }
    AlertSet set;
    for (int i = 0; i < count; ++i) {
        Alert a;
        a.ruleId = "R" + std::to_string(1 + i % 8);
        a.ruleName = "Injection handle followed by a remote thread into the same process";
        a.technique = "T1055";
        a.severity = Severity(i % 4);
        a.host = "HOST-" + std::to_string(i % 25);
        a.source = {"source-guid-" + std::to_string(i), 1000 + i, "C:\\Users\\u\\AppData\\Local\\Temp\\tool" + std::to_string(i) + ".exe"};
        a.target = {"target-guid-" + std::to_string(i), 2000 + i, "C:\\Windows\\System32\\notepad.exe"};
        a.firstUtcMs = 1'700'000'000'000 + int64_t(i) * 60'000;
        a.lastUtcMs = a.firstUtcMs + 9'000;
        a.count = 12;
        a.checklistKey = i % 3 == 0 ? "tampering" : "injection";
        a.explanation = "Sysmon 10 opened the target with 0x1f3fff, which includes PROCESS_CREATE_THREAD | "
                        "PROCESS_VM_OPERATION | PROCESS_VM_WRITE; then 11 remote threads followed, 1.2 s later.";
        for (int e = 0; e < 12; ++e)
            a.evidence.push_back({int64_t(i) * 12 + e, "C:\\logs\\Sysmon-" + std::to_string(i % 7) + ".evtx", 5000 + e, -1,
                                  e == 0 ? 10 : 8, a.firstUtcMs + e * 750, e == 0 ? "handle" : "thread"});
        a.masks = {{0x1f3fff, access::ObjectType::Process, "PROCESS_ALL_ACCESS"}, {0x1fffff, access::ObjectType::Process, "PROCESS_ALL_ACCESS"}};
        set.alerts.push_back(std::move(a));
    }
    if (!alertstore::merge(db, set, {}, 3, 1'700'000'000'000, error)) {
        std::fprintf(stderr, "cannot store the alerts: %s\n", error.c_str());
        return 1;
    }
    for (int i = 0; i < count; ++i) {
        const int64_t id = set.alerts[size_t(i)].caseId;
        alertstore::setTriage(db, id, {TriageState(i % 5), i % 5 >= 3 ? "reason " + std::to_string(i) : "", "alice", 1'700'000'100'000}, error);
        alertstore::setChecklistItem(db, id, {"inj-preserve", true, "alice", 1'700'000'200'000, "dump taken"}, error);
    }
    ReportOptions options;
    options.caseName = "bench.dscase";
    options.generator = "Doppelscope bench";
    options.ruleSetVersion = 3;
    options.generatedUtcMs = 1'700'000'300'000;

    QElapsedTimer t;
    t.start();
    CaseReport report;
    if (!buildCaseReport(db, set, std::make_shared<const Checklists>(std::move(*lists)), options, report, error)) {
        std::fprintf(stderr, "%s\n", error.c_str());
        return 1;
    }
    const double readS = double(t.nsecsElapsed()) / 1e9;
    t.restart();
    const std::string html = renderHtmlReport(report);
    const double htmlS = double(t.nsecsElapsed()) / 1e9;
    t.restart();
    const std::string json = renderOcsfReport(report);
    const double jsonS = double(t.nsecsElapsed()) / 1e9;
    t.restart();
    QFile copy(dir.filePath(QStringLiteral("copy.html")));
    copy.open(QIODevice::WriteOnly);
    copy.write(html.data(), qint64(html.size()));
    copy.close();
    const double writeS = double(t.nsecsElapsed()) / 1e9;
    t.restart();
    int pages = 0;
    QString pdfError;
    const bool pdfOk = views::writePdfReport(report, dir.filePath(QStringLiteral("bench.pdf")), &pages, pdfError);
    const double pdfS = double(t.nsecsElapsed()) / 1e9;
    const double total = readS + htmlS + jsonS + pdfS;
    out << count << " alerts\n"
        << "read from the case: " << QString::number(readS, 'f', 3) << " s\n"
        << "HTML: " << QString::number(htmlS, 'f', 3) << " s, " << html.size() / 1024 << " KiB (writing those bytes: "
        << QString::number(writeS, 'f', 3) << " s)\n"
        << "OCSF JSON: " << QString::number(jsonS, 'f', 3) << " s, " << json.size() / 1024 << " KiB\n"
        << "PDF: " << QString::number(pdfS, 'f', 3) << " s, " << pages << " pages" << (pdfOk ? QString() : QStringLiteral(" FAILED: ") + pdfError) << '\n'
        << "all formats: " << QString::number(total, 'f', 2) << " s (target < 5)\n";
    return pdfOk && total < 5 ? 0 : 1;
}
