// SPDX-License-Identifier: MIT
#include "exportpatterns.h"

#include <functional>

namespace dscope::detection {

namespace {

const char kHex[] = "0123456789abcdef";

/// A character class of hex digits from lo to hi (inclusive), both cases.
std::string digitClass(int lo, int hi)
{
    if (lo == 0 && hi == 15)
        return "[0-9a-fA-F]";
    std::string out = "[";
    for (int d = lo; d <= hi; ++d) {
        out += kHex[d];
        if (d >= 10)
            out += char(kHex[d] - 'a' + 'A');
    }
    return out + "]";
}

} // namespace

std::string maskBitsRegex(uint32_t mask)
{
    int top = 0; // the highest hex digit the mask touches
    for (int i = 0; i < 8; ++i)
        if ((mask >> (4 * i)) & 0xF)
            top = i;
    std::string out = "^(0[xX])?[0-9a-fA-F]*";
    for (int i = top; i >= 0; --i) {
        const uint32_t want = (mask >> (4 * i)) & 0xF;
        std::string cls = "[";
        for (uint32_t d = 0; d < 16; ++d)
            if ((d & want) == want) {
                cls += kHex[d];
                if (d >= 10)
                    cls += char(kHex[d] - 'a' + 'A');
            }
        out += want == 0 ? "[0-9a-fA-F]" : cls + "]";
    }
    return out + "$";
}

std::string maskValueRegex(uint32_t value)
{
    std::string digits;
    for (uint32_t v = value; v; v >>= 4)
        digits.insert(digits.begin(), kHex[v & 0xF]);
    if (digits.empty())
        digits = "0";
    std::string out = "^(0[xX])?0*";
    for (char c : digits)
        out += c >= 'a' ? "[" + std::string(1, c) + char(c - 'a' + 'A') + "]" : std::string(1, c);
    return out + "$";
}

std::string hexRangeRegex(uint64_t from, uint64_t to, int digits)
{
    // Digit by digit from the most significant: the classic split of a range into prefix-aligned pieces.
    std::function<std::string(uint64_t, uint64_t, int)> range = [&](uint64_t lo, uint64_t hi, int n) -> std::string {
        if (n == 0)
            return "";
        const int shift = 4 * (n - 1);
        const int loDigit = int((lo >> shift) & 0xF), hiDigit = int((hi >> shift) & 0xF);
        const uint64_t restMask = shift == 0 ? 0 : (uint64_t(1) << shift) - 1;
        const uint64_t loRest = lo & restMask, hiRest = hi & restMask;
        if (loDigit == hiDigit)
            return digitClass(loDigit, loDigit) + range(loRest, hiRest, n - 1);
        std::string parts;
        auto alt = [&](const std::string& p) { parts += (parts.empty() ? "" : "|") + p; };
        const std::string anyRest = n > 1 ? "[0-9a-fA-F]{" + std::to_string(n - 1) + "}" : "";
        int first = loDigit, last = hiDigit;
        if (loRest != 0) {
            alt(digitClass(loDigit, loDigit) + range(loRest, restMask, n - 1));
            ++first;
        }
        if (hiRest != restMask) {
            alt(digitClass(hiDigit, hiDigit) + range(0, hiRest, n - 1));
            --last;
        }
        if (first <= last)
            alt(digitClass(first, last) + anyRest);
        return "(" + parts + ")";
    };
    return "^(0[xX])?" + range(from, to, digits) + "$";
}

std::string pathPatternRegex(const std::string& pattern)
{
    std::string regex = "^([a-z]:)?";
    std::string rest = pattern;
    auto pin = [&](const char* var, const char* folder) {
        if (rest.rfind(var, 0) == 0) {
            regex += folder;
            rest = rest.substr(std::string(var).size());
            return true;
        }
        return false;
    };
    if (!pin("%systemroot%", "\\\\windows") && !pin("%programfiles%", "\\\\program files( \\(x86\\))?")
        && !pin("%programdata%", "\\\\programdata"))
        regex = ".*";
    for (char c : rest) {
        if (c == '*')
            regex += "[^\\\\]+";
        else if (std::string(".\\+?()[]{}^$|").find(c) != std::string::npos)
            regex += std::string("\\") + c;
        else
            regex += c;
    }
    return regex + "$";
}

} // namespace dscope::detection
