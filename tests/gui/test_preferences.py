"""File → Preferences… → Report on the real window: firm name, logo (chosen, refused with the
reason, removed), accent colour and footer line, kept per user in the settings and never in the
project file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QColorDialog, QDialog, QFileDialog, QWidget
from pytestqt.qtbot import QtBot

import gui.recovery
from engine.fileformat import load_project
from gui import files
from gui.mainwindow import MainWindow
from gui.preferences import Preferences, PreferencesDialog, load_preferences
from gui.report.branding import (
    DEFAULT_ACCENT,
    MAX_LOGO_BYTES,
    Branding,
    load_branding,
    read_logo,
    save_branding,
)

pytestmark = pytest.mark.gui

Accepted = int(QDialog.DialogCode.Accepted.value)
Rejected = int(QDialog.DialogCode.Rejected.value)
Answer = Callable[[PreferencesDialog], int]


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """This test's own settings file: the branding must never reach the real user's."""
    ini = str(tmp_path / "settings.ini")
    monkeypatch.setattr(files, "settings", lambda: QSettings(ini, QSettings.Format.IniFormat))
    monkeypatch.setattr(gui.recovery, "recovery_folder", lambda: tmp_path / "recovery")


@pytest.fixture
def logo(tmp_path: Path) -> Path:
    image = QImage(240, 80, QImage.Format.Format_ARGB32)
    image.fill(QColor("#0B6E4F"))
    path = tmp_path / "firm-logo.png"
    assert image.save(str(path))
    return path


def open_preferences(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, answer: Answer
) -> list[PreferencesDialog]:
    """File → Preferences… through the menu bar's action; ``answer`` plays the person."""
    shown: list[PreferencesDialog] = []

    def exec_(dialog: PreferencesDialog) -> int:
        shown.append(dialog)
        return answer(dialog)

    monkeypatch.setattr(PreferencesDialog, "exec", exec_)
    action = next(a for a in window.file_menu.actions() if a.objectName() == "file.preferences")
    action.trigger()
    return shown


def choose_file(monkeypatch: pytest.MonkeyPatch, path: Path | None) -> None:
    monkeypatch.setattr(
        QFileDialog,
        "getOpenFileName",
        lambda *_a, **_k: (str(path) if path else "", ""),
    )


def choose_colour(monkeypatch: pytest.MonkeyPatch, colour: QColor) -> None:
    monkeypatch.setattr(QColorDialog, "getColor", lambda *_a, **_k: colour)


def test_report_branding_is_set_and_kept_per_user(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, logo: Path, tmp_path: Path
) -> None:
    choose_file(monkeypatch, logo)
    choose_colour(monkeypatch, QColor("#0b6e4f"))

    def answer(dialog: PreferencesDialog) -> int:
        dialog.tabs.setCurrentIndex(1)
        assert dialog.tabs.tabText(1) == "&Report"
        dialog.firm_name.setText("Northwind <b>Advisory</b> & Co")
        dialog.choose_logo_button.click()
        dialog.accent_button.click()
        dialog.footer.setText("Confidential — prepared for Example Insurance")
        assert dialog.logo_problem.isHidden()
        assert (
            dialog.logo_preview.pixmap() is not None and not dialog.logo_preview.pixmap().isNull()
        )
        assert dialog.remove_logo_button.isEnabled()
        return Accepted

    open_preferences(window, monkeypatch, answer)
    stored = load_branding(files.settings())
    assert stored.firm_name == "Northwind <b>Advisory</b> & Co"  # literal text, kept as typed
    assert stored.footer == "Confidential — prepared for Example Insurance"
    assert stored.accent == "#0B6E4F"
    assert stored.logo == logo.read_bytes() and stored.logo_format == "png"

    # Reopened, the dialog shows what is stored.
    def look(dialog: PreferencesDialog) -> int:
        assert dialog.firm_name.text() == stored.firm_name
        assert dialog.footer.text() == stored.footer
        assert dialog.accent_button.text() == "#0B6E4F"
        assert dialog.logo_preview.text() == ""  # the logo, not "No logo"
        return Rejected

    assert len(open_preferences(window, monkeypatch, look)) == 1

    # Never in the project: a saved project carries none of it.
    project_file = tmp_path / "client.ftrag"
    assert window.save_to(project_file)
    text = project_file.read_text(encoding="utf-8")
    assert "Northwind" not in text and "Confidential" not in text
    assert load_project(project_file).title == window.document.project.title


