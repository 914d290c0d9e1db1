// SPDX-License-Identifier: MIT
// The native EVTX reader on files built here byte by byte: a non-template record, damaged chunks and
// records, slack-space recovery, chunks past the header's count, thread-independent order; plus every
// input the fuzzer once crashed on (tests/data/evtx-fuzz).
#include "evtx/binxmldecoder.h"
#include "evtx/evtxfiledecoder.h"
#include "evtx/evtxvalues.h"
#include "evtx/nativeevtxsource.h"
#include "ingest/importer.h"
#include "ingest/inputbytes.h"
#include "storage/database.h"
#include "storage/rawevent.h"
#include "storage/statement.h"

#include <QDir>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <unistd.h>

#include <thread>

#include <cstring>
#include <fstream>
#include <map>
#include <string>
#include <vector>

using namespace dscope::model;

namespace {

/// Writes one 64 KiB chunk whose records are binary XML fragments without templates.
class ChunkWriter
{
public:
    ChunkWriter() : m_c(65536, '\0') { std::memcpy(m_c.data(), "ElfChnk\0", 8); }

    /// One record: <Event><System>...</System><EventData><Data Name="...">...</Data></EventData></Event>.
    void addEvent(uint64_t id, int eventId, const std::string& image)
    {
        const uint32_t start = m_pos;
        put32(0x00002a2a);
        const uint32_t sizeAt = m_pos;
        put32(0);
        put64(id);
        put64(132000000000000000ULL + id * 10000000ULL); // written time
        putBytes({0x0f, 0x01, 0x01, 0x00});
        open("Event", false);
        closeStart();
        open("System", false);
        closeStart();
        element("EventID", std::to_string(eventId));
        open("Provider", true);
        attribute("Name", "Test-Provider");
        closeEmpty();
        open("TimeCreated", true);
        attribute("SystemTime", "2020-01-02T03:04:05.678Z");
        closeEmpty();
        element("EventRecordID", std::to_string(id));
        element("Channel", "Security");
        element("Computer", "HOST-1");
        end();
        open("EventData", false);
        closeStart();
        open("Data", true);
        attribute("Name", "NewProcessName");
        closeStart();
        text(image);
        end();
        end();
        end();
        putBytes({0x00});
        const uint32_t size = m_pos - start + 4;
        put32(size);
        std::memcpy(&m_c[sizeAt], &size, 4);
        m_lastRecord = start;
    }
    /**
     * One template instance record: <Event><System><EventID>%0</EventID><Computer>%1</Computer></System></Event>.
     * The template (its GUID byte `guid`) is defined inline on first use in this chunk; element names are
     * written inline the first time the chunk needs them and referenced after that, across templates, as
     * Windows writes them. `computerElement` is the name the template gives the Computer element.
     */
    void addTemplateEvent(uint64_t id, uint8_t guid, const std::string& computerElement, const std::string& host)
    {
        const uint32_t start = m_pos;
        put32(0x00002a2a);
        const uint32_t sizeAt = m_pos;
        put32(0);
        put64(id);
        put64(132000000000000000ULL + id * 10000000ULL);
        putBytes({0x0f, 0x01, 0x01, 0x00, 0x0c, 0x01});
        put32(0); // template id
        auto known = m_templates.find(guid);
        if (known != m_templates.end()) {
            put32(known->second);
        } else {
            const uint32_t def = m_pos + 4;
            m_templates[guid] = def;
            put32(def);
            put32(0); // next template
            for (int i = 0; i < 16; ++i)
                putBytes({guid});
            const uint32_t dataSizeAt = m_pos;
            put32(0);
            const uint32_t data = m_pos;
            putBytes({0x0f, 0x01, 0x01, 0x00});
            templateOpen("Event");
            closeStart();
            templateOpen("System");
            closeStart();
            templateOpen("EventID");
            closeStart();
            putBytes({0x0d, 0x00, 0x00, 0x06}); // substitution 0, UInt16
            end();
            templateOpen(computerElement);
            closeStart();
            putBytes({0x0d, 0x01, 0x00, 0x01}); // substitution 1, string
            end();
            end();
            end();
            putBytes({0x00});
            set32(dataSizeAt, m_pos - data);
        }
        put32(2); // values: EventID 4688 (UInt16), the host (string)
        put16(2);
        putBytes({0x06, 0x00});
        put16(uint16_t(2 * host.size()));
        putBytes({0x01, 0x00});
        put16(4688);
        utf16(host);
        const uint32_t size = m_pos - start + 4;
        put32(size);
        std::memcpy(&m_c[sizeAt], &size, 4);
        m_lastRecord = start;
    }
    /// Finishes the header: offsets and both checksums.
    std::string finish()
    {
        set32(44, m_lastRecord);
        set32(48, m_pos);
        const auto* p = reinterpret_cast<const uint8_t*>(m_c.data());
        set32(52, evtx::crc32(0, p + 512, m_pos - 512));
        set32(124, evtx::crc32(evtx::crc32(0, p, 120), p + 128, 384));
        return m_c;
    }
    uint32_t pos() const { return m_pos; }

private:
    void putBytes(std::initializer_list<uint8_t> b)
    {
        for (uint8_t x : b)
            m_c[m_pos++] = char(x);
    }
    void put16(uint16_t v) { std::memcpy(&m_c[m_pos], &v, 2), m_pos += 2; }
    void put32(uint32_t v) { std::memcpy(&m_c[m_pos], &v, 4), m_pos += 4; }
    void put64(uint64_t v) { std::memcpy(&m_c[m_pos], &v, 8), m_pos += 8; }
    void set32(uint32_t at, uint32_t v) { std::memcpy(&m_c[at], &v, 4); }
    void utf16(const std::string& s)
    {
        for (char ch : s)
            put16(uint8_t(ch));
    }
    void name(const std::string& n) // inline name, at the offset the reference points to
    {
        put32(m_pos + 4);
        put32(0);
        put16(0);
        put16(uint16_t(n.size()));
        utf16(n);
        put16(0);
    }
    void open(const std::string& n, bool attrs)
    {
        putBytes({uint8_t(attrs ? 0x41 : 0x01)});
        put32(0); // data size (not used by readers that walk tokens)
        name(n);
        if (attrs)
            put32(0);
    }
    void attribute(const std::string& n, const std::string& v)
    {
        putBytes({0x06});
        name(n);
        text(v);
    }
    void text(const std::string& v)
    {
        putBytes({0x05, 0x01});
        put16(uint16_t(v.size()));
        utf16(v);
    }
    void element(const std::string& n, const std::string& v)
    {
        open(n, false);
        closeStart();
        text(v);
        end();
    }
    void closeStart() { putBytes({0x02}); }
    void closeEmpty() { putBytes({0x03}); }
    void end() { putBytes({0x04}); }
    /// A template element (with its dependency id): its name inline once per chunk, then referenced.
    void templateOpen(const std::string& n)
    {
        putBytes({0x01, 0xff, 0xff});
        put32(0);
        const auto it = m_names.find(n);
        if (it != m_names.end()) {
            put32(it->second);
            return;
        }
        m_names[n] = m_pos + 4;
        name(n);
    }

