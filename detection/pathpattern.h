// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dscope::detection {

/**
 * Whether a Windows path matches a path pattern of the rule file (lower case).
 *
 * - "%systemroot%\\system32\\services.exe" pins a system folder: the whole path must be that file under the
 *   Windows folder of any drive (or spelt \SystemRoot\..., \??\C:\...). "%programfiles%" stands for Program Files
 *   and Program Files (x86), "%programdata%" for ProgramData. A pinned pattern is what keeps a copy of services.exe
 *   in C:\Users\Public from passing for the real one.
 * - "*" stands for exactly one folder name ("%programdata%\\microsoft\\windows defender\\platform\\*\\msmpeng.exe").
 * - A pattern that starts with "\\" matches the end of the path: that folder and name, anywhere.
 * - Any other pattern matches a path that ends with it.
 */
bool matchesPath(std::string_view path, std::string_view pattern);
/// The same on a path already made canonical (canonicalPath), to test one path against many patterns.
bool matchesCanonicalPath(std::string_view canonical, std::string_view pattern);

/// Whether the path matches any of the patterns (made canonical once).
bool matchesAnyPath(std::string_view path, const std::vector<std::string>& patterns);

/// The path as matchesPath compares it: lower case, without drive or \??\ prefix, \SystemRoot\ as \windows\.
std::string canonicalPath(std::string_view path);

} // namespace dscope::detection
