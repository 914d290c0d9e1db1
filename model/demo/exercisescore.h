// SPDX-License-Identifier: MIT
#pragma once

#include "demogenerator.h"

#include <string>
#include <vector>

namespace dscope::model {

/// A process the trainee accused (tagged, or tagged one of its events), by host and GUID (any spelling).
struct Accusation {
    std::string host;
    std::string guid;
};

/// One malicious process of the answer key: where the attacker's code ran.
struct Culprit {
    std::string host;
    std::string guid;                ///< lower case, no braces
    std::string image;
    std::string attack;              ///< the part of the story
    std::vector<std::string> rules;  ///< the rules whose alerts name it: how the workbench finds it
    bool found = false;
};

struct ExerciseScore {
    std::vector<Culprit> culprits;          ///< found and missed
    std::vector<Accusation> wronglyAccused; ///< processes that are no part of the attack
    int found = 0;
    int missed = 0;
    int64_t seconds = 0;
    /// 0..100: found culprits in percent, less 10 points per wrong accusation (a trainee who tags everything
    /// gains nothing), never below 0.
    int points = 0;
};

/**
 * Scores an exercise: the culprits are the processes where the attacker's code ran (every alert's source, and the
 * target of an injection or of a process created from a section); a credential dump's target, lsass.exe, is a victim
 * and neither found nor wrongly accused when tagged. Hosts compare without case, GUIDs without braces or case.
 */
ExerciseScore scoreExercise(const std::vector<ExpectedAlert>& answerKey, const std::vector<Accusation>& accused, int64_t seconds);

/// The answer key back from its JSON lines (answerKeyJsonLines()); lines that are not objects are skipped.
std::vector<ExpectedAlert> parseAnswerKey(const std::string& jsonLines);

} // namespace dscope::model
