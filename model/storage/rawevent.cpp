// SPDX-License-Identifier: MIT
#include "rawevent.h"

#include "database.h"
#include "statement.h"

#include <zstd.h>

namespace dscope::model {

namespace {
constexpr size_t kCompressAbove = 128; // below this a frame header costs more than it saves
constexpr size_t kMaxDecoded = 64u << 20;
} // namespace

RawCompressor::RawCompressor()
    : m_ctx(ZSTD_createCCtx())
{
}

RawCompressor::~RawCompressor() { ZSTD_freeCCtx(m_ctx); }

void RawCompressor::compress(Event& event)
{
    if (event.rawCompressed || event.raw.size() < kCompressAbove || !m_ctx)
        return;
    m_buffer.resize(ZSTD_compressBound(event.raw.size()));
    const size_t n = ZSTD_compressCCtx(m_ctx, m_buffer.data(), m_buffer.size(), event.raw.data(), event.raw.size(), 1);
    if (ZSTD_isError(n) || n >= event.raw.size())
        return;
    event.raw.assign(m_buffer.data(), n);
    event.rawCompressed = true;
}

bool decodeRaw(int codec, std::string_view stored, std::string& out, std::string& error)
{
    if (codec == 0) {
        out.assign(stored);
        return true;
    }
    if (codec != 1) {
        error = "unknown raw codec " + std::to_string(codec);
        return false;
    }
    const unsigned long long size = ZSTD_getFrameContentSize(stored.data(), stored.size());
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > kMaxDecoded) {
        error = "damaged raw event";
        return false;
    }
    out.resize(size_t(size));
    const size_t n = ZSTD_decompress(out.data(), out.size(), stored.data(), stored.size());
    if (ZSTD_isError(n)) {
        error = std::string("damaged raw event: ") + ZSTD_getErrorName(n);
        return false;
    }
    out.resize(n);
    return true;
}

bool loadRawEvent(Database& db, int64_t eventRowId, RawEvent& out, std::string& error)
{
    Statement st(db, "SELECT format, codec, data FROM event_raw WHERE id=?");
    st.bind(1, eventRowId);
    if (!st.next()) {
        error = "no original event stored";
        return false;
    }
    out.format = RawFormat(st.columnInt(0));
    return decodeRaw(int(st.columnInt(1)), st.columnView(2), out.data, error);
}

} // namespace dscope::model
