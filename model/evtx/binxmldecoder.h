// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace dscope::model::evtx {

/// What the native reader gives for one event record. Views point into the decoder and stay valid until its
/// next decodeRecord() call.
struct DecodedRecord {
    int64_t fileOffset = -1;     ///< offset of the record header in the file
    uint64_t headerRecordId = 0; ///< record identifier from the record header
    uint64_t headerWritten = 0;  ///< FILETIME the record was written (record header)
    bool recovered = false;      ///< carved from slack space or a damaged chunk
    uint32_t binXmlBegin = 0;    ///< the record's binary XML: [begin, end) in its chunk
    uint32_t binXmlEnd = 0;

    std::string_view provider, channel, computer, eventId, qualifiers, eventRecordId, systemTime;
    /// TimeCreated/@SystemTime in ms when it was a FILETIME substitution (the usual case), else kNoTime.
    int64_t timeMs = kNoTime;
    /// EventData <Data Name="..."> values and UserData leaf elements, in document order.
    std::vector<std::pair<std::string_view, std::string_view>> fields;
    /// The rendered event XML (empty unless rendering was asked for).
    std::string_view xml;

    static constexpr int64_t kNoTime = INT64_MIN;
};

/**
 * Decodes the binary XML of event records inside one 64 KiB chunk.
 *
 * Template definitions are compiled once per chunk (keyed by their chunk offset) into a flat op list whose
 * names and literal text are already UTF-8; a record then costs a walk over that list plus the conversion
 * of its substitution values. Records that are not template instances (the fragment header is followed by
 * an element, which libevtx 20181227 cannot read) are compiled the same way on the fly. Everything is
 * bounds-checked against the chunk: a hostile chunk can fail a record, never read outside it.
 */
class BinXmlDecoder
{
public:
    BinXmlDecoder();

    /// Starts a new chunk: forgets the templates and names of the previous one.
    void beginChunk(const uint8_t* chunk, size_t size);
    /// Decodes the binary XML at [begin, end) (chunk offsets) into out. On failure returns false with error.
    bool decodeRecord(uint32_t begin, uint32_t end, bool renderXml, DecodedRecord& out, std::string& error);

private:
    struct Op {
        enum Kind : uint8_t {
            Open, Attr, CloseStart, CloseEmpty, End, Text, Subst, CharRef, EntityRef, PITarget, PIData,
            Instance, ///< a template instance inside a non-template fragment; str = its chunk offset
        };
        Kind kind;
        uint8_t valueType = 0;
        bool optional = false;
        uint16_t index = 0; ///< substitution index or character reference
        uint32_t str = 0;   ///< name or literal text in m_pool
        uint32_t len = 0;
        uint32_t match = 0;      ///< Open: index of its End / CloseEmpty op
        bool arrayChild = false; ///< Open: its content substitutes an array (repeated per item)
    };
    struct Template {
        uint32_t first = 0; ///< range in m_ops
        uint32_t count = 0;
    };
    struct Value {
        const uint8_t* data;
        uint16_t size;
        uint8_t type;
    };
    struct Frame {
        uint32_t name, nameLen;
        uint32_t textStart;
        uint8_t role;
        bool hasChild;
        bool suppressed; ///< an absent optional value: libevtx leaves the whole element out
        uint32_t xmlStart;
    };

    bool compile(uint32_t pos, uint32_t end, bool hasDependencyId, Template& out, uint32_t* endPos);
    bool readName(uint32_t nameOffset, uint32_t& pos, uint32_t end, uint32_t& str, uint32_t& len);
    bool readFragment(uint32_t pos, uint32_t end, int depth);
    bool readTemplateInstance(uint32_t& pos, uint32_t end, int depth, bool execute);
    bool run(Template t, size_t valueBase, size_t valueCount, int depth);
    bool runRange(uint32_t first, uint32_t last, size_t valueBase, size_t valueCount, int depth);
    /// Splits an array value into its items (byte ranges). False for an unsupported item type.
    bool arrayItems(const Value& v, std::vector<std::pair<uint32_t, uint32_t>>& items) const;
    bool emitValue(const Value& v, int depth);
    bool emitArray(const Value& v, uint16_t substIndex);
    bool fail(const char* what, uint32_t at);

    // Events of the interpreter.
    void openElement(std::string_view name);
    void closeStart(bool empty);
    void endElement(bool closedEmpty);
    void beginAttribute(std::string_view name);
    void finishAttribute();
    void text(std::string_view utf8);
    void rawXml(std::string_view xml) { if (m_render) m_xml.append(xml); }

    std::string_view pool(uint32_t off, uint32_t len) const { return {m_pool.data() + off, len}; }

    const uint8_t* m_chunk = nullptr;
    uint32_t m_size = 0;
    std::string m_pool;                               // names and literal text of this chunk, UTF-8
    std::vector<Op> m_ops;                            // compiled templates of this chunk
    std::unordered_map<uint32_t, Template> m_templates; // by definition offset
    std::unordered_map<uint32_t, std::pair<uint32_t, uint32_t>> m_names; // name offset -> pool range
    std::vector<Value> m_values;                      // substitution values, stacked for nesting

    // Per-record state.
    bool m_render = false;
    std::string m_error;
    std::string m_xml;
    std::string m_text;  // content text of the open elements, stacked
    std::string m_attr;  // value of the attribute being read
    std::string m_store; // System values and fields of the record
    std::vector<Frame> m_stack;
    std::string m_scratch;
    std::vector<std::pair<uint32_t, uint32_t>> m_items;
    int m_arrayItem = -1;        // item of the repeated array substitution being written
    int m_arraySubst = -1;       // its substitution index
    bool m_inAttr = false;
    int m_attrFileTimes = 0;
    bool m_attrOther = false;
    bool m_attrHasValue = false;
    uint8_t m_attrRole = 0;
    size_t m_attrXmlStart = 0;
    bool m_startOpen = false; // "<name attr..." written, '>' not yet
    int64_t m_timeMs = DecodedRecord::kNoTime;
    uint64_t m_attrFileTime = 0;
    struct Ref { uint32_t off, len; };
    Ref m_sys[7];
    std::vector<std::pair<Ref, Ref>> m_fields;
    Ref m_dataName{0, 0};
    bool m_dataHasName = false;
};

} // namespace dscope::model::evtx
