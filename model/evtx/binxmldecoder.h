// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
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
    /// EventData <Data Name="..."> values and UserData leaf elements, in document order. With a field resolver
    /// (BinXmlDecoder::setFieldResolver) the plan path leaves out the fields it resolves to -1.
    struct Field {
        std::string_view name, value;
        int id = kUnresolved; ///< the resolver's id for the name, or kUnresolved
    };
    static constexpr int kUnresolved = -2;
    std::vector<Field> fields;
    /// The rendered event XML (empty unless rendering was asked for).
    std::string_view xml;

    static constexpr int64_t kNoTime = INT64_MIN;
};

/**
 * Decodes the binary XML of event records inside one 64 KiB chunk.
 *
 * Template definitions are compiled once per chunk (keyed by their chunk offset) into a flat op list whose
 * names and literal text are already UTF-8. Without XML rendering, each template also gets a plan (see
 * binxmlplan.cpp): the few values the record keeps, where they go, and which substitutions feed them, so that
 * a record costs the conversion of those values and nothing else. A record the plan does not cover (arrays,
 * values of an unexpected type, elements outside templates) goes through the op interpreter, which renders
 * XML too. Records that are not template instances (the fragment header is followed by
 * an element, which libevtx 20181227 cannot read) are compiled the same way on the fly. Everything is
 * bounds-checked against the chunk: a hostile chunk can fail a record, never read outside it.
 */
class BinXmlDecoder
{
public:
    BinXmlDecoder();

    /// Maps a field name to the id its consumer knows it by (-1: not wanted). The plan path resolves each
    /// template's field names once, and neither converts nor returns the values of unwanted fields.
    using FieldResolver = int (*)(std::string_view name);
    void setFieldResolver(FieldResolver resolver)
    {
        m_resolver = resolver;
        clearTemplateCache(); // plans depend on it
    }

    /// Starts a new chunk: forgets the templates and names of the previous one.
    void beginChunk(const uint8_t* chunk, size_t size);
    /// Decodes the binary XML at [begin, end) (chunk offsets) into out. On failure returns false with error.
    bool decodeRecord(uint32_t begin, uint32_t end, bool renderXml, DecodedRecord& out, std::string& error);

private:
    struct Ref { uint32_t off, len; }; ///< a range of m_store
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

    // The plan path (binxmlplan.cpp). Results: kPlanOk, kPlanFallback (use the interpreter), kPlanError.
    enum PlanResult { kPlanOk, kPlanFallback, kPlanError };
    struct PlanPart {
        bool literal;
        uint8_t type;   ///< declared value type (substitutions)
        uint16_t index; ///< substitution index
        uint32_t str, len; ///< literal text in m_pool
    };
    struct PlanAction {
        enum Kind : uint8_t { Store, Nested } kind;
        uint8_t target = 0;    ///< Store: a Sys slot, or kTargetField
        uint8_t role = 0;      ///< Nested: the role of the element the fragment sits in
        uint16_t subst = 0;    ///< Nested: its substitution index
        uint32_t firstPart = 0, partCount = 0; ///< the value's parts
        uint32_t firstName = 0, nameCount = 0; ///< a field's name parts (Data@Name, or a UserData leaf's name)
        bool nameIsAttr = false;               ///< name parts come from an attribute (absent: empty name)
        uint32_t firstSupp = 0, suppCount = 0; ///< optional substitutions that, absent, drop the element
        bool isAttr = false;                   ///< the value is an attribute's (written only with a value)
        int fieldId = DecodedRecord::kUnresolved; ///< fields: the resolver's id of a literal name
        int arraySubst = -1; ///< a <Data> holding one array substitution: one field per item (as the interpreter)
    };
    struct Plan {
        bool supported = false;
        uint32_t firstAction = 0, actionCount = 0;
    };
    static constexpr uint8_t kTargetField = 0xff;
    static constexpr uint8_t kTargetCheck = 0xfe; ///< converted (for its errors) and dropped
    static constexpr uint8_t kRootContext = 0xff; ///< plan context of a record's own template (no parent)

    /// A template compiled in an earlier chunk, kept for later chunks (binxmltemplates.cpp). It is reused when
    /// the definition has the same bytes and the names it refers to outside itself read the same.
    struct CachedTemplate {
        std::string bytes; ///< GUID, size and data of the definition
        std::vector<std::pair<uint32_t, std::string>> names; ///< back-referenced names: offset, UTF-16 count+text
        Template t;
        std::vector<std::pair<uint8_t, Plan>> plans; ///< by context role
    };
    struct ChunkTemplate {
        Template t;
        CachedTemplate* cached = nullptr; ///< null: compiled for this chunk only
    };
    /// The template defined at defOffset of this chunk, compiled or taken from the cache; null on failure.
    const ChunkTemplate* templateAt(uint32_t defOffset, uint32_t at);
    void clearTemplateCache();

    /// By value: a plan is three words, and a template's list of plans grows while one of them runs (a template
    /// nested in its own instance asks for its plan in another context).
    Plan planFor(uint32_t defOffset, const ChunkTemplate& t, uint8_t context);
    bool buildPlan(const Template& t, uint8_t context, Plan& plan);
    PlanResult planFragment(uint32_t pos, uint32_t end, uint8_t context, int depth);
    PlanResult planInstance(uint32_t pos, uint32_t end, uint8_t context, int depth);
    PlanResult runPlan(Plan plan, size_t base, size_t count, int depth);
    PlanResult storeArrayItems(const PlanAction& a, size_t base, size_t count);
    /// Appends a field with the given value and the action's name to m_fields.
    PlanResult pushField(const PlanAction& a, Ref value, size_t base, size_t count);
    /// Appends the text of parts [first, first+n) to m_store. hasValue: an attribute got a value.
    PlanResult appendParts(uint32_t first, uint32_t n, size_t base, size_t count, bool attr, bool systemTime,
                           bool& hasValue);

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
    std::unordered_map<uint32_t, ChunkTemplate> m_templates; // this chunk's, by definition offset
    std::unordered_map<uint64_t, std::vector<std::unique_ptr<CachedTemplate>>> m_cache; // by hash of the bytes
    bool m_recordNames = false; // compile() notes back-referenced names (for the cache)
    bool m_sawInstance = false; // compile() met a template instance (whose offset is chunk-specific)
    std::vector<std::pair<uint32_t, std::string>> m_nameRefs;
    std::unordered_map<uint32_t, std::pair<uint32_t, uint32_t>> m_names; // name offset -> pool range
    std::vector<Value> m_values;                      // substitution values, stacked for nesting
    std::vector<PlanPart> m_planParts;                // plans of this chunk's templates
    std::vector<PlanAction> m_planActions;
    std::vector<uint16_t> m_planSupp;
    std::unordered_map<uint64_t, Plan> m_plans;       // by definition offset << 8 | context role

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
    int m_planFileTimes = 0; // SystemTime of the plan path: FileTime values seen, other values seen
    int m_planOthers = 0;
    uint64_t m_planFileTime = 0;
    Ref m_sys[7];
    struct FieldRef {
        Ref name, value;
        int id;
    };
    std::vector<FieldRef> m_fields;
    FieldResolver m_resolver = nullptr;
    Ref m_dataName{0, 0};
    bool m_dataHasName = false;
};

} // namespace dscope::model::evtx
