// SPDX-License-Identifier: MIT
#include "jsonsource.h"

#include "eventbuilder.h"
#include "inputbytes.h"
#include "jsonrecordmapper.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <vector>

namespace dscope::model {

namespace od = simdjson::ondemand;
using simdjson::error_code;
using simdjson::SUCCESS;

namespace {

constexpr size_t kPadding = simdjson::SIMDJSON_PADDING;

bool isBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string mib(int64_t bytes) { return std::to_string(bytes >> 20) + " MiB"; }

/// A growable byte buffer that always keeps SIMDJSON_PADDING readable bytes after its capacity, so any slice of it
/// can be handed to simdjson without a copy.
class PaddedBuffer
{
public:
    char* data() { return m_data.get(); }
    size_t size() const { return m_size; }
    size_t capacity() const { return m_capacity; }
    void setSize(size_t n) { m_size = n; }
    /// Bytes that simdjson may read from p on: up to the end of the allocation, padding included.
    size_t readableFrom(const char* p) const { return size_t(m_data.get() + m_capacity + kPadding - p); }
    void reserve(size_t capacity)
    {
        if (capacity <= m_capacity)
            return;
        std::unique_ptr<char[]> bigger(new char[capacity + kPadding]);
        if (m_size)
            std::memcpy(bigger.get(), m_data.get(), m_size);
        std::memset(bigger.get() + capacity, ' ', kPadding);
        m_data = std::move(bigger);
        m_capacity = capacity;
    }

    void release()
    {
        m_data.reset();
        m_size = m_capacity = 0;
    }

private:
    std::unique_ptr<char[]> m_data;
    size_t m_size = 0;
    size_t m_capacity = 0;
};

/// The parse window of the calling thread, kept from one input to the next. Archives hold many members, and a fresh
/// window for each cost a page fault for every 4 KiB the decompressor wrote into it (about 4 % of the CPU time of a
/// JSON corpus import). A window larger than the reader's window limit (grown for a long line or a whole-document
/// file, or kept from a reader with a larger limit) is given back, so a reader never works in more than it asked.
class ThreadWindow
{
public:
    explicit ThreadWindow(size_t keep)
        : m_keep(keep)
        , m_buffer(t_inUse ? m_own : t_window)
    {
        m_leased = !t_inUse;
        t_inUse = true;
        if (m_buffer.capacity() > m_keep)
            m_buffer.release();
        m_buffer.setSize(0);
    }
    ~ThreadWindow()
    {
        if (m_buffer.capacity() > m_keep)
            m_buffer.release();
        if (m_leased)
            t_inUse = false;
    }
    PaddedBuffer& buffer() { return m_buffer; }

private:
    static thread_local PaddedBuffer t_window;
    static thread_local bool t_inUse;
    size_t m_keep;
    PaddedBuffer m_own; // a reader inside a reader on one thread would get this one
    PaddedBuffer& m_buffer;
    bool m_leased = false;
};
thread_local PaddedBuffer ThreadWindow::t_window;
thread_local bool ThreadWindow::t_inUse = false;

} // namespace

/// The state of one read() call: the buffer, the parser and the line counter.
class JsonSource::Reader
{
public:
    Reader(InputBytes& input, RecordSink& sink, const JsonLimits& limits)
        : m_input(input)
        , m_sink(sink)
        , m_limits(limits)
        , m_window(limits.windowBytes)
        , m_buf(m_window.buffer())
    {
    }

    bool run(std::string& error);
    /// Adds the events still held back (layout B without a known clock offset), without a time.
    void flushPending();
    uint32_t layouts() const { return m_layouts; }

private:
    enum class LineResult { Blank, Done, JsonError };
    /// Normal: add or skip. Probe: add, but report a JSON error instead of skipping. Check: parse and map only.
    enum class LineMode { Normal, Probe, Check };

    bool fill(std::string& error);
    bool readRest(std::string& error);
    bool streamLines(size_t pos, std::string& error);
    bool skipOversizeLine(std::string& error);
    LineResult handleLine(const char* p, size_t n, LineMode mode);
    bool documentMode(size_t start, std::string& error);
    bool linesInMemory(size_t start, const std::string& documentError, std::string& error);
    void emit(const char* unit, int64_t position, std::string_view raw);
    void placePending(const std::string& host);

