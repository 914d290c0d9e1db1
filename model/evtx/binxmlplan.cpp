// SPDX-License-Identifier: MIT
// The decoder's plan path. A template's op list describes the whole event XML, but the reader keeps only a
// handful of values: the System fields, the EventData <Data> values with their names, the UserData leaves.
// buildPlan() walks the ops once per template and context and writes down, in document order, which
// substitutions and literal texts make up each kept value and which optional substitutions drop it;
// runPlan() then converts just those values for each record. Anything the plan does not describe exactly
// the way the interpreter (binxmldecoder.cpp, binxmldecoderevents.cpp) would handle it makes the record
// fall back to the interpreter, so both paths give the same record.
#include "binxmldecoder.h"

#include "binxmlroles.h"
#include "evtxvalues.h"

#include <algorithm>

namespace dscope::model::evtx {

using namespace roles;

namespace {

constexpr int kMaxFragmentDepth = 8; // as the interpreter
constexpr uint32_t kMaxValues = 4096;

/// The role an element gets from its parent's role (as BinXmlDecoder::openElement decides it).
uint8_t childRole(uint8_t parent, bool root, std::string_view name)
{
    if (root)
        return REvent;
    switch (parent) {
    case REvent:
        return name == "System" ? RSystem : name == "EventData" ? REventData : name == "UserData" ? RUserData : RNone;
    case RSystem: return systemChild(name);
    case REventData: return name == "Data" ? RData : RNone;
    case RUserData: return RUserWrapper;
    case RUserWrapper:
    case RUserLeaf: return RUserLeaf;
    default: return RNone;
    }
}

uint8_t attrRole(uint8_t elementRole, std::string_view name)
{
    switch (elementRole) {
    case RProvider: return name == "Name" ? AProviderName : ANone;
    case REventId: return name == "Qualifiers" ? AQualifiers : ANone;
    case RTimeCreated: return name == "SystemTime" ? ASystemTime : ANone;
    case RData: return name == "Name" ? ADataName : ANone;
    default: return ANone;
    }
}

/// The System slot an element's text goes to, or -1.
int systemSlot(uint8_t role)
{
    switch (role) {
    case REventId: return SEventId;
    case RRecordId: return SRecordId;
    case RChannel: return SChannel;
    case RComputer: return SComputer;
    default: return -1;
    }
}

} // namespace

bool BinXmlDecoder::buildPlan(const Template& t, uint8_t context, Plan& plan)
{
    struct Frame {
        uint8_t role;
        bool hasChild = false;
        uint32_t name = 0, nameLen = 0;
        std::vector<PlanPart> parts;     // content directly inside the element
        std::vector<uint16_t> supp;      // optional substitutions directly inside it
        std::vector<PlanPart> nameParts; // Data: its Name attribute
        int nameAttrs = 0;
        int arraySubst = -1;             // Data: its array substitution
    };
    std::vector<Frame> stack;
    plan.firstAction = uint32_t(m_planActions.size());
    plan.supported = false;

    bool inAttr = false;
    uint8_t attrRoleNow = ANone;
    std::vector<PlanPart> attrParts;
    auto finishAttr = [&] {
        inAttr = false;
        if (attrRoleNow == ANone || stack.empty())
            return;
        if (attrRoleNow == ADataName) {
            Frame& f = stack.back();
            f.nameParts = attrParts;
            ++f.nameAttrs;
            return;
        }
        PlanAction a{};
        a.kind = PlanAction::Store;
        a.isAttr = true;
        a.target = uint8_t(attrRoleNow == AProviderName ? SProvider : attrRoleNow == AQualifiers ? SQualifiers
                                                                                              : SSystemTime);
        a.firstPart = uint32_t(m_planParts.size());
        a.partCount = uint32_t(attrParts.size());
        m_planParts.insert(m_planParts.end(), attrParts.begin(), attrParts.end());
        m_planActions.push_back(a);
    };
    auto literal = [&](std::string_view text) {
        // Literal text goes to the pool once, here, rather than per record.
        PlanPart p{};
        p.literal = true;
        p.str = uint32_t(m_pool.size());
        m_pool.append(text);
        p.len = uint32_t(text.size());
        return p;
    };

    const uint32_t last = t.first + t.count;
    for (uint32_t i = t.first; i < last; ++i) {
        const Op op = m_ops[i];
        const bool valueOp = op.kind == Op::Text || op.kind == Op::Subst || op.kind == Op::CharRef
                             || op.kind == Op::EntityRef;
        if (inAttr && !valueOp)
            finishAttr();
        switch (op.kind) {
        case Op::Open: {
            const bool root = stack.empty() && context == kRootContext;
            const uint8_t parent = stack.empty() ? context : stack.back().role;
            if (!stack.empty())
                stack.back().hasChild = true;
            else if (context == RUserWrapper || context == RUserLeaf)
                return true; // a child would change whether the container is stored: interpreter
            Frame f;
            f.role = childRole(parent, root, pool(op.str, op.len));
            f.name = op.str;
            f.nameLen = op.len;
            stack.push_back(std::move(f));
            break;
        }
        case Op::Attr:
            inAttr = true;
            attrParts.clear();
            attrRoleNow = stack.empty() ? uint8_t(ANone) : attrRole(stack.back().role, pool(op.str, op.len));
            break;
        case Op::CloseStart: break;
        case Op::CloseEmpty:
        case Op::End: {
            if (stack.empty())
                return true;
            Frame f = std::move(stack.back());
            stack.pop_back();
            const int slot = systemSlot(f.role);
            const bool field = f.role == RData || (f.role == RUserLeaf && !f.hasChild);
            // Text the interpreter converts without keeping it (a UserData wrapper's, a leaf with children):
            // converted and dropped here too, so that a damaged value fails the record on both paths.
            const bool checkOnly = slot < 0 && !field && keepsText(f.role) && !f.parts.empty();
            if (slot < 0 && !field && !checkOnly)
                break;
            if (f.nameAttrs > 1)
                return true;
            if (f.arraySubst >= 0 && (f.parts.size() != 1 || f.hasChild))
                return true; // an array among other content: interpreter
            PlanAction a{};
            a.kind = PlanAction::Store;
            a.target = slot >= 0 ? uint8_t(slot) : field ? kTargetField : kTargetCheck;
            a.arraySubst = f.arraySubst;
            a.firstPart = uint32_t(m_planParts.size());
            a.partCount = uint32_t(f.parts.size());
            m_planParts.insert(m_planParts.end(), f.parts.begin(), f.parts.end());
            if (f.role == RData) {
                a.nameIsAttr = true;
                a.firstName = uint32_t(m_planParts.size());
                a.nameCount = uint32_t(f.nameParts.size());
                if (f.nameAttrs == 0)
                    a.nameCount = 0;
                m_planParts.insert(m_planParts.end(), f.nameParts.begin(), f.nameParts.begin() + a.nameCount);
            } else if (field) {
                PlanPart name{};
                name.literal = true;
                name.str = f.name;
                name.len = f.nameLen;
                a.firstName = uint32_t(m_planParts.size());
                a.nameCount = 1;
                m_planParts.push_back(name);
            }
            if (field && m_resolver) {
                // A literal name is resolved now, once; a field nobody wants is not converted at all.
                const PlanPart* only = a.nameCount == 1 ? &m_planParts[a.firstName] : nullptr;
                if (only && only->literal) {
                    a.fieldId = m_resolver(pool(only->str, only->len));
                    if (a.fieldId < 0) {
                        m_planParts.resize(a.firstPart);
                        break;
                    }
                }
            }
            a.firstSupp = uint32_t(m_planSupp.size());
            a.suppCount = uint32_t(f.supp.size());
            m_planSupp.insert(m_planSupp.end(), f.supp.begin(), f.supp.end());
            m_planActions.push_back(a);
            break;
        }
        case Op::Text:
        case Op::CharRef:
        case Op::EntityRef: {
            std::string text;
            if (op.kind == Op::Text) {
                text.assign(pool(op.str, op.len));
            } else if (op.kind == Op::CharRef) {
                appendUtf16(text, reinterpret_cast<const uint8_t*>(&op.index), 1);
            } else {
                const std::string_view n = pool(op.str, op.len);
                const char c = n == "lt" ? '<' : n == "gt" ? '>' : n == "amp" ? '&' : n == "quot" ? '"'
                               : n == "apos" ? '\'' : 0;
                if (!c)
                    break; // the interpreter adds nothing either
                text.assign(1, c);
            }
            if (inAttr)
                attrParts.push_back(literal(text));
            else if (!stack.empty())
                stack.back().parts.push_back(literal(text));
            break;
        }
        case Op::Subst: {
            if (op.valueType & kArrayFlag) {
                // <Data>%n</Data> with an array: the element is repeated per item. Only that form is planned.
                if (inAttr || stack.empty() || stack.back().role != RData || stack.back().arraySubst >= 0)
                    return true;
                stack.back().arraySubst = op.index;
            }
            PlanPart p{};
            p.literal = false;
            p.type = op.valueType;
            p.index = op.index;
            if (inAttr) {
                attrParts.push_back(p);
                break;
            }
            if (stack.empty())
                break;
            Frame& f = stack.back();
            if (op.optional)
                f.supp.push_back(op.index);
            if (op.valueType == kBinXml) {
                if (keepsText(f.role))
                    return true; // elements inside a kept value: interpreter
                PlanAction a{};
                a.kind = PlanAction::Nested;
                a.role = f.role;
                a.subst = op.index;
                m_planActions.push_back(a);
                break;
            }
            f.parts.push_back(p);
            break;
        }
        case Op::PITarget:
        case Op::PIData: break;
        case Op::Instance: return true; // only in fragments outside templates
        }
    }
    if (inAttr)
        finishAttr();
    plan.actionCount = uint32_t(m_planActions.size()) - plan.firstAction;
    plan.supported = true;
    return true;
}

BinXmlDecoder::Plan BinXmlDecoder::planFor(uint32_t defOffset, const ChunkTemplate& ct, uint8_t context)
{
    if (ct.cached) {
        for (const auto& [role, plan] : ct.cached->plans)
            if (role == context)
                return plan;
    } else {
        const auto it = m_plans.find((uint64_t(defOffset) << 8) | context);
        if (it != m_plans.end())
            return it->second;
    }
    Plan plan;
    const size_t parts = m_planParts.size(), actions = m_planActions.size(), supp = m_planSupp.size();
    buildPlan(ct.t, context, plan);
    if (!plan.supported) {
        m_planParts.resize(parts);
        m_planActions.resize(actions);
        m_planSupp.resize(supp);
    }
    if (ct.cached) {
        ct.cached->plans.emplace_back(context, plan);
        return ct.cached->plans.back().second;
    }
    return m_plans.emplace((uint64_t(defOffset) << 8) | context, plan).first->second;
}

BinXmlDecoder::PlanResult BinXmlDecoder::planFragment(uint32_t pos, uint32_t end, uint8_t context, int depth)
{
    if (depth > kMaxFragmentDepth)
        return kPlanFallback;
    if (pos < end && m_chunk[pos] == 0x0f) {
        if (end - pos < 4)
            return kPlanFallback;
        pos += 4;
    }
    if (pos >= end || m_chunk[pos] == 0x00)
        return kPlanOk;
    if (m_chunk[pos] != 0x0c)
        return kPlanFallback; // elements written without a template
    return planInstance(pos, end, context, depth);
}

BinXmlDecoder::PlanResult BinXmlDecoder::planInstance(uint32_t pos, uint32_t end, uint8_t context, int depth)
{
    // The same layout checks as readTemplateInstance(); any doubt goes to the interpreter, which reports it.
    if (end - pos < 10)
        return kPlanFallback;
    const uint32_t defOffset = le32(m_chunk + pos + 6);
    pos += 10;
    if (defOffset == pos) {
        if (end - pos < 24)
            return kPlanFallback;
        const uint32_t size = le32(m_chunk + pos + 20);
        if (end - pos - 24 < size)
            return kPlanFallback;
        pos += 24 + size;
    }
    if (end - pos < 4)
        return kPlanFallback;
    const uint32_t count = le32(m_chunk + pos);
    pos += 4;
    if (count > kMaxValues || (end - pos) / 4 < count)
        return kPlanFallback;
    const uint32_t descriptors = pos;
    pos += 4 * count;
    const size_t base = m_values.size();
    for (uint32_t i = 0; i < count; ++i) {
        const uint16_t size = le16(m_chunk + descriptors + 4 * i);
        const uint8_t type = m_chunk[descriptors + 4 * i + 2];
        if (end - pos < size) {
            m_values.resize(base);
            return kPlanFallback;
        }
        m_values.push_back({m_chunk + pos, size, type});
        pos += size;
    }

    const ChunkTemplate* ct = templateAt(defOffset, pos);
    if (!ct) {
        m_error.clear(); // the interpreter meets the same failure and reports it
        m_values.resize(base);
        return kPlanFallback;
    }
    const Plan plan = planFor(defOffset, *ct, context);
    const PlanResult r = plan.supported ? runPlan(plan, base, count, depth) : kPlanFallback;
    m_values.resize(base);
    return r;
}

BinXmlDecoder::PlanResult BinXmlDecoder::appendParts(uint32_t first, uint32_t n, size_t base, size_t count,
                                                     bool attr, bool systemTime, bool& hasValue)
{
    for (uint32_t k = first; k < first + n; ++k) {
        const PlanPart& p = m_planParts[k];
        if (p.literal) {
            m_store.append(m_pool, p.str, p.len);
            hasValue = true;
            continue;
        }
        if (p.index >= count)
            continue;
        const Value& v = m_values[base + p.index];
        if (v.type == kNull)
            continue;
        if (v.type & kArrayFlag)
            return kPlanFallback; // only runPlan's per-item path takes arrays
        if (v.type == kBinXml) {
            if (attr)
                continue; // elements cannot live in an attribute value
            return kPlanFallback;
        }
        hasValue = true;
        if (systemTime && v.type == kFileTime && v.size >= 8) {
            ++m_planFileTimes;
            m_planFileTime = le64(v.data);
            continue;
        }
        if (systemTime)
            ++m_planOthers;
        if (!appendValue(m_store, v.type, v.data, v.size))
            return kPlanFallback; // the interpreter reports the damaged value
    }
    return kPlanOk;
}

BinXmlDecoder::PlanResult BinXmlDecoder::storeArrayItems(const PlanAction& a, size_t base, size_t count)
{
    // As the interpreter: the <Data> element is written once per item (once, empty, for an empty array).
    const Value v = m_values[base + size_t(a.arraySubst)];
    if (!arrayItems(v, m_items))
        return kPlanFallback;
    for (size_t k = 0; k < std::max<size_t>(m_items.size(), 1); ++k) {
        const uint32_t start = uint32_t(m_store.size());
        if (k < m_items.size() && !appendValue(m_store, v.type & 0x7f, v.data + m_items[k].first, m_items[k].second))
            return kPlanFallback;
        if (a.target != kTargetField)
            continue; // a check-only target: nothing is kept
        const PlanResult r = pushField(a, {start, uint32_t(m_store.size()) - start}, base, count);
        if (r != kPlanOk)
            return r;
    }
    return kPlanOk;
}

BinXmlDecoder::PlanResult BinXmlDecoder::pushField(const PlanAction& a, Ref value, size_t base, size_t count)
{
    const uint32_t nameStart = uint32_t(m_store.size());
    bool nameHasValue = false;
    const PlanResult r = appendParts(a.firstName, a.nameCount, base, count, true, false, nameHasValue);
    if (r != kPlanOk)
        return r;
    Ref name{nameStart, uint32_t(m_store.size()) - nameStart};
    if (a.nameIsAttr && !nameHasValue)
        name = {0, 0}; // an absent Name attribute: the field has no name (as the interpreter)
    m_fields.push_back({name, value, a.fieldId});
    return kPlanOk;
}

BinXmlDecoder::PlanResult BinXmlDecoder::runPlan(Plan plan, size_t base, size_t count, int depth)
{
    // A BinXml value where the plan expects none would hold elements the plan does not know of; an array
    // where it expects none would be joined or repeated in ways only the interpreter knows.
    for (size_t i = 0; i < count; ++i) {
        const uint8_t type = m_values[base + i].type;
        const bool binXml = type == kBinXml, array = (type & kArrayFlag) != 0;
        if (!binXml && !array)
            continue;
        bool expected = false;
        for (uint32_t ai = plan.firstAction; ai < plan.firstAction + plan.actionCount && !expected; ++ai) {
            const PlanAction& a = m_planActions[ai];
            expected = binXml ? a.kind == PlanAction::Nested && a.subst == i
                              : a.kind == PlanAction::Store && a.arraySubst == int(i);
        }
        if (!expected)
            return kPlanFallback;
    }
    for (uint32_t ai = plan.firstAction; ai < plan.firstAction + plan.actionCount; ++ai) {
        const PlanAction a = m_planActions[ai]; // by value: a nested plan may grow the vector
        if (a.kind == PlanAction::Nested) {
            if (a.subst >= count)
                continue;
            const Value v = m_values[base + a.subst];
            if (v.type != kBinXml)
                continue;
            const uint32_t start = uint32_t(v.data - m_chunk);
            const PlanResult r = planFragment(start, start + v.size, a.role, depth + 1);
            if (r != kPlanOk)
                return r;
            continue;
        }
        bool suppressed = false;
        for (uint32_t s = a.firstSupp; s < a.firstSupp + a.suppCount && !suppressed; ++s) {
            const uint16_t idx = m_planSupp[s];
            suppressed = idx >= count || m_values[base + idx].type == kNull;
        }
        if (suppressed)
            continue;
        if (a.arraySubst >= 0 && size_t(a.arraySubst) < count && (m_values[base + size_t(a.arraySubst)].type & kArrayFlag)) {
            const PlanResult r = storeArrayItems(a, base, count);
            if (r != kPlanOk)
                return r;
            continue;
        }
        const bool systemTime = a.isAttr && a.target == SSystemTime;
        if (systemTime) {
            m_planFileTimes = 0;
            m_planOthers = 0;
        }
        const uint32_t start = uint32_t(m_store.size());
        bool hasValue = false;
        PlanResult r = appendParts(a.firstPart, a.partCount, base, count, a.isAttr, systemTime, hasValue);
        if (r != kPlanOk)
            return r;
        if (a.isAttr && !hasValue) {
            m_store.resize(start); // an attribute of absent values only is not written
            continue;
        }
        const Ref value{start, uint32_t(m_store.size()) - start};
        if (a.target == kTargetCheck) {
            m_store.resize(start);
            continue;
        }
        if (a.target != kTargetField) {
            m_sys[a.target] = value;
            if (systemTime)
                m_timeMs = (m_planFileTimes == 1 && m_planOthers == 0) ? fileTimeToMillis(m_planFileTime)
                                                                        : DecodedRecord::kNoTime;
            continue;
        }
        r = pushField(a, value, base, count);
        if (r != kPlanOk)
            return r;
    }
    return kPlanOk;
}

} // namespace dscope::model::evtx
