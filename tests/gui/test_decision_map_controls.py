"""The Decision map tab's scale and detail controls, driven as a user would (the View menu, the
tab's fields), and the map exported as SVG through the File menu."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog, QLineEdit
from pytestqt.qtbot import QtBot

from engine.decision_map import Axis, decision_map
from engine.templates import load_template
from gui.mainwindow import MainWindow
from gui.report.decision_map import LINE_INK, legend_entries, tint
from tests.gui.test_decision_map import (
    COST_WEIGHT,
    VOLUME,
    menu_action,
    view_menu_action,
    wait_for_map,
)

pytestmark = [pytest.mark.gui, pytest.mark.decision_map]  # the map computes when shown

SVG = "{http://www.w3.org/2000/svg}"


def type_into(qtbot: QtBot, edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    QTest.keyClicks(edit, text)
    edit.editingFinished.emit()  # what leaving the field (Tab, Return) does


def test_scale_and_detail_recompute_in_the_worker(qtbot: QtBot, window: MainWindow) -> None:
    controller = window.decision_map
    runner = controller.runner
    view_menu_action(window, "Decision Map").trigger()
    view = controller.view
    view.set_resolution(60)
    view.choose(VOLUME, COST_WEIGHT)
    wait_for_map(qtbot, window, 0)
    assert view.map is not None and view.map.shape == (60, 60)
    assert view.map.x.log  # the volume: logarithmic, as the chart draws it
    done = runner.completed
    view.x_scale.setCurrentIndex(view.x_scale.findText("Linear"))
    wait_for_map(qtbot, window, done)
    assert view.map is not None and not view.map.x.log
    expected = decision_map(
        window.document.project,
        window.document.scenario,
        Axis(VOLUME.field, VOLUME.lo, VOLUME.hi, False),
        COST_WEIGHT,
        60,
    )
    np.testing.assert_array_equal(view.map.winner, expected.winner)
    done = runner.completed
    view.resolution.setCurrentIndex(view.resolution.findData(200))
    wait_for_map(qtbot, window, done)
    assert view.map.shape == (200, 200)
    # Another input across, then the volume again: the scale chosen for it comes back.
    view.x_combo.setCurrentIndex(view.x_combo.findData("workload.engineering_rate_per_hour"))
    assert view.x_scale.currentText() == "Auto scale"
    view.x_combo.setCurrentIndex(view.x_combo.findData(VOLUME.field))
    assert view.x_scale.currentText() == "Linear"


def test_invalid_ranges_are_marked_at_the_field_and_keep_the_map(
    qtbot: QtBot, window: MainWindow
) -> None:
    controller = window.decision_map
    runner = controller.runner
    view_menu_action(window, "Decision Map").trigger()
    view = controller.view
    view.set_resolution(60)
    view.choose(VOLUME, COST_WEIGHT)
    wait_for_map(qtbot, window, 0)
    first = view.map
    done = runner.completed
    cases = [
        (view.y_hi, "abc", "Not a number"),
        (view.y_hi, "500", "outside the allowed"),
        (view.x_hi, "10", "must be above the low end"),
    ]
    for edit, text, said in cases:
        type_into(qtbot, edit, text)
        assert edit.property("invalid") is True, text
        assert said in edit.toolTip()
        assert said in view.status.text() and "\n" not in view.status.text()
        qtbot.wait(300)  # longer than the worker's debounce: nothing was asked of it
        assert runner.completed == done and not runner.is_busy()
        assert view.map is first
        type_into(qtbot, view.x_hi, "100,000,000")
        type_into(qtbot, view.y_hi, "100")
        assert not view.y_hi.property("invalid") and not view.x_hi.property("invalid")
    # A logarithmic axis from zero: refused at the low end.
    view.y_scale.setCurrentIndex(view.y_scale.findText("Logarithmic"))
    assert view.y_lo.property("invalid") is True
    assert "above zero" in view.y_lo.toolTip()
    type_into(qtbot, view.y_lo, "1")
    assert not view.y_lo.property("invalid")
    wait_for_map(qtbot, window, done)
    m = view.map
    assert m is not None and m is not first
    assert m.y.log and (m.y.lo, m.y.hi) == (1.0, 100.0)


def test_export_svg_from_the_file_menu_is_valid_xml_with_the_regions_and_lines(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.document.load(load_template("seed-enterprise"))  # two regions on this map
    view_menu_action(window, "Decision Map").trigger()
    window.decision_map.view.choose(VOLUME, COST_WEIGHT)
    window.decision_map.view.set_resolution(60)
    wait_for_map(qtbot, window, 0)
    target = tmp_path / "map"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(target), ""))
    menu_action(window, "File", "Export Decision Map as SVG…").trigger()
    written = tmp_path / "map.svg"
    assert written.is_file()
    root = ET.fromstring(written.read_bytes())  # well-formed XML
    assert root.tag == f"{SVG}svg"
    m = window.decision_map.view.map
    assert m is not None
    keys = legend_entries(m)
    assert len(keys) >= 2

    def groups_with(attribute: str, value: str) -> list[ET.Element]:
        return [g for g in root.iter(f"{SVG}g") if g.get(attribute, "").lower() == value]

    for key in keys:  # each region: filled in its tint, with a real outline
        fills = groups_with("fill", tint(key).name())
        paths = [p for g in fills for p in g.iter(f"{SVG}path") if len(p.get("d", "")) > 20]
        assert paths, f"no region drawn for {key}"
    lines = [
        p
        for g in groups_with("stroke", LINE_INK.lower())
        if g.get("stroke-width") == "1.3"
        for p in g.iter(f"{SVG}polyline")
    ]
    assert len(lines) >= len(m.boundaries) >= 1  # the lines between regions (and the legend's)
    assert any("Queries per month" in (t.text or "") for t in root.iter(f"{SVG}text"))
