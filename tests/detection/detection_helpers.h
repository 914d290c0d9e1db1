// SPDX-License-Identifier: MIT
#pragma once

#include "domain/event.h"
#include "engine.h"

#include <QString>

#include <string>
#include <vector>

namespace dscope::testing {

/// Path of the rule file in the source tree (the application embeds the same file as :/rules/rules.json).
QString rulesFilePath();
detection::RuleSet loadRules();

/// Builders for tiny Sysmon/Security events; times are milliseconds from a fixed base.
model::Event sysmon(int64_t eventId, int64_t ms, const std::string& host = "WS1.example.test");
model::Event access10(int64_t ms, const std::string& src, const std::string& tgt, uint32_t mask,
                      const std::string& srcImage = "C:\\Users\\a\\evil.exe",
                      const std::string& tgtImage = "C:\\Windows\\System32\\notepad.exe");
model::Event thread8(int64_t ms, const std::string& src, const std::string& tgt,
                     const std::string& startModule = "", const std::string& startFunction = "",
                     const std::string& srcImage = "C:\\Users\\a\\evil.exe",
                     const std::string& tgtImage = "C:\\Windows\\System32\\notepad.exe");

/// Writes the events into a new case in `dir` and runs `rules` on it with the project's rule file. A fixture that
/// cannot be written or run stops the test program (qFatal): it is the fixture that is broken, not the rule.
model::AlertSetPtr scanEvents(const QString& dir, std::vector<model::Event> events, std::vector<std::string> rules);

/// Writes the events into a new case (one input named inputName, positions/records in vector order unless set).
bool writeCase(const std::string& casePath, std::vector<model::Event> events, const std::string& inputName = "fixture.json");

inline constexpr int64_t kBaseMs = 1700000000000;

} // namespace dscope::testing
