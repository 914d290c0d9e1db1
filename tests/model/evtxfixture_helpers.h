// SPDX-License-Identifier: MIT
// EVTX files built byte by byte for the reader and import tests: chunks of non-template records or of template
// instances, with valid checksums, and a file header that may undercount its chunks.
#pragma once

#include "evtx/evtxvalues.h"

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <map>
#include <string>

namespace evtxtest {

using namespace dscope::model;

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

inline std::string fileHeader(uint16_t chunkCount)
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

/// Chunks with `perChunk` records each; ids count up from 1.
inline std::string buildFile(int chunks, int perChunk, uint16_t headerCount)
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


} // namespace evtxtest
