// SPDX-License-Identifier: MIT
#include "inputstatus.h"

namespace dscope::model {

const char* inputStatusName(InputStatus s)
{
    switch (s) {
    case InputStatus::Importing: return "importing";
    case InputStatus::Complete: return "complete";
    case InputStatus::Incomplete: return "incomplete";
    case InputStatus::Failed: return "failed";
    }
    return "incomplete";
}

InputStatus parseInputStatus(std::string_view word)
{
    for (InputStatus s : {InputStatus::Importing, InputStatus::Complete, InputStatus::Failed})
        if (word == inputStatusName(s))
            return s;
    return InputStatus::Incomplete;
}

} // namespace dscope::model
