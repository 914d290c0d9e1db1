// SPDX-License-Identifier: MIT
#include "pathpattern.h"

#include "domain/text.h"

#include <vector>

namespace dscope::detection {

namespace {

bool startsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

std::vector<std::string_view> segments(std::string_view path)
{
    std::vector<std::string_view> out;
    size_t start = 0;
    while (start <= path.size()) {
        const size_t end = path.find('\\', start);
        const std::string_view seg = path.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
        if (!seg.empty())
            out.push_back(seg);
        if (end == std::string_view::npos)
            break;
        start = end + 1;
    }
    return out;
}

/// Segment by segment, "*" matching any one name.
bool matchSegments(const std::vector<std::string_view>& path, const std::vector<std::string_view>& pattern)
{
    if (path.size() != pattern.size())
        return false;
    for (size_t i = 0; i < path.size(); ++i)
        if (pattern[i] != "*" && pattern[i] != path[i])
            return false;
    return true;
}

} // namespace

std::string canonicalPath(std::string_view raw)
{
    std::string p = model::lowerAscii(raw);
    for (char& c : p)
        if (c == '/')
            c = '\\';
    for (std::string_view prefix : {"\\\\?\\", "\\??\\"})
        if (startsWith(p, prefix))
            p.erase(0, prefix.size());
    if (p.size() >= 2 && p[1] == ':' && p[0] >= 'a' && p[0] <= 'z')
        p.erase(0, 2);
    if (startsWith(p, "\\systemroot\\"))
        p.replace(0, 11, "\\windows");
    return p;
}

bool matchesPath(std::string_view path, std::string_view pattern)
{
    return !path.empty() && matchesCanonicalPath(canonicalPath(path), pattern);
}

bool matchesAnyPath(std::string_view path, const std::vector<std::string>& patterns)
{
    if (path.empty())
        return false;
    const std::string canonical = canonicalPath(path);
    for (const std::string& p : patterns)
        if (matchesCanonicalPath(canonical, p))
            return true;
    return false;
}

bool matchesCanonicalPath(std::string_view canonical, std::string_view pattern)
{
    if (pattern.empty() || canonical.empty())
        return false;
    struct Root {
        std::string_view token;
        std::vector<std::string_view> folders; // what the token stands for
    };
    static const Root roots[] = {
        {"%systemroot%", {"\\windows"}},
        {"%programfiles%", {"\\program files", "\\program files (x86)"}},
        {"%programdata%", {"\\programdata"}},
    };
    for (const Root& root : roots) {
        if (!startsWith(pattern, root.token))
            continue;
        const auto have = segments(canonical);
        for (std::string_view folder : root.folders) {
            const std::string expanded = std::string(folder) + std::string(pattern.substr(root.token.size()));
            if (matchSegments(have, segments(expanded)))
                return true;
        }
        return false;
    }
    if (pattern.find('*') == std::string_view::npos)
        return model::endsWithI(canonical, pattern);
    // A suffix with wildcards: compare the last segments.
    const auto want = segments(pattern);
    auto have = segments(canonical);
    if (have.size() < want.size())
        return false;
    have.erase(have.begin(), have.end() - long(want.size()));
    return matchSegments(have, want);
}

} // namespace dscope::detection
