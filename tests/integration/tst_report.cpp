// SPDX-License-Identifier: MIT
// Case reports. A case of corpus files plus crafted events whose image path, command line, user and host hold
// markup, script, a Markdown link and a 100 KB string is reported as HTML, OCSF JSON and PDF:
// - the HTML holds only the elements and attributes the report itself writes, and the hostile strings as text;
// - every finding carries the OCSF Detection Finding attributes listed in tests/data/ocsf, with valid values;
// - triage, checklist state and history recorded in the case are in both;
// - the PDF has pages, the case name and page numbers (pdftotext), and the HTML renders in headless Chromium with
//   the hostile strings visible as text (both skipped, saying why, where the tools are missing).
#include "engine.h"
#include "import/importer.h"
#include "report/casereport.h"
#include "report/htmlreport.h"
#include "report/ocsfreport.h"
#include "ruleset.h"
#include "storage/alertstore.h"
#include "storage/annotationstore.h"
#include "storage/database.h"
#include "storage/schema.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <set>

using namespace dscope;
using namespace dscope::model;

namespace {

const QString kResources = QStringLiteral(DSCOPE_TEST_DATA "/../../resources");
const QString kScript = QStringLiteral("<script>alert(1)</script>");
const QString kImg = QStringLiteral("<img src=x onerror=alert(2)>");
const QString kLink = QStringLiteral("[click](javascript:alert(3))");

/// An R1 chain (Sysmon 10 with injection rights, then Sysmon 8) whose strings are hostile.
QByteArray hostileEvents()
{
    const QString image = QString(QStringLiteral("C:\\Users\\x\\") + kScript + kImg + kLink + QStringLiteral(".exe"));
    const QString huge = QString(100 * 1024, QLatin1Char('A'));
    auto line = [](const QJsonObject& o) {
        QByteArray text = QJsonDocument(o).toJson(QJsonDocument::Compact);
        text.append('\n');
        return text;
    };
    QJsonObject start{{QStringLiteral("EventID"), 1},
                      {QStringLiteral("Channel"), QStringLiteral("Microsoft-Windows-Sysmon/Operational")},
                      {QStringLiteral("Hostname"), QStringLiteral("EVIL<b>HOST</b>")},
                      {QStringLiteral("UtcTime"), QStringLiteral("2024-01-02 03:04:05.000")},
                      {QStringLiteral("ProcessGuid"), QStringLiteral("{aaaaaaaa-0000-0000-0000-000000000001}")},
                      {QStringLiteral("ProcessId"), QStringLiteral("4242")},
                      {QStringLiteral("Image"), image},
                      {QStringLiteral("CommandLine"), QString(QStringLiteral("=1+2 ") + kScript + kLink + huge)},
                      {QStringLiteral("User"), QString(QStringLiteral("CORP\\") + kImg)}};
    QJsonObject access{{QStringLiteral("EventID"), 10},
                       {QStringLiteral("Channel"), QStringLiteral("Microsoft-Windows-Sysmon/Operational")},
                       {QStringLiteral("Hostname"), QStringLiteral("EVIL<b>HOST</b>")},
                       {QStringLiteral("UtcTime"), QStringLiteral("2024-01-02 03:04:06.000")},
                       {QStringLiteral("SourceProcessGUID"), QStringLiteral("{aaaaaaaa-0000-0000-0000-000000000001}")},
                       {QStringLiteral("SourceProcessId"), QStringLiteral("4242")},
                       {QStringLiteral("SourceImage"), image},
                       {QStringLiteral("TargetProcessGUID"), QStringLiteral("{bbbbbbbb-0000-0000-0000-000000000002}")},
                       {QStringLiteral("TargetProcessId"), QStringLiteral("777")},
                       {QStringLiteral("TargetImage"), QStringLiteral("C:\\Windows\\System32\\notepad.exe")},
                       {QStringLiteral("GrantedAccess"), QStringLiteral("0x1F3FFF")},
                       {QStringLiteral("CallTrace"), QStringLiteral("C:\\Windows\\SYSTEM32\\ntdll.dll+9d234|UNKNOWN(00000000004A1234)")}};
    QJsonObject thread{{QStringLiteral("EventID"), 8},
                       {QStringLiteral("Channel"), QStringLiteral("Microsoft-Windows-Sysmon/Operational")},
                       {QStringLiteral("Hostname"), QStringLiteral("EVIL<b>HOST</b>")},
                       {QStringLiteral("UtcTime"), QStringLiteral("2024-01-02 03:04:07.000")},
                       {QStringLiteral("SourceProcessGuid"), QStringLiteral("{aaaaaaaa-0000-0000-0000-000000000001}")},
                       {QStringLiteral("SourceProcessId"), QStringLiteral("4242")},
                       {QStringLiteral("SourceImage"), image},
                       {QStringLiteral("TargetProcessGuid"), QStringLiteral("{bbbbbbbb-0000-0000-0000-000000000002}")},
                       {QStringLiteral("TargetProcessId"), QStringLiteral("777")},
                       {QStringLiteral("TargetImage"), QStringLiteral("C:\\Windows\\System32\\notepad.exe")},
                       {QStringLiteral("StartAddress"), QStringLiteral("0x00000000004A0000")},
                       {QStringLiteral("StartModule"), QStringLiteral("-")},
                       {QStringLiteral("StartFunction"), QStringLiteral("-")}};
    QByteArray all = line(start);
    all.append(line(access));
    all.append(line(thread));
    return all;
}

QJsonValue at(const QJsonValue& root, const QString& path)
{
    QJsonValue v = root;
    for (const QString& part : path.split(QLatin1Char('.'))) {
        bool isIndex = false;
        const int index = part.toInt(&isIndex);
        v = isIndex ? v.toArray().at(index) : v.toObject().value(part);
        if (v.isUndefined())
            return v;
    }
    return v;
}

} // namespace

