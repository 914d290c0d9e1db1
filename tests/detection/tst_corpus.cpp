// SPDX-License-Identifier: MIT
// The rules against the public corpus and its ground truth: every TP pair alerted by R1, every 8-only injection
// by some rule other than the draft, no benign pair by any rule; and every alert against its hand-made label
// (tests/data/alert-labels.tsv): an alert without a label, or a default rule's alert labelled FP, fails. Prints
// precision (over the labels) and recall (over the ground truth) per rule, and what the draft (R0) finds and
// misses. Set DSCOPE_CORPUS_CASE to reuse an imported case.
#include "detection_helpers.h"

#include "engine.h"
#include "import/importer.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

#include <map>
#include <set>

using namespace dscope;

namespace {

struct Truth {
    QString verdict, file, host, src, tgt, srcImage, tgtImage;
};

QString normGuid(QString g)
{
    g = g.trimmed().toLower();
    g.remove(QLatin1Char('{'));
    g.remove(QLatin1Char('}'));
    return g;
}

std::vector<Truth> readTruth(const QString& path)
{
    std::vector<Truth> rows;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return rows;
    f.readLine(); // header
    while (!f.atEnd()) {
        const QStringList c = QString::fromUtf8(f.readLine()).split(QLatin1Char('\t'));
        if (c.size() < 10)
            continue;
        // Columns: verdict, relpath, host, src_image, src_pid, src_guid, tgt_image_in_8, tgt_image_in_10, tgt_pid, tgt_guid
        rows.push_back({c[0].section(QLatin1Char(' '), 0, 0), c[1], c[2].trimmed().toLower(), normGuid(c[5]),
                        normGuid(c[9]), c[3], c[6]});
    }
    return rows;
}

QString key(const QString& host, const QString& src, const QString& tgt)
{
    return host + QLatin1Char('|') + src + QLatin1Char('|') + tgt;
}

struct Label {
    QString label, reason;
};

/// rule|host|source image|target image (lower case) -> label.
std::map<QString, Label> readLabels(const QString& path)
{
    std::map<QString, Label> labels;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return labels;
    bool header = true;
    while (!f.atEnd()) {
        const QString line = QString::fromUtf8(f.readLine()).remove(QLatin1Char('\n')).remove(QLatin1Char('\r'));
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        if (header) { // column names
            header = false;
            continue;
        }
        const QStringList c = line.split(QLatin1Char('\t'));
        if (c.size() >= 6)
            labels[c.mid(0, 4).join(QLatin1Char('|')).toLower()] = {c[4], c[5]};
    }
    return labels;
}

} // namespace

class TestCorpus : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    std::string m_case;