@pytest.mark.parametrize(
    ("content", "name", "reason"),
    [
        (b"not a picture at all", "broken.png", "not a PNG image"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "damaged.png", "damaged"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * (MAX_LOGO_BYTES + 1), "huge.png", "too large"),
        (b"GIF89a", "logo.gif", "PNG or SVG"),
    ],
    ids=["not-png", "damaged", "huge", "gif"],
)
def test_a_logo_that_cannot_be_used_is_refused_with_the_reason(
    window: MainWindow,
    monkeypatch: pytest.MonkeyPatch,
    logo: Path,
    tmp_path: Path,
    content: bytes,
    name: str,
    reason: str,
) -> None:
    data, fmt = read_logo(logo)
    save_branding(Branding(firm_name="Northwind", logo=data, logo_format=fmt), files.settings())
    bad = tmp_path / name
    bad.write_bytes(content)
    choose_file(monkeypatch, bad)
    problems: list[str] = []

    def answer(dialog: PreferencesDialog) -> int:
        dialog.tabs.setCurrentIndex(1)  # Preferences → Report
        dialog.choose_logo_button.click()
        problems.append(dialog.logo_problem.text())
        assert dialog.logo_problem.isVisibleTo(dialog)
        assert dialog.logo_preview.text() == ""  # the logo chosen before is still shown
        return Accepted

    open_preferences(window, monkeypatch, answer)
    assert reason in problems[0] and name in problems[0]
    assert "\n" not in problems[0]
    assert load_branding(files.settings()).logo == data  # the previous logo kept


def test_remove_logo_and_default_accent(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, logo: Path
) -> None:
    data, fmt = read_logo(logo)
    save_branding(Branding(logo=data, logo_format=fmt, accent="#AA0000"), files.settings())

    def answer(dialog: PreferencesDialog) -> int:
        assert dialog.accent_default_button.isEnabled()
        dialog.remove_logo_button.click()
        dialog.accent_default_button.click()
        assert dialog.logo_preview.text() == "No logo"
        assert not dialog.remove_logo_button.isEnabled()
        return Accepted

    open_preferences(window, monkeypatch, answer)
    stored = load_branding(files.settings())
    assert stored.logo is None and stored.accent == DEFAULT_ACCENT


def test_cancel_changes_nothing(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, logo: Path
) -> None:
    save_branding(Branding(firm_name="Before"), files.settings())
    choose_file(monkeypatch, logo)
    choose_colour(monkeypatch, QColor("#123456"))

    def answer(dialog: PreferencesDialog) -> int:
        dialog.firm_name.setText("After")
        dialog.choose_logo_button.click()
        dialog.accent_button.click()
        dialog.autosave.setValue(7)
        return Rejected

    open_preferences(window, monkeypatch, answer)
    assert load_branding(files.settings()) == Branding(firm_name="Before")
    assert gui.recovery.autosave_minutes() == 1


def test_a_cancelled_colour_or_file_choice_keeps_the_value(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    choose_file(monkeypatch, None)
    choose_colour(monkeypatch, QColor())  # QColorDialog answers an invalid colour on Cancel

    def answer(dialog: PreferencesDialog) -> int:
        dialog.choose_logo_button.click()
        dialog.accent_button.click()
        assert dialog.logo_problem.isHidden()
        return Accepted

    open_preferences(window, monkeypatch, answer)
    assert load_branding(files.settings()) == Branding()


def test_control_characters_in_the_firm_name_become_spaces(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    def answer(dialog: PreferencesDialog) -> int:
        dialog.firm_name.setText("North\x1bwind\tAdvisory")
        return Accepted

    open_preferences(window, monkeypatch, answer)
    assert load_preferences().branding.firm_name == "North wind Advisory"


def test_the_report_page_filled_in_fits_a_small_screen(
    qtbot: QtBot, logo: Path, tmp_path: Path
) -> None:
    data, fmt = read_logo(logo)
    branding = Branding(
        firm_name="Northwind Advisory",
        logo=data,
        logo_format=fmt,
        accent="#0B6E4F",
        footer="Confidential — prepared for Example Insurance",
    )
    parent = QWidget()
    qtbot.addWidget(parent)
    dialog = PreferencesDialog(parent, Preferences(5, branding), "report")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.tabs.currentIndex() == 1
    assert not dialog.grab().isNull()
    hint = dialog.minimumSizeHint()
    assert hint.width() <= 700 and hint.height() <= 600  # fits a 1366×768 laptop
