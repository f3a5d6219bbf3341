"""Strings from a project file are text, never markup, wherever they appear."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6 import QtGui
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
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


def displayed(label: QLabel) -> str:
    """What a label shows: its text, or the text Qt renders when it takes it for markup
    (rich text, or automatic and the text looks like markup)."""
    text = label.text()
    form = label.textFormat()
    if form == Qt.TextFormat.PlainText or (
        form == Qt.TextFormat.AutoText and not QtGui.Qt.mightBeRichText(text)
    ):
        return text
    document = QTextDocument()
    document.setHtml(text)
    return document.toPlainText()


def rich_labels_showing(root: QWidget, needle: str) -> list[str]:
    """Labels that hold ``needle`` as it was typed but show something else: Qt takes their
    text for markup (tags, entities, white space), so the reader does not see the string."""
    probe = needle[:40]
    return [
        label.text()[:80]
        for label in root.findChildren(QLabel)
        if probe in label.text() and probe not in displayed(label)
    ]


def test_the_check_catches_a_rich_label(qtbot: QtBot) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    QLabel(CORPUS[0], host)  # AutoText: Qt would render the markup
    assert rich_labels_showing(host, CORPUS[0])
    # Entities and white space are markup too, in a label that takes its text as rich text.
    for needle in (CORPUS[2], CORPUS[6]):
        label = QLabel(f"<b>Client:</b> {needle}", host)
        label.setTextFormat(Qt.TextFormat.RichText)
        assert rich_labels_showing(host, needle) == [label.text()[:80]]
        label.setTextFormat(Qt.TextFormat.PlainText)
        assert rich_labels_showing(host, needle) == []


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
    # Not vacuous: the scenario's name is on screen in labels, and shown as typed.
    assert any(scenario_name[:40] in displayed(label) for label in window.findChildren(QLabel))
