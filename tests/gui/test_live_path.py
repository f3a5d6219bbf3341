"""The live path runs once: one commit and one evaluation per keystroke, one retitle per
load, and no module changes process-wide state merely by being imported."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from engine.templates import load_template
from gui.forms.fields import NumberField
from gui.mainwindow import MainWindow

ROOT = Path(__file__).resolve().parents[2]
QUERIES = ("workload", "queries_per_month")


def _count_commits(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every call of the document's set_field (the real one runs)."""
    calls: list[Any] = []
    original = window.document.set_field

    def counted(path: Any, value: Any, label: str = "") -> str | None:
        calls.append((tuple(path), value))
        return original(path, value, label=label)

    monkeypatch.setattr(window.document, "set_field", counted)
    return calls


def _type(window: MainWindow, text: str) -> tuple[NumberField, list[int]]:
    field = window.inputs.show_field(*QUERIES)
    assert isinstance(field, NumberField)
    field.setFocus()
    field.selectAll()
    evaluations: list[int] = []
    window.document.evaluated.connect(lambda *_: evaluations.append(1))
    QTest.keyClicks(field.lineEdit(), text)
    return field, evaluations


def test_each_keystroke_commits_once_and_evaluates_once(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    commits = _count_commits(window, monkeypatch)
    field, evaluations = _type(window, "43210")
    assert field.value() == 43_210
    assert window.document.value_at(QUERIES).likely == 43_210
    assert len(commits) == 5, commits
    assert [value for _path, value in commits] == [4, 43, 432, 4321, 43210]
    assert len(evaluations) == 5


def test_text_back_to_the_committed_value_commits_once_to_clear_the_mark(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Intermediate text (an empty field) is explained, not committed; typing the same
    number again commits once, which clears the mark the empty text left."""
    field, _ = _type(window, "500")
    binding = window.inputs.binder.binding_for(QUERIES)
    commits = _count_commits(window, monkeypatch)
    field.lineEdit().selectAll()
    QTest.keyClick(field.lineEdit(), Qt.Key.Key_Backspace)  # empty: intermediate, explained
    assert commits == []
    QTest.keyClicks(field.lineEdit(), "500")  # 5, 50 (commits), 500 (the value before)
    assert [value for _path, value in commits] == [5, 50, 500]
    assert window.document.value_at(QUERIES).likely == 500
    assert binding.problem is None


def test_loading_a_project_retitles_the_window_once(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Qt drops a title that did not change, so the title calls themselves are counted."""
    titles: list[str] = []
    original = window.setWindowTitle

    def retitle(title: str) -> None:
        titles.append(title)
        original(title)

    monkeypatch.setattr(window, "setWindowTitle", retitle)
    changed: list[str] = []
    window.windowTitleChanged.connect(changed.append)
    window.open_project(load_template("eu-insurer-claims"))
    assert len(titles) == 1, titles
    assert changed == titles
    assert window.windowTitle() == titles[0]
    titles.clear()
    window.open_project(load_template("support-assistant"))
    assert len(titles) == 1, titles


def test_importing_the_number_format_changes_nothing_until_installed() -> None:
    code = (
        "from engine import numbers\n"
        "import gui.format as fmt\n"
        "assert type(numbers._renderer).__name__ == 'CRenderer', numbers._renderer\n"
        "fmt.install_renderer()\n"
        "assert isinstance(numbers._renderer, fmt.QLocaleRenderer)\n"
        "print('ok')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_the_window_installs_the_locale_renderer(make_window: Callable[[], MainWindow]) -> None:
    from engine import numbers
    from gui import format as fmt

    make_window()
    assert isinstance(numbers._renderer, fmt.QLocaleRenderer)
