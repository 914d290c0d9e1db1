// SPDX-License-Identifier: MIT
#include "importreport.h"

namespace dscope::model {

const char* statusName(InputReport::Status s)
{
    switch (s) {
    case InputReport::Status::Imported: return "imported";
    case InputReport::Status::Duplicate: return "duplicate";
    case InputReport::Status::Failed: return "failed";
    case InputReport::Status::Cancelled: return "cancelled";
    case InputReport::Status::Incomplete: return "incomplete";
    }
    return "?";
}

} // namespace dscope::model
