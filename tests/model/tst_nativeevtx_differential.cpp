// SPDX-License-Identifier: MIT
// Differential test: every record libevtx decodes in the corpus must come out of the native reader with the
// same System values and the same EventData / UserData names and values. Records libevtx cannot decode are
// counted and printed (the native reader is expected to read them).
#include "domain/event.h"
#include "evtx/evtxchunkreader.h"
#include "evtx/evtxfiledecoder.h"
#include "domain/normalize.h"

#include <libevtx.h>
#include <pugixml.hpp>

#include <QDirIterator>
#include <QFile>
#include <QTest>

#include <map>
#include <string>
#include <vector>

using namespace dscope::model;
using namespace dscope::model::evtx;

namespace {

const char* const kMarkup = "\x01markup";

struct Rec {
    std::string eventId, provider, channel, computer;
    int64_t timeMs = kNoValue;
    std::vector<std::pair<std::string, std::string>> fields;
    bool used = false;
};

std::string trimmed(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\n' || s.front() == '\r' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t'))
        s.remove_suffix(1);
    return std::string(s);
}

void userDataLeaves(const pugi::xml_node& n, Rec& r)
{
    for (auto c : n.children()) {
        if (c.type() != pugi::node_element)
            continue;
        if (!c.find_child([](const pugi::xml_node& x) { return x.type() == pugi::node_element; }))
            r.fields.emplace_back(c.name(), c.child_value());
        else
            userDataLeaves(c, r);
    }
}

/// Parses libevtx's XML rendering of one record.
bool fromLibevtxXml(const std::string& xml, Rec& r)
{
    pugi::xml_document doc;
    // Keep values byte-exact: no end-of-line or attribute whitespace normalization.
    constexpr unsigned kFlags = pugi::parse_default & ~(pugi::parse_eol | pugi::parse_wconv_attribute);
    if (!doc.load_buffer(xml.data(), xml.size(), kFlags))
        return false;
    const auto ev = doc.child("Event");
    const auto sys = ev.child("System");
    r.provider = sys.child("Provider").attribute("Name").value();
    r.eventId = trimmed(sys.child("EventID").child_value());
    r.channel = sys.child("Channel").child_value();
    r.computer = sys.child("Computer").child_value();
    const auto t = normalize::utcMillis(sys.child("TimeCreated").attribute("SystemTime").value());
    r.timeMs = t ? *t : kNoValue;
    for (auto d : ev.child("EventData").children("Data")) {
        if (d.find_child([](const pugi::xml_node& x) { return x.type() == pugi::node_element; })) {
            // libevtx writes string values without escaping '<': a value holding markup becomes elements,
            // so its text cannot be compared.
            r.fields.emplace_back(d.attribute("Name").value(), kMarkup);
            continue;
        }
        r.fields.emplace_back(d.attribute("Name").value(), d.child_value());
    }
    for (auto c : ev.child("UserData").children())
        if (c.type() == pugi::node_element)
            userDataLeaves(c, r);
    return true;
}

class Collector : public EvtxRecordHandler
{
public:
    std::multimap<uint64_t, Rec> records;
    std::vector<std::string> issues;
    int badXml = 0;
    void record(const DecodedRecord& d) override
    {
        Rec r;
        r.eventId = trimmed(d.eventId);
        r.provider = d.provider;
        r.channel = d.channel;
        r.computer = d.computer;
        if (d.timeMs != DecodedRecord::kNoTime)
            r.timeMs = d.timeMs;
        else if (const auto t = normalize::utcMillis(d.systemTime))
            r.timeMs = *t;
        for (const auto& f : d.fields)
            r.fields.emplace_back(f.name, f.value);
        pugi::xml_document doc;
        if (!d.xml.empty() && !doc.load_buffer(d.xml.data(), d.xml.size()))
            ++badXml;
        records.emplace(d.headerRecordId, std::move(r));
    }
    void issue(int64_t, std::string reason) override { issues.push_back(std::move(reason)); }
};

class EventSink : public RecordSink
{
public:
    std::vector<Event> events;
    void add(Event&& e) override { events.push_back(std::move(e)); }
    void skip(int64_t, std::string) override {}
    bool cancelled() const override { return false; }
};

std::vector<Event> decodeToEvents(const uint8_t* data, size_t size, EvtxRaw raw)
{
    EventSink sink;
    EvtxDecodeOptions o;
    o.raw = raw;
    o.threads = 1;
    std::string layout, error;
    decodeEvtxImage(data, size, sink, o, layout, error);
    return std::move(sink.events);
}

