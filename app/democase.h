// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

namespace dscope::app {

/**
 * The built-in demo case: the simulated Doppelgänging story embedded in the binary (resources/demo), imported
 * once into the user's cache folder. Returns the case path, or an empty string with error set.
 */
QString prepareDemoCase(QString& error);

} // namespace dscope::app
