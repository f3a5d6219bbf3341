"""Strings from a project file are text, never markup, wherever they appear."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from engine.model import Project
from engine.text import normalised_name
from gui.mainwindow import MainWindow

pytestmark = pytest.mark.gui

CORPUS = [
    "<img src=x onerror=alert(1)><b>bold</b>",
    "<a href='http://example.invalid'>link</a>",
    "&lt;escaped&gt; &amp;",
    "عميل البنك الوطني",
    "שלום עולם",
    "Client 😀🚀",
    "tab\tand\x07bell",
    "\u202eevil override",
    "x" * 10_000,
]


def rich_labels_showing(root: QWidget, needle: str) -> list[str]:
    """Labels that would interpret ``needle`` as rich text."""
    bad = []
    for label in root.findChildren(QLabel):
        text = label.text()
        plain = label.textFormat() == Qt.TextFormat.PlainText
        if needle[:40] in text and not plain and "<" in text:
            bad.append(text[:80])
    return bad


def test_the_check_catches_a_rich_label(qtbot: QtBot) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    QLabel(CORPUS[0], host)  # AutoText: Qt would render the markup
    assert rich_labels_showing(host, CORPUS[0])


@pytest.mark.parametrize("name", CORPUS, ids=range(len(CORPUS)))
def test_project_strings_show_literally(
    name: str, make_window: Callable[[], MainWindow], qtbot: QtBot
) -> None:
    window = make_window()
    data = window.document.project.model_dump()
    data["title"] = name[:500]
    data["client"] = name[:500]
    # Scenario names refuse invisible characters (tabs, controls, bidi overrides): they take
    # the form a file saved before that rule is loaded with.
    scenario_name = normalised_name(name[:200])
    data["scenarios"][0]["name"] = scenario_name
    window.open_project(Project.model_validate(data))
    window.inputs.ensure_all_built()
    window.results.setCurrentWidget(window.breakdown)
    window.results.setCurrentWidget(window.comparison)
    window.results.setCurrentWidget(window.scorecard)
    assert name[:40] in window.windowTitle() or name[:40].replace("\t", " ") in window.windowTitle()
    assert window.scenario_combo.currentText().startswith(scenario_name[:40])
    assert rich_labels_showing(window, name) == []
