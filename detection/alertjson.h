// SPDX-License-Identifier: MIT
#pragma once

#include "domain/alert.h"

#include <QtCore/QByteArray>

namespace dscope::detection {

/// One alert as a compact JSON object (one line, no newline): the `scan --json` format.
/// Fields: rule, severity, technique, host, source_guid, source_pid, source_image, target_guid, target_pid,
/// target_image, first_utc, last_utc (ISO 8601 UTC), count, evidence [{file, record, event_id, utc}], explanation.
QByteArray alertJsonLine(const model::Alert& alert);

} // namespace dscope::detection
