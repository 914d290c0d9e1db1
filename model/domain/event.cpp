// SPDX-License-Identifier: MIT
#include "event.h"

namespace dscope::model {

namespace {
// A raw text bigger than this is freed rather than kept for the next event.
constexpr size_t kKeptRawCapacity = 64 * 1024;
} // namespace

void Event::clear()
{
    inputId = position = recordId = utcMs = eventId = kNoValue;
    subjectPid = targetPid = parentPid = grantedAccess = kNoValue;
    for (std::string* s : {&host, &channel, &provider, &subjectGuid, &subjectImage, &targetGuid, &targetImage,
                           &parentGuid, &parentImage, &callTrace, &startAddress, &startModule, &startFunction,
                           &commandLine, &user, &hashes, &targetFilename, &transactionId, &transactionState,
                           &detail})
        s->clear();
    rawFormat = RawFormat::None;
    if (raw.capacity() > kKeptRawCapacity)
        std::string().swap(raw);
    else
        raw.clear();
    rawBlock = -1;
    rawOffset = 0;
    rawLength = 0;
}

} // namespace dscope::model
