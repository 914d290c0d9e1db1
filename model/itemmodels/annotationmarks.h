// SPDX-License-Identifier: MIT
#pragma once

#include "storage/annotationstore.h"

#include <Qt>

#include <memory>

namespace dscope::model {

/// int, AnnotatedRefs flags (noted, bookmarked) of the row's alert, event or process; 0 when it has none. The
/// views draw a mark from it in their first column. Far above every model's own roles.
constexpr int AnnotationMarkRole = Qt::UserRole + 400;

using AnnotatedRefsPtr = std::shared_ptr<const AnnotatedRefs>;

} // namespace dscope::model
