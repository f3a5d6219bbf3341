"""Edit → scores + chart redrawn, in the real event loop, while a Monte Carlo run is in flight
(the analysis must never block the UI; the edit must stay within the app's 16 ms).

Runs in a fresh interpreter (``python -m benchmarks.uncertainty_gui_bench``), like
benchmarks.gui_bench: the real main window on the example project, off-screen, 1366×768.  A
value is set in a form field and the clock stops when the chart's plot has repainted (the
scorecard is updated synchronously before that).  Three conditions:

* no analysis running;
* an input edit arriving while an analysis computes in the pool thread — 5,000 samples (the
  default, ≈ 150 ms of work) and 200,000 samples (about a second): the edit makes that run
  stale, so it is cancelled at its next Python function call, and the clock includes the time
  the two threads share the interpreter and the CPU until then;
* an edit the analysis does not read (the project's notes: the window still re-evaluates and
  redraws) while the 200,000-sample run keeps computing all along — the worst case, the GUI
  thread sharing the GIL with the analysis for the whole edit.

The edits themselves never start runs (the debounce is set beyond the benchmark); a new long run
is started before each measured edit that needs one.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from typing import Any

from benchmarks.child import run_child

EDITS = 120  # per condition; the first 20 are warm-up
WARMUP = 20
LONG_RUN_SAMPLES = 200_000
DEFAULT_SAMPLES = 5_000
TARGET = "< 16 ms"


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[int(q * (len(ordered) - 1))]


def _row(name: str, samples: list[float], target: str = TARGET) -> dict[str, object]:
    return {
        "name": name,
        "median_ms": statistics.median(samples),
        "p95_ms": _percentile(samples, 0.95),
        "runs": len(samples),
        "target": target,
    }


def rows() -> list[dict[str, object]]:
    """The benchmark rows (each measured in a fresh process)."""
    result = run_child("benchmarks.uncertainty_gui_bench", timeout=900)
    return [
        _row("edit → scores + chart redrawn, no Monte Carlo running", result["idle"]),
        _row(
            f"edit → redrawn, arriving during a {DEFAULT_SAMPLES:,}-sample Monte Carlo run "
            "(cancels it)",
            result["cancelling_default"],
        ),
        _row(
            f"edit → redrawn, arriving during a {LONG_RUN_SAMPLES:,}-sample Monte Carlo run "
            "(cancels it)",
            result["cancelling"],
        ),
        _row(
            f"edit not read by the analysis → redrawn, {LONG_RUN_SAMPLES:,}-sample run "
            "computing throughout",
            result["sharing"],
        ),
        {
            "name": "Monte Carlo runs cancelled by those edits",
            "value": f"{result['cancelled']} of {result['started']}",
            "target": "",
        },
    ]


# --- the measured process ---------------------------------------------------------------------


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
    runner = window.uncertainty.runner
    deadline = time.perf_counter() + 30
    while (runner.result is None or runner.is_busy()) and time.perf_counter() < deadline:
        app.processEvents()
    runner._timer.setInterval(3_600_000)  # edits never start a run by themselves
    runner.samples = LONG_RUN_SAMPLES

    field = window.inputs.show_field("workload", "peak_to_average_load")
    base = float(field.value())  # type: ignore[attr-defined]
    step = [0]
    measure = redraw_clock(app, window)

    def redrawn(change: Any) -> float:
        """Apply one change; milliseconds until the plot has repainted."""
        step[0] += 1
        return measure(change)

    def input_edit() -> None:
        field.setValue(base * (1.0 + 0.01 * ((step[0] % 40) - 20)))  # type: ignore[attr-defined]

    def notes_edit() -> None:
        window.document.set_field(("notes",), f"Benchmark note {step[0]}")

    def pause(seconds: float) -> None:
        until = time.perf_counter() + seconds
        while time.perf_counter() < until:
            app.processEvents()
            time.sleep(0.001)

    def long_run_in_flight(samples: int = LONG_RUN_SAMPLES) -> bool:
        """A run computing now (started if needed); False if none could be started."""
        if not runner.is_running():
            runner.samples = samples
            if not runner.run_now():
                return False
            counts["started"] += 1
            limit = time.perf_counter() + 5
            while not runner.is_running() and time.perf_counter() < limit:
                app.processEvents()
            pause(0.03)  # well into the run
        return runner.is_running()

    counts = {"started": 0}
    idle: list[float] = []
    while len(idle) < EDITS:
        while runner.is_running():
            app.processEvents()
        idle.append(redrawn(input_edit))
        pause(0.01)

    cancelled_before = runner.cancelled
    limit = time.perf_counter() + 600
    cancelling_default: list[float] = []
    while len(cancelling_default) < EDITS and time.perf_counter() < limit:
        if not long_run_in_flight(DEFAULT_SAMPLES):
            pause(0.01)
            continue
        cancelling_default.append(redrawn(input_edit))
        pause(0.01)
    cancelling: list[float] = []
    while len(cancelling) < EDITS and time.perf_counter() < limit:
        if not long_run_in_flight():
            pause(0.01)
            continue
        cancelling.append(redrawn(input_edit))
        pause(0.01)
    cancelled = runner.cancelled - cancelled_before

    sharing: list[float] = []
    while len(sharing) < EDITS and time.perf_counter() < limit:
        if not long_run_in_flight():
            # The notes edit does not change what is analysed: give the runner new inputs.
            redrawn(input_edit)
            pause(0.01)
            continue
        generation = runner.generation
        elapsed = redrawn(notes_edit)
        if runner.is_running() and runner.generation == generation:  # the run went on
            sharing.append(elapsed)
        pause(0.01)
    runner.shutdown()
    return {
        "idle": idle[WARMUP:],
        "cancelling_default": cancelling_default[WARMUP:],
        "cancelling": cancelling[WARMUP:],
        "sharing": sharing[WARMUP:],
        "cancelled": cancelled,
        "started": counts["started"],
    }


if __name__ == "__main__":
    print(json.dumps(_measure()))
