"""What the window's export and print commands do: the report as PDF, its print preview and
print-out, the editable report (.docx), the spreadsheet (.xlsx) and the chart (PNG, SVG, CSV).

Every export goes the same way: ask (the report's contents where there is a choice, then where
to save, beside the project file or in the folder this project was last exported to), write
under a busy cursor, show a failure as a one-line reason in a message box (nothing raises out
of here), and say in the status bar where the file went.  The chart's own Export button holds
the same menu actions, so there is one path for a chart export, not two.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from gui import files
from gui.files import shown_path
from gui.report import printing
from gui.report.branding import Branding, ReportMode, load_branding, load_report_mode
from gui.report.branding import save_report_mode as _save_report_mode

if TYPE_CHECKING:
    from gui.mainwindow import MainWindow
    from gui.report.render import ReportOptions

EXPORT_FOLDER_KEY = "export/folder"
EXPORT_PROJECT_KEY = "export/project"  # the project file the folder was chosen for
DOCX_FILTER = "Word documents (*.docx)"
XLSX_FILTER = "Excel workbooks (*.xlsx)"
CHART_FORMATS = {
    "png": ("Export chart as PNG", "PNG images (*.png)", "the chart"),
    "svg": ("Export chart as SVG", "SVG images (*.svg)", "the chart"),
    "csv": ("Export curve data as CSV", "CSV files (*.csv)", "the curve data"),
}
STATUS_MS = 8000


# --- settings ------------------------------------------------------------------------------


def branding() -> Branding:
    return load_branding(files.settings())


def report_mode() -> ReportMode:
    return load_report_mode(files.settings())


def save_report_mode(mode: ReportMode) -> None:
    store = files.settings()
    _save_report_mode(mode, store)
    store.sync()


def export_folder(window: MainWindow) -> str:
    """Where an export's save dialog opens: the folder this project was last exported to;
    else beside the project file; else (an unsaved project) the last export folder, or the
    last folder used.  Another client's export folder is never offered for a saved project."""
    store = files.settings()
    folder = store.value(EXPORT_FOLDER_KEY)
    exported_for = store.value(EXPORT_PROJECT_KEY)
    project_path = window.document.path
    usable = isinstance(folder, str) and bool(folder) and os.path.isdir(folder)
    if usable and (project_path is None or exported_for == str(project_path)):
        return str(folder)
    if project_path is not None:
        return str(project_path.parent)
    return files.last_folder()


def remember_export(window: MainWindow, path: str | os.PathLike[str]) -> None:
    store = files.settings()
    store.setValue(EXPORT_FOLDER_KEY, str(Path(path).parent))
    store.setValue(EXPORT_PROJECT_KEY, str(window.document.path or ""))
    store.sync()


def suggested_path(window: MainWindow, suffix: str) -> str:
    """'<project file name>.<suffix>' (or a name from the title) in :func:`export_folder`."""
    doc = window.document
    name = Path(printing.suggested_name(doc.path, doc.project.title, suffix)).name
    return str(Path(export_folder(window)) / name)


def _source_name(window: MainWindow) -> str | None:
    doc = window.document
    return printing.report_source_name(doc.path, doc.is_modified())


def _exported(window: MainWindow, what: str, path: str | os.PathLike[str]) -> None:
    remember_export(window, path)
    window.statusBar().showMessage(f"Exported {what} to {shown_path(path)}", STATUS_MS)


def _failed(window: MainWindow, title: str, path: str, reason: object) -> None:
    window.show_message(
        QMessageBox.Icon.Warning, title, f"Could not export {shown_path(path)}:\n{reason}"
    )


def _ask_report(window: MainWindow, title: str, accept_text: str) -> ReportOptions | None:
    """The report's contents: summary or full, and (for many scenarios) whether to detail
    every one; the mode is remembered, the "every scenario" choice is asked each time."""
    doc = window.document
    choice = printing.ask_report_choice(
        window,
        report_mode(),
        title,
        accept_text,
        scenario_count=len(doc.project.scenarios),
        current_scenario=doc.scenario.name,
    )
    if choice is None:
        return None
    mode, every = choice
    save_report_mode(mode)
    return _report_options(window, mode, all_scenarios=every)


def _report_options(
    window: MainWindow, mode: ReportMode, *, all_scenarios: bool = False
) -> ReportOptions:
    """The window's report: its file's name in the footers, the firm's branding, and the
    current scenario detailed when there are too many to detail them all."""
    return {
        "source_name": _source_name(window),
        "mode": mode,
        "branding": branding(),
        "detail": [window.document.scenario.name],
        "all_scenarios": all_scenarios,
    }


# --- the report ----------------------------------------------------------------------------


def export_report(window: MainWindow) -> Path | None:
    """File → Export Report…: summary or full, then where, then the PDF."""
    options = _ask_report(window, "Export Report", "Choose File…")
    if options is None:
        return None
    path = printing.export_pdf(
        window, window.document.project, suggested_path(window, ".pdf"), **options
    )
    if path is not None:
        _exported(window, "the report", path)
    return path


