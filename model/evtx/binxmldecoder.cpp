// SPDX-License-Identifier: MIT
#include "binxmldecoder.h"

#include "binxmlroles.h"
#include "evtxvalues.h"

#include <algorithm>
#include <charconv>

namespace dscope::model::evtx {

using namespace roles;

namespace {

constexpr int kMaxFragmentDepth = 8;   // nested BinXml values; real logs use 1
constexpr size_t kMaxElementDepth = 128;
constexpr uint32_t kMaxValues = 4096;  // substitution values per instance

char entityChar(std::string_view name)
{
    if (name == "lt") return '<';
    if (name == "gt") return '>';
    if (name == "amp") return '&';
    if (name == "quot") return '"';
    if (name == "apos") return '\'';
    return 0;
}

// Element size of the fixed-size array types, 0 for the variable ones.
size_t arrayItemSize(uint8_t t)
{
    switch (t) {
    case kInt8: case kUInt8: return 1;
    case kInt16: case kUInt16: return 2;
    case kInt32: case kUInt32: case kReal32: case kBool: case kHexInt32: return 4;
    case kInt64: case kUInt64: case kReal64: case kFileTime: case kHexInt64: return 8;
    case kGuid: case kSysTime: return 16;
    default: return 0;
    }
}

} // namespace

BinXmlDecoder::BinXmlDecoder()
{
    m_pool.reserve(16 * 1024);
    m_ops.reserve(4096);
    m_xml.reserve(8 * 1024);
    m_store.reserve(8 * 1024);
}

void BinXmlDecoder::beginChunk(const uint8_t* chunk, size_t size)
{
    m_chunk = chunk;
    m_size = uint32_t(size);
    m_templates.clear();
    m_names.clear();
    m_plans.clear();
    // Compiled templates and plans outlive the chunk (see templateAt); what only this chunk used is garbage
    // that is dropped, with the cache, once it grows too big.
    constexpr size_t kMaxPoolBytes = size_t(16) << 20, kMaxOps = size_t(1) << 20;
    if (m_pool.size() > kMaxPoolBytes || m_ops.size() > kMaxOps || m_planParts.size() > kMaxOps)
        clearTemplateCache();
}

bool BinXmlDecoder::fail(const char* what, uint32_t at)
{
    if (m_error.empty()) {
        m_error = what;
        m_error += " at chunk offset ";
        m_error += std::to_string(at);
    }
    return false;
}

bool BinXmlDecoder::readName(uint32_t nameOffset, uint32_t& pos, uint32_t end, uint32_t& str, uint32_t& len)
{
    if (nameOffset == pos) {
        // Inline definition: skip it in the stream (next-offset, hash, count, text, NUL).
        if (end - pos < 8)
            return fail("truncated name", pos);
        const uint32_t total = 8 + 2 * uint32_t(le16(m_chunk + pos + 6)) + 2;
        if (end - pos < total)
            return fail("truncated name", pos);
        pos += total;
    } else if (nameOffset > pos) {
        return fail("name offset points forward", pos);
    }
    if (m_recordNames && nameOffset != pos && uint64_t(nameOffset) + 8 <= m_size) {
        // A name defined outside the template: a cached copy of the template is valid only where it reads the same.
        const uint32_t chars = le16(m_chunk + nameOffset + 6);
        if (uint64_t(nameOffset) + 8 + 2 * uint64_t(chars) <= m_size)
            m_nameRefs.emplace_back(nameOffset,
                                    std::string(reinterpret_cast<const char*>(m_chunk + nameOffset + 6), 2 + 2 * size_t(chars)));
    }
    const auto it = m_names.find(nameOffset);
    if (it != m_names.end()) {
        str = it->second.first;
        len = it->second.second;
        return true;
    }
    if (uint64_t(nameOffset) + 8 > m_size)
        return fail("name offset outside the chunk", pos);
    const uint32_t chars = le16(m_chunk + nameOffset + 6);
    if (uint64_t(nameOffset) + 8 + 2 * uint64_t(chars) > m_size)
        return fail("name runs past the chunk", nameOffset);
    str = uint32_t(m_pool.size());
    appendUtf16(m_pool, m_chunk + nameOffset + 8, chars);
    len = uint32_t(m_pool.size()) - str;
    m_names.emplace(nameOffset, std::make_pair(str, len));
    return true;
}

bool BinXmlDecoder::compile(uint32_t pos, uint32_t end, bool hasDependencyId, Template& out, uint32_t* endPos)
{
    out.first = uint32_t(m_ops.size());
    int open = 0;
    std::vector<uint32_t> openOps; // indices of the Open ops not yet closed
    bool inAttr = false;
    bool sawElement = false;
    while (pos < end) {
        const uint8_t tok = m_chunk[pos];
        const uint8_t base = tok & 0xBF;
        const uint32_t at = pos;
        Op op{};
        switch (base) {
        case 0x00: // end of fragment
            ++pos;
            goto done;
        case 0x0f:
            if (end - pos < 4)
                return fail("truncated fragment header", at);
            pos += 4;
            continue;
        case 0x01: {
            // Two layouts exist: with a 16-bit dependency id (template definitions) and without (elements
            // written directly into a record or a BinXml value). The name offset tells which one fits.
            uint32_t q = 0;
            uint32_t nameOffset = 0;
            bool ok = false;
            for (int attempt = 0; attempt < 2 && !ok; ++attempt) {
                const bool dep = (attempt == 0) == hasDependencyId;
                q = pos + 1 + (dep ? 2 : 0);
                if (end - pos < 1 + (dep ? 2u : 0u) + 8)
                    continue;
                nameOffset = le32(m_chunk + q + 4);
                q += 8;
                ok = nameOffset == q || (nameOffset < at && uint64_t(nameOffset) + 8 <= m_size);
            }
            if (!ok)
                return fail("bad element header", at);
            pos = q;
            op.kind = Op::Open;
            if (!readName(nameOffset, pos, end, op.str, op.len))
                return false;
            if (tok & 0x40) {
                if (end - pos < 4)
                    return fail("truncated attribute list", at);
                pos += 4;
            }
            ++open;
            sawElement = true;
            openOps.push_back(uint32_t(m_ops.size()));
            inAttr = false;
            break;
        }
        case 0x02:
            op.kind = Op::CloseStart;
            ++pos;
            inAttr = false;
            break;
        case 0x03:
        case 0x04:
            op.kind = base == 0x03 ? Op::CloseEmpty : Op::End;
            ++pos;
            if (--open < 0 || openOps.empty())
                return fail("unbalanced end tag", at);
            m_ops[openOps.back()].match = uint32_t(m_ops.size()) - openOps.back();
            openOps.pop_back();
            inAttr = false;
            break;
        case 0x05:
        case 0x07:
        case 0x0b: {
            // Value text (with its type byte), CDATA and PI data: UTF-16 with a character count.
            uint32_t p = pos + 1;
            if (base == 0x05) {
                if (end - pos < 2 || m_chunk[pos + 1] != kString)
                    return fail("unsupported value text type", at);
                ++p;
            }
            if (end - p < 2)
                return fail("truncated text", at);
            const uint32_t chars = le16(m_chunk + p);
            if ((end - p - 2) / 2 < chars)
                return fail("truncated text", at);
            op.kind = base == 0x0b ? Op::PIData : Op::Text;
            op.str = uint32_t(m_pool.size());
            appendUtf16(m_pool, m_chunk + p + 2, chars);
            op.len = uint32_t(m_pool.size()) - op.str;
            pos = p + 2 + 2 * chars;
            break;
        }
        case 0x06:
        case 0x09:
        case 0x0a: {
            if (end - pos < 5)
                return fail("truncated name reference", at);
            const uint32_t nameOffset = le32(m_chunk + pos + 1);
            pos += 5;
            op.kind = base == 0x06 ? Op::Attr : base == 0x09 ? Op::EntityRef : Op::PITarget;
            if (base == 0x06)
                inAttr = true;
            if (!readName(nameOffset, pos, end, op.str, op.len))
                return false;
            break;
        }
        case 0x08:
            if (end - pos < 3)
                return fail("truncated character reference", at);
            op.kind = Op::CharRef;
            op.index = le16(m_chunk + pos + 1);
            pos += 3;
            break;
        case 0x0c: {
            m_sawInstance = true;
            op.kind = Op::Instance;
            op.str = pos;
            if (!readTemplateInstance(pos, end, 0, false))
                return false;
            break;
        }
        case 0x0d:
        case 0x0e:
            if (end - pos < 4)
                return fail("truncated substitution", at);
            op.kind = Op::Subst;
            op.optional = base == 0x0e;
            op.index = le16(m_chunk + pos + 1);
            op.valueType = m_chunk[pos + 3];
            pos += 4;
            if ((op.valueType & kArrayFlag) && !inAttr && !openOps.empty())
                m_ops[openOps.back()].arrayChild = true;
            break;
        default:
            return fail("unknown binary XML token", at);
        }
        m_ops.push_back(op);
        if (sawElement && open == 0)
            break; // the root element is complete
    }
done:
    out.count = uint32_t(m_ops.size()) - out.first;
    if (endPos)
        *endPos = pos;
    if (!sawElement)
        return fail("fragment without an element", pos);
    return true;
}

bool BinXmlDecoder::readTemplateInstance(uint32_t& pos, uint32_t end, int depth, bool execute)
{
    const uint32_t at = pos;
    if (end - pos < 10)
        return fail("truncated template instance", at);
    const uint32_t defOffset = le32(m_chunk + pos + 6);
    pos += 10;
    if (defOffset == pos) {
        // The definition follows inline (first use in this chunk): skip it here, compile it below.
        if (end - pos < 24)
            return fail("truncated template definition", pos);
        const uint32_t size = le32(m_chunk + pos + 20);
        if (end - pos - 24 < size)
            return fail("template definition runs past the record", pos);
        pos += 24 + size;
    }
    if (end - pos < 4)
        return fail("truncated template values", pos);
    const uint32_t count = le32(m_chunk + pos);
    pos += 4;
    if (count > kMaxValues || (end - pos) / 4 < count)
        return fail("bad template value count", pos - 4);
    const uint32_t descriptors = pos;
    pos += 4 * count;
    const size_t base = m_values.size();
    for (uint32_t i = 0; i < count; ++i) {
        const uint16_t size = le16(m_chunk + descriptors + 4 * i);
        if (end - pos < size) {
            m_values.resize(base);
            return fail("template value runs past the record", pos);
        }
        if (execute)
            m_values.push_back({m_chunk + pos, size, m_chunk[descriptors + 4 * i + 2]});
        pos += size;
    }
    if (!execute)
        return true;

    const ChunkTemplate* ct = templateAt(defOffset, at);
    if (!ct) {
        m_values.resize(base);
        return false;
    }
    const bool ok = run(ct->t, base, count, depth);
    m_values.resize(base);
    return ok;
}

bool BinXmlDecoder::readFragment(uint32_t pos, uint32_t end, int depth)
{
    if (depth > kMaxFragmentDepth)
        return fail("binary XML nested too deeply", pos);
    if (pos < end && m_chunk[pos] == 0x0f) {
        if (end - pos < 4)
            return fail("truncated fragment header", pos);
        pos += 4;
    }
    if (pos >= end || m_chunk[pos] == 0x00)
        return true; // an empty fragment
    if (m_chunk[pos] == 0x0c)
        return readTemplateInstance(pos, end, depth, true);
    if ((m_chunk[pos] & 0xBF) != 0x01)
        return fail("fragment starts with neither a template nor an element", pos);
    // A fragment written without a template: compile it for this one use.
    const size_t mark = m_ops.size();
    Template t;
    const bool compiled = compile(pos, end, false, t, nullptr);
    const size_t own = m_ops.size();
    const bool ok = compiled && run(t, m_values.size(), 0, depth);
    // Its ops are dropped, unless running it compiled a template after them (that one must stay).
    if (m_ops.size() == own)
        m_ops.resize(mark);
    return ok;
}

bool BinXmlDecoder::run(Template t, size_t valueBase, size_t valueCount, int depth)
{
    if (!runRange(t.first, t.first + t.count, valueBase, valueCount, depth))
        return false;
    if (m_inAttr)
        finishAttribute();
    return true;
}

bool BinXmlDecoder::runRange(uint32_t first, uint32_t last, size_t valueBase, size_t valueCount, int depth)
{
    for (uint32_t i = first; i < last; ++i) {
        const Op op = m_ops[i]; // by value: a nested compile may grow m_ops
        if (m_inAttr && op.kind != Op::Text && op.kind != Op::Subst && op.kind != Op::CharRef
            && op.kind != Op::EntityRef)
            finishAttribute();
        switch (op.kind) {
        case Op::Open:
            if (m_stack.size() >= kMaxElementDepth)
                return fail("elements nested too deeply", 0);
            if (op.arrayChild && m_arrayItem < 0 && op.match > 0 && i + op.match < last) {
                // An element whose content is an array value is written once per item (libevtx does so).
                const uint32_t end = i + op.match;
                int subst = -1;
                for (uint32_t k = i + 1, nest = 0; k < end; ++k) {
                    const Op& o = m_ops[k];
                    if (o.kind == Op::Open)
                        ++nest;
                    else if (o.kind == Op::End || o.kind == Op::CloseEmpty)
                        --nest;
                    else if (o.kind == Op::Subst && nest == 0 && (o.valueType & kArrayFlag))
                        subst = o.index;
                }
                size_t items = 0;
                if (subst >= 0 && size_t(subst) < valueCount) {
                    const Value v = m_values[valueBase + size_t(subst)];
                    if ((v.type & kArrayFlag) && arrayItems(v, m_items))
                        items = m_items.size();
                }
                if (subst >= 0) {
                    for (size_t k = 0; k < std::max<size_t>(items, 1); ++k) {
                        m_arraySubst = subst;
                        m_arrayItem = int(k);
                        const bool ok = runRange(i, end + 1, valueBase, valueCount, depth);
                        m_arrayItem = -1;
                        m_arraySubst = -1;
                        if (!ok)
                            return false;
                    }
                    i = end;
                    break;
                }
            }
            openElement(pool(op.str, op.len));
            break;
        case Op::Attr: beginAttribute(pool(op.str, op.len)); break;
        case Op::CloseStart: closeStart(false); break;
        case Op::CloseEmpty:
            closeStart(true);
            endElement(true);
            break;
        case Op::End: endElement(false); break;
        case Op::Text: text(pool(op.str, op.len)); break;
        case Op::CharRef: {
            // The character itself for the value, the reference for the XML text.
            const bool render = m_render;
            m_render = false;
            m_scratch.clear();
            appendUtf16(m_scratch, reinterpret_cast<const uint8_t*>(&op.index), 1);
            text(m_scratch);
            m_render = render;
            if (m_render) {
                m_xml += "&#";
                m_xml += std::to_string(op.index);
                m_xml += ';';
            }
            break;
        }
        case Op::EntityRef: {
            const std::string_view name = pool(op.str, op.len);
            const char c = entityChar(name);
            const bool render = m_render;
            m_render = false;
            if (c)
                text(std::string_view(&c, 1));
            m_render = render;
            if (m_render) {
                m_xml += '&';
                m_xml += name;
                m_xml += ';';
            }
            break;
        }
        case Op::PITarget:
            rawXml("<?");
            rawXml(pool(op.str, op.len));
            break;
        case Op::PIData:
            rawXml(" ");
            rawXml(pool(op.str, op.len));
            rawXml("?>");
            break;
        case Op::Instance: {
            uint32_t pos = op.str;
            if (!readTemplateInstance(pos, m_size, depth + 1, true))
                return false;
            break;
        }
        case Op::Subst: {
            if (op.index >= valueCount) {
                if (op.optional && !m_inAttr && !m_stack.empty())
                    m_stack.back().suppressed = true;
                break;
            }
            const Value v = m_values[valueBase + op.index];
            if (v.type == kNull) {
                if (op.optional && !m_inAttr && !m_stack.empty())
                    m_stack.back().suppressed = true;
                break;
            }
            if ((v.type & kArrayFlag) ? !emitArray(v, op.index) : !emitValue(v, depth))
                return false;
            break;
        }
        }
    }
    return true;
}

bool BinXmlDecoder::emitValue(const Value& v, int depth)
{
    if (v.type == kBinXml) {
        if (m_inAttr)
            return true; // elements cannot live in an attribute value
        const uint32_t start = uint32_t(v.data - m_chunk);
        return readFragment(start, start + v.size, depth + 1);
    }
    if (!m_render) {
        // Without the XML only the values the record keeps need their text (most System values do not).
        if (m_inAttr) {
            m_attrHasValue = true;
            if (m_attrRole == ANone)
                return true;
            if (m_attrRole == ASystemTime && v.type == kFileTime && v.size >= 8) {
                ++m_attrFileTimes;
                m_attrFileTime = le64(v.data);
                return true;
            }
        } else if (m_stack.empty() || !keepsText(m_stack.back().role)) {
            return true;
        }
    }
    m_scratch.clear();
    if (!appendValue(m_scratch, v.type, v.data, v.size))
        return fail("bad substitution value", uint32_t(v.data - m_chunk));
    if (m_inAttr) {
        if (v.type == kFileTime && v.size >= 8) {
            ++m_attrFileTimes;
            m_attrFileTime = le64(v.data);
        } else {
            m_attrOther = true;
        }
    }
    text(m_scratch);
    return true;
}

bool BinXmlDecoder::arrayItems(const Value& v, std::vector<std::pair<uint32_t, uint32_t>>& items) const
{
    items.clear();
    const uint8_t type = v.type & 0x7f;
    if (type == kString || type == kAnsiString) {
        // NUL-terminated items, one after the other.
        const uint32_t unit = type == kString ? 2 : 1;
        uint32_t start = 0;
        for (uint32_t i = 0; i + unit <= v.size; i += unit) {
            if (unit == 2 ? le16(v.data + i) == 0 : v.data[i] == 0) {
                items.emplace_back(start, i - start);
                start = i + unit;
            }
        }
        if (start + unit <= v.size)
            items.emplace_back(start, v.size - start);
        return true;
    }
    const size_t n = arrayItemSize(type);
    if (n == 0)
        return false;
    for (uint32_t off = 0; off + n <= v.size; off += uint32_t(n))
        items.emplace_back(off, uint32_t(n));
    return true;
}

bool BinXmlDecoder::emitArray(const Value& v, uint16_t substIndex)
{
    const uint8_t type = v.type & 0x7f;
    std::vector<std::pair<uint32_t, uint32_t>> items;
    if (!arrayItems(v, items))
        return fail("unsupported array type", uint32_t(v.data - m_chunk));
    m_scratch.clear();
    if (m_arrayItem >= 0 && m_arraySubst == int(substIndex)) {
        // The enclosing element is being repeated: this pass writes one item.
        if (size_t(m_arrayItem) < items.size()
            && !appendValue(m_scratch, type, v.data + items[size_t(m_arrayItem)].first, items[size_t(m_arrayItem)].second))
            return fail("bad array value", uint32_t(v.data - m_chunk));
    } else {
        for (size_t k = 0; k < items.size(); ++k) {
            if (k)
                m_scratch += ", ";
            if (!appendValue(m_scratch, type, v.data + items[k].first, items[k].second))
                return fail("bad array value", uint32_t(v.data - m_chunk));
        }
    }
    if (m_inAttr)
        m_attrOther = true;
    text(m_scratch);
    return true;
}

} // namespace dscope::model::evtx