    std::map<std::string, uint32_t> m_names;
    std::map<uint8_t, uint32_t> m_templates;
    std::string m_c;
    uint32_t m_pos = 512;
    uint32_t m_lastRecord = 0;
};

std::string fileHeader(uint16_t chunkCount)
{
    std::string h(4096, '\0');
    std::memcpy(h.data(), "ElfFile\0", 8);
    h[32] = char(128);
    h[36] = 1;
    h[38] = 3;
    std::memcpy(&h[42], &chunkCount, 2);
    const uint32_t crc = evtx::crc32(0, reinterpret_cast<const uint8_t*>(h.data()), 120);
    std::memcpy(&h[124], &crc, 4);
    return h;
}

class VectorSink : public RecordSink
{
public:
    std::vector<Event> events;
    std::vector<std::pair<int64_t, std::string>> skips;
    std::vector<RawBlock> blocks;  ///< shared raw blocks (EVTX chunks), in the order received
    std::vector<int> blockOfEvent; ///< per event: the block it points into, or -1
    int recovered = 0;
    void add(Event&& e) override
    {
        const bool shared = e.rawFormat == RawFormat::EvtxBinXml && e.raw.empty() && !blocks.empty();
        blockOfEvent.push_back(shared ? int(blocks.size()) - 1 : -1);
        events.push_back(std::move(e));
    }
    void addSharedRaw(RawBlock&& block) override { blocks.push_back(std::move(block)); }
    void skip(int64_t pos, std::string reason) override { skips.emplace_back(pos, std::move(reason)); }
    void noteRecovered() override { ++recovered; }
    bool cancelled() const override { return false; }
};

VectorSink decode(const std::string& file, bool recover = false, int threads = 1,
                  evtx::EvtxRaw raw = evtx::EvtxRaw::Chunk)
{
    VectorSink sink;
    evtx::EvtxDecodeOptions o;
    o.recover = recover;
    o.threads = threads;
    o.raw = raw;
    std::string layout, error;
    if (!evtx::decodeEvtxImage(reinterpret_cast<const uint8_t*>(file.data()), file.size(), sink, o, layout, error))
        sink.skips.emplace_back(-1, "not read: " + error);
    return sink;
}

/// Chunks with `perChunk` records each; ids count up from 1.
std::string buildFile(int chunks, int perChunk, uint16_t headerCount)
{
    std::string f = fileHeader(headerCount);
    uint64_t id = 1;
    for (int c = 0; c < chunks; ++c) {
        ChunkWriter w;
        for (int r = 0; r < perChunk; ++r, ++id)
            w.addEvent(id, 4688, "C:\\Windows\\notepad-" + std::to_string(id) + ".exe");
        f += w.finish();
    }
    return f;
}

} // namespace

