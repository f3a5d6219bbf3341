"""Start-up: the smoke test CI runs, opening a file or the example, and the exception hooks
that log and show every unexpected error instead of dying silently."""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

import gui.errors
from engine.fileformat import save_project
from engine.templates import load_template
from gui.app import _open_window, run
from gui.errors import ExceptionHooks, ExcInfo, log_folder, remove_logging, setup_logging
from gui.mainwindow import MainWindow
from tests.gui.conftest import Messages

pytestmark = pytest.mark.gui


def test_smoke_test_passes_on_the_example(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--smoke-test"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("ftrag smoke test OK: template support-assistant: 2 scenario(s)")
    assert "first live result" in out


def test_smoke_test_on_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "enterprise.ftrag"
    save_project(load_template("seed-enterprise"), path)
    assert run(["--smoke-test", str(path)]) == 0
    assert f"smoke test OK: {path}" in capsys.readouterr().out


def test_smoke_test_fails_on_a_bad_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "broken.ftrag"
    path.write_text('{"format": "ftrag", "schema_version": 99}', encoding="utf-8")
    assert run(["--smoke-test", str(path)]) == 1
    err = capsys.readouterr().err
    assert "smoke test FAILED" in err and str(path) in err and "newer FTRAG Advisor" in err


def test_usage_errors_return_a_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--no-such-option"]) == 2
    assert "usage: ftrag" in capsys.readouterr().err


def test_a_bad_file_says_why_and_opens_the_example(
    qtbot: QtBot, tmp_path: Path, messages: Messages
) -> None:
    missing = tmp_path / "missing.ftrag"
    window = _open_window(argparse.Namespace(file=str(missing), template=None))
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: bool(messages.shown), timeout=2000)
    _icon, title, text = messages.shown[0]
    assert title == "Cannot open the project"
    assert str(missing) in text and "no such file" in text
    assert window.document.project.title == "Customer-support assistant"


def test_a_named_template_opens(qtbot: QtBot, messages: Messages) -> None:
    window = _open_window(argparse.Namespace(file=None, template="seed-small-company"))
    qtbot.addWidget(window)
    assert window.document.project.title == load_template("seed-small-company").title
    unknown = _open_window(argparse.Namespace(file=None, template="nope"))
    qtbot.addWidget(unknown)
    qtbot.waitUntil(lambda: bool(messages.shown), timeout=2000)
    assert messages.shown[-1][1] == "Unknown template"
    assert unknown.document.project.title == "Customer-support assistant"


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[ExcInfo]:
    dialogs: list[ExcInfo] = []
    monkeypatch.setattr(gui.errors, "show_exception", dialogs.append)
    return dialogs


@pytest.fixture
def hooks() -> Iterator[ExceptionHooks]:
    installed = ExceptionHooks()
    yield installed
    installed.restore()


def _boom() -> None:
    raise RuntimeError("boom in a slot")


def test_exceptions_are_logged_and_shown(
    hooks: ExceptionHooks, shown: list[ExcInfo], qtbot: QtBot
) -> None:
    handler = setup_logging()
    try:
        QTimer.singleShot(0, _boom)  # raised from the Qt event loop
        qtbot.waitUntil(lambda: len(shown) == 1, timeout=2000)
        assert str(shown[0][1]) == "boom in a slot"
        assert handler is not None
        handler.flush()
        log = (log_folder() / "ftrag.log").read_text(encoding="utf-8")
        assert "RuntimeError: boom in a slot" in log and "Traceback" in log
    finally:
        remove_logging(handler)


def test_worker_thread_exceptions_reach_the_gui_thread(
    hooks: ExceptionHooks, shown: list[ExcInfo], qtbot: QtBot
) -> None:
    def work() -> None:
        raise ValueError("boom in a worker")

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: len(shown) == 1, timeout=2000)
    assert str(shown[0][1]) == "boom in a worker"


def test_hooks_restore_what_was_there(shown: list[ExcInfo]) -> None:
    before = sys.excepthook, threading.excepthook
    installed = ExceptionHooks()
    assert sys.excepthook != before[0]
    installed.restore()
    assert (sys.excepthook, threading.excepthook) == before


def test_the_error_dialog_has_copyable_details(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    boxes: list[QMessageBox] = []

    def exec_(box: QMessageBox) -> int:
        boxes.append(box)
        return 0

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    try:
        _boom()
    except RuntimeError as exc:
        gui.errors.show_exception((RuntimeError, exc, exc.__traceback__))
    box = boxes[0]
    assert "boom in a slot" in box.text()
    assert "Traceback" in box.detailedText() and "_boom" in box.detailedText()


def test_window_is_importable_without_a_display_prompt(qtbot: QtBot, messages: Messages) -> None:
    # Closing a clean window never asks anything.
    window = MainWindow()
    qtbot.addWidget(window)
    window.open_template()
    assert window.close()
