// SPDX-License-Identifier: MIT
// Rule export: every described rule parses from the rule file and exports to all five languages; the regexes that
// stand in for bit tests and address ranges agree with arithmetic on every value tried; each file carries the
// rule's documentation; SPL and KQL use only the commands and operators their languages document and balance their
// brackets; and the text is the reviewed text (golden files in tests/data/rule-export; DSCOPE_UPDATE_GOLDEN=1
// rewrites them after a reviewed change).
#include "detection_helpers.h"
#include "export/exportpatterns.h"
#include "export/ruleexport.h"
#include "ruleset.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTest>

#include <random>
#include <regex>

using namespace dscope::detection;

namespace {

const RuleSet& rules()
{
    static const RuleSet set = dscope::testing::loadRules();
    return set;
}

bool balanced(const std::string& text)
{
    // Brackets outside strings; strings are "..." or '...' with backslash escapes, or KQL's verbatim @"..." with ""
    // for a quote.
    std::string stack;
    bool inString = false, verbatim = false;
    char quote = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (!verbatim && c == '\\') {
                ++i;
            } else if (c == quote) {
                if (verbatim && i + 1 < text.size() && text[i + 1] == '"')
                    ++i;
                else
                    inString = false;
            }
            continue;
        }
        if (c == '"' || c == '\'') {
            inString = true;
            quote = c;
            verbatim = c == '"' && i > 0 && text[i - 1] == '@';
        } else if (c == '(' || c == '[') {
            stack += c;
        } else if (c == ')' || c == ']') {
            if (stack.empty() || stack.back() != (c == ')' ? '(' : '['))
                return false;
            stack.pop_back();
        }
    }
    return stack.empty() && !inString;
}

/// The text without its comment lines.
std::string code(const std::string& text, const char* prefix)
{
    std::string out;
    size_t start = 0;
    while (start < text.size()) {
        size_t end = text.find('\n', start);
        if (end == std::string::npos)
            end = text.size();
        const std::string line = text.substr(start, end - start);
        if (line.rfind(prefix, 0) != 0)
            out += line + '\n';
        start = end + 1;
    }
    return out;
}

} // namespace

