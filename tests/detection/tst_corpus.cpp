// SPDX-License-Identifier: MIT
// The rules against the public corpus and its ground truth: every TP pair alerted by R1, every 8-only injection
// by some rule other than the draft, no benign pair by any rule. Prints precision and recall per rule and what
// the draft (R0) finds and misses. Set DSCOPE_CORPUS_CASE to reuse an imported case.
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
        // Precision over labelled pairs (alerts on pairs the ground truth does not list are counted apart),
        // recall over the positive pairs (R1 over the TP rows).
        qInfo("%-4s %7s %6s %6s %9s %9s %7s", "rule", "alerts", "TP", "FP", "unlabeled", "precision", "recall");
        for (const auto& r : engine.rules().rules()) {
            int tp = 0, fp = 0, other = 0;
            for (const auto& [k, rules] : rulesByPair) {
                if (!rules.count(r.id))
                    continue;
                const auto l = labels.find(k);
                if (l == labels.end())
                    ++other;
                else if (l->second > 0)
                    ++tp;
                else
                    ++fp;
            }
            const int denominator = r.id == "R1" ? tps : positives;
            qInfo("%-4s %7d %6d %6d %9d %9s %6.0f%%", r.id.c_str(), alertsByRule[r.id], tp, fp, other,
                  tp + fp ? qPrintable(QStringLiteral("%1%").arg(100.0 * tp / (tp + fp), 0, 'f', 0)) : "-",
                  denominator ? 100.0 * std::min(tp, denominator) / denominator : 0.0);
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
