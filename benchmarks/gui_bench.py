"""GUI figures for `make bench`: edit → scores and chart redrawn in the real event loop, cold start
to the first live result against a bare PySide6 window, and peak memory.

Each measurement runs in a fresh interpreter (python -m benchmarks.gui_bench MODE) so imports,
caches and the Qt application start cold, as they do for a user.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import sys
import time
from typing import Any

from benchmarks.child import run_child

EDITS = 220  # the first 20 are warm-up


def _run(mode: str, *extra: str) -> dict[str, Any]:
    return run_child("benchmarks.gui_bench", mode, *extra)


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[int(q * (len(ordered) - 1))]


def gui_rows() -> list[dict[str, object]]:
    from benchmarks.largest import write_largest

    rows: list[dict[str, object]] = []
    largest = write_largest()
    for template in ("support-assistant", ""):
        args = ["--template", template] if template else ["--file", str(largest)]
        edits = _run("edits", *args)["ms"]
        name = "edit → scores + chart redrawn" + ("" if template else " (largest project)")
        rows.append(
            {
                "name": name,
                "median_ms": statistics.median(edits),
                "p95_ms": _percentile(edits, 0.95),
                "runs": len(edits),
                "target": "median < 16 ms, p95 < 33 ms",
            }
        )
    starts = [_run("start") for _ in range(3)]
    bare = [_run("bare")["ms"] for _ in range(3)]
    app_ms = statistics.median(s["ms"] for s in starts)
    bare_ms = statistics.median(bare)
    chart_ms = statistics.median(s["chart_ms"] for s in starts)
    rss_mb = max(s["rss_mb"] for s in starts)
    for name, number, text, target in (
        ("cold start → first live result", app_ms, f"{app_ms:.0f} ms", ""),
        ("cold start → chart drawn", chart_ms, f"{chart_ms:.0f} ms", ""),
        ("cold start → bare PySide6 window", bare_ms, f"{bare_ms:.0f} ms", ""),
        ("start ratio (app ÷ bare window)", app_ms / bare_ms, f"{app_ms / bare_ms:.2f}×", "≤ 2×"),
        ("peak RSS after start", rss_mb, f"{rss_mb:.0f} MB", ""),
    ):
        rows.append({"name": name, "value": text, "number": number, "target": target})
    return rows


# --- the measured processes ------------------------------------------------------------------


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _bare(started: float) -> None:
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication(sys.argv[:1])
    label = QLabel("hello")
    label.show()
    app.processEvents()
    label.grab()
    print(json.dumps({"ms": (time.perf_counter() - started) * 1000}))


def _window(args: list[str], show: bool = True) -> tuple[Any, Any]:
    os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
    from PySide6.QtWidgets import QApplication

    from engine.fileformat import load_project
    from engine.templates import load_template
    from gui.mainwindow import MainWindow

    app = QApplication(sys.argv[:1])
    window = MainWindow()
    if args and args[0] == "--file":
        window.open_project(load_project(args[1]), args[1])
    else:
        window.open_project(load_template(args[1] if args else "support-assistant"))
    window.resize(1366, 768)
    if show:
        window.show()
    return app, window


def _start(started: float) -> None:
    """Time to the first frame with the recommendation on it, and to the chart's first frame
    (the chart is built just after the first frame: pyqtgraph alone takes ~0.3 s to import)."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    marks: dict[str, float] = {}

    class FirstPaint(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                marks.setdefault(obj.objectName(), time.perf_counter())
            return False

    watcher = FirstPaint()
    app, window = _window([], show=False)
    window.setObjectName("window")
    window.installEventFilter(watcher)
    window.show()
    app.processEvents()  # the first frame: the scorecard with the live recommendation
    assert window.document.evaluation is not None
    assert "window" in marks
    first = (time.perf_counter() - started) * 1000
    while window._chart is None:  # the deferred chart, built on the next turn of the loop
        QTimer.singleShot(0, lambda: None)
        app.processEvents()
    viewport = window.chart._plot.viewport()
    viewport.setObjectName("chart")
    viewport.installEventFilter(watcher)
    while "chart" not in marks:
        app.processEvents()
    chart = (time.perf_counter() - started) * 1000
    print(json.dumps({"ms": first, "chart_ms": chart, "rss_mb": _peak_rss_mb()}))


def _edits(args: list[str]) -> None:
    from benchmarks.redraw import redraw_clock

    app, window = _window(args)
    window.ensure_chart()
    for _ in range(20):
        app.processEvents()
    field = window.inputs.show_field("workload", "queries_per_month")
    measure = redraw_clock(app, window)
    base = float(field.value())  # type: ignore[attr-defined]
    samples = [
        measure(lambda i=i: field.setValue(base * (1.0 + 0.01 * ((i % 40) - 20))))  # type: ignore[attr-defined,misc]
        for i in range(EDITS)
    ]
    print(json.dumps({"ms": samples[20:]}))


if __name__ == "__main__":
    t0 = time.perf_counter()
    mode, rest = sys.argv[1], sys.argv[2:]
    if mode == "bare":
        _bare(t0)
    elif mode == "start":
        _start(t0)
    else:
        _edits(list(rest))