class TestNativeEvtx : public QObject
{
    Q_OBJECT
private slots:
    void nonTemplateRecord()
    {
        const VectorSink s = decode(buildFile(1, 1, 1), false, 1, evtx::EvtxRaw::Xml);
        QCOMPARE(s.skips.size(), size_t(0));
        QCOMPARE(s.events.size(), size_t(1));
        const Event& e = s.events[0];
        QCOMPARE(e.eventId, int64_t(4688));
        QCOMPARE(e.recordId, int64_t(1));
        QCOMPARE(e.provider, std::string("Test-Provider"));
        QCOMPARE(e.channel, std::string("Security"));
        QCOMPARE(e.host, std::string("HOST-1"));
        QCOMPARE(e.utcMs, int64_t(1577934245678));
        QCOMPARE(e.subjectImage, std::string("C:\\Windows\\notepad-1.exe")); // NewProcessName, by name
        QCOMPARE(e.position, int64_t(4096 + 512));
        QCOMPARE(e.rawFormat, RawFormat::Xml);
        QVERIFY(e.raw.find("<Data Name=\"NewProcessName\">C:\\Windows\\notepad-1.exe</Data>") != std::string::npos);
    }

    void chunkRawRendersLikeXmlRaw()
    {
        // By default each record keeps its binary XML and its chunk is handed over once, compressed; rendering
        // a record from the stored chunk gives exactly the XML the decoder renders inline.
        const std::string f = buildFile(3, 5, 3);
        const VectorSink xml = decode(f, false, 2, evtx::EvtxRaw::Xml);
        const VectorSink bin = decode(f, false, 2);
        QCOMPARE(bin.events.size(), size_t(15));
        QCOMPARE(xml.events.size(), size_t(15));
        QCOMPARE(bin.blocks.size(), size_t(3)); // one per chunk
        QVERIFY(xml.blocks.empty());
        for (size_t i = 0; i < bin.events.size(); ++i) {
            const Event& e = bin.events[i];
            QCOMPARE(e.rawFormat, RawFormat::EvtxBinXml);
            QVERIFY(e.raw.empty());
            QCOMPARE(bin.blockOfEvent[i], int(i / 5));
            const RawBlock& block = bin.blocks[size_t(bin.blockOfEvent[i])];
            QCOMPARE(block.format, RawFormat::EvtxBinXml);
            std::string chunk, error;
            QVERIFY2(decodeRaw(block.codec, block.data, chunk, error), error.c_str());
            QVERIFY(chunk.size() < 65536); // the slack after the last record is not stored
            evtx::BinXmlDecoder decoder;
            decoder.beginChunk(reinterpret_cast<const uint8_t*>(chunk.data()), chunk.size());
            evtx::DecodedRecord record;
            QVERIFY2(decoder.decodeRecord(e.rawOffset, e.rawOffset + e.rawLength, true, record, error), error.c_str());
            QCOMPARE(std::string(record.xml), xml.events[i].raw);
        }
    }

