// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include <cstdint>

namespace dscope::model {

class Database;

/// Everything the detail pane shows about one event, read on a worker and handed over as a value.
struct EventDetail {
    int64_t id = 0;
    int64_t eventId = 0;
    QString channel;
    QString inputPath;
    QList<QPair<QString, QString>> fields;  ///< normalized fields that are present, as (label, value)
    int64_t grantedAccess = -1;             ///< -1 when the event carries no access mask
    int rawFormat = 0;                      ///< RawFormat
    QByteArray raw;
    QString rawError;                       ///< the original text exists but could not be decoded
    QString error;                          ///< set when the event could not be read
};

/// Reads one event and its original text; safe on any thread with that thread's own connection. XML is
/// indented for reading (indentXmlForReading).
EventDetail loadEventDetail(Database& db, int64_t id);

/// The same XML with one element per line, indented by depth; the input as is when it is not well formed.
/// Text and attribute values are kept; only whitespace between elements that holds a line break is replaced.
QByteArray indentXmlForReading(const QByteArray& xml);

} // namespace dscope::model
