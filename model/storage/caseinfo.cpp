// SPDX-License-Identifier: MIT
#include "caseinfo.h"

#include "database.h"
#include "schema.h"
#include "statement.h"
#include "writeridentity.h"

namespace dscope::model {

bool loadCaseInfo(Database& db, CaseInfo& info, std::string& error)
{
    info = CaseInfo{};
    // The writer keeps event_summary (schema 3) in step with the events: a few rows per input instead of a scan of
    // every event. A case of an older schema opened read-only has no summary yet and is counted the slow way.
    const bool summarized = db.scalar("SELECT count(*) FROM sqlite_master WHERE name='event_summary'") == 1;
    {
        Statement st(db, summarized ? "SELECT sum(events), min(first_ms), max(last_ms) FROM event_summary"
                                    : "SELECT count(*), min(utc_ms), max(utc_ms) FROM events");
        if (!st.next()) {
            error = db.lastError();
            return false;
        }
        info.events = st.columnIsNull(0) ? 0 : st.columnInt(0);
        info.firstUtcMs = st.columnInt(1);
        info.lastUtcMs = st.columnInt(2);
    }
    auto counts = [&](const char* sql, std::vector<CaseInfo::Count>& out) {
        Statement st(db, sql);
        while (st.next()) {
            const bool none = st.columnIsNull(0) || st.columnView(0).empty();
            out.push_back({none ? std::string("(none)") : st.columnText(0), st.columnInt(1)});
        }
    };
    if (summarized) {
        counts("SELECT host, sum(events) FROM event_summary GROUP BY host ORDER BY 2 DESC", info.hosts);
        counts("SELECT channel, sum(events) FROM event_summary GROUP BY channel ORDER BY 2 DESC", info.channels);
    } else {
        counts("SELECT host, count(*) FROM events GROUP BY host ORDER BY 2 DESC", info.hosts);
        counts("SELECT channel, count(*) FROM events GROUP BY channel ORDER BY 2 DESC", info.channels);
    }
    {
        Statement st(db, summarized ? "SELECT event_id, sum(events) FROM event_summary GROUP BY event_id ORDER BY 1"
                                    : "SELECT event_id, count(*) FROM events GROUP BY event_id ORDER BY 1");
        while (st.next())
            info.eventIds.emplace_back(st.columnInt(0), st.columnInt(1));
    }
    Statement st(db, "SELECT id, path, size, sha256, format, layout, engine, status, events, skipped, recovered, "
                     "errors, seconds, imported_utc, writer FROM inputs ORDER BY id");
    while (st.next()) {
        InputRow r;
        r.id = st.columnInt(0);
        r.path = st.columnText(1);
        r.size = st.columnIsNull(2) ? -1 : st.columnInt(2);
        r.sha256 = st.columnText(3);
        r.format = st.columnText(4);
        r.layout = st.columnText(5);
        r.engine = st.columnText(6);
        r.status = parseInputStatus(st.columnView(7));
        // An input whose writer has ended (a crash, a kill, a write failure the writer could not even record)
        // is incomplete, whatever its row still says; this reader does not change the file.
        if (r.status == InputStatus::Importing && !writerMayBeRunning(st.columnText(14)))
            r.status = InputStatus::Incomplete;
        r.events = st.columnInt(8);
        r.skipped = st.columnInt(9);
        r.recovered = st.columnInt(10);
        r.errorsJson = st.columnText(11);
        r.seconds = st.columnDouble(12);
        r.importedUtcMs = st.columnIsNull(13) ? 0 : st.columnInt(13);
        info.inputs.push_back(std::move(r));
    }
    return true;
}

bool loadCaseInfo(const std::string& casePath, CaseInfo& info, std::string& error)
{
    Database db;
    if (!db.open(casePath, Database::Mode::ReadOnly)) {
        error = "cannot open " + casePath + ": " + db.lastError();
        return false;
    }
    if (!schema::prepareForReading(db, error)) {
        error = casePath + ": " + error;
        return false;
    }
    return loadCaseInfo(db, info, error);
}

} // namespace dscope::model
