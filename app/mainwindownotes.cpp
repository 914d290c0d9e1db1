// SPDX-License-Identifier: MIT
// MainWindow, continued: notes, tags and bookmarks (the Notes page, the Edit menu's actions).
#include "mainwindow.h"

#include "alertspage.h"
#include "alertworkcontroller.h"
#include "annotationdialog.h"
#include "casecontroller.h"
#include "eventspage.h"
#include "itemmodels/alertlistmodel.h"
#include "itemmodels/annotationlistmodel.h"
#include "itemmodels/eventtablemodel.h"
#include "notespage.h"
#include "processtree/processtreemodel.h"
#include "processtree/processtreepage.h"
#include "scope/investigationscope.h"

#include <QStatusBar>
#include <QTabWidget>

namespace dscope::app {

void MainWindow::attachNotes()
{
    using model::Annotation;
    // Reads after the controller follows the new case (connected in attachAlertWork, so called first).
    connect(m_scope, &model::InvestigationScope::caseChanged, m_alertWork,
            [this] { m_alertWork->loadAnnotations(m_notes->searchText()); });
    connect(m_scope, &model::InvestigationScope::utcChanged, m_notes, &views::NotesPage::setUtc);
    connect(m_notes, &views::NotesPage::searchRequested, m_alertWork, &AlertWorkController::loadAnnotations);
    connect(m_alertWork, &AlertWorkController::annotationsLoaded, this,
            [this](const model::AnnotationListPtr& list, const model::AnnotatedRefsPtr& marks) {
                m_notes->setAnnotations(list);
                m_alerts->model()->setAnnotations(marks);
                m_events->model()->setAnnotations(marks);
                m_processTree->treeModel()->setAnnotations(marks);
            });
    connect(m_alertWork, &AlertWorkController::annotationReady, this, [this](const Annotation& a, const QString& subject) {
        views::AnnotationDialog dialog(a, subject, this);
        if (dialog.exec() == QDialog::Accepted)
            m_alertWork->saveAnnotation(dialog.annotation());
    });
    connect(m_alertWork, &AlertWorkController::annotationSaved, this, [this](const Annotation& a) {
        statusBar()->showMessage(a.id ? tr("Saved in the case: %1 %2").arg(QString::fromLatin1(model::annotationKindName(a.kind)),
                                                                          QString::fromStdString(a.ref))
                                      : tr("Removed from the case: the note, tags and bookmark of %1 %2")
                                            .arg(QString::fromLatin1(model::annotationKindName(a.kind)), QString::fromStdString(a.ref)),
                                 5000);
    });
    connect(m_notes, &views::NotesPage::editRequested, this, [this](const model::DescribedAnnotation& d) {
        Q_EMIT m_alertWork->annotationReady(d.annotation, QString::fromStdString(d.subject));
    });
    connect(m_notes, &views::NotesPage::removeRequested, m_alertWork, [this](const model::DescribedAnnotation& d) {
        Annotation empty = d.annotation;
        empty.note.clear();
        empty.tags.clear();
        empty.bookmark = false;
        m_alertWork->saveAnnotation(empty);
    });
    connect(m_notes, &views::NotesPage::openRequested, this, [this](const model::DescribedAnnotation& d) {
        const Annotation& a = d.annotation;
        if (a.kind == Annotation::Kind::Event) {
            m_scope->openEvent(QString::fromStdString(a.ref).toLongLong());
        } else if (a.kind == Annotation::Kind::Process) {
            const QString ref = QString::fromStdString(a.ref);
            const qsizetype bar = ref.indexOf(QLatin1Char('|'));
            showPage(ProcessTreePageIndex);
            m_processTree->selectProcess(ref.left(bar), ref.mid(bar + 1));
        } else if (const model::AlertSetPtr alerts = m_scope->alerts()) {
            const qint64 id = QString::fromStdString(a.ref).toLongLong();
            for (size_t i = 0; i < alerts->alerts.size(); ++i)
                if (alerts->alerts[i].caseId == id) {
                    m_scope->chooseHost({}); // a host filter must not hide it
                    m_scope->selectAlert(int(i));
                    showPage(AlertsPageIndex);
                    return;
                }
            statusBar()->showMessage(tr("Alert %1 is not raised by the last detection run.").arg(id), 5000);
        }
    });
}

bool MainWindow::currentAnnotationTarget(int& kind, QString& ref)
{
    if (!m_case->isOpen() || !currentTarget(kind, ref)) {
        statusBar()->showMessage(tr("Select an alert, an event or a process (with a GUID) first."), 5000);
        return false;
    }
    return true;
}

bool MainWindow::currentTarget(int& kind, QString& ref) const
{
    using model::Annotation;
    switch (m_tabs->currentIndex()) {
    case AlertsPageIndex:
        if (const model::Alert* a = m_alerts->currentAlert(); a && a->caseId > 0) {
            kind = int(Annotation::Kind::Alert);
            ref = QString::number(a->caseId);
            return true;
        }
        return false;
    case EventsPageIndex:
        if (const qint64 id = m_events->currentEventRowId()) {
            kind = int(Annotation::Kind::Event);
            ref = QString::number(id);
            return true;
        }
        return false;
    case ProcessTreePageIndex: {
        const int node = m_processTree->currentNode();
        const auto tree = m_processTree->treeModel()->tree();
        if (node < 0 || !tree || tree->nodes[size_t(node)].guid.isEmpty())
            return false; // a process without a GUID has no lasting name to hang a note on
        const auto& n = tree->nodes[size_t(node)];
        kind = int(Annotation::Kind::Process);
        ref = QString::fromStdString(model::processRef(n.host.toStdString(), n.guid.toStdString()));
        return true;
    }
    case NotesPageIndex:
        if (const auto* d = m_notes->current()) {
            kind = int(d->annotation.kind);
            ref = QString::fromStdString(d->annotation.ref);
            return true;
        }
        return false;
    default: return false;
    }
}

void MainWindow::annotateCurrent()
{
    int kind = 0;
    QString ref;
    if (currentAnnotationTarget(kind, ref))
        m_alertWork->editAnnotation(model::Annotation::Kind(kind), ref);
}

void MainWindow::bookmarkCurrent()
{
    int kind = 0;
    QString ref;
    if (currentAnnotationTarget(kind, ref))
        m_alertWork->toggleBookmark(model::Annotation::Kind(kind), ref);
}

} // namespace dscope::app
