// SPDX-License-Identifier: MIT
#include "caseindexes.h"

#include "domain/accessmask.h"
#include "storage/database.h"
#include "storage/schema.h"

#include <sqlite3.h>

namespace dscope::detection {

namespace where {
std::string handleWith(uint32_t mask)
{
    const std::string m = std::to_string(mask);
    return "(granted_access & " + m + ") = " + m;
}
std::string injectionHandle() { return handleWith(model::access::kInjectionSet); }
std::string draftHandle() { return handleWith(model::access::kDraftMask); }
} // namespace where

bool ensureDetectionIndexes(const std::string& casePath, std::string* error)
{
    model::Database db;
    if (!db.open(casePath, model::Database::Mode::ReadWrite)) {
        if (error)
            *error = db.lastError();
        return false;
    }
    std::string why;
    if (!model::schema::prepareForReading(db, why)) {
        if (error)
            *error = why;
        return false;
    }
    // Do not wait for a running import: it holds the write lock for its batches; detection then scans.
    sqlite3_busy_timeout(db.handle(), 50);
    const std::string sql = std::string("CREATE INDEX IF NOT EXISTS events_det_inject2 ON events(event_id, utc_ms) WHERE ")
                            + where::injectionHandle() + ";"
                            + "CREATE INDEX IF NOT EXISTS events_det_draft2 ON events(event_id, utc_ms) WHERE "
                            + where::draftHandle() + ";"
                            + "CREATE INDEX IF NOT EXISTS events_det_lsass2 ON events(event_id, utc_ms) WHERE "
                            + where::kLsassHandle + ";"
                            + "CREATE INDEX IF NOT EXISTS events_det_bare_target ON events(event_id, utc_ms) WHERE "
                            + where::kPathlessTarget + ";"
                            + "CREATE INDEX IF NOT EXISTS events_det_bare_subject ON events(event_id, utc_ms) WHERE "
                            + where::kPathlessSubject + ";";
    if (!db.exec("BEGIN IMMEDIATE") || !db.exec(sql) || !db.exec("COMMIT")) {
        if (error)
            *error = db.lastError();
        db.exec("ROLLBACK");
        return false;
    }
    return true;
}

} // namespace dscope::detection
