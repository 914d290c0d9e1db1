// SPDX-License-Identifier: MIT
#include "inputlistmodel.h"

#include "alertlistmodel.h"
#include "plaintooltip.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

namespace dscope::model {

namespace {

QString qs(const std::string& s) { return QString::fromStdString(s); }

QString statusText(InputStatus status)
{
    switch (status) {
    case InputStatus::Complete: return InputListModel::tr("complete");
    case InputStatus::Incomplete: return InputListModel::tr("incomplete (cancelled, interrupted or a write failure)");
    case InputStatus::Failed: return InputListModel::tr("failed");
    case InputStatus::Importing: return InputListModel::tr("importing");
    }
    return {};
}

} // namespace

bool inputHasProblems(const InputRow& r)
{
    // An input whose only issues are warnings (damage that cost no record) still deserves a look.
    return r.skipped > 0 || r.recovered > 0 || r.status != InputStatus::Complete || !inputIssues(r).isEmpty();
}

QStringList inputIssues(const InputRow& r)
{
    QStringList out;
    const QJsonArray list = QJsonDocument::fromJson(QByteArray::fromStdString(r.errorsJson)).array();
    for (const QJsonValue& v : list) {
        const QJsonObject o = v.toObject();
        const QString message = o.value(QStringLiteral("message")).toString();
        if (message.isEmpty())
            continue;
        out << (o.value(QStringLiteral("warning")).toBool() ? InputListModel::tr("warning: %1").arg(message) : message);
    }
    return out;
}

InputListModel::InputListModel(QObject* parent) : QAbstractTableModel(parent) {}

void InputListModel::setInputs(std::vector<InputRow> inputs)
{
    beginResetModel();
    m_inputs = std::move(inputs);
    endResetModel();
}

void InputListModel::setUtc(bool utc)
{
    if (utc == m_utc)
        return;
    m_utc = utc;
    if (!m_inputs.empty())
        Q_EMIT dataChanged(index(0, ColImported), index(rowCount() - 1, ColImported), {Qt::DisplayRole});
}

int InputListModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(m_inputs.size()); }

int InputListModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QString InputListModel::text(const InputRow& r, int column) const
{
    switch (column) {
    case ColPath: return qs(r.path);
    case ColStatus: return statusText(r.status);
    case ColFormat: return r.layout.empty() ? qs(r.format) : tr("%1 [%2]").arg(qs(r.format), qs(r.layout));
    case ColEngine: return qs(r.engine);
    case ColEvents: return QLocale().toString(qlonglong(r.events));
    case ColSkipped: return QLocale().toString(qlonglong(r.skipped));
    case ColRecovered: return QLocale().toString(qlonglong(r.recovered));
    case ColSize: return r.size < 0 ? QString() : QLocale().formattedDataSize(r.size);
    case ColSha256: return qs(r.sha256);
    case ColImported: return r.importedUtcMs > 0 ? formatTime(r.importedUtcMs, m_utc) : QString();
    case ColSeconds: return QString::number(r.seconds, 'f', 2);
    default: return {};
    }
}

QVariant InputListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const InputRow& r = m_inputs[size_t(index.row())];
    switch (role) {
    case Qt::DisplayRole: return text(r, index.column());
    case Qt::ToolTipRole:
        if (index.column() == ColPath || index.column() == ColSha256)
            return plainToolTip(text(r, index.column()));
        if (index.column() == ColStatus && inputHasProblems(r))
            return plainToolTip(inputIssues(r).mid(0, 5).join(QLatin1Char('\n')));
        return {};
    case Qt::TextAlignmentRole:
        switch (index.column()) {
        case ColEvents:
        case ColSkipped:
        case ColRecovered:
        case ColSize:
        case ColSeconds: return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        default: return {};
        }
    case SortRole:
        switch (index.column()) {
        case ColEvents: return qlonglong(r.events);
        case ColSkipped: return qlonglong(r.skipped);
        case ColRecovered: return qlonglong(r.recovered);
        case ColSize: return qlonglong(r.size);
        case ColImported: return qlonglong(r.importedUtcMs);
        case ColSeconds: return r.seconds;
        default: return text(r, index.column());
        }
    case ProblemRole: return inputHasProblems(r) ? QStringLiteral("1") : QStringLiteral("0");
    case InputIdRole: return qlonglong(r.id);
    default: return {};
    }
}

QVariant InputListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case ColPath: return tr("Path");
    case ColStatus: return tr("Status");
    case ColFormat: return tr("Format [layout]");
    case ColEngine: return tr("EVTX engine");
    case ColEvents: return tr("Events");
    case ColSkipped: return tr("Skipped");
    case ColRecovered: return tr("Recovered");
    case ColSize: return tr("Size");
    case ColSha256: return tr("SHA-256");
    case ColImported: return m_utc ? tr("Imported (UTC)") : tr("Imported (local)");
    case ColSeconds: return tr("Seconds");
    default: return {};
    }
}

QString InputListModel::toTsv(const std::vector<int>& rows) const
{
    // Tabs and line breaks inside a value (a path may hold them) would break the columns: they become spaces.
    auto cell = [](QString s) {
        s.replace(QLatin1Char('\t'), QLatin1Char(' ')).replace(QLatin1Char('\n'), QLatin1Char(' '));
        return s.replace(QLatin1Char('\r'), QLatin1Char(' '));
    };
    QStringList lines;
    QStringList header;
    for (int c = 0; c < ColumnCount; ++c)
        header << headerData(c, Qt::Horizontal).toString();
    lines << header.join(QLatin1Char('\t'));
    for (int row : rows) {
        if (row < 0 || row >= rowCount())
            continue;
        QStringList cells;
        for (int c = 0; c < ColumnCount; ++c)
            cells << cell(c == ColEvents || c == ColSkipped || c == ColRecovered || c == ColSize
                              ? data(index(row, c), SortRole).toString() // plain numbers paste into a sheet
                              : text(m_inputs[size_t(row)], c));
        lines << cells.join(QLatin1Char('\t'));
    }
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

} // namespace dscope::model
