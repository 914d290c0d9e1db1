// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>

namespace dscope::model {

/// Inflates a gzip body (RFC 1952, one member or several, as HTTP's Content-Encoding: gzip carries it) into `out`.
/// Refuses output over `limit` bytes, so that a small hostile body cannot expand without bound. False with `error`
/// (not gzip, corrupt, over the limit).
bool gunzip(std::string_view compressed, size_t limit, std::string& out, std::string& error);

} // namespace dscope::model