private Q_SLOTS:
    void initTestCase()
    {
        const QString root = QStringLiteral(DSCOPE_DATASETS);
        if (!QFileInfo(root + QStringLiteral("/GROUND_TRUTH.tsv")).exists())
            QSKIP("corpus not present (DSCOPE_DATASETS has no GROUND_TRUTH.tsv)");
        const QByteArray reuse = qgetenv("DSCOPE_CORPUS_CASE");
        if (!reuse.isEmpty() && QFileInfo::exists(QString::fromLocal8Bit(reuse))) {
            m_case = reuse.toStdString();
            return;
        }
        m_case = m_dir.filePath(QStringLiteral("corpus.dscase")).toStdString();
        model::ImportOptions options;
        // The product's default engine; DSCOPE_EVTX_ENGINE=libevtx grades the same rules on libevtx's decoding.
        options.source.evtxEngine = qgetenv("DSCOPE_EVTX_ENGINE") == "libevtx" ? model::EvtxEngine::Libevtx
                                                                                : model::EvtxEngine::Native;
        model::Importer importer(m_case, options);
        const auto summary = importer.run(model::expandPaths({root.toStdString()}));
        QVERIFY2(summary.fatal.empty(), summary.fatal.c_str());
        int failed = 0;
        for (const auto& r : summary.inputs)
            if (r.status == model::InputReport::Status::Failed) {
                ++failed;
                qInfo("not imported: %s: %s", r.path.c_str(), r.failure.c_str());
            }
        qInfo("corpus: %lld events from %zu inputs (%d not imported) in %.1f s", qlonglong(summary.events),
              summary.inputs.size(), failed, summary.seconds);
        QVERIFY(summary.events > 100000);
    }

    void groundTruth()
    {
        const auto truth = readTruth(QStringLiteral(DSCOPE_DATASETS "/GROUND_TRUTH.tsv"));
        QVERIFY(truth.size() >= 10);
        detection::Engine engine(testing::loadRules());
        detection::EngineOptions options;
        for (const auto& r : engine.rules().rules())
            options.ruleIds.push_back(r.id);
        std::string error;
        const auto set = engine.run(m_case, options, nullptr, {}, error);
        QVERIFY2(set, error.c_str());
        qInfo("%zu alerts over %lld events in %.3f s", set->alerts.size(), qlonglong(set->eventsScanned), set->seconds);

        std::map<QString, std::set<std::string>> rulesByPair; // pair key -> rules alerting it
        std::map<std::string, int> alertsByRule;
        for (const auto& a : set->alerts) {
            rulesByPair[key(QString::fromStdString(a.host).toLower(), QString::fromStdString(a.source.guid),
                            QString::fromStdString(a.target.guid))]
                .insert(a.ruleId);
            ++alertsByRule[a.ruleId];
        }
        std::map<QString, int> labels; // pair key -> +1 positive, -1 benign
        int positives = 0, tps = 0;
        QStringList failures;
        for (const Truth& t : truth) {
            const QString k = key(t.host, t.src, t.tgt);
            const auto& hits = rulesByPair[k];
            const QString name = t.srcImage.section(QLatin1Char('\\'), -1) + QLatin1String("->")
                                 + t.tgtImage.section(QLatin1Char('\\'), -1) + QLatin1String(" (") + t.file + QLatin1Char(')');
            if (t.verdict == QLatin1String("TP")) {
                labels[k] = 1;
                ++positives;
                ++tps;
                if (!hits.count("R1"))
                    failures << QStringLiteral("TP not alerted by R1: ") + name;
            } else if (t.verdict == QLatin1String("INJECTION-8-ONLY")) {
                labels[k] = 1;
                ++positives;
                bool other = false;
                for (const auto& r : hits)
                    other = other || r != "R0";
                if (!other)
                    failures << QStringLiteral("8-only injection not alerted by R1-R8: ") + name;
            } else if (t.verdict.startsWith(QLatin1String("BENIGN"))) {
                labels[k] = -1;
                for (const auto& r : hits)
                    if (r != "R0")
                        failures << QStringLiteral("benign pair alerted by %1: ").arg(QString::fromStdString(r)) + name;
            }
        }
        // Every alert against its hand-made label. Precision over the labels (context counts as not false), recall
        // over the ground truth's positive pairs (R1 over its TP rows).
        const auto handLabels = readLabels(QStringLiteral(DSCOPE_TEST_DATA "/alert-labels.tsv"));
        QVERIFY(!handLabels.empty());
        std::map<std::string, std::map<QString, int>> byRuleLabel;
        for (const auto& a : set->alerts) {
            const QString k = (QString::fromStdString(a.ruleId) + QLatin1Char('|') + QString::fromStdString(a.host)
                               + QLatin1Char('|') + QString::fromStdString(a.source.image) + QLatin1Char('|')
                               + QString::fromStdString(a.target.image))
                                  .toLower();
            const auto l = handLabels.find(k);
            const QString what = QString::fromStdString(a.ruleId + " " + a.host + " " + a.source.image + " -> "
                                                        + a.target.image);
            if (l == handLabels.end()) {
                failures << QStringLiteral("alert without a label: ") + what;
                ++byRuleLabel[a.ruleId][QStringLiteral("unlabeled")];
                continue;
            }
            ++byRuleLabel[a.ruleId][l->second.label];
            if (l->second.label == QLatin1String("FP") && a.ruleId != "R0")
                failures << QStringLiteral("false positive (%1): ").arg(l->second.reason) + what;
        }
        qInfo("%-4s %7s %5s %8s %5s %9s %9s %7s", "rule", "alerts", "TP", "context", "FP", "unlabeled", "precision",
              "recall");
        for (const auto& r : engine.rules().rules()) {
            auto& n = byRuleLabel[r.id];
            const int tp = n[QStringLiteral("TP")], ctx = n[QStringLiteral("context")], fp = n[QStringLiteral("FP")];
            int found = 0;
            for (const auto& [k, rules] : rulesByPair)
                if (rules.count(r.id) && labels.count(k) && labels[k] > 0)
                    ++found;
            const int denominator = r.id == "R1" ? tps : positives;
            qInfo("%-4s %7d %5d %8d %5d %9d %9s %6.0f%%", r.id.c_str(), alertsByRule[r.id], tp, ctx, fp,
                  n[QStringLiteral("unlabeled")],
                  tp + ctx + fp ? qPrintable(QStringLiteral("%1%").arg(100.0 * (tp + ctx) / (tp + ctx + fp), 0, 'f', 0))
                                : "-",
                  denominator ? 100.0 * std::min(found, denominator) / denominator : 0.0);
        }
        // The draft, row by row.
        for (const Truth& t : truth) {
            if (!t.verdict.startsWith(QLatin1String("TP")) && t.verdict != QLatin1String("INJECTION-8-ONLY"))
                continue;
            const bool found = rulesByPair[key(t.host, t.src, t.tgt)].count("R0") > 0;
            qInfo("R0 %s %s -> %s (%s)", found ? "finds" : "MISSES", qPrintable(t.srcImage), qPrintable(t.tgtImage),
                  qPrintable(t.file));
        }
        for (const QString& f : failures)
            qWarning("%s", qPrintable(f));
        QVERIFY2(failures.isEmpty(), qPrintable(failures.join(QLatin1String("; "))));
    }
};

QTEST_GUILESS_MAIN(TestCorpus)
#include "tst_corpus.moc"
