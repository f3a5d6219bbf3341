"""File → Export PDF…, Print Preview… and Print… as the main window calls them (dialogs
answered by the test), offscreen."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewWidget
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from engine.templates import load_template
from gui.report.printing import (
    ReportPreviewDialog,
    export_pdf,
    make_printer,
    print_report,
    report_source_name,
    suggested_pdf_name,
)

pytestmark = pytest.mark.gui


@pytest.fixture
def parent(qtbot: QtBot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def test_export_pdf_writes_where_the_user_chose(
    parent: QWidget, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    chosen = tmp_path / "client report"  # no suffix typed: .pdf is added
    asked: list[str] = []

    def save_name(*args: object, **kwargs: object) -> tuple[str, str]:
        asked.append(str(args[2]))
        return str(chosen), "PDF documents (*.pdf)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)
    project = load_template("seed-enterprise")
    path = export_pdf(parent, project, tmp_path / "suggested.pdf", source_name="enterprise.ftrag")
    assert path == tmp_path / "client report.pdf"
    assert asked == [str(tmp_path / "suggested.pdf")]
    text = pypdf.PdfReader(path).pages[0].extract_text()
    assert "enterprise.ftrag" in text


def test_export_pdf_cancelled_writes_nothing(
    parent: QWidget, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    assert export_pdf(parent, load_template("seed-enterprise"), tmp_path / "x.pdf") is None
    assert list(tmp_path.iterdir()) == []


def test_export_pdf_failure_is_a_message_not_a_crash(
    parent: QWidget, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "no such folder" / "x.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    warnings: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda _parent, _title, text, *a: warnings.append(text)
    )
    assert export_pdf(parent, load_template("seed-enterprise"), target) is None
    assert warnings and "does not exist" in warnings[0]


def test_print_preview_renders_the_report(qtbot: QtBot, parent: QWidget) -> None:
    project = load_template("seed-small-company")
    dialog = ReportPreviewDialog(parent, project, source_name="small.ftrag", mode="full")
    qtbot.addWidget(dialog)
    preview = dialog.findChild(QPrintPreviewWidget)
    assert preview is not None
    preview.updatePreview()  # what showing the dialog does
    assert dialog.errors == []
    assert dialog.pages_rendered >= 5
    assert preview.pageCount() == dialog.pages_rendered


def test_print_sends_the_report_to_the_printer(
    parent: QWidget, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = load_template("seed-small-company")
    printer = make_printer(project, "letter")
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)  # a "printer" we can read back
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    monkeypatch.setattr(QPrintDialog, "exec", lambda _self: QDialog.DialogCode.Accepted)
    assert print_report(parent, project, printer=printer, source_name="small.ftrag", mode="full")
    reader = pypdf.PdfReader(tmp_path / "printed.pdf")
    assert len(reader.pages) >= 5
    assert round(float(reader.pages[0].mediabox.width)) == 612  # US Letter
    assert "small.ftrag" in reader.pages[0].extract_text()
    assert reader.metadata is not None  # the print job carries the report's title
    assert reader.metadata.title == f"{project.title} — recommendation report (full report)"


def test_print_preview_shows_the_client_summary_by_default(qtbot: QtBot, parent: QWidget) -> None:
    dialog = ReportPreviewDialog(parent, load_template("support-assistant"))
    qtbot.addWidget(dialog)
    preview = dialog.findChild(QPrintPreviewWidget)
    assert preview is not None
    preview.updatePreview()
    assert dialog.errors == []
    assert 1 <= dialog.pages_rendered <= 4


def test_print_cancelled(parent: QWidget, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QPrintDialog, "exec", lambda _self: QDialog.DialogCode.Rejected)
    assert not print_report(parent, load_template("seed-small-company"))


def test_report_source_name() -> None:
    assert report_source_name(None, True) is None
    assert report_source_name("/x/client.ftrag", False) == "client.ftrag"
    assert report_source_name("/x/client.ftrag", True) == "client.ftrag (with unsaved changes)"


def test_suggested_pdf_name() -> None:
    assert suggested_pdf_name("/work/client-x.ftrag", "X") == "/work/client-x.pdf"
    assert suggested_pdf_name(None, "A/B: <c>") == "A-B- -c- - recommendation.pdf"