class TestReport : public QObject
{
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_case;
    CaseReport m_report;
    std::string m_html;

private Q_SLOTS:
    void initTestCase()
    {
        const QString hostile = m_dir.filePath(QStringLiteral("hostile.jsonl"));
        QFile f(hostile);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(hostileEvents());
        f.close();
        std::vector<std::string> inputs{hostile.toStdString()};
        const QString corpus = QStringLiteral(DSCOPE_DATASETS "/EVTX-ATTACK-SAMPLES/Defense Evasion/"
                                              "de_unmanagedpowershell_psinject_sysmon_7_8_10.evtx");
        if (QFile::exists(corpus))
            inputs.push_back(corpus.toStdString()); // without the corpus, the crafted events alone
        m_case = m_dir.filePath(QStringLiteral("report.dscase"));
        const ImportSummary s = Importer(m_case.toStdString()).run(inputs);
        QVERIFY2(s.fatal.empty(), s.fatal.c_str());

        std::string error;
        auto rules = detection::RuleSet::fromFile(kResources + QStringLiteral("/rules/rules.json"), error);
        QVERIFY2(rules, error.c_str());
        const int version = rules->version();
        detection::Engine engine(std::move(*rules));
        detection::EngineOptions options;
        options.persist = true;
        AlertSetPtr alerts = engine.run(m_case.toStdString(), options, nullptr, {}, error);
        QVERIFY2(alerts, error.c_str());
        const auto hostileAlert = std::find_if(alerts->alerts.begin(), alerts->alerts.end(), [](const Alert& a) {
            return a.ruleId == "R1" && a.host.find("EVIL") != std::string::npos;
        });
        QVERIFY2(hostileAlert != alerts->alerts.end(), "the crafted chain raised no R1 alert");

        // What an analyst records, hostile too: it is stored, and reported as text.
        Database db;
        QVERIFY(db.open(m_case.toStdString()) && schema::prepareForWriting(db, error));
        QVERIFY(alertstore::setTriage(db, hostileAlert->caseId,
                                      {TriageState::TruePositive, kLink.toStdString(), "alice<script>", 1700000000000}, error));
        QVERIFY(alertstore::setChecklistItem(db, hostileAlert->caseId,
                                             {"inj-preserve", true, "alice", 1700000001000, kImg.toStdString()}, error));
        // Notes, tags and a bookmark on the alert, its source process and its first evidence event.
        Annotation onAlert;
        onAlert.kind = Annotation::Kind::Alert;
        onAlert.ref = std::to_string(hostileAlert->caseId);
        onAlert.note = kScript.toStdString() + " seen on the file server too";
        onAlert.tags = {"c2", "apt<x>"};
        onAlert.analyst = "bob<i>";
        onAlert.utcMs = 1700000001500;
        QVERIFY2(annotationstore::save(db, onAlert, error), error.c_str());
        Annotation onSource;
        onSource.kind = Annotation::Kind::Process;
        onSource.ref = processRef(hostileAlert->host, hostileAlert->source.guid);
        onSource.note = kLink.toStdString();
        onSource.analyst = "bob";
        onSource.utcMs = 1700000001600;
        QVERIFY2(annotationstore::save(db, onSource, error), error.c_str());
        Annotation onEvent;
        onEvent.kind = Annotation::Kind::Event;
        onEvent.ref = std::to_string(hostileAlert->evidence.front().eventRowId);
        onEvent.bookmark = true;
        onEvent.tags = {"first-access"};
        onEvent.analyst = "bob";
        onEvent.utcMs = 1700000001700;
        QVERIFY2(annotationstore::save(db, onEvent, error), error.c_str());
        db.close();
        alerts = engine.run(m_case.toStdString(), options, nullptr, {}, error); // triage comes back from the case
        QVERIFY(alerts);

        auto checklists = Checklists::load(QString(kResources + QStringLiteral("/checklists/checklists.json")).toStdString(), error);
        QVERIFY2(checklists, error.c_str());
        ReportOptions ro;
        ro.caseName = "report<i>.dscase";
        ro.generator = "Doppelscope test";
        ro.ruleSetVersion = version;
        ro.generatedUtcMs = 1700000002000;
        QVERIFY(db.open(m_case.toStdString(), Database::Mode::ReadOnly));
        QVERIFY2(buildCaseReport(db, *alerts, std::make_shared<const Checklists>(std::move(*checklists)), ro, m_report, error),
                 error.c_str());
        QVERIFY(!m_report.alerts.empty());
        m_html = renderHtmlReport(m_report);
    }

