// SPDX-License-Identifier: MIT
// Templates across chunks. Each 64 KiB chunk repeats the definitions of the templates its records use, so a
// reader that forgot them at every chunk boundary would compile (and plan) the same few templates again
// every hundred records or so. A compiled template is kept and reused in a later chunk whose definition has
// the same bytes, provided the names it refers to outside its own bytes (earlier in that chunk) read the same.
#include "binxmldecoder.h"

#include "evtxvalues.h"

#include <cstring>
#include <functional>

namespace dscope::model::evtx {

namespace {
constexpr size_t kMaxPerBucket = 8; // equal hashes but different names: keep a few variants, not all
} // namespace

void BinXmlDecoder::clearTemplateCache()
{
    m_cache.clear();
    m_templates.clear();
    m_plans.clear();
    m_pool.clear();
    m_ops.clear();
    m_planParts.clear();
    m_planActions.clear();
    m_planSupp.clear();
}

const BinXmlDecoder::ChunkTemplate* BinXmlDecoder::templateAt(uint32_t defOffset, uint32_t at)
{
    const auto found = m_templates.find(defOffset);
    if (found != m_templates.end())
        return &found->second;
    if (uint64_t(defOffset) + 24 > m_size) {
        fail("template definition offset outside the chunk", at);
        return nullptr;
    }
    const uint32_t start = defOffset + 24;
    const uint32_t size = le32(m_chunk + defOffset + 20);
    if (size > m_size - start)
        return nullptr;

    // Identity: GUID, data size and data (the leading next-template offset differs from chunk to chunk).
    const std::string_view bytes(reinterpret_cast<const char*>(m_chunk + defOffset + 4), 20 + size_t(size));
    auto& bucket = m_cache[std::hash<std::string_view>()(bytes)];
    for (const auto& c : bucket) {
        if (c->bytes != bytes)
            continue;
        bool same = true;
        for (const auto& [offset, raw] : c->names) {
            same = uint64_t(offset) + 6 + raw.size() <= m_size
                   && std::memcmp(m_chunk + offset + 6, raw.data(), raw.size()) == 0;
            if (!same)
                break;
        }
        if (same)
            return &m_templates.emplace(defOffset, ChunkTemplate{c->t, c.get()}).first->second;
    }

    m_recordNames = true;
    m_sawInstance = false;
    m_nameRefs.clear();
    Template t;
    const bool ok = compile(start, start + size, true, t, nullptr);
    m_recordNames = false;
    if (!ok)
        return nullptr;
    CachedTemplate* cached = nullptr;
    if (!m_sawInstance && bucket.size() < kMaxPerBucket) {
        auto c = std::make_unique<CachedTemplate>();
        c->bytes.assign(bytes);
        c->names = std::move(m_nameRefs);
        c->t = t;
        cached = c.get();
        bucket.push_back(std::move(c));
    }
    return &m_templates.emplace(defOffset, ChunkTemplate{t, cached}).first->second;
}

} // namespace dscope::model::evtx
