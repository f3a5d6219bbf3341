"""Shared set-up for the GUI tests: pyqtgraph on PySide6, Qt's test-mode data folders (logs
never land in the real user profile), and the real main window on the example project."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

import pytest
from PySide6.QtCore import QLocale, QStandardPaths
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from gui.format import install_renderer
from gui.mainwindow import MainWindow


@pytest.fixture(scope="session", autouse=True)
def _qt_test_mode(qapp: QApplication) -> None:
    QStandardPaths.setTestModeEnabled(True)
    install_renderer()  # as the app does at start (views are also tested without a window)
    qapp.setOrganizationName("FTRAG Advisor tests")
    # One settings file and data folder per pytest-xdist worker: tests in parallel processes
    # must not read each other's remembered choices or recovery copies.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    qapp.setApplicationName(f"FTRAG Advisor tests {worker}".rstrip())


@pytest.fixture
def english() -> Iterator[None]:
    """A fixed locale for tests that read formatted numbers."""
    previous = QLocale()
    QLocale.setDefault(QLocale("en_US"))
    yield
    QLocale.setDefault(previous)


class Messages:
    """Message boxes the window would have shown (icon, title, text)."""

    def __init__(self) -> None:
        self.shown: list[tuple[QMessageBox.Icon, str, str]] = []


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> Messages:
    recorder = Messages()

    def show_message(_window: MainWindow, icon: QMessageBox.Icon, title: str, text: str) -> None:
        recorder.shown.append((icon, title, text))

    monkeypatch.setattr(MainWindow, "show_message", show_message)
    return recorder


@pytest.fixture
def make_window(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, messages: Messages
) -> Callable[[], MainWindow]:
    """Builds real main windows on the example project, 1366×768, shown off-screen; closing
    them never prompts (unsaved changes are discarded)."""
    monkeypatch.setattr(
        MainWindow, "ask_save_changes", lambda _self: QMessageBox.StandardButton.Discard
    )

    def build() -> MainWindow:
        window = MainWindow()
        qtbot.addWidget(window)
        window.open_template()
        window.resize(1366, 768)
        window.show()
        qtbot.waitExposed(window)
        window.ensure_chart()
        return window

    return build


@pytest.fixture
def window(make_window: Callable[[], MainWindow]) -> MainWindow:
    return make_window()


@pytest.fixture(autouse=True)
def _no_modal_overwrite_question(monkeypatch: pytest.MonkeyPatch) -> None:
    """A test that writes a file a window has open, then saves (or closes the window on
    teardown with Save as the patched answer), would meet the modal "changed on disk"
    question with nobody to answer it: it answers Cancel unless the test answers itself."""
    from gui import files

    monkeypatch.setattr(MainWindow, "ask_changed_on_disk", lambda _self: files.CANCEL)
