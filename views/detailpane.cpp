// SPDX-License-Identifier: MIT
#include "detailpane.h"

#include "domain/accessmask.h"
#include "domain/event.h"
#include "itemmodels/accessmaskmodel.h"
#include "itemmodels/plaintooltip.h"
#include "itemmodels/eventdetailloader.h"
#include "itemmodels/eventnames.h"
#include "maskrightsdelegate.h"

#include <QApplication>
#include <QClipboard>
#include <QFontDatabase>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QToolButton>
#include <QVBoxLayout>

namespace dscope::views {

DetailPane::DetailPane(QWidget* parent)
    : QWidget(parent)
    , m_loader(new model::EventDetailLoader(this))
    , m_maskModel(new model::AccessMaskModel(model::AccessMaskModel::Mode::PresentOnly, this))
    , m_title(new QLabel(this))
    , m_tabs(new QTabWidget(this))
    , m_fields(new QTableWidget(this))
    , m_raw(new QPlainTextEdit(this))
    , m_rawNote(new QLabel(this))
    , m_maskPage(new QWidget(this))
    , m_maskSummary(new QLabel(this))
    , m_maskTable(new QTableView(this))
{
    m_title->setTextFormat(Qt::PlainText);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);

    m_fields->setColumnCount(3);
    m_fields->setHorizontalHeaderLabels({tr("Field"), tr("Value"), QString()});
    m_fields->verticalHeader()->hide();
    m_fields->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_fields->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_fields->horizontalHeader()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    m_fields->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_fields->setWordWrap(false);
    m_fields->verticalHeader()->setDefaultSectionSize(m_fields->fontMetrics().height() + 8);

    auto* rawPage = new QWidget(this);
    m_raw->setReadOnly(true);
    m_raw->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_raw->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_rawNote->setWordWrap(true);
    auto* rawLayout = new QVBoxLayout(rawPage);
    rawLayout->addWidget(m_rawNote);
    rawLayout->addWidget(m_raw, 1);

    m_maskTable->setModel(m_maskModel);
    m_maskTable->setItemDelegate(new MaskRightsDelegate(m_maskTable));
    m_maskTable->verticalHeader()->hide();
    m_maskTable->horizontalHeader()->setStretchLastSection(true);
    m_maskTable->verticalHeader()->setDefaultSectionSize(m_maskTable->fontMetrics().height() + 6);
    m_maskSummary->setWordWrap(true);
    m_maskSummary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* maskLayout = new QVBoxLayout(m_maskPage);
    maskLayout->addWidget(m_maskSummary);
    maskLayout->addWidget(m_maskTable, 1);

    m_tabs->addTab(m_fields, tr("Fields"));
    m_tabs->addTab(rawPage, tr("Original"));
    m_tabs->addTab(m_maskPage, tr("Access mask"));
    m_tabs->setTabEnabled(2, false);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addWidget(m_tabs, 1);

    connect(m_loader, &model::EventDetailLoader::detailAvailable, this, &DetailPane::onDetail);
    onDetail({});
}

DetailPane::~DetailPane() = default;

bool DetailPane::openCase(const QString& path, QString* error)
{
    onDetail({});
    return m_loader->openCase(path, error);
}

void DetailPane::closeCase()
{
    m_loader->closeCase();
    onDetail({});
}

void DetailPane::setEvent(qint64 eventRowId)
{
    if (eventRowId <= 0) {
        onDetail({});
        return;
    }
    if (eventRowId != m_current.id)
        m_loader->request(eventRowId);
}

void DetailPane::onDetail(const model::EventDetail& d)
{
    m_current = d;
    if (d.id == 0) {
        m_title->setText(tr("No event selected"));
    } else if (!d.error.isEmpty()) {
        m_title->setText(d.error);
    } else {
        const std::string channel = d.channel.toStdString();
        const std::string_view name = model::eventName(d.eventId, channel);
        m_title->setText(tr("Event %1 \u2014 %2 %3 (%4)")
                             .arg(d.id)
                             .arg(d.eventId)
                             .arg(QString::fromUtf8(name.data(), qsizetype(name.size())), d.channel));
    }

    m_fields->setRowCount(int(d.fields.size()));
    for (int i = 0; i < int(d.fields.size()); ++i) {
        const auto& [label, value] = d.fields.at(i);
        m_fields->setItem(i, 0, new QTableWidgetItem(label));
        auto* item = new QTableWidgetItem(value);
        item->setToolTip(value.size() > 80 ? model::plainToolTip(value.left(2000)) : QString());
        m_fields->setItem(i, 1, item);
        auto* copy = new QToolButton(m_fields);
        copy->setText(tr("Copy"));
        copy->setToolTip(tr("Copy %1").arg(label));
        copy->setAutoRaise(true);
        connect(copy, &QToolButton::clicked, this, [value] { QApplication::clipboard()->setText(value); });
        m_fields->setCellWidget(i, 2, copy);
    }

    showRaw(d);

    const bool hasMask = d.grantedAccess >= 0;
    m_tabs->setTabEnabled(2, hasMask);
    if (hasMask) {
        const auto type = model::access::maskObjectType(d.channel.toStdString(), d.eventId);
        m_maskModel->setObjectType(type);
        m_maskModel->setMask(quint32(d.grantedAccess));
        m_maskTable->resizeColumnsToContents();
        const auto decoded = model::access::decode(quint32(d.grantedAccess), type);
        m_maskSummary->setText(QString::fromStdString(model::access::hex(quint32(d.grantedAccess))) + QLatin1String(": ")
                               + QString::fromStdString(decoded.description));
    } else {
        m_maskModel->setMask(0);
        m_maskSummary->clear();
        if (m_tabs->currentIndex() == 2)
            m_tabs->setCurrentIndex(0);
    }
    Q_EMIT detailShown(d.id);
}

void DetailPane::showRaw(const model::EventDetail& d)
{
    using model::RawFormat;
    m_rawNote->setVisible(true);
    switch (RawFormat(d.rawFormat)) {
    case RawFormat::Xml:
        m_rawNote->setText(tr("Original XML (indented for reading)"));
        m_raw->setPlainText(QString::fromUtf8(d.raw));
        break;
    case RawFormat::Json: {
        m_rawNote->setText(tr("Original JSON (indented for reading)"));
        const QJsonDocument doc = QJsonDocument::fromJson(d.raw);
        m_raw->setPlainText(doc.isNull() ? QString::fromUtf8(d.raw) : QString::fromUtf8(doc.toJson(QJsonDocument::Indented)));
        break;
    }
    case RawFormat::EvtxBinXml: // never reaches the pane: the loader renders a stored EVTX record to XML
    case RawFormat::None:
        m_rawNote->setText(!d.rawError.isEmpty() ? tr("The original text cannot be decoded: %1").arg(d.rawError)
                           : d.id            ? tr("The case holds no original text for this event.")
                                             : QString());
        m_raw->clear();
        break;
    }
}

} // namespace dscope::views
