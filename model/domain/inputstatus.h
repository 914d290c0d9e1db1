// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>

namespace dscope::model {

/// The state of an input in a case (inputs.status), as stored and as readers show it.
enum class InputStatus {
    Importing,  ///< a writer is storing it now; if that writer is gone, readers show Incomplete
    Complete,   ///< every readable record is stored
    Incomplete, ///< the import stopped (cancel, crash, write failure): what is stored stays; importing it again completes it
    Failed,     ///< nothing could be read
};

/// The word stored in the case file for a status.
const char* inputStatusName(InputStatus s);
/// The status a stored word names; unknown words read as Incomplete (nothing is claimed that was not stored).
InputStatus parseInputStatus(std::string_view word);

} // namespace dscope::model
