"""Preferences → "Open .ftrag files with FTRAG Advisor": the per-user Windows registration,
written here to an INI file standing in for HKEY_CURRENT_USER\\Software\\Classes (the same
QSettings calls; on Windows QSettings writes the registry)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QCheckBox, QDialog, QDialogButtonBox

from gui import file_association as fa
from gui.mainwindow import MainWindow

pytestmark = pytest.mark.gui

EXE = "C:\\Users\\ana\\Apps\\ftrag-advisor\\ftrag-advisor.exe"


def stand_in(path: Path) -> QSettings:
    return QSettings(str(path), QSettings.Format.IniFormat)


def test_register_writes_the_keys_windows_reads(tmp_path: Path) -> None:
    ini = tmp_path / "classes.ini"
    store = stand_in(ini)
    assert not fa.is_registered(store, EXE)
    fa.register(store, EXE)
    again = stand_in(ini)  # read back from the file, not the object's cache
    assert again.value(".ftrag/Default") == "FTRAGAdvisor.Project"
    assert again.value(".ftrag/Content Type") == "application/x-ftrag"
    assert again.value("FTRAGAdvisor.Project/Default") == "FTRAG Advisor project"
    assert again.value("FTRAGAdvisor.Project/DefaultIcon/Default") == f'"{EXE}",0'
    assert again.value("FTRAGAdvisor.Project/shell/open/command/Default") == f'"{EXE}" "%1"'
    assert fa.is_registered(again, EXE)
    assert not fa.is_registered(again, "C:\\elsewhere\\ftrag-advisor.exe")  # moved: not ours
    assert ini.is_file() and "FTRAGAdvisor.Project" in ini.read_text()


def test_unregister_removes_only_what_is_ours(tmp_path: Path) -> None:
    store = stand_in(tmp_path / "classes.ini")
    fa.register(store, EXE)
    fa.unregister(store)
    assert store.allKeys() == []
    fa.register(store, EXE)
    store.setValue(".ftrag/Default", "OtherEditor.Document")  # another program took it over
    fa.unregister(store)
    assert store.value(".ftrag/Default") == "OtherEditor.Document"
    assert not [k for k in store.allKeys() if k.startswith("FTRAGAdvisor.Project")]


def test_not_offered_from_source_or_off_windows(qapp: QApplication) -> None:
    from PySide6.QtWidgets import QFormLayout, QWidget

    host = QWidget()
    form = QFormLayout(host)
    assert fa.app_executable() is None  # tests run from source
    assert fa.add_preferences_row(form) is None
    assert form.rowCount() == 0
    host.deleteLater()


def _answer_preferences(tick: bool, accept: bool) -> list[bool]:
    """Answers the Preferences dialog once it is up: sets the check box, OK or Cancel.
    Returns a list that gets whether the check box was shown ticked."""
    seen: list[bool] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog):
            QTimer.singleShot(20, answer)
            return
        check = dialog.findChild(QCheckBox, "fileAssociation")
        assert check is not None and check.text() == fa.OPTION_TEXT
        seen.append(check.isChecked())
        check.setChecked(tick)
        buttons = dialog.findChild(QDialogButtonBox)
        assert buttons is not None
        role = (
            QDialogButtonBox.StandardButton.Ok if accept else QDialogButtonBox.StandardButton.Cancel
        )
        button = buttons.button(role)
        assert button is not None
        button.click()

    QTimer.singleShot(0, answer)
    return seen


def test_preferences_menu_registers_and_removes_the_association(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    ini = tmp_path / "classes.ini"
    # The packaged app on Windows: its .exe, and the registry (here its INI stand-in).
    monkeypatch.setattr(fa, "app_executable", lambda: EXE)
    monkeypatch.setattr(fa, "classes_settings", lambda: stand_in(ini))

    seen = _answer_preferences(tick=True, accept=True)
    window.act_preferences.trigger()
    assert seen == [False]
    assert fa.is_registered(stand_in(ini), EXE)

    seen = _answer_preferences(tick=False, accept=False)  # cancelled: nothing changes
    window.act_preferences.trigger()
    assert seen == [True]
    assert fa.is_registered(stand_in(ini), EXE)

    seen = _answer_preferences(tick=False, accept=True)
    window.act_preferences.trigger()
    assert seen == [True]
    assert stand_in(ini).allKeys() == []
