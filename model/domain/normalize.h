// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

/// Pure normalization helpers shared by every source. Each handles one trap of the corpus formats.
namespace dscope::model::normalize {

/// Sysmon writes "-" for an empty field; formats also carry "" and whitespace. True when the value means "absent".
bool isAbsent(std::string_view value);

/// GUIDs compare as lower case without braces: "{365ABB72-...}", "365abb72-..." and " {365abb72-...} " are equal.
std::string guid(std::string_view value);
/// The same, written into out (whose buffer is reused).
void guidInto(std::string& out, std::string_view value);

/**
 * Integer from decimal ("2108"), hex with prefix ("0x00000000000018ac", "0x1f3fff") or a JSON number.
 * Returns nullopt on anything else (so a garbage PID is absent, not 0).
 */
std::optional<int64_t> integer(std::string_view value);

/// Like integer(), but bare digits are read as hex: for fields that are always hex (GrantedAccess, AccessMask).
std::optional<int64_t> hexInteger(std::string_view value);

/**
 * Milliseconds since the Unix epoch from the time spellings found in event logs:
 * "2019-05-18 17:16:16.176", "2019-05-18T17:16:08.348796300Z", "2018-07-28 07:24:45.754787 UTC",
 * "2022-05-13T08:54:08.4210000Z". A trailing offset ("+02:00") is applied; no zone means UTC.
 */
std::optional<int64_t> utcMillis(std::string_view value);

/// ISO 8601 text ("2019-05-18T17:16:16.176Z") for a utcMillis() value.
std::string isoUtc(int64_t millis);

/// Decodes the five XML entities and numeric references. Used on JSON values: some exporters store XML-escaped text.
std::string unescapeXml(std::string_view value);

/// Cuts an over-long value at a UTF-8 boundary and says so; hostile logs can carry megabyte fields.
void capLength(std::string& value, size_t maxBytes);

} // namespace dscope::model::normalize