    void htmlHasNoMarkupFromLogs()
    {
        const QString html = QString::fromStdString(m_html);
        // Elements and attributes: only those the report writes.
        static const std::set<QString> elements = {
            QStringLiteral("html"), QStringLiteral("head"), QStringLiteral("meta"),  QStringLiteral("title"),
            QStringLiteral("style"), QStringLiteral("body"), QStringLiteral("h1"),   QStringLiteral("h2"),
            QStringLiteral("h3"),   QStringLiteral("p"),    QStringLiteral("table"), QStringLiteral("tr"),
            QStringLiteral("th"),   QStringLiteral("td"),   QStringLiteral("ul"),    QStringLiteral("li"),
            QStringLiteral("b"),    QStringLiteral("span"), QStringLiteral("div"),   QStringLiteral("svg"),
            QStringLiteral("line"), QStringLiteral("circle"), QStringLiteral("text"), QStringLiteral("br")};
        static const std::set<QString> attributes = {
            QStringLiteral("lang"), QStringLiteral("charset"), QStringLiteral("http-equiv"), QStringLiteral("content"),
            QStringLiteral("class"), QStringLiteral("id"), QStringLiteral("xmlns"), QStringLiteral("width"),
            QStringLiteral("height"), QStringLiteral("viewBox"), QStringLiteral("role"), QStringLiteral("x1"),
            QStringLiteral("y1"), QStringLiteral("x2"), QStringLiteral("y2"), QStringLiteral("stroke"),
            QStringLiteral("stroke-width"), QStringLiteral("cx"), QStringLiteral("cy"), QStringLiteral("r"),
            QStringLiteral("fill"), QStringLiteral("fill-opacity"), QStringLiteral("x"), QStringLiteral("y"),
            QStringLiteral("font-size"), QStringLiteral("text-anchor")};
        static const QRegularExpression tag(QStringLiteral("<([a-zA-Z][a-zA-Z0-9]*)([^>]*)>"));
        static const QRegularExpression attribute(QStringLiteral("([a-zA-Z][a-zA-Z0-9-]*)=\"[^\"]*\""));
        int tags = 0;
        for (auto it = tag.globalMatch(html); it.hasNext();) {
            const auto m = it.next();
            ++tags;
            QVERIFY2(elements.count(m.captured(1)), qPrintable(QStringLiteral("element <%1> came from elsewhere").arg(m.captured(1))));
            QString rest = m.captured(2);
            for (auto a = attribute.globalMatch(rest); a.hasNext();) {
                const QString name = a.next().captured(1);
                QVERIFY2(attributes.count(name), qPrintable(QStringLiteral("attribute %1 in <%2>").arg(name, m.captured(1))));
            }
            rest.remove(attribute);
            rest.remove(QLatin1Char('/'));
            QVERIFY2(rest.trimmed().isEmpty(), qPrintable(QStringLiteral("unquoted attribute text in <%1>: %2").arg(m.captured(1), rest)));
        }
        QVERIFY(tags > 50);
        QVERIFY(!html.contains(QLatin1String("<script"), Qt::CaseInsensitive));
        QVERIFY(!html.contains(QLatin1String("href"), Qt::CaseInsensitive));
        QVERIFY(!html.contains(QLatin1String("](")));
        // The hostile strings are there, as text.
        QVERIFY(html.contains(QLatin1String("&lt;script&gt;alert&#40;1&#41;&lt;/script&gt;")));
        QVERIFY(html.contains(QLatin1String("&lt;img src=x onerror=alert&#40;2&#41;&gt;")));
        QVERIFY(html.contains(QLatin1String("&#91;click&#93;&#40;javascript:alert&#40;3&#41;&#41;")));
        QVERIFY(html.contains(QLatin1String("EVIL&lt;b&gt;HOST&lt;/b&gt;")));
        QVERIFY(html.contains(QLatin1String("alice&lt;script&gt;"))); // the analyst's name, too
        QVERIFY(html.contains(QLatin1String("report&lt;i&gt;.dscase")));
        // Triage, checklist and history of the hostile alert.
        QVERIFY(html.contains(QLatin1String("Triage:</b> true positive")));
        QVERIFY(html.contains(QStringLiteral("<span class=\"done\">\u2713</span>")));
        QVERIFY(html.contains(QLatin1String("checklist: inj-preserve done")));
        // Notes survive the re-run of detection and are reported, escaped, with the alert and in the notes section.
        QCOMPARE(html.count(QLatin1String("&lt;script&gt;alert&#40;1&#41;&lt;/script&gt; seen on the file server too")), 2);
        QVERIFY(html.contains(QLatin1String("&#35;c2 &#35;apt&lt;x&gt;")));
        QVERIFY(html.contains(QLatin1String("bob&lt;i&gt;")));
        QVERIFY(html.contains(QLatin1String("&#91;bookmarked&#93;")));
        QVERIFY(html.contains(QLatin1String("&#35;first-access")));
        QVERIFY(html.contains(QLatin1String("&#91;click&#93;&#40;javascript:alert&#40;3&#41;&#41;")));
        // The process-tree excerpt: the source from its Sysmon 1, with its user and command line.
        QVERIFY(html.contains(QLatin1String("Process tree excerpt")));
        QVERIFY(html.contains(QLatin1String("&#40;source&#41;")));
        QVERIFY(html.contains(QLatin1String("CORP\\&lt;img src=x onerror=alert&#40;2&#41;&gt;")));
        QFile out(m_dir.filePath(QStringLiteral("report.html")));
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(QByteArray::fromStdString(m_html));
    }