bool sameNormalized(const Event& a, const Event& b)
{
    return a.position == b.position && a.recordId == b.recordId && a.utcMs == b.utcMs && a.host == b.host
        && a.channel == b.channel && a.provider == b.provider && a.eventId == b.eventId
        && a.subjectGuid == b.subjectGuid && a.subjectPid == b.subjectPid && a.subjectImage == b.subjectImage
        && a.targetGuid == b.targetGuid && a.targetPid == b.targetPid && a.targetImage == b.targetImage
        && a.parentGuid == b.parentGuid && a.parentPid == b.parentPid && a.parentImage == b.parentImage
        && a.grantedAccess == b.grantedAccess && a.callTrace == b.callTrace && a.startAddress == b.startAddress
        && a.startModule == b.startModule && a.startFunction == b.startFunction && a.commandLine == b.commandLine
        && a.user == b.user && a.hashes == b.hashes && a.targetFilename == b.targetFilename
        && a.transactionId == b.transactionId && a.transactionState == b.transactionState && a.detail == b.detail;
}

bool blank(const std::string& s)
{
    return s.find_first_not_of(" \t\r\n") == std::string::npos;
}

/// libevtx 20181227 prints a negative 32/64-bit integer as "-" and its magnitude bits (sign and magnitude):
/// 0x8004805F comes out as -295007 instead of -2147188641.
bool libevtxSignMagnitude(const std::string& expected, const std::string& got)
{
    const auto e = normalize::integer(expected);
    const auto g = normalize::integer(got);
    if (!e || !g || *e >= 0 || *g >= 0)
        return false;
    const uint64_t u = uint64_t(*g);
    return -*e == int64_t(u & 0x7fffffffu) || -*e == int64_t(u & 0x7fffffffffffffffull);
}

/// Field lists are equal under the comparison rules above. markupSkipped counts values not comparable.
bool sameFields(const Rec& expected, const Rec& got, int64_t& markupSkipped, int64_t& signMagnitude)
{
    if (expected.fields.size() != got.fields.size())
        return false;
    for (size_t i = 0; i < expected.fields.size(); ++i) {
        const auto& [en, ev] = expected.fields[i];
        const auto& [gn, gv] = got.fields[i];
        if (en != gn)
            return false;
        if (ev == kMarkup) {
            ++markupSkipped;
            continue;
        }
        // Whitespace-only values ("\r", "\n", " ") come out of libevtx as empty elements.
        if (ev == gv || (blank(ev) && blank(gv)))
            continue;
        if (libevtxSignMagnitude(ev, gv)) {
            ++signMagnitude;
            continue;
        }
        return false;
    }
    return true;
}

std::string describe(const Rec& r)
{
    std::string s = "id=" + r.eventId + " provider=" + r.provider + " channel=" + r.channel + " computer=" + r.computer
                  + " time=" + std::to_string(r.timeMs) + " fields:";
    for (const auto& [n, v] : r.fields)
        s += " [" + n + "=" + v.substr(0, 80) + "]";
    return s;
}

} // namespace

