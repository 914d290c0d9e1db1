// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

#include <string>
#include <string_view>

/// Text helpers every layer shares. ASCII case folding only: Windows paths, image names and host names compare
/// that way in the logs, and a locale must not change what matches.
namespace dscope::model {

std::string lowerAscii(std::string_view s);
bool equalsIgnoreCase(std::string_view a, std::string_view b);
/// Case-insensitive suffix test against a lower-case pattern ("\\lsass.exe"); an empty pattern never matches.
bool endsWithI(std::string_view text, std::string_view lowerSuffix);
/// Case-insensitive substring test against a lower-case needle; an empty needle always matches.
bool containsI(std::string_view text, std::string_view lowerNeedle);

/// The file name part of a Windows or POSIX path: "C:\\Windows\\notepad.exe" -> "notepad.exe".
std::string_view baseName(std::string_view path);
QString baseName(const QString& path);

} // namespace dscope::model
