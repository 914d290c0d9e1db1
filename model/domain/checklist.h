// SPDX-License-Identifier: MIT
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace dscope::model {

/// One step of a response checklist. Done on the live host, or checked in the case through a pivot.
struct ChecklistItem {
    enum class Where { LiveHost, Case };
    std::string id;    ///< stable: the case stores ticks and notes under it
    std::string text;
    Where where = Where::LiveHost;
    std::string pivot; ///< the pivot that checks it in the case (a key of Checklists::pivots); empty for a live
                       ///< step or one read in the alert itself
};

struct Checklist {
    std::string key;   ///< what a rule names ("injection", "tampering", "credentials")
    std::string title;
    std::vector<ChecklistItem> items;
};

/// What a pivot shows, in words; the filter it runs is built from the alert (itemmodels/pivots.h).
struct PivotDescription {
    std::string title;
    std::string explains;
};

/// Where the binary carries the response checklists file (resources/checklists/checklists.json).
inline constexpr const char* kEmbeddedChecklists = ":/checklists/checklists.json";

/// The response checklists file.
struct Checklists {
    int version = 0;
    std::map<std::string, Checklist> lists;
    std::map<std::string, PivotDescription> pivots;

    const Checklist* find(const std::string& key) const;
    /// Parses the file's text. Fails (with error naming the checklist and item) on a missing id or text, a
    /// duplicated id, an unknown "where" or a pivot the file does not describe.
    static std::optional<Checklists> parse(const std::string& json, std::string& error);
    /// Reads and parses a file (a Qt resource path such as ":/checklists/checklists.json" too).
    static std::optional<Checklists> load(const std::string& path, std::string& error);
};

} // namespace dscope::model
