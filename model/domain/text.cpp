// SPDX-License-Identifier: MIT
#include "text.h"

namespace dscope::model {

namespace {
char lowerChar(char c) { return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c; }
} // namespace

std::string lowerAscii(std::string_view s)
{
    std::string out(s);
    for (char& c : out)
        c = lowerChar(c);
    return out;
}

bool equalsIgnoreCase(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (lowerChar(a[i]) != lowerChar(b[i]))
            return false;
    return true;
}

bool endsWithI(std::string_view text, std::string_view lowerSuffix)
{
    if (lowerSuffix.empty() || text.size() < lowerSuffix.size())
        return false;
    const size_t off = text.size() - lowerSuffix.size();
    for (size_t i = 0; i < lowerSuffix.size(); ++i)
        if (lowerChar(text[off + i]) != lowerSuffix[i])
            return false;
    return true;
}

bool containsI(std::string_view text, std::string_view lowerNeedle)
{
    if (lowerNeedle.empty())
        return true;
    if (text.size() < lowerNeedle.size())
        return false;
    for (size_t i = 0; i + lowerNeedle.size() <= text.size(); ++i) {
        size_t j = 0;
        while (j < lowerNeedle.size() && lowerChar(text[i + j]) == lowerNeedle[j])
            ++j;
        if (j == lowerNeedle.size())
            return true;
    }
    return false;
}

std::string_view baseName(std::string_view path)
{
    const size_t slash = path.find_last_of("\\/");
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

QString baseName(const QString& path)
{
    const qsizetype slash = std::max(path.lastIndexOf(QLatin1Char('\\')), path.lastIndexOf(QLatin1Char('/')));
    return slash < 0 ? path : path.mid(slash + 1);
}

} // namespace dscope::model