    void storedChunkRawLoadsAsXml()
    {
        // Through the importer into a case: the detail pane's loader renders the record from its chunk.
        const std::string f = buildFile(2, 3, 2);
        QTemporaryDir dir;
        const std::string path = QString(dir.path() + QStringLiteral("/t.evtx")).toStdString();
        std::ofstream(path, std::ios::binary) << f;
        const std::string casePath = QString(dir.path() + QStringLiteral("/t.dscase")).toStdString();
        const ImportSummary summary = Importer(casePath).run({path});
        QCOMPARE(summary.events, int64_t(6));
        const VectorSink xml = decode(f, false, 1, evtx::EvtxRaw::Xml);
        Database db;
        QVERIFY(db.open(casePath));
        QCOMPARE(db.scalar("SELECT count(*) FROM raw_blocks WHERE format=3"), int64_t(2));
        Statement ids(db, "SELECT id FROM events ORDER BY position");
        size_t i = 0;
        while (ids.next()) {
            RawEvent raw;
            std::string error;
            QVERIFY2(loadRawEvent(db, ids.columnInt(0), raw, error), error.c_str());
            QCOMPARE(raw.format, RawFormat::Xml);
            QCOMPARE(raw.data, xml.events[i++].raw);
        }
        QCOMPARE(i, size_t(6));
    }

    void archiveOfEvtxAndJsonKeepsEveryOriginal()
    {
        // One input whose members alternate between EVTX (events share their stored chunk) and JSON lines (events
        // packed into compressed blocks as they arrive): every event must load its own original.
        QTemporaryDir dir;
        std::ofstream(QString(dir.path() + QStringLiteral("/a.evtx")).toStdString(), std::ios::binary)
            << buildFile(3, 50, 3);
        std::ofstream(QString(dir.path() + QStringLiteral("/c.evtx")).toStdString(), std::ios::binary)
            << buildFile(2, 30, 2);
        std::map<int64_t, std::string> lines;
        {
            std::ofstream json(QString(dir.path() + QStringLiteral("/b.jsonl")).toStdString(), std::ios::binary);
            for (int i = 0; i < 700; ++i) {
                const int64_t record = 1000 + i;
                lines[record] = "{\"EventID\":10,\"Channel\":\"Microsoft-Windows-Sysmon/Operational\",\"Hostname\":"
                                "\"MIXED\",\"RecordNumber\":"
                                + std::to_string(record) + ",\"UtcTime\":\"2020-01-01 00:00:00.000\",\"Pad\":\""
                                + std::string(size_t(i * 37 % 500), char('a' + i % 26)) + "\"}";
                json << lines[record] << "\n";
            }
        }
        QProcess tar;
        tar.setWorkingDirectory(dir.path());
        tar.start(QStringLiteral("tar"), {QStringLiteral("-czf"), QStringLiteral("mixed.tar.gz"), QStringLiteral("a.evtx"),
                                          QStringLiteral("b.jsonl"), QStringLiteral("c.evtx")});
        QVERIFY(tar.waitForFinished(30000));
        QCOMPARE(tar.exitCode(), 0);
        const std::string casePath = QString(dir.path() + QStringLiteral("/mixed.dscase")).toStdString();
        const ImportSummary summary =
            Importer(casePath).run({QString(dir.path() + QStringLiteral("/mixed.tar.gz")).toStdString()});
        QCOMPARE(summary.events, int64_t(150 + 700 + 60));
        Database db;
        QVERIFY(db.open(casePath));
        QVERIFY(db.scalar("SELECT count(*) FROM raw_blocks WHERE format=2") >= 2); // JSON filled more than a block
        Statement rows(db, "SELECT id, record_id FROM events ORDER BY id");
        int json = 0, evtx = 0;
        while (rows.next()) {
            RawEvent raw;
            std::string error;
            QVERIFY2(loadRawEvent(db, rows.columnInt(0), raw, error), error.c_str());
            const int64_t record = rows.columnInt(1);
            if (raw.format == RawFormat::Json) {
                ++json;
                QCOMPARE(raw.data, lines[record]);
            } else {
                ++evtx;
                QCOMPARE(raw.format, RawFormat::Xml);
                const std::string id = "<EventRecordID>" + std::to_string(record) + "</EventRecordID>";
                QVERIFY2(raw.data.find(id) != std::string::npos, raw.data.c_str());
            }
        }
        QCOMPARE(json, 700);
        QCOMPARE(evtx, 210);
    }