def preview_report(window: MainWindow) -> None:
    """File → Print Preview…: the remembered contents; switching them in the preview is
    remembered too."""
    options = _report_options(window, report_mode())
    shown = printing.print_preview(window, window.document.project, **options)
    if shown != report_mode():
        save_report_mode(shown)


def print_report(window: MainWindow) -> bool:
    """File → Print…: summary or full, then the print dialog."""
    options = _ask_report(window, "Print Report", "Print…")
    if options is None:
        return False
    printed = printing.print_report(
        window, window.document.project, printer=window.make_printer(), **options
    )
    if printed:
        window.statusBar().showMessage("Sent the report to the printer", STATUS_MS)
    return printed


def export_editable_report(window: MainWindow) -> Path | None:
    """File → Export Editable Report…: the same report as a Word document."""
    options = _ask_report(window, "Export Editable Report", "Choose File…")
    if options is None:
        return None
    path = printing.ask_export_path(
        window,
        "Export editable report as a Word document",
        suggested_path(window, ".docx"),
        DOCX_FILTER,
        ".docx",
    )
    if path is None:
        return None
    from gui.report.docx_writer import export_docx
    from gui.report.render import ReportError

    try:
        with printing.busy_cursor():
            written = export_docx(window.document.project, path, **options)
    except (ReportError, OSError) as exc:
        _failed(window, "Cannot export the editable report", path, exc)
        return None
    _exported(window, "the editable report", written)
    return written


def export_spreadsheet(window: MainWindow) -> Path | None:
    """File → Export Spreadsheet…: inputs, figures, breakdowns and curves as a workbook."""
    path = printing.ask_export_path(
        window,
        "Export spreadsheet",
        suggested_path(window, ".xlsx"),
        XLSX_FILTER,
        ".xlsx",
    )
    if path is None:
        return None
    from engine.spreadsheet import SpreadsheetError, write_xlsx

    try:
        with printing.busy_cursor():
            written = write_xlsx(window.document.project, path)
    except (SpreadsheetError, OSError) as exc:
        _failed(window, "Cannot export the spreadsheet", path, exc)
        return None
    _exported(window, "the spreadsheet", written)
    return written


# --- the chart -----------------------------------------------------------------------------


def export_chart(window: MainWindow, kind: str) -> Path | None:
    """File → Export Chart as PNG/SVG, Export Curve Data as CSV (and the chart's Export
    button, which holds the same actions): the current scenario's chart."""
    caption, file_filter, what = CHART_FORMATS[kind]
    doc = window.document
    stem = Path(printing.suggested_name(doc.path, doc.project.title, "")).name
    stem = stem.removesuffix(" - recommendation")
    scenario = "".join(c if c.isalnum() or c in " -_" else "-" for c in doc.scenario.name)
    suggested = Path(export_folder(window)) / f"{stem} - {scenario.strip()}.{kind}"
    path = printing.ask_export_path(window, caption, suggested, file_filter, f".{kind}")
    if path is None:
        return None
    exporter = getattr(window.chart, f"export_{kind}")
    try:
        with printing.busy_cursor():
            files.write_atomically(path, exporter)  # a failure leaves the previous export
    except OSError as exc:
        _failed(window, "Export failed", path, exc.strerror or exc)
        return None
    _exported(window, what, path)
    return Path(path)


MAP_FORMATS = {
    "png": ("Export decision map as PNG", "PNG images (*.png)", "the decision map"),
    "svg": ("Export decision map as SVG", "SVG images (*.svg)", "the decision map"),
    "csv": ("Export decision map data as CSV", "CSV files (*.csv)", "the decision map data"),
}


def export_decision_map(window: MainWindow, kind: str) -> Path | None:
    """File → Export Decision Map as PNG / as SVG / Data as CSV: the map on screen (PNG as
    drawn, patterns and all; SVG as the report prints it, vector and hatched; CSV one row per
    grid point, as ``ftrag map --csv``)."""
    view = window.decision_map.drawn_view()
    if view is None:
        window.show_message(
            QMessageBox.Icon.Information,
            "No decision map yet",
            "Show the Decision map tab (View → Decision Map) to draw one, then export it.",
        )
        return None
    caption, file_filter, what = MAP_FORMATS[kind]
    doc = window.document
    stem = Path(printing.suggested_name(doc.path, doc.project.title, "")).name
    stem = stem.removesuffix(" - recommendation")
    suggested = Path(export_folder(window)) / f"{stem} - decision map.{kind}"
    path = printing.ask_export_path(window, caption, suggested, file_filter, f".{kind}")
    if path is None:
        return None
    try:
        with printing.busy_cursor():
            files.write_atomically(path, lambda tmp: view.export(tmp, kind))
    except OSError as exc:
        _failed(window, "Export failed", path, exc.strerror or exc)
        return None
    _exported(window, what, path)
    return Path(path)