    InputBytes& m_input;
    RecordSink& m_sink;
    const JsonLimits& m_limits;
    ThreadWindow m_window;
    PaddedBuffer& m_buf;
    od::parser m_parser;
    od::document m_doc;
    JsonRecordMapper m_mapper;
    EventBuilder m_builder;
    bool m_eof = false;
    int64_t m_line = 0;     // lines fully consumed so far
    int64_t m_added = 0;
    uint32_t m_layouts = 0;
    std::string m_reason;
    // Layout B records without UtcTime that precede the first Sysmon record of their host (the corpus exports are
    // often newest first): held until the host's clock offset is known. Bounded; the rest go out without a time.
    static constexpr size_t kMaxPending = 4096;
    std::vector<std::pair<Event, int64_t>> m_pending; // event, TimeCreated reading
};

bool JsonSource::Reader::fill(std::string& error)
{
    while (!m_eof && m_buf.size() < m_buf.capacity()) {
        const int64_t n = m_input.read(m_buf.data() + m_buf.size(), int64_t(m_buf.capacity() - m_buf.size()));
        if (n < 0) {
            error = "read error after byte " + std::to_string(m_input.consumed()) + " (line "
                    + std::to_string(m_line + 1) + "): " + m_input.errorString();
            return false;
        }
        if (n == 0)
            m_eof = true;
        m_buf.setSize(m_buf.size() + size_t(n));
    }
    return true;
}

bool JsonSource::Reader::run(std::string& error)
{
    // A small input needs no 16 MiB window (archives hold many small members).
    const int64_t known = m_input.size();
    m_buf.reserve(known >= 0 ? std::min(m_limits.windowBytes, size_t(known) + 1) : m_limits.windowBytes);
    if (!fill(error))
        return false;
    size_t start = 0;
    if (m_buf.size() >= 3 && std::memcmp(m_buf.data(), "\xEF\xBB\xBF", 3) == 0)
        start = 3; // UTF-8 byte order mark
    size_t first = start;
    while (first < m_buf.size() && isBlank(m_buf.data()[first]))
        ++first;
    if (first == m_buf.size() && m_eof)
        return true; // empty or blank: no events, not an error
    if (first == m_buf.size())
        return streamLines(start, error); // a window of blanks: whatever follows is read as lines
    if (m_buf.data()[first] == '[')
        return documentMode(start, error);

    // JSON lines unless the first line is not a complete JSON value (a pretty-printed object starts with "{\n").
    const char* nl = static_cast<const char*>(std::memchr(m_buf.data() + first, '\n', m_buf.size() - first));
    while (!nl && !m_eof && m_buf.capacity() < m_limits.maxLineBytes) {
        // A first line longer than the window: grow as streamLines() would, so the decision does not depend on it.
        const size_t scanned = m_buf.size();
        m_buf.reserve(std::min(m_buf.capacity() * 2, m_limits.maxLineBytes));
        if (!fill(error))
            return false;
        nl = static_cast<const char*>(std::memchr(m_buf.data() + scanned, '\n', m_buf.size() - scanned));
    }
    const char* base = m_buf.data();
    if (!nl && !m_eof)
        return documentMode(start, error);
    const size_t firstEnd = nl ? size_t(nl - base) : m_buf.size();
    int64_t blankLines = 0;
    for (const char* p = base + start; p < base + first; ++p)
        blankLines += *p == '\n';
    const char* lineStart = base + first;
    // The first non-blank line may begin after blank lines: count them so positions stay line numbers.
    m_line = blankLines;
    const LineResult r = handleLine(lineStart, firstEnd - first, LineMode::Probe);
    if (r == LineResult::JsonError) {
        m_line = 0;
        return documentMode(start, error);
    }
    m_line += 1;
    return streamLines(nl ? firstEnd + 1 : m_buf.size(), error);
}

bool JsonSource::Reader::streamLines(size_t pos, std::string& error)
{
    size_t scanFrom = pos;
    for (;;) {
        char* base = m_buf.data();
        const size_t size = m_buf.size();
        while (scanFrom < size) {
            const char* nl = static_cast<const char*>(std::memchr(base + scanFrom, '\n', size - scanFrom));
            if (!nl)
                break;
            handleLine(base + pos, size_t(nl - base) - pos, LineMode::Normal);
            ++m_line;
            pos = scanFrom = size_t(nl - base) + 1;
            if ((m_line & 255) == 0 && m_sink.cancelled())
                return true;
        }
        if (m_eof) {
            if (pos < size) {
                handleLine(base + pos, size - pos, LineMode::Normal);
                ++m_line;
            }
            return true;
        }
        // Carry the partial last line over to the start of the window.
        const size_t tail = size - pos;
        std::memmove(base, base + pos, tail);
        m_buf.setSize(tail);
        scanFrom = tail;
        pos = 0;
        if (tail == m_buf.capacity()) {
            if (m_buf.capacity() < m_limits.maxLineBytes) {
                m_buf.reserve(std::min(m_buf.capacity() * 2, m_limits.maxLineBytes));
            } else {
                if (!skipOversizeLine(error))
                    return false;
                scanFrom = 0;
            }
        }
        if (!fill(error))
            return false;
        if (m_sink.cancelled())
            return true;
    }
}

bool JsonSource::Reader::skipOversizeLine(std::string& error)
{
    // Drop the line's bytes window by window until its newline; keep what follows it.
    m_sink.skip(m_line + 1, "line " + std::to_string(m_line + 1) + ": longer than " + mib(int64_t(m_limits.maxLineBytes))
                                + ", not read");
    for (;;) {
        m_buf.setSize(0);
        if (!fill(error))
            return false;
        const char* base = m_buf.data();
        const char* nl = static_cast<const char*>(std::memchr(base, '\n', m_buf.size()));
        if (nl) {
            const size_t rest = m_buf.size() - size_t(nl + 1 - base);
            std::memmove(m_buf.data(), nl + 1, rest);
            m_buf.setSize(rest);
            ++m_line;
            return true;
        }
        if (m_eof) {
            m_buf.setSize(0);
            ++m_line;
            return true;
        }
    }
}

JsonSource::Reader::LineResult JsonSource::Reader::handleLine(const char* p, size_t n, LineMode mode)
{
    while (n && isBlank(*p)) {
        ++p;
        --n;
    }
    while (n && isBlank(p[n - 1]))
        --n;
    if (!n)
        return LineResult::Blank;
    const int64_t lineNo = m_line + 1;
    error_code e = m_parser.iterate(p, n, m_buf.readableFrom(p)).get(m_doc);
    od::object obj;
    if (!e)
        e = m_doc.get_object().get(obj);
    if (!e)
        e = m_mapper.map(obj, m_builder);
    // A second value on the line ("{...}{...}" or "{...} x") is damage too.
    if (!e && m_doc.current_location().error() != simdjson::OUT_OF_BOUNDS)
        e = simdjson::TRAILING_CONTENT;
    if (e) {
        m_builder.reset();
        if (mode != LineMode::Normal)
            return LineResult::JsonError;
        m_reason = "line " + std::to_string(lineNo) + ": ";
        m_reason += e == simdjson::INCORRECT_TYPE ? "not a JSON object" : simdjson::error_message(e);
        m_sink.skip(lineNo, std::move(m_reason));
        return LineResult::Done;
    }
    if (mode == LineMode::Check)
        m_builder.reset();
    else
        emit("line", lineNo, std::string_view(p, n));
    return LineResult::Done;
}

void JsonSource::Reader::emit(const char* unit, int64_t position, std::string_view raw)
{
    const JsonLayout layout = m_mapper.layout();
    m_builder.setPosition(position);
    m_builder.setRaw(RawFormat::Json, raw);
    if (!m_builder.finish()) {
        m_builder.reset();
        m_sink.skip(position, std::string(unit) + ' ' + std::to_string(position) + ": no event id ("
                                  + jsonLayoutName(layout) + " layout)");
        return;
    }
    m_layouts |= 1u << unsigned(layout);
    ++m_added;
    const int64_t unplaced = m_mapper.unplacedTimeCreated();
    if (unplaced != kNoValue && m_pending.size() < kMaxPending) {
        m_pending.emplace_back(m_builder.take(), unplaced);
        return;
    }
    if (m_mapper.learnedHost() && !m_pending.empty()) {
        const std::string host = m_builder.event().host;
        m_builder.handTo(m_sink);
        placePending(host);
        return;
    }
    m_builder.handTo(m_sink);
}

void JsonSource::Reader::placePending(const std::string& host)
{
    auto keep = m_pending.begin();
    for (auto& [event, created] : m_pending) {
        if (event.host != host) {
            *keep++ = {std::move(event), created};
            continue;
        }
        if (const auto t = m_mapper.placeMinimal(host, created))
            event.utcMs = *t;
        m_sink.add(std::move(event));
    }
    m_pending.erase(keep, m_pending.end());
}

void JsonSource::Reader::flushPending()
{
    for (auto& p : m_pending)
        m_sink.add(std::move(p.first));
    m_pending.clear();
}

bool JsonSource::Reader::readRest(std::string& error)
{
    while (!m_eof) {
        if (m_buf.size() == m_buf.capacity()) {
            if (int64_t(m_buf.capacity()) >= m_limits.maxDocumentBytes) {
                // JSON lines stream in windows; only an array or a multi-line object has to be held whole.
                error = "a JSON document (an array, or an object over several lines) larger than "
                        + mib(m_limits.maxDocumentBytes) + ", the limit for a single document";
                return false;
            }
            m_buf.reserve(size_t(std::min<int64_t>(int64_t(m_buf.capacity()) * 2, m_limits.maxDocumentBytes)));
        }
        if (!fill(error))
            return false;
    }
    return true;
}

bool JsonSource::Reader::documentMode(size_t start, std::string& error)
{
    if (!readRest(error))
        return false;
    char* p = m_buf.data() + start;
    size_t n = m_buf.size() - start;
    while (n && isBlank(p[n - 1]))
        --n;
    od::json_type type{};
    error_code e = m_parser.iterate(p, n, m_buf.readableFrom(p)).get(m_doc);
    if (!e)
        e = m_doc.type().get(type);
    if (!e && type == od::json_type::array) {
        od::array arr;
        if ((e = m_doc.get_array().get(arr)))
            return linesInMemory(start, simdjson::error_message(e), error);
        int64_t index = 0;
        for (auto er : arr) {
            ++index;
            od::value v;
            od::object obj;
            std::string_view raw;
            e = er.get(v);
            if (!e)
                e = v.get_object().get(obj);
            if (e == simdjson::INCORRECT_TYPE) {
                m_sink.skip(index, "element " + std::to_string(index) + ": not a JSON object");
                continue;
            }
            if (!e)
                e = obj.raw_json().get(raw);
            if (!e)
                e = obj.reset().error();
            if (!e)
                e = m_mapper.map(obj, m_builder);
            if (e) {
                m_builder.reset();
                if (m_added == 0 && index == 1) {
                    error = std::string("not a valid JSON document: element 1: ") + simdjson::error_message(e);
                    return false;
                }
                // On-Demand cannot resynchronise inside one document: what follows the damage is lost.
                m_sink.skip(index, "element " + std::to_string(index) + ": " + simdjson::error_message(e)
                                       + "; the rest of the array is not read");
                return true;
            }
            while (!raw.empty() && isBlank(raw.back()))
                raw.remove_suffix(1);
            emit("element", index, raw);
            if ((index & 255) == 0 && m_sink.cancelled())
                return true;
        }
        return true;
    }
    od::object obj;
    if (!e)
        e = type == od::json_type::object ? m_doc.get_object().get(obj) : simdjson::INCORRECT_TYPE;
    if (!e)
        e = m_mapper.map(obj, m_builder);
    if (!e && m_doc.current_location().error() != simdjson::OUT_OF_BOUNDS)
        e = simdjson::TRAILING_CONTENT;
    if (e) {
        m_builder.reset();
        return linesInMemory(start, e == simdjson::INCORRECT_TYPE ? "not a JSON object" : simdjson::error_message(e),
                             error);
    }
    emit("record", 1, std::string_view(p, n));
    return true;
}

bool JsonSource::Reader::linesInMemory(size_t start, const std::string& documentError, std::string& error)
{
    // Neither a document nor JSON lines with a sound first line: JSON lines with a damaged head, or not JSON. Only
    // if some line parses is it read as lines; otherwise the input is rejected without a flood of skips.
    const char* base = m_buf.data();
    const size_t size = m_buf.size();
    bool anyLine = false;
    for (size_t pos = start; pos < size && !anyLine;) {
        const char* nl = static_cast<const char*>(std::memchr(base + pos, '\n', size - pos));
        const size_t end = nl ? size_t(nl - base) : size;
        anyLine = handleLine(base + pos, end - pos, LineMode::Check) == LineResult::Done;
        pos = end + 1;
    }
    if (!anyLine) {
        error = "not JSON records: as one document: " + documentError + "; and no line is a JSON object";
        return false;
    }
    m_line = 0;
    m_eof = true;
    return streamLines(start, error);
}

JsonSource::JsonSource(JsonLimits limits)
    : m_limits(limits)
{
}

JsonSource::~JsonSource() = default;

std::string JsonSource::layout() const
{
    std::string out;
    for (unsigned i = 0; i < 32; ++i) {
        if (!(m_layouts & (1u << i)))
            continue;
        if (!out.empty())
            out += '+';
        out += jsonLayoutName(JsonLayout(i));
    }
    return out;
}

bool JsonSource::read(InputBytes& input, RecordSink& sink, std::string& error)
{
    auto reader = std::make_unique<Reader>(input, sink, m_limits);
    const bool ok = reader->run(error);
    reader->flushPending();
    m_layouts |= reader->layouts();
    return ok; // the importer puts the input's name in front of the error
}

} // namespace dscope::model
