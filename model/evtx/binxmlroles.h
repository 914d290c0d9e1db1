// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string_view>

/// Which elements and attributes of an event carry the values the reader keeps (shared by the decoder's files).
namespace dscope::model::evtx::roles {

// Element roles: which elements carry the values the normalizer needs.
enum Role : uint8_t {
    RNone, REvent, RSystem, REventData, RUserData,
    RProvider, REventId, RTimeCreated, RRecordId, RChannel, RComputer,
    RData, RUserWrapper, RUserLeaf,
};
// Slots of m_sys.
enum Sys { SProvider, SChannel, SComputer, SEventId, SQualifiers, SRecordId, SSystemTime };
// Attribute roles.
enum AttrRole : uint8_t { ANone, AProviderName, AQualifiers, ASystemTime, ADataName };

inline bool keepsText(uint8_t role)
{
    return role == REventId || role == RRecordId || role == RChannel || role == RComputer || role == RData
        || role == RUserWrapper || role == RUserLeaf;
}

inline Role systemChild(std::string_view n)
{
    if (n == "Provider") return RProvider;
    if (n == "EventID") return REventId;
    if (n == "TimeCreated") return RTimeCreated;
    if (n == "EventRecordID") return RRecordId;
    if (n == "Channel") return RChannel;
    if (n == "Computer") return RComputer;
    return RNone;
}

} // namespace dscope::model::evtx::roles