    void streamsAreReadOnceAndFingerprinted()
    {
        // A pipe (a FIFO here, like `<(zcat log.evtx.gz)` in a shell) can be read only once: the fingerprint and
        // the parser must share that one read. Imported from a file and from a pipe, the same bytes give the same
        // events, originals and SHA-256; the second import of them is a duplicate.
        QTemporaryDir dir;
        const std::string evtxBytes = buildFile(3, 40, 3);
        const std::string filePath = QString(dir.path() + QStringLiteral("/f.evtx")).toStdString();
        std::ofstream(filePath, std::ios::binary) << evtxBytes;
        const std::string viaFile = QString(dir.path() + QStringLiteral("/file.dscase")).toStdString();
        const ImportSummary fromFile = Importer(viaFile).run({filePath});
        QCOMPARE(fromFile.events, int64_t(120));

        auto importThroughFifo = [&](const std::string& casePath, const std::string& bytes) {
            const std::string fifo = QString(dir.path() + QStringLiteral("/pipe")).toStdString();
            ::unlink(fifo.c_str());
            if (::mkfifo(fifo.c_str(), 0600) != 0)
                return ImportSummary{};
            std::thread feeder([&] {
                std::ofstream out(fifo, std::ios::binary); // blocks until the importer opens the other end
                out.write(bytes.data(), std::streamsize(bytes.size()));
            });
            ImportSummary s = Importer(casePath).run({fifo});
            feeder.join();
            return s;
        };
        const std::string viaPipe = QString(dir.path() + QStringLiteral("/pipe.dscase")).toStdString();
        const ImportSummary fromPipe = importThroughFifo(viaPipe, evtxBytes);
        QCOMPARE(fromPipe.inputs.size(), size_t(1));
        QVERIFY2(fromPipe.inputs[0].failure.empty(), fromPipe.inputs[0].failure.c_str());
        QCOMPARE(fromPipe.events, int64_t(120));
        QCOMPARE(fromPipe.inputs[0].sha256, fromFile.inputs[0].sha256);
        QCOMPARE(fromPipe.inputs[0].size, int64_t(evtxBytes.size()));
        {
            Database db;
            QVERIFY(db.open(viaPipe));
            Statement last(db, "SELECT id FROM events WHERE record_id=120");
            QVERIFY(last.next());
            RawEvent raw;
            std::string error;
            QVERIFY2(loadRawEvent(db, last.columnInt(0), raw, error), error.c_str());
            QVERIFY(raw.data.find("<EventRecordID>120</EventRecordID>") != std::string::npos);
        }
        const ImportSummary again = importThroughFifo(viaPipe, evtxBytes);
        QCOMPARE(statusName(again.inputs[0].status), "duplicate");

        // An archive arrives through a pipe as well: libarchive reads it from memory.
        QProcess gzip;
        gzip.start(QStringLiteral("gzip"), {QStringLiteral("-c"), QString::fromStdString(filePath)});
        QVERIFY(gzip.waitForFinished(30000));
        const QByteArray gz = gzip.readAllStandardOutput();
        QVERIFY(!gz.isEmpty());
        const ImportSummary gzPipe =
            importThroughFifo(QString(dir.path() + QStringLiteral("/gz.dscase")).toStdString(), gz.toStdString());
        QVERIFY2(gzPipe.inputs[0].failure.empty(), gzPipe.inputs[0].failure.c_str());
        QCOMPARE(gzPipe.events, int64_t(120));
        QCOMPARE(QString::fromStdString(gzPipe.inputs[0].format), QStringLiteral("tar.gz(evtx)")); // gzip is named by its magic; the reader takes either
    }

