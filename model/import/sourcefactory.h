// SPDX-License-Identifier: MIT
#pragma once

#include "ingest/eventsource.h"

#include <memory>

namespace dscope::model {

/// The source for a sniffed format, or nullptr for archives and unknown formats. Here rather than in ingest/ because
/// it picks among every reader, the native EVTX reader (evtx/) included.
std::unique_ptr<EventSource> makeSource(InputFormat format, const SourceOptions& options);

} // namespace dscope::model
