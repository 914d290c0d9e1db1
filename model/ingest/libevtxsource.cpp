// SPDX-License-Identifier: MIT
#include "libevtxsource.h"

#include "eventbuilder.h"
#include "eventxml.h"
#include "inputbytes.h"

#include <libbfio.h>
#include <libevtx.h>

#include <array>
#include <cstring>
#include <mutex>
#include <string_view>
#include <vector>

namespace dscope::model {

namespace {

/**
 * The reason from libevtx's error backtrace, and the error freed. The backtrace lists the innermost failure
 * first and then every caller; the first line says what is wrong, and the line naming an offset says where.
 */
std::string takeMessage(libevtx_error_t*& error, bool outermost = false)
{
    if (!error)
        return "unknown libevtx error";
    std::array<char, 4096> buf{};
    std::string text;
    if (libevtx_error_backtrace_sprint(error, buf.data(), buf.size()) > 0
        || libevtx_error_sprint(error, buf.data(), buf.size()) > 0) {
        buf.back() = '\0';
        text = buf.data();
    }
    libevtx_error_free(&error);
    std::vector<std::string_view> lines;
    std::string_view rest(text);
    while (!rest.empty()) {
        const size_t nl = rest.find('\n');
        std::string_view line = rest.substr(0, nl);
        rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
        while (!line.empty() && (line.back() == '.' || line.back() == ' ' || line.back() == '\r'))
            line.remove_suffix(1);
        if (!line.empty())
            lines.push_back(line);
    }
    if (lines.empty())
        return "unknown libevtx error";
    std::string out(lines.front());
    if (outermost && lines.size() > 1) {
        out += " (";
        out += lines.back();
        out += ')';
        return out;
    }
    for (size_t i = 1; i < lines.size(); ++i) {
        if (lines[i].find("offset") != std::string_view::npos) {
            out += " (";
            out += lines[i];
            out += ')';
            break;
        }
    }
    return out;
}

std::string takeBfioMessage(libbfio_error_t*& error)
{
    std::array<char, 1024> buf{};
    std::string out = "unknown libbfio error";
    if (error && libbfio_error_sprint(error, buf.data(), buf.size()) > 0) {
        buf.back() = '\0';
        out = buf.data();
    }
    libbfio_error_free(&error);
    return out;
}

/// Owns an open libevtx file and the libbfio handle (and bytes) behind it, closed in the right order.
class EvtxFile
{
public:
    EvtxFile() = default;
    EvtxFile(const EvtxFile&) = delete;
    EvtxFile& operator=(const EvtxFile&) = delete;
    ~EvtxFile()
    {
        if (m_file) {
            if (m_open)
                libevtx_file_close(m_file, nullptr);
            libevtx_file_free(&m_file, nullptr);
        }
        // libevtx does not take ownership of a handle it was given.
        if (m_io)
            libbfio_handle_free(&m_io, nullptr);
    }

    bool openPath(const std::string& path, std::string& error)
    {
        libevtx_error_t* e = nullptr;
        if (libevtx_file_initialize(&m_file, &e) != 1) {
            error = takeMessage(e, true);
            return false;
        }
        if (libevtx_file_open(m_file, path.c_str(), LIBEVTX_OPEN_READ, &e) != 1) {
            error = takeMessage(e, true);
            return false;
        }
        m_open = true;
        return true;
    }

    /// Opens bytes in memory; they must outlive this object.
    bool openMemory(std::string& bytes, std::string& error)
    {
        libbfio_error_t* be = nullptr;
        if (libbfio_memory_range_initialize(&m_io, &be) != 1
            || libbfio_memory_range_set(m_io, reinterpret_cast<uint8_t*>(bytes.data()), bytes.size(), &be) != 1) {
            error = takeBfioMessage(be);
            return false;
        }
        libevtx_error_t* e = nullptr;
        if (libevtx_file_initialize(&m_file, &e) != 1) {
            error = takeMessage(e, true);
            return false;
        }
        if (libevtx_file_open_file_io_handle(m_file, m_io, LIBEVTX_OPEN_READ, &e) != 1) {
            error = takeMessage(e, true);
            return false;
        }
        m_open = true;
        return true;
    }

