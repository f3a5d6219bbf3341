"""File → Export PDF…, Print Preview… and Print…: the menu actions around the one renderer.

Each function takes the parent window and the project *as it is now* (a frozen snapshot: edits
made while a preview is open do not change it).  ``source_name`` is the file name printed in
every footer — pass the document's file name, or None for an unsaved project.

    name = report_source_name(document.path, document.is_modified())
    export_pdf(window, document.project, suggested_pdf_name(document.path, title), source_name=name)
    print_preview(window, document.project, source_name=name)
    print_report(window, document.project, source_name=name)

Failures the user can act on (an unwritable folder, a scenario that cannot be evaluated) are
shown in a message box; nothing here raises them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget

from engine.model.project import Project
from gui.report.branding import Branding, ReportMode
from gui.report.render import Paper, ReportError, page_layout, render_report

PDF_FILTER = "PDF documents (*.pdf)"


def suggested_pdf_name(project_path: str | os.PathLike[str] | None, title: str) -> str:
    """'client-x.pdf' beside 'client-x.ftrag', or the title made safe for a file name."""
    if project_path:
        return str(Path(project_path).with_suffix(".pdf"))
    safe = "".join(c if c.isalnum() or c in " -_" else "-" for c in title).strip() or "report"
    return f"{safe[:80]} - recommendation.pdf"


def report_source_name(path: str | os.PathLike[str] | None, modified: bool) -> str | None:
    """The file name for the report's footer: None for a project never saved, and a warning
    when the inputs printed differ from the file on disk (the fingerprint will not match)."""
    if not path:
        return None
    name = Path(path).name
    return f"{name} (with unsaved changes)" if modified else name


@contextmanager
def _busy() -> Iterator[None]:
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QGuiApplication.restoreOverrideCursor()


def export_pdf(
    parent: QWidget | None,
    project: Project,
    suggested_path: str | os.PathLike[str],
    *,
    source_name: str | None = None,
    scenario_names: Sequence[str] | None = None,
    paper: Paper | None = None,
    mode: ReportMode = "summary",
    branding: Branding | None = None,
) -> Path | None:
    """Ask where to save, write the PDF; returns its path (None if cancelled or failed)."""
    path, _ = QFileDialog.getSaveFileName(
        parent, "Export recommendation report as PDF", str(suggested_path), PDF_FILTER
    )
    if not path:
        return None
    if not path.lower().endswith(".pdf"):
        path += ".pdf"
    try:
        with _busy():
            result = render_report(
                project,
                path,
                scenario_names=scenario_names,
                paper=paper,
                source_name=source_name,
                mode=mode,
                branding=branding,
            )
    except ReportError as exc:
        QMessageBox.warning(parent, "Export PDF", f"The report could not be exported.\n\n{exc}")
        return None
    return result.path


def make_printer(project: Project, paper: Paper | None = None) -> QPrinter:
    """A high-resolution printer set to the report's page (A4 or Letter from the locale)."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageLayout(page_layout(paper))
    printer.setDocName(f"{project.title} — recommendation report")
    return printer


class ReportPreviewDialog(QPrintPreviewDialog):
    """The print preview of the report: the same renderer paints it again whenever the user
    changes the page set-up, and prints from it.  ``errors`` collects what could not be made."""

    def __init__(
        self,
        parent: QWidget | None,
        project: Project,
        *,
        source_name: str | None = None,
        scenario_names: Sequence[str] | None = None,
        printer: QPrinter | None = None,
        mode: ReportMode = "summary",
        branding: Branding | None = None,
    ) -> None:
        printer = printer or make_printer(project)
        super().__init__(printer, parent)
        self._report_printer = printer  # QPrintPreviewDialog does not own it: keep it alive
        self.setWindowTitle("Print preview — recommendation report")
        self.resize(900, 1000)
        self.errors: list[str] = []
        self.pages_rendered = 0
        self._project = project
        self._source_name = source_name
        self._scenario_names = scenario_names
        self._mode: ReportMode = mode
        self._branding = branding
        self.paintRequested.connect(self._paint)

    def _paint(self, target: QPrinter) -> None:
        try:
            with _busy():
                result = render_report(
                    self._project,
                    target,
                    scenario_names=self._scenario_names,
                    source_name=self._source_name,
                    mode=self._mode,
                    branding=self._branding,
                )
        except ReportError as exc:
            self.errors.append(str(exc))
        else:
            self.pages_rendered = result.pages


def print_preview(
    parent: QWidget | None,
    project: Project,
    *,
    source_name: str | None = None,
    scenario_names: Sequence[str] | None = None,
    mode: ReportMode = "summary",
    branding: Branding | None = None,
) -> None:
    """Show the print preview (modal); the user prints from it or closes it."""
    dialog = ReportPreviewDialog(
        parent,
        project,
        source_name=source_name,
        scenario_names=scenario_names,
        mode=mode,
        branding=branding,
    )
    dialog.exec()
    if dialog.errors:
        QMessageBox.warning(
            parent, "Print preview", f"The report could not be made.\n\n{dialog.errors[-1]}"
        )
    dialog.deleteLater()


def print_report(
    parent: QWidget | None,
    project: Project,
    *,
    source_name: str | None = None,
    scenario_names: Sequence[str] | None = None,
    printer: QPrinter | None = None,
    mode: ReportMode = "summary",
    branding: Branding | None = None,
) -> bool:
    """Show the print dialog and print; True when the report was sent to the printer."""
    printer = printer or make_printer(project)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("Print recommendation report")
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    try:
        with _busy():
            render_report(
                project,
                printer,
                scenario_names=scenario_names,
                source_name=source_name,
                mode=mode,
                branding=branding,
            )
    except ReportError as exc:
        QMessageBox.warning(parent, "Print", f"The report could not be printed.\n\n{exc}")
        return False
    return True