    void templatesAreReusedOnlyWhereTheirNamesReadTheSame()
    {
        // Two chunks with the same two templates, byte for byte. Template 2 refers to the element names that
        // template 1 defined. In the second chunk template 1 names its Computer element differently (same
        // length, so every offset stays the same): template 2's bytes are unchanged, but a copy compiled for
        // the first chunk would still read "Computer" there.
        std::string f = fileHeader(2);
        for (const std::string element : {"Computer", "Computex"}) {
            ChunkWriter w;
            w.addTemplateEvent(1, 0x11, element, "H1");
            w.addTemplateEvent(2, 0x22, element, "H2");
            w.addTemplateEvent(3, 0x22, element, "H3");
            f += w.finish();
        }
        for (const auto raw : {evtx::EvtxRaw::Chunk, evtx::EvtxRaw::Xml}) {
            const VectorSink s = decode(f, false, 1, raw);
            QCOMPARE(s.skips.size(), size_t(0));
            QCOMPARE(s.events.size(), size_t(6));
            for (const Event& e : s.events)
                QCOMPARE(e.eventId, int64_t(4688));
            QCOMPARE(s.events[0].host, std::string("H1"));
            QCOMPARE(s.events[1].host, std::string("H2"));
            QCOMPARE(s.events[2].host, std::string("H3"));
            for (size_t i = 3; i < 6; ++i)
                QCOMPARE(s.events[i].host, std::string()); // <Computex> is not the Computer element
        }
    }

    void badChunkSignatureSkipsOnlyThatChunk()
    {
        std::string f = buildFile(3, 5, 3);
        f[4096 + 65536] = 'X';
        const VectorSink s = decode(f);
        QCOMPARE(s.events.size(), size_t(10));
        QCOMPARE(s.skips.size(), size_t(1));
        QCOMPARE(s.skips[0].second, std::string("chunk 1 at offset 69632: bad chunk signature"));
        QCOMPARE(s.events[5].recordId, int64_t(11));
    }

    void truncatedRecordKeepsEarlierRecords()
    {
        std::string f = buildFile(1, 4, 1);
        // Break the size copy of the third record.
        const VectorSink whole = decode(f);
        const auto third = size_t(whole.events[2].position);
        const auto fourth = size_t(whole.events[3].position);
        f[fourth - 1] ^= 0x55;
        const VectorSink s = decode(f);
        QCOMPARE(s.events.size(), size_t(2));
        QVERIFY(!s.skips.empty());
        bool named = false;
        for (const auto& [pos, reason] : s.skips)
            named |= pos == int64_t(third) && reason.find("size copy mismatch") != std::string::npos
                     && reason.rfind("chunk 0 at offset 4096: ", 0) == 0;
        QVERIFY2(named, s.skips.back().second.c_str());
    }

    void checksumMismatchIsReported()
    {
        std::string f = buildFile(1, 3, 1);
        f[f.find(std::string("n\0o\0t\0e\0p\0a\0d", 13))] = 'N'; // a value byte: the record still parses
        const VectorSink s = decode(f);
        QCOMPARE(s.events.size(), size_t(3));
        QCOMPARE(s.skips.size(), size_t(1));
        QVERIFY(s.skips[0].second.find("event records checksum mismatch") != std::string::npos);
    }

