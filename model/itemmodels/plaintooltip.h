// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

namespace dscope::model {

/**
 * A tool tip that shows `text` exactly as it is. Qt renders a tool tip as rich text when it merely looks like
 * markup, and log values are hostile: a command line holding "<!--" would hide the rest of itself, "<b>" would
 * restyle it. The text is escaped inside a paragraph that keeps its line breaks and spaces.
 */
inline QString plainToolTip(const QString& text)
{
    if (text.isEmpty())
        return {};
    return QStringLiteral("<p style='white-space:pre-wrap'>") + text.toHtmlEscaped() + QStringLiteral("</p>");
}

} // namespace dscope::model
