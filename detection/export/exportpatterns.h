// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>

namespace dscope::detection {

// Regular expressions (case-insensitive, anchored) that let query languages without bit operations or numeric hex
// test what the engine tests on numbers: Sigma, SPL, KQL and EQL all have a regex match.

/// Hex text (with or without 0x, any width) whose value has every bit of `mask`: per hex digit, the digits that
/// carry the mask's bits of that digit. Exact: "0x1fffff" matches 0x2a, "0x1410" does not.
std::string maskBitsRegex(uint32_t mask);
/// Hex text whose value is exactly `value` (leading zeros and 0x allowed).
std::string maskValueRegex(uint32_t value);
/// Hex text of exactly `digits` digits (after an optional 0x) whose value is within [from, to].
std::string hexRangeRegex(uint64_t from, uint64_t to, int digits);
/// A rule-file path pattern (%systemroot%\..., * for one folder name, else a suffix) over lower-case paths.
std::string pathPatternRegex(const std::string& pattern);

} // namespace dscope::detection
