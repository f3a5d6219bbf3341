"""The same numbers in eight locales: typed the locale's way they mean the same value; shown the
locale's way on screen and in the engine's own sentences; the file and the CLI are the same bytes
whatever the locale."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QLocale, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from engine import numbers
from engine.fileformat import dump_project
from engine.templates import load_template, template_path
from gui import format as fmt
from gui.mainwindow import MainWindow

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ["C", "en_US", "de_DE", "fr_FR", "de_CH", "ar_EG", "fa_IR", "uk_UA"]


def type_text(widget: QWidget, text: str) -> None:
    """Key presses carrying each character (QTest.keyClicks only knows ASCII: it aborts on
    the narrow no-break space fr_FR groups digits with, or on Arabic-Indic digits)."""
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(
                widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch)
            )


@pytest.fixture
def locale_named(request: pytest.FixtureRequest) -> Iterator[QLocale]:
    previous = QLocale()
    locale = QLocale(request.param)
    QLocale.setDefault(locale)
    yield locale
    QLocale.setDefault(previous)


@pytest.mark.gui
@pytest.mark.parametrize("locale_named", LOCALES, indirect=True)
def test_typing_the_locales_way_gives_the_same_value(
    locale_named: QLocale, make_window: Callable[[], MainWindow], qtbot: QtBot
) -> None:
    window = make_window()
    field = window.inputs.show_field("workload", "engineering_rate_per_hour")
    text = locale_named.toString(1234.5, "f", 2)  # "1.234,50", "١٬٢٣٤٫٥٠", "1 234,50"…
    line = field.lineEdit()  # type: ignore[attr-defined]
    field.setFocus()
    line.selectAll()
    type_text(line, text)
    assert window.document.value_at(("workload", "engineering_rate_per_hour", "likely")) == 1234.5
    # Shown the locale's way: the scorecard's money and the engine's sentences alike.
    evaluation = window.document.evaluation
    assert evaluation is not None
    tco = evaluation.strategies["rag"].tco.value
    shown = fmt.money(tco, "USD")
    assert shown.startswith("USD ")
    assert locale_named.toDouble(shown[4:].replace(locale_named.groupSeparator(), ""))[1]
    rationale = evaluation.recommendation.rationale
    # The engine's own sentence is written the locale's way too (digits, separators).
    assert fmt.fixed(evaluation.recommendation.margin, 1) in rationale


@pytest.mark.gui
@pytest.mark.parametrize("locale_named", LOCALES, indirect=True)
def test_money_rounding_is_one_rule_in_every_locale(locale_named: QLocale) -> None:
    # ROUND_HALF_UP on the decimal text: 2.675 → 2.68 (binary round() would give 2.67).
    text = fmt.money(2.675, "USD")
    assert locale_named.toDouble(text[4:])[0] == pytest.approx(2.68)
    written = fmt.QLocaleRenderer().fixed(1_326_000.0, 0)  # the C locale gets separators too
    assert fmt.money(1_326_000.4, "USD") == f"USD {written}"


def test_engine_sentences_default_to_english_separators() -> None:
    with numbers.rendering(numbers.CRenderer()):
        assert numbers.money(17_045.4545, "USD") == "USD 17,045"
        assert numbers.count(17_045.4545) == "17,045"


@pytest.mark.parametrize("lang", ["C.UTF-8", "de_DE.UTF-8", "ar_EG.UTF-8", "fr_FR.UTF-8"])
def test_cli_output_and_files_are_the_same_bytes_in_any_locale(lang: str, tmp_path: Path) -> None:
    env = {**os.environ, "LANG": lang, "LC_ALL": lang, "QT_QPA_PLATFORM": "offscreen"}
    path = str(template_path("support-assistant"))
    out = tmp_path / "new.ftrag"

    def run(*args: str) -> bytes:
        done = subprocess.run(
            [sys.executable, "-m", "gui.launcher", *args],
            env=env,
            cwd=ROOT,
            capture_output=True,
            timeout=120,
            check=True,
        )
        return done.stdout

    baseline = subprocess.run(
        [sys.executable, "-m", "gui.launcher", "eval", path, "--json"],
        env={**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"},
        cwd=ROOT,
        capture_output=True,
        timeout=120,
        check=True,
    ).stdout
    assert run("eval", path, "--json") == baseline
    assert b"19,629" in run("eval", path)
    run("new", "--template", "support-assistant", "-o", str(out))
    body = out.read_bytes()
    assert (
        body[body.index(b'"project"') :]
        == dump_project(load_template("support-assistant"))[
            dump_project(load_template("support-assistant")).index(b'"project"') :
        ]
    )
