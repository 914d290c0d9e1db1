// SPDX-License-Identifier: MIT
#include "annotationstore.h"

#include "database.h"
#include "domain/normalize.h"
#include "domain/text.h"
#include "statement.h"

#include <algorithm>
#include <set>

namespace dscope::model {

namespace {

std::string joinTags(const std::vector<std::string>& tags)
{
    std::string out;
    for (const auto& t : tags)
        out += (out.empty() ? "" : ",") + t;
    return out;
}

Annotation read(Statement& st)
{
    Annotation a;
    a.id = st.columnInt(0);
    a.kind = parseAnnotationKind(st.columnView(1)).value_or(Annotation::Kind::Event);
    a.ref = st.columnText(2);
    a.note = st.columnText(3);
    a.tags = annotationstore::normalizeTags(st.columnText(4));
    a.bookmark = st.columnInt(5) != 0;
    a.analyst = st.columnText(6);
    a.utcMs = st.columnInt(7);
    return a;
}

constexpr const char* kColumns = "SELECT id, kind, ref, note, tags, bookmark, analyst, at_ms FROM annotations ";

} // namespace

const char* annotationKindName(Annotation::Kind k)
{
    switch (k) {
    case Annotation::Kind::Alert: return "alert";
    case Annotation::Kind::Event: return "event";
    case Annotation::Kind::Process: return "process";
    }
    return "event";
}

std::optional<Annotation::Kind> parseAnnotationKind(std::string_view word)
{
    for (auto k : {Annotation::Kind::Alert, Annotation::Kind::Event, Annotation::Kind::Process})
        if (word == annotationKindName(k))
            return k;
    return std::nullopt;
}

std::string processRef(const std::string& host, const std::string& guid) { return host + "|" + guid; }

int AnnotatedRefs::flags(Annotation::Kind kind, const std::string& ref) const
{
    const auto& map = kind == Annotation::Kind::Alert ? alerts : kind == Annotation::Kind::Event ? events : processes;
    const auto it = map.find(ref);
    return it == map.end() ? 0 : it->second;
}

namespace annotationstore {

std::vector<std::string> normalizeTags(const std::string& commaSeparated)
{
    std::vector<std::string> out;
    size_t start = 0;
    while (start <= commaSeparated.size()) {
        size_t end = commaSeparated.find(',', start);
        if (end == std::string::npos)
            end = commaSeparated.size();
        std::string tag = commaSeparated.substr(start, end - start);
        const size_t first = tag.find_first_not_of(" \t\r\n");
        const size_t last = tag.find_last_not_of(" \t\r\n");
        tag = first == std::string::npos ? std::string() : tag.substr(first, last - first + 1);
        for (char& c : tag)
            if (c >= 'A' && c <= 'Z')
                c = char(c - 'A' + 'a');
        if (!tag.empty() && std::find(out.begin(), out.end(), tag) == out.end())
            out.push_back(tag);
        start = end + 1;
    }
    return out;
}

bool save(Database& db, Annotation& a, std::string& error)
{
    std::vector<std::string> tags;
    for (const auto& t : a.tags)
        for (auto& n : normalizeTags(t))
            if (std::find(tags.begin(), tags.end(), n) == tags.end())
                tags.push_back(n);
    a.tags = tags;
    Transaction tx(db);
    Statement remove(db, "DELETE FROM annotations WHERE kind=? AND ref=?");
    remove.bindText(1, annotationKindName(a.kind));
    remove.bindText(2, a.ref);
    bool ok = tx.isOpen() && remove.exec();
    const bool empty = a.note.find_first_not_of(" \t\r\n") == std::string::npos && a.tags.empty() && !a.bookmark;
    if (ok && !empty) {
        const std::string joined = joinTags(a.tags); // bound without a copy: alive until the insert has run
        Statement insert(db, "INSERT INTO annotations(kind, ref, note, tags, bookmark, analyst, at_ms) VALUES(?,?,?,?,?,?,?)");
        insert.bindText(1, annotationKindName(a.kind));
        insert.bindText(2, a.ref);
        insert.bindTextOrNull(3, a.note);
        insert.bindTextOrNull(4, joined);
        insert.bind(5, int64_t(a.bookmark ? 1 : 0));
        insert.bindTextOrNull(6, a.analyst);
        insert.bind(7, a.utcMs);
        ok = insert.exec();
        a.id = ok ? db.lastInsertRowId() : 0;
    } else {
        a.id = 0;
    }
    if (!ok || !tx.commit()) {
        error = "cannot store the annotation: " + db.lastError();
        return false;
    }
    return true;
}

std::optional<Annotation> find(Database& db, Annotation::Kind kind, const std::string& ref)
{
    Statement st(db, std::string(kColumns) + "WHERE kind=? AND ref=?");
    st.bindText(1, annotationKindName(kind));
    st.bindText(2, ref);
    if (!st.next())
        return std::nullopt;
    return read(st);
}

std::vector<Annotation> search(Database& db, const std::string& text)
{
    // instr() on lower() rather than LIKE: the text is the analyst's, and % or _ in it mean themselves.
    Statement st(db, std::string(kColumns)
                         + "WHERE ?1 = '' OR instr(lower(coalesce(note, '') || ',' || coalesce(tags, '')), lower(?1)) > 0 "
                           "ORDER BY at_ms DESC, id DESC");
    st.bindText(1, text);
    std::vector<Annotation> out;
    while (st.next())
        out.push_back(read(st));
    return out;
}

std::vector<TaggedProcess> taggedProcesses(Database& db, const std::string& tag)
{
    const std::vector<std::string> wanted = normalizeTags(tag);
    std::vector<TaggedProcess> out;
    if (wanted.empty())
        return out;
    std::set<std::string> seen;
    for (const Annotation& a : search(db, wanted.front())) {
        if (std::find(a.tags.begin(), a.tags.end(), wanted.front()) == a.tags.end())
            continue; // the text matched a note or a longer tag
        TaggedProcess p;
        if (a.kind == Annotation::Kind::Process) {
            const size_t bar = a.ref.find('|');
            if (bar == std::string::npos)
                continue;
            p.host = a.ref.substr(0, bar);
            p.guid = a.ref.substr(bar + 1);
        } else if (a.kind == Annotation::Kind::Event) {
            Statement st(db, "SELECT host, subject_guid FROM events WHERE id=? AND subject_guid IS NOT NULL");
            st.bind(1, int64_t(std::strtoll(a.ref.c_str(), nullptr, 10)));
            if (!st.next())
                continue; // no longer in the case, or an event without a process (a Security event)
            p.host = st.columnText(0);
            p.guid = st.columnText(1);
        } else {
            continue;
        }
        if (!seen.insert(p.host + '|' + p.guid).second)
            continue;
        p.subject = describe(db, a);
        out.push_back(std::move(p));
    }
    return out;
}

std::string describe(Database& db, const Annotation& a, std::string* host)
{
    if (host)
        host->clear();
    auto setHost = [&](const std::string& h) {
        if (host)
            *host = h;
    };
    const auto pidText = [](int64_t pid) { return pid >= 0 ? " (PID " + std::to_string(pid) + ")" : std::string(); };
    switch (a.kind) {
    case Annotation::Kind::Alert: {
        Statement st(db, "SELECT rule_id, host, source_image, target_image FROM alerts WHERE id=?");
        st.bind(1, int64_t(std::strtoll(a.ref.c_str(), nullptr, 10)));
        if (!st.next())
            return "alert " + a.ref + " (no longer in the case)";
        setHost(st.columnText(1));
        return "alert " + a.ref + ": " + st.columnText(0) + " on " + st.columnText(1) + ", "
               + std::string(baseName(st.columnText(2))) + " \u2192 " + std::string(baseName(st.columnText(3)));
    }
    case Annotation::Kind::Event: {
        Statement st(db, "SELECT e.event_id, e.host, e.utc_ms, i.path, e.record_id, e.position, e.channel "
                         "FROM events e LEFT JOIN inputs i ON i.id = e.input_id WHERE e.id=?");
        st.bind(1, int64_t(std::strtoll(a.ref.c_str(), nullptr, 10)));
        if (!st.next())
            return "event " + a.ref + " (no longer in the case)";
        setHost(st.columnText(1));
        const bool security = st.columnView(6).find("Security") != std::string_view::npos;
        return "event " + a.ref + ": " + (security ? "Security " : "Sysmon ") + std::to_string(st.columnInt(0)) + " on "
               + st.columnText(1) + " at " + normalize::isoUtc(st.columnInt(2)) + ", " + std::string(baseName(st.columnText(3)))
               + (st.columnIsNull(4) ? " position " + std::to_string(st.columnInt(5))
                                     : " record " + std::to_string(st.columnInt(4)));
    }
    case Annotation::Kind::Process: {
        const size_t bar = a.ref.find('|');
        const std::string h = bar == std::string::npos ? std::string() : a.ref.substr(0, bar);
        const std::string guid = bar == std::string::npos ? a.ref : a.ref.substr(bar + 1);
        setHost(h);
        // Any event naming the process gives its image: its creation, or an event where it acts or is acted on.
        Statement st(db, "SELECT subject_image, subject_pid FROM events WHERE subject_guid=?1 AND host=?2 "
                         "AND subject_image IS NOT NULL LIMIT 1");
        st.bindText(1, guid);
        st.bindText(2, h);
        if (st.next())
            return "process " + st.columnText(0) + pidText(st.columnIsNull(1) ? -1 : st.columnInt(1)) + " on " + h;
        Statement target(db, "SELECT target_image, target_pid FROM events WHERE target_guid=?1 AND host=?2 "
                             "AND target_image IS NOT NULL LIMIT 1");
        target.bindText(1, guid);
        target.bindText(2, h);
        if (target.next())
            return "process " + target.columnText(0) + pidText(target.columnIsNull(1) ? -1 : target.columnInt(1))
                   + " on " + h;
        return "process {" + guid + "} on " + h;
    }
    }
    return a.ref;
}

std::vector<DescribedAnnotation> searchDescribed(Database& db, const std::string& text)
{
    std::vector<DescribedAnnotation> out;
    for (Annotation& a : search(db, text)) {
        DescribedAnnotation d;
        d.subject = describe(db, a, &d.host);
        d.annotation = std::move(a);
        out.push_back(std::move(d));
    }
    return out;
}

AnnotatedRefs annotatedRefs(Database& db)
{
    AnnotatedRefs out;
    Statement st(db, "SELECT kind, ref, (coalesce(note, '') <> '' OR coalesce(tags, '') <> ''), bookmark FROM annotations");
    while (st.next()) {
        const auto kind = parseAnnotationKind(st.columnView(0));
        if (!kind)
            continue;
        auto& map = *kind == Annotation::Kind::Alert ? out.alerts : *kind == Annotation::Kind::Event ? out.events : out.processes;
        map[st.columnText(1)] = (st.columnInt(2) ? AnnotatedRefs::Noted : 0) | (st.columnInt(3) ? AnnotatedRefs::Bookmarked : 0);
    }
    return out;
}

} // namespace annotationstore
} // namespace dscope::model
