// SPDX-License-Identifier: MIT
#include "gunzip.h"

#include <libdeflate.h>

#include <algorithm>
#include <memory>

namespace dscope::model {

bool gunzip(std::string_view compressed, size_t limit, std::string& out, std::string& error)
{
    out.clear();
    std::unique_ptr<libdeflate_decompressor, decltype(&libdeflate_free_decompressor)> inflater(
        libdeflate_alloc_decompressor(), &libdeflate_free_decompressor);
    if (!inflater) {
        error = "out of memory";
        return false;
    }
    size_t at = 0;
    while (at < compressed.size()) {
        const std::string_view member = compressed.substr(at);
        if (member.size() < 18 || uint8_t(member[0]) != 0x1f || uint8_t(member[1]) != 0x8b) {
            error = at == 0 ? "not gzip data" : "bytes after the gzip data at offset " + std::to_string(at);
            return false;
        }
        // The trailer's ISIZE is the member's size modulo 2^32: a first guess, grown while the output does not fit.
        const auto* tail = reinterpret_cast<const uint8_t*>(member.data() + member.size() - 4);
        size_t guess = size_t(tail[0]) | size_t(tail[1]) << 8 | size_t(tail[2]) << 16 | size_t(tail[3]) << 24;
        guess = std::min(std::max<size_t>(guess, 1024), limit - std::min(limit, out.size()) + 1);
        for (;;) {
            const size_t base = out.size();
            out.resize(base + guess);
            size_t consumed = 0, produced = 0;
            const libdeflate_result r = libdeflate_gzip_decompress_ex(inflater.get(), member.data(), member.size(),
                                                                      out.data() + base, guess, &consumed, &produced);
            if (r == LIBDEFLATE_SUCCESS) {
                out.resize(base + produced);
                at += consumed;
                break;
            }
            out.resize(base);
            if (r != LIBDEFLATE_INSUFFICIENT_SPACE) {
                error = "corrupt gzip data at offset " + std::to_string(at);
                return false;
            }
            if (base + guess > limit) {
                error = "inflates to more than " + std::to_string(limit) + " bytes";
                return false;
            }
            guess = std::min(guess * 2, limit - base + 1);
        }
        if (out.size() > limit) {
            error = "inflates to more than " + std::to_string(limit) + " bytes";
            return false;
        }
    }
    return true;
}

} // namespace dscope::model
