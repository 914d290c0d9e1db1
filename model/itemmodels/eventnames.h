// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string_view>

namespace dscope::model {

/// Short name of an event id ("Process accessed"), chosen by channel because ids collide across logs
/// (Sysmon 1 is process creation, Application 1 is anything). Empty when the id is not in the table.
std::string_view eventName(int64_t eventId, std::string_view channel);

} // namespace dscope::model
