"""File → Export Report…, Print Preview… and Print…: the dialogs around the one renderer.

Each function takes the parent window and the project *as it is now* (a frozen snapshot: edits
made while a preview is open do not change it).  ``source_name`` is the file name printed in
every footer — pass the document's file name, or None for an unsaved project.  ``mode`` is the
report's contents (the client summary, or the full report with its technical appendix; the
person picks it with :func:`ask_report_mode`) and ``branding`` the firm's name, logo, accent
colour and footer line.

    name = report_source_name(document.path, document.is_modified())
    mode = ask_report_mode(window, load_report_mode())
    export_pdf(window, document.project, suggested_pdf_name(document.path, title),
               source_name=name, mode=mode, branding=load_branding())
    print_preview(window, document.project, source_name=name, mode=mode, branding=...)
    print_report(window, document.project, source_name=name, mode=mode, branding=...)

Failures the user can act on (an unwritable folder, a scenario that cannot be evaluated) are
shown in a message box; nothing here raises them.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Unpack

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtPrintSupport import (
    QPrintDialog,
    QPrinter,
    QPrintPreviewDialog,
    QPrintPreviewWidget,
)
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QMessageBox,
    QRadioButton,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from engine.model.project import Project
from gui.report.branding import REPORT_MODE_NAMES, REPORT_MODES, ReportMode
from gui.report.model import DETAIL_LIMIT
from gui.report.render import Paper, ReportError, ReportOptions, page_layout, render_report

PDF_FILTER = "PDF documents (*.pdf)"

#: What each report mode holds, in the words of the "Report contents" choice.
REPORT_MODE_DESCRIPTIONS: dict[ReportMode, str] = {
    "summary": "What the client reads: the recommendation and its reasons, the crossover "
    "chart, key figures per strategy, the compliance verdicts and the next steps.",
    "full": "The client summary followed by the technical appendix: every input, the "
    "formulas, where the prices come from and the methodology.",
}


def suggested_name(project_path: str | os.PathLike[str] | None, title: str, suffix: str) -> str:
    """'client-x.<suffix>' beside 'client-x.ftrag', or the title made safe for a file name."""
    if project_path:
        return str(Path(project_path).with_suffix(suffix))
    safe = "".join(c if c.isalnum() or c in " -_" else "-" for c in title).strip() or "report"
    return f"{safe[:80]} - recommendation{suffix}"


def suggested_pdf_name(project_path: str | os.PathLike[str] | None, title: str) -> str:
    """'client-x.pdf' beside 'client-x.ftrag', or the title made safe for a file name."""
    return suggested_name(project_path, title, ".pdf")


def report_source_name(path: str | os.PathLike[str] | None, modified: bool) -> str | None:
    """The file name for the report's footer: None for a project never saved, and a warning
    when the inputs printed differ from the file on disk (the fingerprint will not match)."""
    if not path:
        return None
    name = Path(path).name
    return f"{name} (with unsaved changes)" if modified else name


@contextmanager
def busy_cursor() -> Iterator[None]:
    """The wait cursor while a report, document or workbook is written."""
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QGuiApplication.restoreOverrideCursor()


def ask_export_path(
    parent: QWidget | None,
    caption: str,
    suggested_path: str | os.PathLike[str],
    file_filter: str,
    suffix: str,
) -> str | None:
    """The save dialog of an export; ``suffix`` (".pdf") is added when the name lacks it.
    None when cancelled."""
    path, _ = QFileDialog.getSaveFileName(parent, caption, str(suggested_path), file_filter)
    if not path:
        return None
    if not path.lower().endswith(suffix.lower()):
        path += suffix
    return path


class ReportModeDialog(QDialog):
    """The "Report contents" choice: the client summary or the full report, before the file or
    print dialog; the choice the person made last time is preselected."""

    def __init__(
        self,
        parent: QWidget | None,
        mode: ReportMode,
        title: str,
        accept_text: str,
        *,
        scenario_count: int = 0,
        current_scenario: str = "",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reportModeDialog")
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        heading = QLabel("Report contents:")
        layout.addWidget(heading)
        self.buttons_by_mode: dict[ReportMode, QRadioButton] = {}
        self._group = QButtonGroup(self)
        for choice in REPORT_MODES:
            radio = QRadioButton(f"&{REPORT_MODE_NAMES[choice]}")
            radio.setObjectName(f"mode_{choice}")
            radio.setToolTip(REPORT_MODE_DESCRIPTIONS[choice])
            description = QLabel(REPORT_MODE_DESCRIPTIONS[choice])
            description.setTextFormat(Qt.TextFormat.PlainText)
            description.setWordWrap(True)
            description.setContentsMargins(24, 0, 0, 8)
            self._group.addButton(radio)
            self.buttons_by_mode[choice] = radio
            layout.addWidget(radio)
            layout.addWidget(description)
        self.buttons_by_mode[mode].setChecked(True)
        heading.setBuddy(self.buttons_by_mode[mode])
        #: "Detail every scenario": offered when the project has more than DETAIL_LIMIT.
        self.all_scenarios_box = QCheckBox(f"&Detail every scenario (all {scenario_count})")
        self.all_scenarios_box.setObjectName("detailAllScenarios")
        self.all_scenarios_box.setVisible(scenario_count > DETAIL_LIMIT)
        if scenario_count > DETAIL_LIMIT:
            shown = current_scenario if len(current_scenario) <= 60 else current_scenario[:59] + "…"
            many = QLabel(
                f"This project has {scenario_count} scenarios: the report compares them all in "
                f"one table and details the current one, “{shown}”. Tick the box for a page "
                "(and, in the full report, an appendix section) per scenario: a much longer "
                "report that takes longer to make."
            )
            many.setTextFormat(Qt.TextFormat.PlainText)
            many.setWordWrap(True)
            layout.addWidget(self.all_scenarios_box)
            many.setContentsMargins(24, 0, 0, 8)
            layout.addWidget(many)
        hint = QLabel("Your firm's name, logo and footer line: Preferences → Report.")
        hint.setTextFormat(Qt.TextFormat.PlainText)
        hint.setWordWrap(True)
        layout.addWidget(hint)
        box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = box.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(accept_text)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        layout.addWidget(box)
        self.setMinimumWidth(440)

    def mode(self) -> ReportMode:
        for choice, radio in self.buttons_by_mode.items():
            if radio.isChecked():
                return choice
        return "summary"


def ask_report_mode(
    parent: QWidget | None, current: ReportMode, title: str, accept_text: str = "Continue…"
) -> ReportMode | None:
    """Client summary or full report; None when cancelled."""
    dialog = ReportModeDialog(parent, current, title, accept_text)
    try:
        return dialog.mode() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


def ask_report_choice(
    parent: QWidget | None,
    current: ReportMode,
    title: str,
    accept_text: str,
    *,
    scenario_count: int,
    current_scenario: str,
) -> tuple[ReportMode, bool] | None:
    """Client summary or full report, and — for a project of more than DETAIL_LIMIT
    scenarios — whether to detail every scenario (never ticked beforehand: a report of
    hundreds of pages is asked for each time).  None when cancelled."""
    dialog = ReportModeDialog(
        parent,
        current,
        title,
        accept_text,
        scenario_count=scenario_count,
        current_scenario=current_scenario,
    )
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        every = scenario_count > DETAIL_LIMIT and dialog.all_scenarios_box.isChecked()
        return dialog.mode(), every
    finally:
        dialog.deleteLater()


def export_pdf(
    parent: QWidget | None,
    project: Project,
    suggested_path: str | os.PathLike[str],
    *,
    paper: Paper | None = None,
    **options: Unpack[ReportOptions],
) -> Path | None:
    """Ask where to save, write the PDF; returns its path (None if cancelled or failed)."""
    path = ask_export_path(
        parent, "Export recommendation report as PDF", suggested_path, PDF_FILTER, ".pdf"
    )
    if path is None:
        return None
    try:
        with busy_cursor():
            result = render_report(project, path, paper=paper, **options)
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
    changes the page set-up or the contents (a "Client summary / Full report" choice in the
    preview's toolbar), and prints from it.  ``errors`` collects what could not be made."""

    #: The person switched the contents shown (a ReportMode).
    modeChanged = Signal(str)

    def __init__(
        self,
        parent: QWidget | None,
        project: Project,
        *,
        printer: QPrinter | None = None,
        **options: Unpack[ReportOptions],
    ) -> None:
        printer = printer or make_printer(project)
        super().__init__(printer, parent)
        self._report_printer = printer  # QPrintPreviewDialog does not own it: keep it alive
        self.setWindowTitle("Print preview — recommendation report")
        self.resize(900, 1000)
        self.errors: list[str] = []
        self.pages_rendered = 0
        self._project = project
        self._options = ReportOptions(**options)  # its own copy: the mode shown changes in it
        self.paintRequested.connect(self._paint)
        self.mode_combo = QComboBox()
        self.mode_combo.setObjectName("reportModeCombo")
        self.mode_combo.setAccessibleName("Report contents")
        self.mode_combo.setToolTip("Report contents: the client summary or the full report")
        for choice in REPORT_MODES:
            self.mode_combo.addItem(REPORT_MODE_NAMES[choice], choice)
        self.mode_combo.setCurrentIndex(REPORT_MODES.index(self.mode))
        self.mode_combo.currentIndexChanged.connect(self._mode_chosen)
        toolbar = self.findChild(QToolBar)
        if toolbar is not None:  # Qt's own preview dialog has one; be tolerant if not
            toolbar.addSeparator()
            toolbar.addWidget(self.mode_combo)

    @property
    def mode(self) -> ReportMode:
        return self._options.get("mode", "summary")

    def set_mode(self, mode: ReportMode) -> None:
        self.mode_combo.setCurrentIndex(REPORT_MODES.index(mode))

    def _mode_chosen(self, index: int) -> None:
        mode: ReportMode = REPORT_MODES[index]
        if mode == self.mode:
            return
        self._options["mode"] = mode
        self.modeChanged.emit(mode)
        preview = self.findChild(QPrintPreviewWidget)
        if preview is not None:
            preview.updatePreview()

    def _paint(self, target: QPrinter) -> None:
        try:
            with busy_cursor():
                result = render_report(self._project, target, **self._options)
        except ReportError as exc:
            self.errors.append(str(exc))
        else:
            self.pages_rendered = result.pages


def print_preview(
    parent: QWidget | None,
    project: Project,
    **options: Unpack[ReportOptions],
) -> ReportMode:
    """Show the print preview (modal); the user prints from it or closes it.  Returns the
    contents shown last (the person may switch between summary and full in the preview)."""
    dialog = ReportPreviewDialog(parent, project, **options)
    dialog.exec()
    if dialog.errors:
        QMessageBox.warning(
            parent, "Print preview", f"The report could not be made.\n\n{dialog.errors[-1]}"
        )
    shown = dialog.mode
    dialog.deleteLater()
    return shown


def print_report(
    parent: QWidget | None,
    project: Project,
    *,
    printer: QPrinter | None = None,
    **options: Unpack[ReportOptions],
) -> bool:
    """Show the print dialog and print; True when the report was sent to the printer."""
    printer = printer or make_printer(project)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("Print recommendation report")
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    try:
        with busy_cursor():
            render_report(project, printer, **options)
    except ReportError as exc:
        QMessageBox.warning(parent, "Print", f"The report could not be printed.\n\n{exc}")
        return False
    return True
