"""File → Export Report… on a project of more scenarios than the report details: through the
menu bar's QAction, the contents dialog answered as a person would (with and without "Detail
every scenario"), the PDF read back with pypdf."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

import gui.recovery
from engine.fileformat import save_project
from gui import files
from gui.mainwindow import MainWindow
from gui.report.model import DETAIL_LIMIT
from gui.report.printing import ReportModeDialog
from tests.gui.test_commands import trigger
from tests.pdf import pdf_text
from tests.report.many_scenarios import analysed, many_scenarios

pytestmark = pytest.mark.gui

Accepted = int(QDialog.DialogCode.Accepted.value)


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ini = str(tmp_path / "settings.ini")
    monkeypatch.setattr(files, "settings", lambda: QSettings(ini, QSettings.Format.IniFormat))
    monkeypatch.setattr(gui.recovery, "recovery_folder", lambda: tmp_path / "recovery")


class Person:
    """Answers the contents dialog (full report; the box ticked or not) and the save dialog."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
        self.folder = folder
        self.tick_every = False
        self.box_shown: list[bool] = []
        self.saved: list[Path] = []
        monkeypatch.setattr(ReportModeDialog, "exec", lambda dialog: self._contents(dialog))
        monkeypatch.setattr(QFileDialog, "getSaveFileName", self._save)

    def _contents(self, dialog: ReportModeDialog) -> int:
        box = dialog.all_scenarios_box
        self.box_shown.append(not box.isHidden())
        dialog.buttons_by_mode["full"].click()
        if self.tick_every:
            box.click()
        return Accepted

    def _save(self, _parent: QWidget, _caption: str, suggested: str, *_a: object) -> tuple:
        path = self.folder / f"report-{len(self.saved)}.pdf"
        self.saved.append(path)
        return str(path), ""


def _open_many(window: MainWindow, tmp_path: Path, count: int) -> None:
    source = tmp_path / "many.ftrag"
    save_project(many_scenarios(count), source)
    assert window.open_file(source)
    window.document.switch_scenario(2)  # "Option 03" is current


def test_export_report_details_the_current_scenario_unless_every_one_is_asked_for(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = Person(monkeypatch, tmp_path)
    _open_many(window, tmp_path, DETAIL_LIMIT + 1)

    trigger(window, "file.export_report")
    text = pdf_text(person.saved[-1])
    assert person.box_shown == [True]
    assert f"This report details 1 of {DETAIL_LIMIT + 1} scenarios: “Option 03”." in text
    assert "tick “Detail every scenario”" in text
    assert analysed(text) == ["Option 03"]

    person.tick_every = True
    trigger(window, "file.export_report")
    text = pdf_text(person.saved[-1])
    assert "This report details" not in text
    assert analysed(text) == [f"Option {i:02d}" for i in range(1, DETAIL_LIMIT + 2)]


def test_the_box_is_not_offered_up_to_the_limit(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = Person(monkeypatch, tmp_path)
    _open_many(window, tmp_path, DETAIL_LIMIT)
    trigger(window, "file.export_report")
    assert person.box_shown == [False]
    assert analysed(pdf_text(person.saved[-1]), DETAIL_LIMIT) == [
        f"Option {i:02d}" for i in range(1, DETAIL_LIMIT + 1)
    ]
