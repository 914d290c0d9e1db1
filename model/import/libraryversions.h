// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace dscope::model {

/// The libraries the model layer runs with, as (name, version) at run time (the loaded library's own word where
/// it has one, the headers' otherwise): for `doppelscope --version` and bug reports.
std::vector<std::pair<std::string, std::string>> libraryVersions();

} // namespace dscope::model