class TestNativeEvtxDifferential : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void corpus()
    {
        const QString root = QStringLiteral(DSCOPE_DATASETS);
        if (!QFileInfo(root).isDir())
            QSKIP("the corpus folder (DSCOPE_DATASETS) is absent");
        QStringList files;
        QDirIterator it(root, {QStringLiteral("*.evtx")}, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext())
            files << it.next();
        files.sort();
        if (files.isEmpty())
            QSKIP("no EVTX file in the corpus");

        int64_t compared = 0, libevtxFailed = 0, nativeOnly = 0, badXml = 0, markupSkipped = 0, signMagnitude = 0;
        std::vector<std::string> differences;
        for (const QString& path : files) {
            QFile f(path);
            QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(path));
            const QByteArray bytes = f.readAll();
            const auto* data = reinterpret_cast<const uint8_t*>(bytes.constData());
            EvtxFileInfo info;
            std::string error;
            QVERIFY2(EvtxChunkReader::readHeader(data, size_t(bytes.size()), info, error), qPrintable(path));
            // The import path (no XML: template plans) is compared with libevtx; the interpreter that renders
            // XML must give the very same records, those libevtx cannot read included.
            Collector native, rendered;
            EvtxChunkReader reader(false, false), renderer(true, false);
            for (size_t c = 0; c < info.chunksInFile; ++c) {
                reader.readChunk(data, size_t(bytes.size()), c, native);
                renderer.readChunk(data, size_t(bytes.size()), c, rendered);
            }
            badXml += rendered.badXml;
            if (native.records.size() != rendered.records.size() || native.issues != rendered.issues)
                differences.push_back(path.toStdString() + ": the plan path read " + std::to_string(native.records.size())
                                      + " records, the interpreter " + std::to_string(rendered.records.size()));
            for (auto a = native.records.begin(), b = rendered.records.begin();
                 a != native.records.end() && b != rendered.records.end(); ++a, ++b) {
                const Rec& x = a->second;
                const Rec& y = b->second;
                if (a->first != b->first || x.eventId != y.eventId || x.provider != y.provider || x.channel != y.channel
                    || x.computer != y.computer || x.timeMs != y.timeMs || x.fields != y.fields)
                    differences.push_back(path.toStdString() + " record " + std::to_string(a->first)
                                          + ": plan and interpreter differ\n  plan:        " + describe(x)
                                          + "\n  interpreter: " + describe(y));
            }

            // Normalized events: the import path (template plans that skip the fields the normalizer does not
            // use) against the interpreter (XML rendering on), through the same event building.
            const std::vector<Event> planned = decodeToEvents(data, size_t(bytes.size()), EvtxRaw::None);
            const std::vector<Event> interpreted = decodeToEvents(data, size_t(bytes.size()), EvtxRaw::Xml);
            if (planned.size() != interpreted.size())
                differences.push_back(path.toStdString() + ": " + std::to_string(planned.size())
                                      + " events from the import path, " + std::to_string(interpreted.size())
                                      + " from the interpreter");
            for (size_t i = 0; i < planned.size() && i < interpreted.size(); ++i)
                if (!sameNormalized(planned[i], interpreted[i]))
                    differences.push_back(path.toStdString() + " event at offset " + std::to_string(planned[i].position)
                                          + ": the import path normalized it differently");

            libevtx_file_t* file = nullptr;
            libevtx_error_t* err = nullptr;
            QVERIFY(libevtx_file_initialize(&file, &err) == 1);
            const QByteArray local = QFile::encodeName(path);
            int fileFailed = 0;
            if (libevtx_file_open(file, local.constData(), LIBEVTX_OPEN_READ, &err) != 1) {
                libevtx_error_free(&err);
                fileFailed = -1;
            } else {
                int count = 0;
                libevtx_file_get_number_of_records(file, &count, &err);
                for (int i = 0; i < count; ++i) {
                    libevtx_record_t* rec = nullptr;
                    if (libevtx_file_get_record_by_index(file, i, &rec, &err) != 1) {
                        libevtx_error_free(&err);
                        ++fileFailed;
                        continue;
                    }
                    uint64_t id = 0;
                    size_t xmlSize = 0;
                    std::string xml;
                    bool ok = libevtx_record_get_identifier(rec, &id, &err) == 1
                           && libevtx_record_get_utf8_xml_string_size(rec, &xmlSize, &err) == 1;
                    if (ok) {
                        xml.resize(xmlSize);
                        ok = libevtx_record_get_utf8_xml_string(rec, reinterpret_cast<uint8_t*>(xml.data()), xmlSize, &err) == 1;
                        if (!xml.empty() && xml.back() == '\0')
                            xml.pop_back();
                    }
                    libevtx_record_free(&rec, nullptr);
                    Rec expected;
                    if (!ok || !fromLibevtxXml(xml, expected)) {
                        libevtx_error_free(&err);
                        ++fileFailed;
                        continue;
                    }
                    const std::string where = path.toStdString() + " record " + std::to_string(id) + ": ";
                    Rec* got = nullptr;
                    for (auto [a, b] = native.records.equal_range(id); a != b; ++a)
                        if (!a->second.used) {
                            got = &a->second;
                            break;
                        }
                    if (!got) {
                        differences.push_back(where + "missing from the native reader");
                        continue;
                    }
                    got->used = true;
                    ++compared;
                    if (got->eventId != expected.eventId || got->provider != expected.provider
                        || got->channel != expected.channel || got->computer != expected.computer
                        || got->timeMs != expected.timeMs || !sameFields(expected, *got, markupSkipped, signMagnitude))
                        differences.push_back(where + "\n  libevtx: " + describe(expected) + "\n  native:  " + describe(*got));
                }
                libevtx_file_close(file, nullptr);
            }
            libevtx_file_free(&file, nullptr);
            int fileNativeOnly = 0;
            for (const auto& [id, r] : native.records)
                if (!r.used)
                    ++fileNativeOnly;
            nativeOnly += fileNativeOnly;
            libevtxFailed += std::max(fileFailed, 0);
            if (fileFailed || fileNativeOnly || !native.issues.empty())
                qInfo("%s: libevtx failed %d, native-only records %d, native issues %zu%s%s", qPrintable(path), fileFailed,
                      fileNativeOnly, native.issues.size(), native.issues.empty() ? "" : ", first: ",
                      native.issues.empty() ? "" : native.issues.front().c_str());
        }
        qInfo("compared %lld records; libevtx failed on %lld, native-only %lld; native XML not well formed: %lld; "
              "values not comparable (libevtx wrote markup unescaped): %lld; libevtx sign-magnitude integers: %lld",
              (long long)compared, (long long)libevtxFailed, (long long)nativeOnly, (long long)badXml,
              (long long)markupSkipped, (long long)signMagnitude);
        for (size_t i = 0; i < differences.size() && i < 3000; ++i)
            qWarning("%s", differences[i].c_str());
        QVERIFY2(differences.empty(), qPrintable(QString::number(differences.size()) + QStringLiteral(" differences")));
        QCOMPARE(badXml, int64_t(0));
        QVERIFY(compared > 30000);
    }
};

QTEST_GUILESS_MAIN(TestNativeEvtxDifferential)
#include "tst_nativeevtx_differential.moc"
