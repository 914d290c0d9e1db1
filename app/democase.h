// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

namespace dscope::app {

/**
 * The built-in demo case: the realistic simulated working day of the generator (model/demo, the guided exercise,
 * seed 1: several hosts, tens of thousands of ordinary events, the Doppelgänging story among them), imported once
 * into the user's cache folder. Returns the case path, or an empty string with error set.
 */
QString prepareDemoCase(QString& error);

} // namespace dscope::app