class TestRuleExport : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void maskRegexesAgreeWithBitArithmetic()
    {
        std::mt19937 random(7);
        const uint32_t masks[] = {0x2a, 0x143a, 0x1440, 0x10, 0x1fffff, 0x800, 0x1000, 0x1010, 0x40};
        for (uint32_t mask : masks) {
            const std::regex bits(maskBitsRegex(mask));
            const std::regex exact(maskValueRegex(mask));
            for (int i = 0; i < 3000; ++i) {
                const uint32_t value = i < 64 ? uint32_t(i) : random() >> (random() % 32);
                // Sysmon's spelling and others a team's pipeline may give: 0x-prefixed lower, upper, zero-padded.
                char lower[16], upper[16], padded[16];
                std::snprintf(lower, sizeof lower, "0x%x", value);
                std::snprintf(upper, sizeof upper, "0X%X", value);
                std::snprintf(padded, sizeof padded, "0x%08x", value);
                for (const char* text : {lower, upper, padded}) {
                    QCOMPARE(std::regex_match(text, bits), (value & mask) == mask);
                    QCOMPARE(std::regex_match(text, exact), value == mask);
                }
            }
        }
    }

    void addressRangeRegexesAgreeWithComparisons()
    {
        std::mt19937_64 random(11);
        for (const AddressClass& c : rules().addressClasses()) {
            const std::regex range(hexRangeRegex(c.from, c.to, c.width / 4));
            for (int i = 0; i < 5000; ++i) {
                uint64_t v = random();
                if (c.width == 32)
                    v &= 0xFFFFFFFFull;
                if (i % 3 == 0)
                    v = c.from + (v % 4096) - 2048; // around the bounds
                if (i % 3 == 1)
                    v = c.to - (v % 4096);
                if (c.width == 32 && v > 0xFFFFFFFFull)
                    continue;
                char text[32];
                std::snprintf(text, sizeof text, c.width == 64 ? "0x%016llX" : "0x%08llX", static_cast<unsigned long long>(v));
                QVERIFY2(std::regex_match(text, range) == (v >= c.from && v <= c.to), text);
                QCOMPARE(std::regex_match(text, range), c.matches(text));
            }
        }
    }

    void everyDefaultRuleIsDescribedOrSaysWhyNot()
    {
        for (const Rule& r : rules().rules()) {
            RuleDescription d;
            std::string error;
            if (describeRule(r, rules(), d, error)) {
                QCOMPARE(d.version, rules().version());
                QVERIFY(!d.selections.empty());
            } else {
                // Every default rule is described; another one without its description names itself and says so.
                QVERIFY2(!r.enabledByDefault, error.c_str());
                QVERIFY2(error.find(r.id + ": logic.missing") == 0, error.c_str());
            }
        }
        // R6's child correlation: its window is required, and its excused processes need the child form.
        for (const auto& [key, value] : std::vector<std::pair<QString, QJsonValue>>{
                 {QStringLiteral("windowMs"), QJsonValue()}, {QStringLiteral("type"), QStringLiteral("single")}}) {
            Rule r6 = *rules().find("R6");
            QJsonObject logic = r6.logic;
            QJsonObject corr = logic.value(QLatin1String("correlation")).toObject();
            if (value.isNull())
                corr.remove(key);
            else
                corr.insert(key, value);
            logic.insert(QStringLiteral("correlation"), corr);
            r6.logic = logic;
            RuleDescription d;
            std::string error;
            QVERIFY(!describeRule(r6, rules(), d, error));
            QVERIFY2(error.find("R6: logic.correlation: ") == 0, error.c_str());
        }
        // A "$param" that does not exist is refused with the rule and the key.
        Rule broken = *rules().find("R1");
        QJsonObject logic = broken.logic;
        QJsonObject corr = logic.value(QLatin1String("correlation")).toObject();
        corr.insert(QStringLiteral("windowMs"), QStringLiteral("$noSuchParam"));
        logic.insert(QStringLiteral("correlation"), corr);
        broken.logic = logic;
        RuleDescription d;
        std::string error;
        QVERIFY(!describeRule(broken, rules(), d, error));
        QVERIFY2(error == "R1: logic.correlation.windowMs: the parameter noSuchParam does not exist", error.c_str());
    }

    void exportsCarryTheRuleAndMatchTheReviewedText()
    {
        const bool update = qEnvironmentVariableIntValue("DSCOPE_UPDATE_GOLDEN") == 1;
        const ExportFormat formats[] = {ExportFormat::SparkSql, ExportFormat::Sigma, ExportFormat::Spl, ExportFormat::Eql, ExportFormat::Kql};
        int compared = 0;
        for (const Rule& r : rules().rules()) {
            RuleDescription d;
            std::string error;
            if (!describeRule(r, rules(), d, error))
                continue;
            for (ExportFormat f : formats) {
                const FieldSet fields = f == ExportFormat::Eql ? FieldSet::Ecs : FieldSet::Raw;
                bool expressible = true;
                const std::string text = exportRule(d, rules(), f, fields, &expressible);
                const QString where = QStringLiteral("%1 as %2").arg(QString::fromStdString(r.id), QLatin1String(exportFormatName(f)));
                // The documentation travels with the rule.
                QVERIFY2(text.find("Doppelscope rule " + r.id + ": " + r.name) != std::string::npos, qPrintable(where));
                QVERIFY2(text.find("Rule set version " + std::to_string(rules().version())) != std::string::npos, qPrintable(where));
                for (const std::string& b : r.blindSpots)
                    QVERIFY2(text.find(b.substr(0, 40)) != std::string::npos, qPrintable(where + QStringLiteral(": blind spot")));
                if (!expressible) {
                    QVERIFY2(text.find("Not expressible") != std::string::npos, qPrintable(where));
                } else if (f == ExportFormat::Spl) {
                    const std::string body = code(text, "```");
                    QVERIFY2(balanced(body), qPrintable(where));
                    QVERIFY(body.rfind("search ", 0) == 0);
                    static const QRegularExpression command(QStringLiteral("^\\| (\\w+)"), QRegularExpression::MultilineOption);
                    const QStringList documented{QStringLiteral("eval"), QStringLiteral("where"), QStringLiteral("sort"), QStringLiteral("streamstats"),
                                                 QStringLiteral("eventstats"), QStringLiteral("stats"), QStringLiteral("rename"), QStringLiteral("table")};
                    for (auto m = command.globalMatch(QString::fromStdString(body)); m.hasNext();)
                        QVERIFY2(documented.contains(m.next().captured(1)), qPrintable(where));
                } else if (f == ExportFormat::Kql) {
                    const std::string body = code(text, "//");
                    QVERIFY2(balanced(body), qPrintable(where));
                    static const QRegularExpression op(QStringLiteral("^\\s*\\| ([\\w-]+)"), QRegularExpression::MultilineOption);
                    const QStringList documented{QStringLiteral("where"), QStringLiteral("project"), QStringLiteral("join"), QStringLiteral("summarize"),
                                                 QStringLiteral("project-rename"), QStringLiteral("order")};
                    for (auto m = op.globalMatch(QString::fromStdString(body)); m.hasNext();)
                        QVERIFY2(documented.contains(m.next().captured(1)), qPrintable(where));
                    // Every let statement ends with a semicolon before the query that uses it.
                    QCOMPARE(QString::fromStdString(body).count(QStringLiteral("let ")), QString::fromStdString(body).count(QStringLiteral(";\n")));
                } else if (f == ExportFormat::Eql || f == ExportFormat::SparkSql) {
                    QVERIFY2(balanced(code(text, f == ExportFormat::Eql ? "//" : "--")), qPrintable(where));
                }
                const QString golden = QStringLiteral(DSCOPE_TEST_DATA "/rule-export/%1/%2.%3")
                                           .arg(QLatin1String(exportFormatName(f)), QString::fromStdString(r.id), QLatin1String(exportExtension(f)));
                if (update) {
                    QDir().mkpath(QFileInfo(golden).absolutePath());
                    QFile out(golden);
                    QVERIFY(out.open(QIODevice::WriteOnly));
                    out.write(QByteArray::fromStdString(text));
                    continue;
                }
                QFile in(golden);
                QVERIFY2(in.open(QIODevice::ReadOnly), qPrintable(golden + QStringLiteral(" is missing (DSCOPE_UPDATE_GOLDEN=1 writes it)")));
                QCOMPARE(QString::fromUtf8(in.readAll()), QString::fromStdString(text));
                ++compared;
            }
        }
        QVERIFY(update || compared >= 25);
    }
};

QTEST_GUILESS_MAIN(TestRuleExport)
#include "tst_ruleexport.moc"
