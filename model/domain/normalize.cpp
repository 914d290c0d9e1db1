// SPDX-License-Identifier: MIT
#include "normalize.h"

#include <array>
#include <cstdint>
#include <cstdio>

namespace dscope::model::normalize {

namespace {

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view trim(std::string_view v)
{
    while (!v.empty() && isSpace(v.front()))
        v.remove_prefix(1);
    while (!v.empty() && isSpace(v.back()))
        v.remove_suffix(1);
    return v;
}

int hexDigit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

std::optional<int64_t> parseHexDigits(std::string_view v)
{
    if (v.empty() || v.size() > 16)
        return std::nullopt;
    uint64_t r = 0;
    for (char c : v) {
        const int d = hexDigit(c);
        if (d < 0)
            return std::nullopt;
        r = (r << 4) | uint64_t(d);
    }
    return int64_t(r);
}

// Howard Hinnant's days_from_civil: exact for the proleptic Gregorian calendar, no time zone database needed.
int64_t daysFromCivil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = unsigned(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + int64_t(doe) - 719468;
}

bool digits(std::string_view v, size_t pos, size_t n, int& out)
{
    if (pos + n > v.size())
        return false;
    int r = 0;
    for (size_t i = pos; i < pos + n; ++i) {
        if (v[i] < '0' || v[i] > '9')
            return false;
        r = r * 10 + (v[i] - '0');
    }
    out = r;
    return true;
}

void appendUtf8(std::string& out, uint32_t cp)
{
    if (cp < 0x80) {
        out += char(cp);
    } else if (cp < 0x800) {
        out += char(0xC0 | (cp >> 6));
        out += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += char(0xE0 | (cp >> 12));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    } else if (cp <= 0x10FFFF) {
        out += char(0xF0 | (cp >> 18));
        out += char(0x80 | ((cp >> 12) & 0x3F));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    }
}

} // namespace

bool isAbsent(std::string_view value)
{
    const auto v = trim(value);
    return v.empty() || v == "-";
}

void guidInto(std::string& out, std::string_view value)
{
    auto v = trim(value);
    if (!v.empty() && v.front() == '{')
        v.remove_prefix(1);
    if (!v.empty() && v.back() == '}')
        v.remove_suffix(1);
    if (isAbsent(v)) {
        out.clear();
        return;
    }
    out.assign(v);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z')
            c = char(c - 'A' + 'a');
}

std::string guid(std::string_view value)
{
    std::string out;
    guidInto(out, value);
    return out;
}

std::optional<int64_t> integer(std::string_view value)
{
    auto v = trim(value);
    if (v.size() > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X'))
        return parseHexDigits(v.substr(2));
    bool negative = false;
    if (!v.empty() && v.front() == '-') {
        negative = true;
        v.remove_prefix(1);
    }
    if (v.empty() || v.size() > 19)
        return std::nullopt;
    uint64_t r = 0; // 19 digits fit in uint64_t; the int64_t range is checked below (hostile values overflow)
    for (char c : v) {
        if (c < '0' || c > '9')
            return std::nullopt;
        r = r * 10 + uint64_t(c - '0');
    }
    if (r > uint64_t(INT64_MAX) + (negative ? 1 : 0))
        return std::nullopt;
    return negative ? int64_t(0 - r) : int64_t(r);
}

std::optional<int64_t> hexInteger(std::string_view value)
{
    auto v = trim(value);
    if (v.size() > 2 && v[0] == '0' && (v[1] == 'x' || v[1] == 'X'))
        v.remove_prefix(2);
    return parseHexDigits(v);
}

std::optional<int64_t> utcMillis(std::string_view value)
{
    const auto v = trim(value);
    int y, mo, d, h, mi, s;
    if (!digits(v, 0, 4, y) || v.size() < 19 || v[4] != '-' || !digits(v, 5, 2, mo) || v[7] != '-'
        || !digits(v, 8, 2, d) || (v[10] != ' ' && v[10] != 'T') || !digits(v, 11, 2, h) || v[13] != ':'
        || !digits(v, 14, 2, mi) || v[16] != ':' || !digits(v, 17, 2, s))
        return std::nullopt;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
        return std::nullopt;
    size_t pos = 19;
    int millis = 0;
    if (pos < v.size() && (v[pos] == '.' || v[pos] == ',')) {
        ++pos;
        int n = 0;
        while (pos < v.size() && v[pos] >= '0' && v[pos] <= '9') {
            if (n < 3)
                millis = millis * 10 + (v[pos] - '0');
            ++n;
            ++pos;
        }
        for (; n < 3; ++n)
            millis *= 10;
    }
    int64_t offsetMinutes = 0;
    while (pos < v.size() && v[pos] == ' ')
        ++pos;
    if (pos < v.size() && (v[pos] == '+' || v[pos] == '-')) {
        int oh = 0, om = 0;
        const int sign = v[pos] == '-' ? -1 : 1;
        if (digits(v, pos + 1, 2, oh)) {
            size_t p = pos + 3;
            if (p < v.size() && v[p] == ':')
                ++p;
            digits(v, p, 2, om);
            offsetMinutes = sign * (oh * 60 + om);
        }
    }
    const int64_t days = daysFromCivil(y, unsigned(mo), unsigned(d));
    const int64_t secs = days * 86400 + h * 3600 + mi * 60 + s - offsetMinutes * 60;
    return secs * 1000 + millis;
}

std::string isoUtc(int64_t millis)
{
    int64_t secs = millis >= 0 ? millis / 1000 : (millis - 999) / 1000;
    const int ms = int(millis - secs * 1000);
    int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400;
    int64_t rem = secs - days * 86400;
    // civil_from_days
    days += 719468;
    const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    const unsigned doe = unsigned(days - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = int64_t(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02d:%02d:%02d.%03dZ", (long long)y, m, d, int(rem / 3600),
                  int(rem % 3600 / 60), int(rem % 60), ms);
    return buf;
}

std::string unescapeXml(std::string_view value)
{
    if (value.find('&') == std::string_view::npos)
        return std::string(value);
    std::string out;
    out.reserve(value.size());
    for (size_t i = 0; i < value.size(); ++i) {
        if (value[i] != '&') {
            out += value[i];
            continue;
        }
        const size_t semi = value.find(';', i);
        if (semi == std::string_view::npos || semi - i > 10) {
            out += '&';
            continue;
        }
        const auto ent = value.substr(i + 1, semi - i - 1);
        if (ent == "lt")
            out += '<';
        else if (ent == "gt")
            out += '>';
        else if (ent == "amp")
            out += '&';
        else if (ent == "quot")
            out += '"';
        else if (ent == "apos")
            out += '\'';
        else if (ent.size() > 1 && ent[0] == '#') {
            std::optional<int64_t> cp = (ent[1] == 'x' || ent[1] == 'X') ? parseHexDigits(ent.substr(2))
                                                                           : integer(ent.substr(1));
            if (!cp || *cp <= 0 || *cp > 0x10FFFF) {
                out += '&';
                continue;
            }
            appendUtf8(out, uint32_t(*cp));
        } else {
            out += '&';
            continue;
        }
        i = semi;
    }
    return out;
}

void capLength(std::string& value, size_t maxBytes)
{
    if (value.size() <= maxBytes)
        return;
    const size_t dropped = value.size() - maxBytes;
    size_t cut = maxBytes;
    while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80)
        --cut; // never split a UTF-8 sequence
    value.resize(cut);
    value += "\xE2\x80\xA6[truncated " + std::to_string(dropped) + " bytes]";
}

} // namespace dscope::model::normalize