    void chunksPastHeaderCountAreRead()
    {
        const VectorSink s = decode(buildFile(3, 2, 1)); // dirty header: claims 1 chunk
        QCOMPARE(s.events.size(), size_t(6));
        QCOMPARE(s.skips.size(), size_t(0));
    }

    void slackRecordsOnlyWithRecovery()
    {
        // A record after the free-space offset: a leftover the header no longer counts.
        ChunkWriter w;
        w.addEvent(1, 1, "live.exe");
        const std::string live = w.finish();
        w.addEvent(2, 1, "old.exe");
        std::string chunk = w.finish();
        std::memcpy(chunk.data(), live.data(), 512); // header from before the second record
        const std::string f = fileHeader(1) + chunk;
        QCOMPARE(decode(f).events.size(), size_t(1));
        const VectorSink r = decode(f, true);
        QCOMPARE(r.events.size(), size_t(2));
        QCOMPARE(r.recovered, 1);
        QCOMPARE(r.events[1].subjectImage, std::string("old.exe"));
    }

    void orderIndependentOfThreads()
    {
        const std::string f = buildFile(40, 3, 40);
        const VectorSink one = decode(f, false, 1);
        const VectorSink two = decode(f, false, 2);
        QCOMPARE(one.events.size(), size_t(120));
        QCOMPARE(two.events.size(), size_t(120));
        for (size_t i = 0; i < one.events.size(); ++i)
            QCOMPARE(two.events[i].recordId, int64_t(i + 1));
    }

    void notEvtxFailsWithName()
    {
        MemoryBytes bytes(std::string("hello"), "dir/x.evtx");
        VectorSink sink;
        NativeEvtxSource source;
        std::string error;
        QVERIFY(!source.read(bytes, sink, error));
        QVERIFY2(error.rfind("dir/x.evtx: ", 0) == 0, error.c_str());
    }

    void mappedAndInMemoryAgree()
    {
        const std::string f = buildFile(2, 3, 2);
        QTemporaryDir dir;
        const std::string path = QString(dir.path() + QStringLiteral("/t.evtx")).toStdString();
        std::ofstream(path, std::ios::binary) << f;
        FileBytes file(path);
        MemoryBytes mem(f, "t.evtx");
        VectorSink a, b;
        NativeEvtxSource s1, s2;
        std::string error;
        QVERIFY(s1.read(file, a, error));
        QVERIFY(s2.read(mem, b, error));
        QCOMPARE(a.events.size(), size_t(6));
        QCOMPARE(b.events.size(), size_t(6));
        QCOMPARE(a.blocks.size(), size_t(2));
        QCOMPARE(b.blocks.size(), size_t(2));
        QCOMPARE(a.blocks[1].data, b.blocks[1].data);
        QCOMPARE(a.events[5].rawOffset, b.events[5].rawOffset);
        QCOMPARE(s1.layout(), std::string("evtx-3.1"));
    }

    void fuzzRegressions()
    {
        // Inputs that once crashed the reader, stored the way the fuzz target reads them.
        const QDir dir(QStringLiteral(DSCOPE_TEST_DATA "/evtx-fuzz"));
        const auto files = dir.entryInfoList(QDir::Files);
        if (files.isEmpty())
            QSKIP("no fuzz regression inputs");
        for (const QFileInfo& fi : files) {
            QFile in(fi.filePath());
            QVERIFY(in.open(QIODevice::ReadOnly));
            std::string data = in.readAll().toStdString();
            if (data.rfind(std::string("ElfFile\0", 8), 0) != 0) {
                data = fileHeader(1) + data;
                if (data.size() < 4096 + 65536)
                    data.resize(4096 + 65536, '\0');
            }
            for (const bool recover : {false, true})
                (void)decode(data, recover);
        }
    }
};

QTEST_GUILESS_MAIN(TestNativeEvtx)
#include "tst_nativeevtx.moc"
