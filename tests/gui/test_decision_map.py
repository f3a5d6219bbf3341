"""The Decision map tab, driven through the menu bar: it computes only while shown, draws the
engine's regions, follows edits (the previous map stays until the new one lands) and reads a
point out on hover."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QAction, QColor, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from engine.decision_map import NONE, Axis, decision_map, describe_cell, describe_strategies
from engine.model.scenario import STRATEGIES
from engine.templates import load_template
from gui.decision_map.view import region_color
from gui.mainwindow import MainWindow

# Every window here computes its decision map by itself, as in the app (see tests/conftest.py).
pytestmark = [pytest.mark.gui, pytest.mark.decision_map]

VOLUME = Axis("workload.queries_per_month", 1_000, 1e8)
COST_WEIGHT = Axis("weights.cost", 0, 100)


def view_menu_action(window: MainWindow, text: str) -> QAction:
    for menu_action in window.menuBar().actions():
        if menu_action.text().replace("&", "") == "View":
            menu = menu_action.menu()
            for action in menu.actions():
                if action.text().replace("&", "") == text:
                    return action
    raise AssertionError(f"no View ▸ {text}")


def wait_for_map(qtbot: QtBot, window: MainWindow, completed: int) -> None:
    runner = window.decision_map.runner
    qtbot.waitUntil(lambda: runner.completed > completed and not runner.is_busy(), timeout=60_000)


def drawn_strategies(window: MainWindow) -> np.ndarray:
    """Which strategy each drawn cell shows, read back from the image on screen: the hue of
    its colour (the shade only changes how light it is), grey for "none qualifies"."""
    view = window.decision_map.view
    image = np.transpose(view.image.image, (1, 0, 2))  # back to (rows, cols, rgba)
    hues = {i: region_color(k, view._dark()).hsvHueF() for i, k in enumerate(STRATEGIES)}
    out = np.full(image.shape[:2], -9)
    for r, c in np.ndindex(*image.shape[:2]):
        colour = QColor(*[int(x) for x in image[r, c, :3]])
        if image[r, c, 3] != 255:
            continue
        if colour.hsvSaturationF() < 0.05:
            out[r, c] = NONE
            continue
        out[r, c] = min(hues, key=lambda i: abs(hues[i] - colour.hsvHueF()))
    return out


def test_map_tab_from_the_view_menu_draws_the_engines_regions(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.document.load(load_template("seed-enterprise"))
    controller = window.decision_map
    runner = controller.runner
    assert runner.completed == 0 and not runner.is_busy()  # hidden: nothing computed
    done = runner.completed
    view_menu_action(window, "Decision Map").trigger()
    assert controller.is_visible()
    controller.view.choose(VOLUME, COST_WEIGHT)
    runner.set_resolution(40)
    wait_for_map(qtbot, window, done)
    view = controller.view
    m = view.map
    assert m is not None and m.shape == (40, 40)
    expected = decision_map(
        window.document.project, window.document.scenario, VOLUME, COST_WEIGHT, 40
    )
    np.testing.assert_array_equal(m.winner, expected.winner)
    assert len(np.unique(expected.winner)) >= 2  # two regions at least: the test can fail
    np.testing.assert_array_equal(drawn_strategies(window), expected.winner)
    # The patterns: every cell's centre lies in its own strategy's hatched region.
    u = m.x.to_view(m.x.values)
    v = m.y.to_view(m.y.values)
    for r, c in [(0, 0), (39, 39), (20, 5), (5, 30), (35, 10)]:
        key = m.strategy_at(r, c)
        assert view.patterns[key].path().contains(QPointF(u[c], v[r]))
        for other, item in view.patterns.items():
            if other != key:
                assert not item.path().contains(QPointF(u[c], v[r]))
    assert len(view.lines) == len(expected.boundaries) >= 1
    # The read-out says what the engine says there.
    text = view.readout_at(QPointF(u[12], v[30]))
    assert describe_cell(expected, 30, 12) in text
    assert "would win if" in view.summary.text()
    # The scorecard says how far today is from the line, while the map is current.
    assert "would win if" in window.scorecard.map_distance_text()
    window.document.set_field(("workload", "engineering_rate_per_hour"), 400.0)
    assert window.scorecard.map_distance_text() == ""


def test_edits_recompute_only_while_shown_and_the_old_map_stays(
    qtbot: QtBot, window: MainWindow
) -> None:
    controller = window.decision_map
    runner = controller.runner
    view_menu_action(window, "Decision Map").trigger()
    controller.view.choose(VOLUME, COST_WEIGHT)
    runner.set_resolution(30)
    wait_for_map(qtbot, window, 0)
    first = controller.view.map
    done = runner.completed
    path = ("workload", "engineering_rate_per_hour")
    window.document.set_field(path, 600.0)
    window.document.evaluate()
    qtbot.waitUntil(lambda: runner.is_busy() or runner.completed > done, timeout=10_000)
    if runner.is_busy():
        assert controller.view.map is first  # the previous map stays until the new one lands
    wait_for_map(qtbot, window, done)
    assert controller.view.map is not first
    expected = decision_map(window.document.project, window.document.scenario, VOLUME,
                            COST_WEIGHT, 30)  # fmt: skip
    np.testing.assert_array_equal(controller.view.map.winner, expected.winner)
    # Another tab in front: an edit computes nothing until the map is shown again.
    view_menu_action(window, "Scorecard").trigger()
    done = runner.completed
    window.document.set_field(path, 100.0)
    window.document.evaluate()
    qtbot.wait(400)
    assert runner.completed == done and not runner.is_busy()
    view_menu_action(window, "Decision Map").trigger()
    wait_for_map(qtbot, window, done)
    expected = decision_map(window.document.project, window.document.scenario, VOLUME,
                            COST_WEIGHT, 30)  # fmt: skip
    np.testing.assert_array_equal(controller.view.map.winner, expected.winner)


def test_bad_range_is_one_line_and_keeps_the_map(qtbot: QtBot, window: MainWindow) -> None:
    controller = window.decision_map
    view_menu_action(window, "Decision Map").trigger()
    controller.view.choose(VOLUME, COST_WEIGHT)
    controller.runner.set_resolution(20)
    wait_for_map(qtbot, window, 0)
    first = controller.view.map
    controller.view.choose(VOLUME, Axis("weights.cost", 0, 500))
    qtbot.waitUntil(lambda: "Cannot draw" in controller.view.status.text(), timeout=30_000)
    assert "outside the allowed range" in controller.view.status.text()
    assert "\n" not in controller.view.status.text()
    assert controller.view.map is first


def menu_action(window: MainWindow, menu_name: str, text: str) -> QAction:
    for menu_action in window.menuBar().actions():
        if menu_action.text().replace("&", "") == menu_name:
            for action in menu_action.menu().actions():
                if action.text().replace("&", "") == text:
                    return action
    raise AssertionError(f"no {menu_name} ▸ {text}")


def test_export_png_and_csv_from_the_file_menu(
    qtbot: QtBot, window: MainWindow, messages: object, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    # Before any map is drawn: a message, nothing written.
    asked: list[str] = []
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *_a, **_k: (asked.append("asked"), ("", ""))[1]
    )
    menu_action(window, "File", "Export Decision Map as PNG…").trigger()
    assert not asked and "No decision map" in messages.shown[-1][1]  # type: ignore[attr-defined]
    view_menu_action(window, "Decision Map").trigger()
    window.decision_map.view.choose(VOLUME, COST_WEIGHT)
    window.decision_map.runner.set_resolution(12)
    wait_for_map(qtbot, window, 0)
    for kind, text in (("png", "Export Decision Map as PNG…"),
                       ("csv", "Export Decision Map Data as CSV…")):  # fmt: skip
        target = tmp_path / f"map-{kind}"  # no suffix typed: it is added
        monkeypatch.setattr(
            QFileDialog, "getSaveFileName", lambda *_a, t=target, **_k: (str(t), "")
        )
        menu_action(window, "File", text).trigger()
        written = target.with_name(f"map-{kind}.{kind}")
        assert written.exists() and written.stat().st_size > 0
    image = QImage(str(tmp_path / "map-png.png"))
    assert image.width() > 200 and image.height() > 100
    rows = list(csv.DictReader(io.StringIO((tmp_path / "map-csv.csv").read_text())))
    m = window.decision_map.view.map
    assert m is not None and len(rows) == 12 * 12
    assert [r["strategy"] or None for r in rows] == [
        m.strategy_at(r, c) for r in range(12) for c in range(12)
    ]


def test_click_pins_what_the_project_would_look_like_there(
    qtbot: QtBot, window: MainWindow
) -> None:
    view_menu_action(window, "Decision Map").trigger()
    view = window.decision_map.view
    view.choose(VOLUME, COST_WEIGHT)
    window.decision_map.runner.set_resolution(16)
    wait_for_map(qtbot, window, 0)
    m = view.map
    assert m is not None
    project_before = window.document.project
    row, col = 11, 13
    spot = QPointF(float(m.x.to_view(m.x.values[col])), float(m.y.to_view(m.y.values[row])))
    scene = view.plot.getPlotItem().getViewBox().mapViewToScene(spot)
    QTest.mouseClick(
        view.plot.viewport(), Qt.MouseButton.LeftButton, pos=view.plot.mapFromScene(scene)
    )
    qtbot.waitUntil(view.pinned.isVisible, timeout=5_000)
    text = view.pinned.text()
    assert describe_strategies(m, row, col) in text
    cell = m.cell(row, col)
    assert all(f"{n} " in text for n in ("Fine-tuning", "RAG", "Hybrid"))
    assert cell.priced and window.document.project is project_before  # nothing changed
