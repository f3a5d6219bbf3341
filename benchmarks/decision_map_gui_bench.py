"""Edit → scores + chart redrawn while the Decision map tab is on screen, in the real event loop:
the main chart's figure must not get worse while a map is being computed.

Runs in a fresh interpreter (``python -m benchmarks.decision_map_gui_bench``), like the other GUI
benchmarks: the real main window on the example project, off-screen, 1366×768, the map tab in
front at 200 × 200.  Conditions:

* the map tab in front, no map computing;
* an input edit arriving while a 200 × 200 map computes in the pool thread: the edit makes it
  stale, so it stops at its next engine function call, and the clock includes the time the two
  threads share the interpreter until then.

The edits themselves never start maps (the debounce is set beyond the benchmark); a map is
started before each measured edit that needs one.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any

from benchmarks.child import run_child
from benchmarks.uncertainty_gui_bench import TARGET, WARMUP, _row

EDITS = 80


def rows() -> list[dict[str, object]]:
    result = run_child("benchmarks.decision_map_gui_bench", timeout=900)
    return [
        _row("edit → redrawn, decision map tab in front, no map computing", result["idle"]),
        _row(
            "edit → redrawn, arriving during a 200×200 decision map (cancels it)",
            result["cancelling"],
            TARGET,
        ),
        {
            "name": "decision maps cancelled by those edits",
            "value": f"{result['cancelled']} of {result['started']}",
            "target": "",
        },
    ]


def _measure() -> dict[str, Any]:
    os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
    from PySide6.QtWidgets import QApplication

    from benchmarks.redraw import redraw_clock
    from engine.templates import load_template
    from gui.mainwindow import MainWindow

    app = QApplication(sys.argv[:1])
    window = MainWindow()
    window.open_project(load_template("support-assistant"))
    window.resize(1366, 768)
    window.show()
    window.ensure_chart()
    window.uncertainty.runner.shutdown()  # measure the map alone
    window.act_decision_map.trigger()
    runner = window.decision_map.runner
    runner.set_resolution(200)
    deadline = time.perf_counter() + 60
    while (runner.result is None or runner.is_busy()) and time.perf_counter() < deadline:
        app.processEvents()
    runner._timer.setInterval(3_600_000)  # edits never start a map by themselves

    field = window.inputs.show_field("workload", "peak_to_average_load")
    base = float(field.value())  # type: ignore[attr-defined]
    step = [0]
    measure = redraw_clock(app, window)

    def input_edit() -> None:
        step[0] += 1
        field.setValue(base * (1.0 + 0.01 * ((step[0] % 40) - 20)))  # type: ignore[attr-defined]

    def pause(seconds: float) -> None:
        until = time.perf_counter() + seconds
        while time.perf_counter() < until:
            app.processEvents()
            time.sleep(0.001)

    idle: list[float] = []
    while len(idle) < EDITS:
        while runner._in_flight:
            app.processEvents()
        idle.append(measure(input_edit))
        pause(0.01)

    started = dropped_before = 0
    dropped_before = runner.dropped + runner.completed
    cancelling: list[float] = []
    limit = time.perf_counter() + 600
    while len(cancelling) < EDITS and time.perf_counter() < limit:
        while runner._in_flight:
            app.processEvents()
        if not runner.run_now():
            pause(0.01)
            continue
        started += 1
        pause(0.03)  # well into the map
        cancelling.append(measure(input_edit))
        pause(0.01)
    while runner._in_flight:
        app.processEvents()
    finished = runner.dropped + runner.completed - dropped_before
    runner.shutdown()
    return {
        "idle": idle[WARMUP:],
        "cancelling": cancelling[WARMUP:],
        "cancelled": started - finished,
        "started": started,
    }


if __name__ == "__main__":
    print(json.dumps(_measure()))
