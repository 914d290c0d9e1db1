// SPDX-License-Identifier: MIT
#pragma once

#include "casereport.h"

#include <string>

namespace dscope::model {

/**
 * The case report as JSON a SIEM or case tool can ingest: {"case": {...}, "findings": [...]}, one OCSF Detection
 * Finding (class_uid 2004, category Findings) per alert: the ATT&CK technique, the analytic (rule id, name, rule set
 * version), the evidence events, observables (host, processes, GUIDs, the inputs' SHA-256), the triage as the
 * finding's status, and the analysts' history as notes. The case header says what the case holds and its blind
 * spots.
 */
std::string renderOcsfReport(const CaseReport& report);

} // namespace dscope::model
