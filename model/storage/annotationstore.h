// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace dscope::model {

class Database;

/// What an analyst wrote on an alert, an event or a process: a note, tags, a bookmark, who and when.
struct Annotation {
    enum class Kind { Alert, Event, Process };
    int64_t id = 0;
    Kind kind = Kind::Event;
    std::string ref;               ///< alerts.id or events.id as text, or "host|process GUID"
    std::string note;
    std::vector<std::string> tags; ///< lower case, trimmed, without duplicates, in the order first given
    bool bookmark = false;
    std::string analyst;
    int64_t utcMs = 0;
};

/// An annotation with what it is on, in words, and the host of that thing (empty when it is no longer in the case).
struct DescribedAnnotation {
    Annotation annotation;
    std::string subject;
    std::string host;
};

/// Which alerts, events and processes carry an annotation, for the marks on the rows of the views.
struct AnnotatedRefs {
    enum Flag { Noted = 1, Bookmarked = 2 }; ///< Noted: a note or a tag
    std::unordered_map<std::string, int> alerts, events, processes; ///< ref -> flags
    int flags(Annotation::Kind kind, const std::string& ref) const;
};

const char* annotationKindName(Annotation::Kind k);
std::optional<Annotation::Kind> parseAnnotationKind(std::string_view word);
/// The reference of a process: host and GUID (a GUID alone is unique per host only in practice, not by rule).
std::string processRef(const std::string& host, const std::string& guid);

/**
 * Notes, tags and bookmarks in the case (the annotations table of schema 4). One annotation per thing: saving one
 * for a kind and ref that has one replaces it. Every value is bound; tags are normalized (trimmed, lower case, no
 * commas, no duplicates). Functions take a connection opened for writing (reads: any) and run off the GUI thread.
 */
namespace annotationstore {

/// Stores `a` (its id is set); an annotation with no note, no tag and no bookmark is removed instead.
bool save(Database& db, Annotation& a, std::string& error);
std::optional<Annotation> find(Database& db, Annotation::Kind kind, const std::string& ref);
/// Every annotation whose note or tags contain `text` (compared without case; empty: all), newest first.
std::vector<Annotation> search(Database& db, const std::string& text);
/// search(), each with what it is on (describe()).
std::vector<DescribedAnnotation> searchDescribed(Database& db, const std::string& text);
/// Every annotated ref with its flags: for the row marks of the views.
AnnotatedRefs annotatedRefs(Database& db);
/// What an annotation is on, in words, read from the case: "alert 12: R1 on HOST, a.exe -> b.exe", "event 4711:
/// Sysmon 10 on HOST at <UTC>, Sysmon.evtx record 88", "process a.exe (PID 42) on HOST". `host` receives the host
/// it belongs to (empty when the thing is no longer in the case).
std::string describe(Database& db, const Annotation& a, std::string* host = nullptr);
/// A process an annotation with a given tag points at: tagged itself, or the subject process of a tagged event.
struct TaggedProcess {
    std::string host;
    std::string guid;
    std::string subject; ///< what was tagged, in words (describe())
};
/// The processes carrying `tag` (exactly, after normalizeTags), directly or through one of their events; each once.
std::vector<TaggedProcess> taggedProcesses(Database& db, const std::string& tag);
/// "a, B ,a,, c" -> {"a", "b", "c"}.
std::vector<std::string> normalizeTags(const std::string& commaSeparated);

} // namespace annotationstore
} // namespace dscope::model
