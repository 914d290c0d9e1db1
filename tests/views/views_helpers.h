// SPDX-License-Identifier: MIT
#pragma once

#include "support/syntheticcase.h"

#include <QString>

class QTemporaryDir;

#include <cstdint>

namespace dscope::testing {

/// Imports one input into a new case inside dir (named after the input); empty when nothing was imported.
QString importCase(const QTemporaryDir& dir, const QString& input, bool libevtx = false);

/// Where page tests save their screenshots for a person to look at.
QString screenshotDir();

} // namespace dscope::testing
