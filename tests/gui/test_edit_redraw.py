"""What an edit redraws: the window repaints only what changed, and what is on screen is always
what a full repaint of the current state draws.

The on-screen pixels are read back from the window's backing store (``QScreen.grabWindow``),
which keeps the result of every partial repaint; ``QWidget.grab`` would render the widget afresh
and hide a region left stale."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from engine.model.scenario import STRATEGIES
from gui.charts.crossover_chart import CrossoverChart
from gui.forms.fields import NumberField
from gui.mainwindow import MainWindow

pytestmark = pytest.mark.gui

QUERIES = ("workload", "queries_per_month")


def on_screen(widget: QWidget) -> QImage:
    """The pixels the window shows where ``widget`` is (as partial repaints left them)."""
    window = widget.window()
    corner = widget.mapTo(window, widget.rect().topLeft())
    screen = window.screen()
    pixmap = screen.grabWindow(
        window.winId(), corner.x(), corner.y(), widget.width(), widget.height()
    )
    return pixmap.toImage().convertToFormat(QImage.Format.Format_RGB32)


def fully_repainted(qtbot: QtBot, widget: QWidget) -> QImage:
    """The same pixels after the whole widget is repainted from its current state."""
    widget.repaint()
    qtbot.wait(1)
    return on_screen(widget)


def settle(qtbot: QtBot, window: MainWindow) -> None:
    """Let the chart draw smooth again and every posted update land."""
    qtbot.waitUntil(window.chart.is_smooth, timeout=3000)
    qtbot.wait(20)


def edit_volume(window: MainWindow, value: float) -> None:
    field = window.inputs.show_field(*QUERIES)
    assert isinstance(field, NumberField)
    field.setValue(value)
    window.document.end_edit_burst()


def typed(qtbot: QtBot, window: MainWindow, change: Callable[[], object]) -> None:
    """``change``, then its layout and partial repaints, with the chart still drawn as while
    typing (fast), until ``settle``."""
    change()
    window.chart._settle.stop()
    qtbot.wait(20)


def test_partial_repaints_of_the_chart_match_a_full_repaint(
    qtbot: QtBot, window: MainWindow
) -> None:
    """Typing repaints one rectangle around what moved; after edits that move the "today"
    line, the axis range (a volume two decades up) and the window's size, every pixel of the
    plot is what a full repaint draws — while typing (curves drawn fast) and after it."""
    chart = window.chart
    viewport = chart._plot.viewport()
    settle(qtbot, window)
    steps: list[Callable[[], object]] = [
        lambda: edit_volume(window, 23_000),
        lambda: edit_volume(window, 27_000),
        lambda: edit_volume(window, 2_500_000),  # the x axis moves two decades
        lambda: window.resize(1200, 700),
        lambda: edit_volume(window, 31_000),
    ]
    for step in steps:
        typed(qtbot, window, step)
        assert on_screen(viewport) == fully_repainted(qtbot, viewport)
        chart._settle.start()
        settle(qtbot, window)
        assert on_screen(viewport) == fully_repainted(qtbot, viewport)


def test_an_edit_lays_the_labels_out_once_around_the_new_today_label(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A volume two decades up moves the x axis, switches the cost axis to log and moves the
    "today" label: the crossover labels are laid out once, at the end of the update, around
    the "today" label where it is then drawn (not where it was: they would be numbered, the
    key shown, and all laid out again when it moves)."""
    chart = window.chart
    settle(qtbot, window)
    layouts: list[tuple[QRectF | None, bool]] = []
    original = CrossoverChart._layout_labels

    def layout(self: CrossoverChart) -> None:
        original(self)
        layouts.append((self.today_label_rect(), self.labels_numbered()))

    monkeypatch.setattr(CrossoverChart, "_layout_labels", layout)
    typed(qtbot, window, lambda: edit_volume(window, 2_500_000))
    assert chart.is_log_y()
    assert len(layouts) == 1
    rect, numbered = layouts[0]
    assert rect == chart.today_label_rect()  # after the paint
    assert not numbered
    assert chart.key_text() == ""


def test_points_are_set_again_only_when_they_move(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch, english: None
) -> None:
    """A volume typed moves the "today" line, not the curves: they are not set again (nor
    repainted).  A token count moves every curve along the same volumes: they are."""
    chart = window.chart
    settle(qtbot, window)
    curves = {id(chart.curve_item(k)): k for k in STRATEGIES}
    updated: list[str] = []
    original = pg.PlotDataItem.setData

    def set_data(self: pg.PlotDataItem, *args: object, **kwargs: object) -> None:
        if id(self) in curves:
            updated.append(curves[id(self)])
        original(self, *args, **kwargs)

    monkeypatch.setattr(pg.PlotDataItem, "setData", set_data)

    def shows_the_documents_curves() -> bool:
        data = window.document.curves
        assert data is not None
        return all(
            np.array_equal(chart.curve_data(k)[0], data.volumes)
            and np.array_equal(chart.curve_data(k)[1], data.tco[k])
            for k in STRATEGIES
        )

    before = {k: chart.curve_data(k)[1].copy() for k in STRATEGIES}
    edit_volume(window, 21_000)
    assert chart.today_label() == "today: 21,000/month"
    assert updated == []
    assert shows_the_documents_curves()

    field = window.inputs.show_field("workload", "prompt_tokens_per_query")
    assert isinstance(field, NumberField)
    field.setValue(field.value() * 2)
    assert sorted(updated) == sorted(STRATEGIES)
    assert shows_the_documents_curves()
    assert not np.array_equal(chart.curve_data("rag")[1], before["rag"])