    libevtx_file_t* get() const { return m_file; }

private:
    libevtx_file_t* m_file = nullptr;
    libbfio_handle_t* m_io = nullptr;
    bool m_open = false;
};

struct RecordGuard {
    libevtx_record_t* record = nullptr;
    ~RecordGuard()
    {
        if (record)
            libevtx_record_free(&record, nullptr);
    }
};

/// The smallest file libevtx opens: a 4 KiB header with no chunks and a valid header checksum.
std::string emptyEvtx()
{
    std::string h(4096, '\0');
    auto put16 = [&](size_t at, uint16_t v) { std::memcpy(h.data() + at, &v, 2); };
    auto put32 = [&](size_t at, uint32_t v) { std::memcpy(h.data() + at, &v, 4); };
    auto put64 = [&](size_t at, uint64_t v) { std::memcpy(h.data() + at, &v, 8); };
    std::memcpy(h.data(), "ElfFile", 8);
    put64(24, 1);    // next record identifier
    put32(32, 128);  // header size
    put16(36, 1);    // minor version
    put16(38, 3);    // major version
    put16(40, 4096); // header block size
    uint32_t crc = 0xffffffffu; // CRC-32 (IEEE) of the first 120 bytes
    for (size_t i = 0; i < 120; ++i) {
        crc ^= static_cast<unsigned char>(h[i]);
        for (int k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    put32(124, ~crc);
    return h;
}

/// Everything read() needs per record, so the loop body exists once for allocated and recovered records.
class RecordReader
{
public:
    RecordReader(libevtx_file_t* file, RecordSink& sink)
        : m_file(file)
        , m_sink(sink)
    {
    }

    /// Adds record index (recovered or not) at position; returns true when the record was added.
    bool read(int index, bool recovered, int64_t position)
    {
        const char* what = recovered ? "recovered record " : "record ";
        RecordGuard rec;
        libevtx_error_t* e = nullptr;
        const int ok = recovered ? libevtx_file_get_recovered_record_by_index(m_file, index, &rec.record, &e)
                                 : libevtx_file_get_record_by_index(m_file, index, &rec.record, &e);
        // Always ask for the size first: rendering into a short buffer is not bounds-checked everywhere in
        // libevtx 20181227 (it corrupted the heap on sample-with-zero-data-size-event.evtx when tried).
        size_t size = 0;
        if (ok != 1 || libevtx_record_get_utf8_xml_string_size(rec.record, &size, &e) != 1) {
            fail(recovered, position, what + std::to_string(index) + ": " + takeMessage(e));
            return false;
        }
        m_xml.resize(size);
        if (size == 0
            || libevtx_record_get_utf8_xml_string(rec.record, reinterpret_cast<uint8_t*>(m_xml.data()), size, &e)
                   != 1) {
            fail(recovered, position, what + std::to_string(index) + ": " + takeMessage(e));
            return false;
        }
        const size_t length = ::strnlen(m_xml.data(), size); // the size counts the terminating NUL
        m_builder.reset();
        m_builder.setPosition(position);
        m_builder.setRaw(RawFormat::Xml, std::string_view(m_xml.data(), length));
        std::string err;
        if (!m_reader.read(m_xml.data(), length, m_builder, err)) {
            m_builder.reset();
            fail(recovered, position, what + std::to_string(index) + ": libevtx's XML rendering is not well-formed: " + err);
            return false;
        }
        // The System EventRecordID wins, as in the native engine and the XML/JSON formats: the record header's
        // number restarts at 1 in saved or exported logs (psinject: header 1, EventRecordID 18649).
        uint64_t identifier = 0;
        if (m_builder.event().recordId == kNoValue) {
            if (libevtx_record_get_identifier(rec.record, &identifier, &e) == 1)
                m_builder.setRecordId(int64_t(identifier));
            else
                libevtx_error_free(&e);
        }
        if (!m_builder.finish()) {
            m_builder.reset();
            fail(recovered, position, what + std::to_string(index) + ": no EventID");
            return false;
        }
        m_builder.handTo(m_sink);
        return true;
    }

private:
    void fail(bool recovered, int64_t position, std::string reason)
    {
        if (!recovered)
            m_sink.skip(position, std::move(reason));
    }

    libevtx_file_t* m_file;
    RecordSink& m_sink;
    std::string m_xml;
    EventXmlReader m_reader;
    EventBuilder m_builder;
};

} // namespace

void LibevtxSource::warmUp()
{
    // libevtx_file_initialize() runs libevtx_i18n_initialize(), and reading a file header computes the first
    // CRC-32, which fills a static table guarded only by an unsynchronised "computed" flag. Both are idempotent
    // but formally data races when two threads do them first at once; doing them here, once, removes that.
    // A mutex rather than std::call_once: it costs one uncontended lock per input, and race checkers (helgrind)
    // see its happens-before edge, so a check of the importer stays free of reports about these two globals.
    static std::mutex mutex;
    static bool done = false;
    const std::lock_guard lock(mutex);
    if (done)
        return;
    std::string bytes = emptyEvtx();
    EvtxFile file;
    std::string ignored;
    file.openMemory(bytes, ignored);
    done = true;
}

bool LibevtxSource::read(InputBytes& input, RecordSink& sink, std::string& error)
{
    warmUp();
    EvtxFile file;
    std::string bytes; // the member's bytes when there is no path; must outlive file
    if (const std::string* path = input.filePath()) {
        if (!file.openPath(*path, error))
            return false;
    } else {
        if (!input.readAll(bytes, kMaxInMemoryBytes, error))
            return false;
        if (!file.openMemory(bytes, error))
            return false;
    }

    libevtx_error_t* e = nullptr;
    uint16_t major = 0, minor = 0;
    if (libevtx_file_get_format_version(file.get(), &major, &minor, &e) == 1)
        m_layout = "evtx-" + std::to_string(major) + "." + std::to_string(minor);
    else
        libevtx_error_free(&e);

    int count = 0;
    if (libevtx_file_get_number_of_records(file.get(), &count, &e) != 1) {
        error = takeMessage(e, true);
        return false;
    }
    RecordReader records(file.get(), sink);
    for (int i = 0; i < count && !sink.cancelled(); ++i)
        records.read(i, false, i);

    if (!m_recover)
        return true;
    int recovered = 0;
    if (libevtx_file_get_number_of_recovered_records(file.get(), &recovered, &e) != 1) {
        sink.skip(count, "recovered records: " + takeMessage(e));
        return true;
    }
    // Recovered records are leftovers in slack space, most of them partly overwritten: one that does not decode
    // is not a damaged record of this log, so it is not reported as skipped (evtxexport drops them too).
    for (int j = 0; j < recovered && !sink.cancelled(); ++j) {
        if (records.read(j, true, int64_t(count) + j))
            sink.noteRecovered();
    }
    return true;
}

} // namespace dscope::model
