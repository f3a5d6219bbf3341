"""A monkey on the real window: random sequences of what people do — hostile, huge,
empty and locale-formatted text typed into every kind of field, spin-box steps, combos, check
boxes, scenario add/duplicate/delete/switch, chart toggles, resizes, undo/redo from the
keyboard, save and reopen, and menu-bar commands (Scenario menu, Save, Save As) with their
dialogs answered.  After every action nothing has raised (pytest-qt fails the test on
any exception in the event loop) and the document is a valid project; at the end, undoing
everything returns exactly the project as it was (since the last reopen).

`make test` runs MONKEY_SEEDS (3) seeds × MONKEY_ACTIONS (200) actions; `make monkey` runs 500
(MONKEY_FIRST_SEED picks where a range starts, to replay one seed).  The window's Monte Carlo
runs by itself here, as in the app, so the actions race with it.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QLocale, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from engine.model import Project
from gui.mainwindow import MainWindow

pytestmark = [pytest.mark.gui, pytest.mark.uncertainty, pytest.mark.slow]

SEEDS = int(os.environ.get("MONKEY_SEEDS", "3"))
ACTIONS = int(os.environ.get("MONKEY_ACTIONS", "200"))
FIRST_SEED = int(os.environ.get("MONKEY_FIRST_SEED", "0"))

HOSTILE = [
    "",
    " ",
    "-",
    "-0",
    "1e400",
    "NaN",
    "inf",
    "-1",
    "0",
    "00000",
    "999999999999999999999",
    "1,5",
    "1.234,5",
    "1 234,50",
    "1'234.50",
    "١٬٢٣٤٫٥",
    "۱۲۳",
    "12abc",
    "<b>x</b>",
    "&amp;",
    "\u202e123",
    "👍",
    "9" * 60,
    "0.0000001",
    "3",
    "17",
    "250000",
    "1e3",
]
TEXTS = [
    "",
    "<img src=x onerror=alert(1)>",
    "<b>bold</b>",
    "عميل",
    "שלום",
    "😀" * 20,
    "a\x00b",
    "line\nbreak",
    "x" * 10_000,
    "Client & Co",
    "%s %d {0}",
    "\u202eevil",
]


def type_text(widget: QWidget, text: str) -> None:
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(
                widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch)
            )


class Monkey:
    def __init__(self, window: MainWindow, rng: random.Random, folder: Path) -> None:
        self.window = window
        self.rng = rng
        self.folder = folder
        window.inputs.ensure_all_built()
        self.widgets = [row.binding.widget for row in window.inputs.builder.rows.values()]
        self.baseline = window.document.project
        self.actions: list[Callable[[], None]] = [
            self.type_number,
            self.type_number,
            self.type_number,
            self.step,
            self.step,
            self.combo,
            self.check,
            self.text,
            self.scenario,
            self.chart_mode,
            self.resize,
            self.undo,
            self.undo,
            self.redo,
            self.save_and_reopen,
            self.menu_command,
            self.menu_command,
        ]
        # The dialogs menu commands open are answered the way a person would: a name from
        # TEXTS for Rename, Yes for Delete, a file in the test folder for Save As.
        window.ask_text = lambda *_a: self.rng.choice(TEXTS)[:250]  # type: ignore[method-assign]
        window.confirm = lambda *_a: True  # type: ignore[method-assign]
        window.ask_save_path = lambda: str(folder / "menu.ftrag")  # type: ignore[method-assign]

    def pick(self, kind: type) -> QWidget | None:
        candidates = [
            w
            for w in self.widgets
            if isinstance(w, kind) and w.isEnabled() and w.isVisibleTo(self.window)
        ]
        if not candidates:
            candidates = [w for w in self.widgets if isinstance(w, kind) and w.isEnabled()]
        return self.rng.choice(candidates) if candidates else None

    def _focus_type(self, target: QWidget, text: str) -> None:
        target.setFocus()
        line = target.lineEdit() if isinstance(target, QAbstractSpinBox) else target
        if isinstance(line, QLineEdit):
            line.selectAll()
        type_text(line or target, text)
        if isinstance(target, QAbstractSpinBox | QLineEdit):
            # Leaving the field commits or reverts it, as clicking elsewhere does.
            target.clearFocus()
            QApplication.sendEvent(target, QEvent(QEvent.Type.FocusOut))

    def type_number(self) -> None:
        field = self.pick(QAbstractSpinBox)
        if field is None:
            return
        text = self.rng.choice(HOSTILE)
        if self.rng.random() < 0.3:
            text = QLocale().toString(self.rng.uniform(0, 1e6), "f", self.rng.randint(0, 3))
        self._focus_type(field, text)

    def step(self) -> None:
        field = self.pick(QAbstractSpinBox)
        if field is not None:
            assert isinstance(field, QAbstractSpinBox)
            field.stepBy(self.rng.choice([-10, -1, 1, 1, 5]))
            self.window.document.end_edit_burst()

    def combo(self) -> None:
        box = self.pick(QComboBox)
        if box is not None:
            assert isinstance(box, QComboBox)
            if box.count():
                box.setCurrentIndex(self.rng.randrange(box.count()))

    def check(self) -> None:
        box = self.pick(QCheckBox)
        if box is not None:
            assert isinstance(box, QCheckBox)
            box.click()

    def text(self) -> None:
        field = self.pick(QLineEdit) or self.pick(QPlainTextEdit)
        if field is None:
            return
        value = self.rng.choice(TEXTS)
        if isinstance(field, QPlainTextEdit):
            field.setPlainText(value)
            field.clearFocus()
            QApplication.sendEvent(field, QEvent(QEvent.Type.FocusOut))
        else:
            self._focus_type(field, value[:300])

    def scenario(self) -> None:
        w = self.window
        choice = self.rng.randrange(4)
        if choice == 0 and len(w.document.project.scenarios) < 12:
            w.add_scenario()
        elif choice == 1 and len(w.document.project.scenarios) < 12:
            w.duplicate_scenario()
        elif choice == 2 and len(w.document.project.scenarios) > 1:
            w.document.delete_scenario(w.document.scenario_index)
        else:
            w.document.switch_scenario(self.rng.randrange(len(w.document.project.scenarios)))

    def menu_command(self) -> None:
        """A command from the menu bar, triggered through its QAction."""
        w = self.window
        commands = [w.act_rename_scenario, w.act_save, w.act_save_as]
        if len(w.document.project.scenarios) < 12:
            commands += [w.act_add_scenario, w.act_duplicate_scenario]
        if len(w.document.project.scenarios) > 1:
            commands.append(w.act_delete_scenario)
        action = self.rng.choice(commands)
        assert action in _menu_bar_actions(w), action.text()
        action.trigger()

    def chart_mode(self) -> None:
        chart = self.window.chart
        chart.set_mode(self.rng.choice(["total", "per_month"]))

    def resize(self) -> None:
        self.window.resize(self.rng.randint(900, 1920), self.rng.randint(600, 1200))

    def undo(self) -> None:
        QTest.keyClick(self.window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)

    def redo(self) -> None:
        QTest.keyClick(
            self.window,
            Qt.Key.Key_Z,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )

    def save_and_reopen(self) -> None:
        if self.rng.random() > 0.3:
            return
        path = self.folder / f"monkey-{self.rng.randrange(3)}.ftrag"
        from engine.fileformat import save_project

        save_project(self.window.document.project, path)
        assert self.window.open_file(path)
        self.widgets = [row.binding.widget for row in self.window.inputs.builder.rows.values()]
        self.baseline = self.window.document.project

    def step_once(self) -> None:
        self.rng.choice(self.actions)()
        QApplication.processEvents()
        project = self.window.document.project
        assert Project.model_validate(project.model_dump()) == project


def _menu_bar_actions(window: MainWindow) -> list[object]:
    out: list[object] = []
    for top in window.menuBar().actions():
        menu = top.menu()
        if menu is not None:
            out += menu.actions()
    return out


def run_monkey(window: MainWindow, seed: int, folder: Path) -> None:
    monkey = Monkey(window, random.Random(seed), folder)
    for _ in range(ACTIONS):
        monkey.step_once()
    stack = window.document.undo_stack
    while stack.canUndo():
        stack.undo()
    assert window.document.project == monkey.baseline


@pytest.mark.parametrize("seed", range(FIRST_SEED, FIRST_SEED + SEEDS))
def test_monkey(
    seed: int, make_window: Callable[[], MainWindow], qtbot: QtBot, tmp_path: Path
) -> None:
    window = make_window()
    run_monkey(window, seed, tmp_path)