    void staleAlertsAreListedWithTheirTriage()
    {
        CaseReport r = m_report;
        QVERIFY(r.staleAlerts.empty()); // the last run raised every stored alert
        QVERIFY(renderHtmlReport(r).find("Alerts no longer raised") == std::string::npos);
        Alert gone = r.alerts.front().alert;
        gone.triage = {TriageState::Benign, kScript.toStdString(), "carol", 1700000003000};
        r.staleAlerts = {gone};
        const QString html = QString::fromStdString(renderHtmlReport(r));
        QVERIFY(html.contains(QLatin1String("<h2>Alerts no longer raised</h2>")));
        QVERIFY(html.contains(QLatin1String("benign: &lt;script&gt;alert&#40;1&#41;&lt;/script&gt;")));
    }

    void escapeTextCoversMarkupMarkdownAndBadBytes()
    {
        QCOMPARE(escapeText("a<b>&\"'"), std::string("a&lt;b&gt;&amp;&quot;&#39;"));
        QCOMPARE(escapeText("[x](y) `z` *w* _v_ !u #t |s"),
                 std::string("&#91;x&#93;&#40;y&#41; &#96;z&#96; &#42;w&#42; &#95;v&#95; &#33;u &#35;t &#124;s"));
        QCOMPARE(escapeText(std::string("ok\x01\xff", 4)), std::string("ok&#65533;\xEF\xBF\xBD"));
        QCOMPARE(escapeText("l\u00e4nge\n"), std::string("l\u00e4nge\n"));
    }

