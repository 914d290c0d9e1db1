// SPDX-License-Identifier: MIT
#include "event.h"

#include <utility>

namespace dscope::model {

// swap() and clear() name every member: a new member must be added there too.
static_assert(sizeof(Event) == 9 * sizeof(int64_t) + 21 * sizeof(std::string) + sizeof(RawFormat) + 4 + sizeof(int64_t) + 2 * sizeof(uint32_t),
              "Event changed: update swap() and clear()");

namespace {
// A raw text bigger than this is freed rather than kept for the next event.
constexpr size_t kKeptRawCapacity = 64 * 1024;
} // namespace

void swap(Event& a, Event& b) noexcept
{
    using std::swap;
    swap(a.inputId, b.inputId);
    swap(a.position, b.position);
    swap(a.recordId, b.recordId);
    swap(a.utcMs, b.utcMs);
    swap(a.eventId, b.eventId);
    swap(a.subjectPid, b.subjectPid);
    swap(a.targetPid, b.targetPid);
    swap(a.parentPid, b.parentPid);
    swap(a.grantedAccess, b.grantedAccess);
    a.host.swap(b.host);
    a.channel.swap(b.channel);
    a.provider.swap(b.provider);
    a.subjectGuid.swap(b.subjectGuid);
    a.subjectImage.swap(b.subjectImage);
    a.targetGuid.swap(b.targetGuid);
    a.targetImage.swap(b.targetImage);
    a.parentGuid.swap(b.parentGuid);
    a.parentImage.swap(b.parentImage);
    a.callTrace.swap(b.callTrace);
    a.startAddress.swap(b.startAddress);
    a.startModule.swap(b.startModule);
    a.startFunction.swap(b.startFunction);
    a.commandLine.swap(b.commandLine);
    a.user.swap(b.user);
    a.hashes.swap(b.hashes);
    a.targetFilename.swap(b.targetFilename);
    a.transactionId.swap(b.transactionId);
    a.transactionState.swap(b.transactionState);
    a.detail.swap(b.detail);
    swap(a.rawFormat, b.rawFormat);
    a.raw.swap(b.raw);
    swap(a.rawBlock, b.rawBlock);
    swap(a.rawOffset, b.rawOffset);
    swap(a.rawLength, b.rawLength);
}

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
