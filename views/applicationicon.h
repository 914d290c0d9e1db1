// SPDX-License-Identifier: MIT
#pragma once

#include <QIcon>
#include <QImage>

namespace dscope::views {

/**
 * The application's icon, painted rather than stored: a case file beside its double, the second one shifted and
 * drawn in the alert colour (a process image swapped under its own name), under a magnifying lens. One drawing
 * serves the window icon and the PNGs the package installs (resources/icons), so they never differ.
 */
QImage paintApplicationIcon(int pixels);

/// The icon at the sizes desktops ask for (16 to 256 pixels).
QIcon applicationIcon();

} // namespace dscope::views
