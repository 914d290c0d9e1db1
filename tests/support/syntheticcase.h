// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

#include <cstdint>

namespace dscope::testing {

/// Writes a synthetic case of `count` events: hosts alternate between "HOST-A" and "HOST-B", event ids cycle
/// through 1, 8, 10, 11, one millisecond apart from 2020-01-01, subject GUIDs cycle through 10 processes, every
/// 10th event has granted_access 0x1410 and each event has a JSON original. Returns false on a write error.
bool writeSyntheticCase(const QString& path, int64_t count, QString* error = nullptr);

/// First synthetic timestamp.
inline constexpr int64_t kSyntheticStartMs = 1577836800000; // 2020-01-01T00:00:00Z

} // namespace dscope::testing