    void ocsfFindingsHaveTheirAttributes()
    {
        const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(renderOcsfReport(m_report)));
        QVERIFY(doc.isObject());
        const QJsonObject header = doc.object().value(QLatin1String("case")).toObject();
        QCOMPARE(header.value(QLatin1String("name")).toString(), QStringLiteral("report<i>.dscase"));
        QVERIFY(!header.value(QLatin1String("inputs")).toArray().isEmpty());
        QVERIFY(!header.value(QLatin1String("inputs")).toArray().at(0)[QLatin1String("sha256")].toString().isEmpty());
        QCOMPARE(header.value(QLatin1String("annotations")).toArray().size(), 3);
        const QJsonArray findings = doc.object().value(QLatin1String("findings")).toArray();
        QCOMPARE(findings.size(), qsizetype(m_report.alerts.size()));

        QFile spec(QStringLiteral(DSCOPE_TEST_DATA "/ocsf/detection_finding_2004.tsv"));
        QVERIFY(spec.open(QIODevice::ReadOnly));
        int checked = 0;
        for (const QByteArray& raw : spec.readAll().split('\n')) {
            if (raw.isEmpty() || raw.startsWith('#'))
                continue;
            const QStringList f = QString::fromUtf8(raw).split(QLatin1Char('\t'));
            QCOMPARE(f.size(), 3);
            const QString path = f[0], rule = f[2];
            for (const QJsonValue& finding : findings) {
                const QJsonValue v = at(finding, path);
                QVERIFY2(!v.isUndefined(), qPrintable(path + QStringLiteral(" is missing")));
                if (rule == QLatin1String("string"))
                    QVERIFY2(v.isString() && !v.toString().isEmpty(), qPrintable(path));
                else if (rule == QLatin1String("boolean"))
                    QVERIFY2(v.isBool(), qPrintable(path));
                else if (rule == QLatin1String("array"))
                    QVERIFY2(v.isArray() && !v.toArray().isEmpty(), qPrintable(path));
                else if (rule == QLatin1String("integer > 0"))
                    QVERIFY2(v.isDouble() && v.toInteger() > 0, qPrintable(path));
                else if (rule.startsWith(QLatin1String("equals ")))
                    QCOMPARE(v.toInteger(), rule.mid(7).toLongLong());
                else if (rule.startsWith(QLatin1String("one of ")))
                    QVERIFY2(rule.mid(7).split(QLatin1Char(' ')).contains(QString::number(v.toInteger())), qPrintable(path));
                else if (rule == QLatin1String("class_uid * 100 + activity_id"))
                    QCOMPARE(v.toInteger(), finding[QLatin1String("class_uid")].toInteger() * 100
                                                + finding[QLatin1String("activity_id")].toInteger());
                else
                    QFAIL(qPrintable(QStringLiteral("unknown rule ") + rule));
            }
            ++checked;
        }
        QVERIFY(checked >= 15);
        // The hostile strings travel as data, exactly; the triage maps to an OCSF status.
        bool sawHostile = false;
        for (const QJsonValue& finding : findings) {
            if (!at(finding, QStringLiteral("device.hostname")).toString().contains(QLatin1String("EVIL"))
                || at(finding, QStringLiteral("finding_info.analytic.uid")).toString() != QLatin1String("R1"))
                continue;
            sawHostile = true;
            QCOMPARE(at(finding, QStringLiteral("device.hostname")).toString(), QStringLiteral("EVIL<b>HOST</b>"));
            QVERIFY(at(finding, QStringLiteral("evidences.0.actor.process.file.path")).toString().contains(kScript));
            QCOMPARE(at(finding, QStringLiteral("unmapped.triage")).toString(), QStringLiteral("true positive"));
            QCOMPARE(at(finding, QStringLiteral("status_id")).toInt(), 2);
            QCOMPARE(at(finding, QStringLiteral("finding_info.attacks.0.technique.uid")).toString().left(5), QStringLiteral("T1055"));
            QCOMPARE(at(finding, QStringLiteral("unmapped.checklist.0.note")).toString(), kImg);
            // The analysts' notes and tags on it, its processes and its evidence.
            const QJsonArray notes = at(finding, QStringLiteral("notes")).toArray();
            QVERIFY(std::any_of(notes.begin(), notes.end(), [](const QJsonValue& n) {
                return n[QLatin1String("desc")].toString().endsWith(kScript + QStringLiteral(" seen on the file server too"))
                       && n[QLatin1String("user")][QLatin1String("name")].toString() == QLatin1String("bob<i>");
            }));
            const QJsonArray labels = at(finding, QStringLiteral("metadata.labels")).toArray();
            QVERIFY(labels.contains(QStringLiteral("apt<x>")) && labels.contains(QStringLiteral("first-access")));
        }
        QVERIFY(sawHostile);
    }

    void timesketchTimeline()
    {
        // JSON lines: every event, in time order, with the three fields Timesketch needs; values exact.
        const QString jsonl = m_dir.filePath(QStringLiteral("timeline.jsonl"));
        QProcess cli;
        cli.start(QStringLiteral(DSCOPE_BINARY), {QStringLiteral("export-timeline"), QStringLiteral("--case"), m_case,
                                                  QStringLiteral("--out"), jsonl});
        QVERIFY(cli.waitForFinished(120000));
        QVERIFY2(cli.exitCode() == 0, cli.readAllStandardError().constData());
        QFile f(jsonl);
        QVERIFY(f.open(QIODevice::ReadOnly));
        int lines = 0;
        qint64 last = 0;
        bool sawHostile = false;
        for (const QByteArray& line : f.readAll().split('\n')) {
            if (line.isEmpty())
                continue;
            const QJsonObject o = QJsonDocument::fromJson(line).object();
            QVERIFY(!o.value(QLatin1String("message")).toString().isEmpty());
            QVERIFY(o.value(QLatin1String("datetime")).toString().endsWith(QLatin1String("+00:00")));
            QVERIFY(!o.value(QLatin1String("timestamp_desc")).toString().isEmpty());
            const qint64 ts = o.value(QLatin1String("timestamp")).toInteger();
            QVERIFY(ts >= last);
            last = ts;
            if (o.value(QLatin1String("computer_name")).toString() == QLatin1String("EVIL<b>HOST</b>")
                && o.value(QLatin1String("event_id")).toString() == QLatin1String("1")) {
                sawHostile = true;
                QVERIFY(o.value(QLatin1String("command_line")).toString().startsWith(QStringLiteral("=1+2 ") + kScript));
            }
            ++lines;
        }
        QCOMPARE(qint64(lines), qint64(m_report.info.events));
        QVERIFY(sawHostile);

        // CSV of one alert's evidence: quoted fields, and no cell a spreadsheet would run as a formula.
        const QString csv = m_dir.filePath(QStringLiteral("timeline.csv"));
        const auto hostile = std::find_if(m_report.alerts.begin(), m_report.alerts.end(), [](const ReportedAlert& r) {
            return r.alert.ruleId == "R1" && r.alert.host.find("EVIL") != std::string::npos;
        });
        QVERIFY(hostile != m_report.alerts.end());
        QProcess one;
        one.start(QStringLiteral(DSCOPE_BINARY), {QStringLiteral("export-timeline"), QStringLiteral("--case"), m_case,
                                                  QStringLiteral("--out"), csv, QStringLiteral("--alert"),
                                                  QString::number(hostile->alert.caseId), QStringLiteral("--context-minutes"),
                                                  QStringLiteral("5")});
        QVERIFY(one.waitForFinished(120000));
        QVERIFY2(one.exitCode() == 0, one.readAllStandardError().constData());
        QFile c(csv);
        QVERIFY(c.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(c.readAll());
        QVERIFY(text.startsWith(QLatin1String("message,datetime,timestamp_desc,timestamp,")));
        QVERIFY(text.contains(QLatin1String("\"'=1+2 <script>")));      // the formula kept as text
        QVERIFY(!text.contains(QLatin1String(",\"=")) && !text.contains(QLatin1String(",=")));
        QVERIFY(text.contains(QLatin1String("doppelscope:R1")));       // the alert's tag
    }

    void cliWritesPdfAndHtmlThatRender()
    {
        const QString html = m_dir.filePath(QStringLiteral("cli.html"));
        const QString pdf = m_dir.filePath(QStringLiteral("cli.pdf"));
        const QString json = m_dir.filePath(QStringLiteral("cli.json"));
        QProcess cli;
        cli.start(QStringLiteral(DSCOPE_BINARY), {QStringLiteral("report"), QStringLiteral("--case"), m_case,
                                                  QStringLiteral("--html"), html, QStringLiteral("--pdf"), pdf,
                                                  QStringLiteral("--json"), json, QStringLiteral("--alerts"),
                                                  QStringLiteral("tp")});
        QVERIFY(cli.waitForFinished(120000));
        QVERIFY2(cli.exitCode() == 0, cli.readAllStandardError().constData());
        QVERIFY(QFile::exists(html) && QFile::exists(pdf) && QFile::exists(json));
        QVERIFY(!QFile::exists(pdf + QStringLiteral(".part")));
        // --alerts tp: only the alert marked true positive.
        QFile j(json);
        QVERIFY(j.open(QIODevice::ReadOnly));
        QCOMPARE(QJsonDocument::fromJson(j.readAll()).object().value(QLatin1String("findings")).toArray().size(), 1);
        // An unwritable destination fails loudly and leaves nothing.
        QProcess bad;
        bad.start(QStringLiteral(DSCOPE_BINARY), {QStringLiteral("report"), QStringLiteral("--case"), m_case,
                                                  QStringLiteral("--html"), QStringLiteral("/nonexistent-dir/r.html")});
        QVERIFY(bad.waitForFinished(60000));
        QCOMPARE(bad.exitCode(), 1);
        QVERIFY(bad.readAllStandardError().contains("/nonexistent-dir/r.html"));

        const QString pdftotext = QStandardPaths::findExecutable(QStringLiteral("pdftotext"));
        if (pdftotext.isEmpty()) {
            qWarning("SKIP part: pdftotext (poppler-utils) is not installed, so the PDF's text is not checked");
        } else {
            QProcess text;
            text.start(pdftotext, {QStringLiteral("-f"), QStringLiteral("1"), QStringLiteral("-l"), QStringLiteral("1"),
                                   pdf, QStringLiteral("-")});
            QVERIFY(text.waitForFinished(60000));
            const QString first = QString::fromUtf8(text.readAllStandardOutput());
            QVERIFY2(first.contains(QLatin1String("Case report: report.dscase")), qPrintable(first.left(400)));
            QVERIFY(first.contains(QRegularExpression(QStringLiteral("page 1 of \\d+"))));
            QVERIFY(first.contains(QLatin1String("Alerts by severity")) || first.contains(QLatin1String("Case summary")));
            QProcess all;
            all.start(pdftotext, {pdf, QStringLiteral("-")});
            QVERIFY(all.waitForFinished(60000));
            const QString whole = QString::fromUtf8(all.readAllStandardOutput()).simplified();
            QVERIFY(whole.contains(QLatin1String("Process tree excerpt")));
            QVERIFY(whole.contains(QLatin1String("Notes, tags and bookmarks")));
            QVERIFY2(whole.contains(QLatin1String("seen on the file server too")), qPrintable(whole.right(1500)));
            // The 100 KB command line is cut in the PDF, and says where it is whole.
            QVERIFY(whole.contains(QLatin1String("more characters: see the HTML or JSON report")));
        }
        const QString chromium = QStandardPaths::findExecutable(QStringLiteral("chromium"));
        if (chromium.isEmpty())
            QSKIP("chromium is not installed: the HTML report was not rendered");
        const QString png = m_dir.filePath(QStringLiteral("report.png"));
        QProcess render;
        render.start(chromium, {QStringLiteral("--headless"), QStringLiteral("--no-sandbox"), QStringLiteral("--disable-gpu"),
                                QStringLiteral("--screenshot=") + png, QStringLiteral("--window-size=1200,3000"),
                                QStringLiteral("file://") + m_dir.filePath(QStringLiteral("report.html"))});
        QVERIFY(render.waitForFinished(120000));
        QVERIFY2(QFile::exists(png), render.readAllStandardError().right(3000).constData());
        QVERIFY(QFileInfo(png).size() > 10000);
        // The DOM as Chromium built it: the hostile strings are text nodes, never elements.
        QProcess dom;
        dom.start(chromium, {QStringLiteral("--headless"), QStringLiteral("--no-sandbox"), QStringLiteral("--disable-gpu"),
                             QStringLiteral("--dump-dom"), QStringLiteral("file://") + m_dir.filePath(QStringLiteral("report.html"))});
        QVERIFY(dom.waitForFinished(120000));
        const QString built = QString::fromUtf8(dom.readAllStandardOutput());
        QVERIFY(built.contains(QLatin1String("&lt;script&gt;alert(1)&lt;/script&gt;")));
        QVERIFY(!built.contains(QLatin1String("<script")));
        QVERIFY(!built.contains(QLatin1String("<img")));
        QVERIFY(!built.contains(QLatin1String("<a ")));
        QFile::remove(QDir::tempPath() + QStringLiteral("/dscope-report.png"));
        QFile::copy(png, QDir::tempPath() + QStringLiteral("/dscope-report.png")); // for a person to look at
    }
};

QTEST_GUILESS_MAIN(TestReport)
#include "tst_report.moc"
