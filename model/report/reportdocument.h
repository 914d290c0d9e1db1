// SPDX-License-Identifier: MIT
#pragma once

#include "casereport.h"

#include <string>
#include <vector>

namespace dscope::model::reportdoc {

/**
 * The case report as a list of typed blocks (headings, paragraphs, lists, tables, timelines): what the report says,
 * decided once. The HTML writer turns the blocks into markup and the PDF writer paints them, so both formats hold
 * the same content. Text in a span is plain text, never markup: each writer escapes or draws it as it needs.
 */
struct Span {
    enum class Style : uint8_t { Plain, Bold, Mono, Small, Done, Todo, Badge };
    std::string text;
    Style style = Style::Plain;
    Severity severity = Severity::Low; ///< colour of a Badge
};
using Line = std::vector<Span>;

struct Column {
    std::string header;
    bool numeric = false;  ///< right-aligned
    bool mono = false;     ///< paths, hashes, masks: monospace, may break anywhere
    bool nowrap = false;   ///< times: kept on one line
};

struct ListItem {
    int depth = 0;
    Line text;
};

/// The evidence of an alert along a time axis, in abstract units: x in [0, 1], one colour per role.
struct Timeline {
    struct Mark {
        double x = 0;
        int colour = 0;     ///< index into timelinePalette()
    };
    std::vector<Mark> marks;
    std::vector<std::pair<std::string, int>> legend; ///< role and colour, in the order first seen
    std::string fromText, toText;
};

struct Block {
    enum class Kind {
        Title, Heading, Subheading, Paragraph, Meta, Warning, Explanation, Small, List, Table, Timeline,
        AlertStart, ///< an alert's blocks follow until AlertEnd: the HTML groups them, the PDF keeps its heading
        AlertEnd
    };
    Kind kind = Kind::Paragraph;
    Line text;                           ///< every kind with text
    std::vector<ListItem> items;         ///< List
    std::vector<Column> columns;         ///< Table
    std::vector<std::vector<Line>> rows; ///< Table: one Line per column
    bool keyValue = false;               ///< Table: the first column of each row is its header
    Timeline timeline;                   ///< Timeline
    std::string anchor;                  ///< AlertStart: "alert-12"
};

/// The report's parts: the case summary, the alert overview in pieces, one per alert, the notes, the end.
using Section = std::vector<Block>;

std::vector<Section> buildReportDocument(const CaseReport& report);

/// Colours of timeline marks, as #rrggbb.
const std::vector<const char*>& timelinePalette();
/// The colour of a severity badge (background, then text).
std::pair<const char*, const char*> badgeColours(Severity s);

} // namespace dscope::model::reportdoc
