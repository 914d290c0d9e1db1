// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace dscope::model {

/// One alert the simulated case must raise: the fields of `scan --json` that identify it, and why it is there.
struct ExpectedAlert {
    std::string rule;
    std::string host;
    std::string sourceGuid; ///< lower case, no braces; empty where the rule has no source process (Security events)
    std::string targetGuid;
    std::string attack;     ///< which part of the story it belongs to
    std::string sourceImage;
    std::string targetImage;
};

/// A benign look-alike planted in the case: something that resembles an attack and must raise no alert.
struct LookAlike {
    std::string host;
    std::string what;
};

/// A training exercise: the case's shape and what its logging lacks, in rising difficulty.
struct Exercise {
    std::string name;
    std::string description;
    int hosts = 4;
    std::vector<int> missingEventIds; ///< never collected in this exercise (Sysmon 10, Security 4985...)
};

/// The exercises, easiest first.
const std::vector<Exercise>& exercises();
/// The exercise of that name, or null.
const Exercise* findExercise(const std::string& name);

struct DemoOptions {
    uint64_t seed = 1;
    std::string exercise;     ///< empty: the guided case; else an exercise's name (it sets the hosts)
    int hosts = 4;            ///< workstations WS01.. plus the server the attacker moves to (at least 2)
    int activitiesPerHour = 360; ///< ordinary activities per host and hour (each a few events)
};

/// The generated case: JSON lines in the flat Sysmon/Security layout the importer reads (every event marked
/// "Simulated"), in time order, with its answer key.
struct DemoCase {
    std::vector<std::string> lines;
    std::vector<ExpectedAlert> answerKey;
    std::vector<LookAlike> lookAlikes;
    std::vector<std::string> hosts;
    int64_t attackEvents = 0;
};

/**
 * Writes a realistic simulated case: several hosts and users over a working day, tens of thousands of ordinary
 * events (logons, process starts and ends, image loads, network connections, file creations, security products'
 * handles to lsass.exe, csrss's console threads, installers using transactions), and hidden among them one Process
 * Doppelgänging chain, one classic remote-thread injection, one mavinject-style DLL injection, one
 * credential-dumping handle to lsass.exe and a lateral movement to a server, where the attacker dumps credentials
 * again. Deterministic: the same options give the same bytes, on any machine (its own random generator and
 * arithmetic, nothing from the standard library's distributions).
 */
DemoCase generateDemoCase(const DemoOptions& options);

/// Writes the case's events as JSON lines, whole or not at all; false with error.
bool writeEventLines(const DemoCase& demo, const std::string& path, std::string& error);

/// The answer key as JSON lines (`rule`, `host`, `source_guid`, `target_guid`, `attack`), one per expected alert.
std::string answerKeyJsonLines(const DemoCase& demo);

} // namespace dscope::model
