// SPDX-License-Identifier: MIT
#pragma once

#include "domain/alert.h"
#include "support/syntheticcase.h"

#include <QString>
#include <QtGlobal>

class QTemporaryDir;

#include <cstdint>

namespace dscope::testing {

/// Imports one input into a new case inside dir (named after the input); empty when nothing was imported.
QString importCase(const QTemporaryDir& dir, const QString& input, bool libevtx = false);

/// Runs the source tree's rules on a case and stores the alerts in it (as the workbench does); null on failure.
model::AlertSetPtr detectAndStore(const QString& casePath);

/// One number a read-only query of the case gives (-1 when it fails): what tests check a case holds.
qint64 scalar(const QString& casePath, const char* sql);

/// Where page tests save their screenshots for a person to look at.
QString screenshotDir();

} // namespace dscope::testing
