"""An exception in a slot or a worker thread: logged with its traceback, shown in a dialog with
copyable details, and the dialog's recovery save writes the open project."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from engine.fileformat import load_project
from gui import errors
from gui.errors import ExceptionHooks, ExcInfo
from gui.mainwindow import MainWindow

pytestmark = pytest.mark.gui


@pytest.fixture
def hooks(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[list[ExcInfo]]:
    shown: list[ExcInfo] = []
    monkeypatch.setattr(errors, "log_folder", lambda: tmp_path / "logs")
    monkeypatch.setattr(errors, "show_exception", shown.append)
    handler = errors.setup_logging()
    installed = ExceptionHooks(show=True)
    yield shown
    installed.restore()
    errors.remove_logging(handler)


def log_text(tmp_path: Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return (tmp_path / "logs" / errors.LOG_FILE_NAME).read_text(encoding="utf-8")


def test_an_exception_in_a_slot_is_logged_and_shown(
    hooks: list[ExcInfo], qtbot: QtBot, tmp_path: Path
) -> None:
    def broken_slot() -> None:
        raise RuntimeError("injected failure in a slot")

    QTimer.singleShot(0, broken_slot)
    qtbot.waitUntil(lambda: bool(hooks), timeout=5000)
    assert str(hooks[0][1]) == "injected failure in a slot"
    text = log_text(tmp_path)
    assert "injected failure in a slot" in text and "Traceback" in text and "broken_slot" in text


def test_an_exception_in_a_worker_thread_reaches_the_dialog(
    hooks: list[ExcInfo], qtbot: QtBot, tmp_path: Path
) -> None:
    def work() -> None:
        raise ValueError("injected failure in a thread")

    thread = threading.Thread(target=work, name="worker")
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: bool(hooks), timeout=5000)
    assert isinstance(hooks[0][1], ValueError)
    assert "injected failure in a thread" in log_text(tmp_path)


def test_the_dialog_offers_a_recovery_copy_of_the_open_project(
    make_window: Callable[[], MainWindow], monkeypatch: pytest.MonkeyPatch
) -> None:
    window = make_window()
    window.document.set_field(("workload", "queries_per_month", "likely"), 31_337)
    shown_texts: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown_texts.append(box.text()) or 0)
    errors.save_recovery_copy(window)
    [text] = shown_texts
    assert "recovery copy" in text.lower()
    from gui.recovery import recovery_folder

    copies = sorted(recovery_folder().glob("*.ftrag"))
    assert copies, text
    newest = max(copies, key=lambda p: p.stat().st_mtime)
    project = load_project(newest)
    assert project.scenarios[0].workload.queries_per_month.likely == 31_337
