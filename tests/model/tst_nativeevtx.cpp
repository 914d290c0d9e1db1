// SPDX-License-Identifier: MIT
// The native EVTX reader on files built byte by byte (evtxfixture_helpers.h): a non-template record, damaged
// chunks and records, slack-space recovery, chunks past the header's count, thread-independent order; plus every
// input the fuzzer once crashed on (tests/data/evtx-fuzz). Imports of such files: tst_evtximport.cpp.
#include "evtxfixture_helpers.h"

#include "evtx/binxmldecoder.h"
#include "evtx/evtxfiledecoder.h"
#include "evtx/evtxvalues.h"
#include "evtx/nativeevtxsource.h"
#include "import/importer.h"
#include "ingest/inputbytes.h"
#include "storage/database.h"
#include "evtx/evtxrecordrenderer.h"
#include "storage/rawevent.h"
#include "storage/statement.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>

#include <cstring>
#include <fstream>
#include <string>
#include <vector>

using namespace dscope::model;

namespace {
const evtx::EvtxRecordRenderer evtxRecords;
}
using namespace evtxtest;

namespace {

class VectorSink : public RecordSink
{
public:
    std::vector<Event> events;
    std::vector<std::pair<int64_t, std::string>> skips;
    std::vector<std::pair<int64_t, std::string>> warnings; ///< damage that cost no record
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
    void warn(int64_t pos, std::string reason) override { warnings.emplace_back(pos, std::move(reason)); }
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

} // namespace

class TestNativeEvtx : public QObject
{
    Q_OBJECT
private Q_SLOTS:
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
            QVERIFY2(loadRawEvent(db, ids.columnInt(0), &evtxRecords, raw, error), error.c_str());
            QCOMPARE(raw.format, RawFormat::Xml);
            QCOMPARE(raw.data, xml.events[i++].raw);
        }
        QCOMPARE(i, size_t(6));
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

    void checksumMismatchIsAWarningWhenNoRecordIsLost()
    {
        // A value byte: the records checksum fails, every record still parses. Reported, and nothing counts as
        // skipped.
        std::string f = buildFile(1, 3, 1);
        f[f.find(std::string("n\0o\0t\0e\0p\0a\0d", 13))] = 'N';
        const VectorSink s = decode(f);
        QCOMPARE(s.events.size(), size_t(3));
        QCOMPARE(s.skips.size(), size_t(0));
        QCOMPARE(s.warnings.size(), size_t(1));
        QCOMPARE(s.warnings[0].first, int64_t(4096));
        QCOMPARE(s.warnings[0].second, std::string("chunk 0 at offset 4096: event records checksum mismatch; records read "
                                                   "individually"));
        // The chunk header's checksum: a record-number field (offset 24) that reading does not use changed.
        std::string g = buildFile(1, 3, 1);
        g[4096 + 24] ^= 0x01;
        const VectorSink h = decode(g);
        QCOMPARE(h.events.size(), size_t(3));
        QCOMPARE(h.skips.size(), size_t(0));
        QCOMPARE(h.warnings.size(), size_t(1));
        QVERIFY(h.warnings[0].second.find("chunk header checksum mismatch") != std::string::npos);
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
