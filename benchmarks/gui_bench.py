"""GUI figures for `make bench`: edit → scores and chart redrawn in the real event loop, cold start
to the first live result, and peak memory — each beside its floor, measured in the same run.

Each measurement runs in a fresh interpreter (python -m benchmarks.gui_bench MODE) so imports,
caches and the Qt application start cold, as they do for a user.

Absolute times on a shared machine drift by half from one hour to the next, so every speed row
is also given as a ratio to a floor that costs what the libraries cost and nothing of ours:
- the edit rows, to a bare pyqtgraph plot of the same size in the same process with the same three
  curves (point count, pens, log x axis, fixed range) receiving ``setData`` and repainting;
- the first live result, to a fresh process that imports PySide6, numpy and pydantic and shows one
  label;
- the chart drawn, to the same with pyqtgraph imported and an empty plot shown.

Each edit row is followed by where its time went (medians over the same edits, so they need not
add up to the row's median): the engine's evaluation; the window's own work before the event
loop runs (the document's edit and the views' updates); the chart's repaint; and the rest of
the event loop until the chart has repainted (layouts, the other widgets' paint, the flush).
"""

from __future__ import annotations

import itertools
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
    for name, short, args in (
        ("edit → scores + chart redrawn", "edit", ["--template", "support-assistant"]),
        (
            "edit → scores + chart redrawn (largest project)",
            "edit, largest",
            ["--file", str(largest)],
        ),
        # Typing a volume moves the "today" line, not the curves (they span whole decades of
        # volume); an edit of a cost moves all three curves, as the floor's do.
        (
            "edit of a cost (the curves move) → scores + chart redrawn",
            "cost edit",
            ["--template", "support-assistant", "--field", "workload", "prompt_tokens_per_query"],
        ),
    ):
        measured = _run("edits", *args)
        edits, floor = measured["ms"], measured["floor_ms"]
        floor_median = statistics.median(floor)
        largest_row = "largest" in name
        if not name.startswith("edit of a cost"):
            which = ", largest" if largest_row else ""
            rows.append(
                {
                    "name": f"bare chart setData + repaint (floor{which})",
                    "median_ms": floor_median,
                    "p95_ms": _percentile(floor, 0.95),
                    "runs": len(floor),
                    "target": "floor",
                }
            )
        rows.append(
            {
                "name": name,
                "median_ms": statistics.median(edits),
                "p95_ms": _percentile(edits, 0.95),
                "runs": len(edits),
                "ratio": statistics.median(edits) / floor_median,
                "p95_ratio": _percentile(edits, 0.95) / floor_median,
                "target": "median ≤ 3× floor" if largest_row else "median ≤ 2× floor, p95 ≤ 4×",
            }
        )
        for part, label in PARTS:
            samples = measured["parts"][part]
            rows.append(
                {
                    "name": f"  {short}: {label}",
                    "median_ms": statistics.median(samples),
                    "p95_ms": _percentile(samples, 0.95),
                    "runs": len(samples),
                    "target": "",
                }
            )
    # Interleaved, so that a drift of the machine's load hits the app and its floors alike.
    starts, bare, bare_numeric, bare_plot, bare_models, parts = [], [], [], [], [], []
    for _ in range(3):
        starts.append(_run("start"))
        bare.append(_run("bare")["ms"])
        bare_numeric.append(_run("bare_numeric")["ms"])
        bare_plot.append(_run("bare_plot")["ms"])
        bare_models.append(_run("bare_models")["ms"])
        parts.append(_run("start_parts"))
    app_ms = statistics.median(s["ms"] for s in starts)
    bare_ms = statistics.median(bare)
    numeric_ms = statistics.median(bare_numeric)
    plot_ms = statistics.median(bare_plot)
    models_ms = statistics.median(bare_models)
    chart_ms = statistics.median(s["chart_ms"] for s in starts)
    rss_mb = max(s["rss_mb"] for s in starts)
    for name, number, text, target, ratio in (
        (
            "cold start → first live result",
            app_ms,
            f"{app_ms:.0f} ms",
            "≤ 1.5× bare window (PySide6+numpy+pydantic)",
            app_ms / numeric_ms,
        ),
        (
            "cold start → chart drawn",
            chart_ms,
            f"{chart_ms:.0f} ms",
            "≤ 1.5× bare window with pyqtgraph + empty plot",
            chart_ms / plot_ms,
        ),
        ("cold start → bare PySide6 window", bare_ms, f"{bare_ms:.0f} ms", "", None),
        (
            "cold start → bare window: PySide6+numpy+pydantic (floor)",
            numeric_ms,
            f"{numeric_ms:.0f} ms",
            "floor",
            None,
        ),
        (
            "cold start → bare window + pyqtgraph empty plot (floor)",
            plot_ms,
            f"{plot_ms:.0f} ms",
            "floor",
            None,
        ),
        (
            # Not a floor: the least any first result needs beyond the floor above, so its
            # ratio is what "cold start → first live result" cannot go below.
            "cold start → bare window + the example project validated (engine.model)",
            models_ms,
            f"{models_ms:.0f} ms",
            "least a first result needs",
            models_ms / numeric_ms,
        ),
        ("start ratio (app ÷ bare window)", app_ms / bare_ms, f"{app_ms / bare_ms:.2f}×", "", None),
        *(
            (f"  start part: {part}", ms, f"{ms:.0f} ms", "", None)
            for part, ms in (
                (part, statistics.median(p[part] for p in parts)) for part in START_PARTS
            )
        ),
        ("peak RSS after start", rss_mb, f"{rss_mb:.0f} MB", "", None),
    ):
        row: dict[str, object] = {"name": name, "value": text, "number": number, "target": target}
        if ratio is not None:
            row["ratio"] = ratio
        rows.append(row)
    return rows


# --- the measured processes ------------------------------------------------------------------


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _bare(started: float, numeric: bool = False, plot: bool = False, models: bool = False) -> None:
    """The start floors: a window with one label (PySide6 alone; or with numpy and pydantic
    imported, as the first result needs them; or with pyqtgraph and an empty plot shown).
    With ``models``, not a floor but the least any first result needs beyond it: the example
    project read and validated by the file's models (engine.model, pydantic), nothing else of
    the app."""
    from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

    if numeric or plot or models:
        import numpy  # noqa: F401
        import pydantic  # noqa: F401
    if models:
        from engine.templates import load_template

        load_template("support-assistant")

    app = QApplication(sys.argv[:1])
    window = QWidget()
    layout = QVBoxLayout(window)
    layout.addWidget(QLabel("hello"))
    if plot:
        os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
        import pyqtgraph as pg

        layout.addWidget(pg.PlotWidget())
    window.show()
    app.processEvents()
    window.grab()
    print(json.dumps({"ms": (time.perf_counter() - started) * 1000}))


# Where the first live result's time goes beyond its floor, each part timed in order in one
# fresh process (the floor's imports done first): the libraries' first-use costs the bare
# window never pays, then the app's own steps.
START_PARTS = (
    "Qt namespace enums (QtCore.Qt, first use)",
    "QStyle enums (first use)",
    "importlib.metadata (pydantic's plugin look-up imports it)",
    "pydantic: the file models' schemas (engine.model)",
    "the rest of the engine's imports",
    "the window's imports (gui.mainwindow)",
    "QApplication + MainWindow()",
    "open the example project (first evaluation)",
    "show + first paint",
)


def _start_parts() -> None:
    import numpy  # noqa: F401
    import pydantic  # noqa: F401
    from PySide6.QtWidgets import QApplication

    marks = [time.perf_counter()]

    def mark() -> None:
        marks.append(time.perf_counter())

    from PySide6 import QtCore, QtWidgets

    QtCore.Qt  # noqa: B018 - the first access builds the namespace's Python enums
    mark()
    QtWidgets.QStyle  # noqa: B018
    mark()
    import importlib.metadata  # noqa: F401

    mark()
    import engine.model.project

    mark()
    import engine.evaluate
    import engine.templates

    mark()
    from gui.mainwindow import MainWindow

    mark()
    app = QApplication(sys.argv[:1])
    window = MainWindow()
    mark()
    window.open_project(engine.templates.load_template("support-assistant"))
    mark()
    window.resize(1366, 768)
    window.show()
    app.processEvents()
    mark()
    steps = [(b - a) * 1000 for a, b in itertools.pairwise(marks)]
    print(json.dumps(dict(zip(START_PARTS, steps, strict=True))))


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


# Where an edit's time goes: (key, row label).
PARTS = (
    ("engine", "engine"),
    ("window", "window before the event loop"),
    ("chart_paint", "chart repaint"),
    ("event_loop", "rest of the event loop"),
)


def _edits(args: list[str]) -> None:
    """``--template NAME`` or ``--file PATH``, optionally ``--field SECTION NAME`` (the field
    typed into; the monthly volume by default)."""
    import gui.document
    from benchmarks.redraw import redraw_clock

    field_path = ("workload", "queries_per_month")
    if "--field" in args:
        at = args.index("--field")
        field_path = (args[at + 1], args[at + 2])
        args = args[:at] + args[at + 3 :]
    # Timers around the engine's evaluation (as the document calls it) and the chart's paint.
    spent = {"engine": 0.0, "chart_paint": 0.0, "change": 0.0}
    evaluate = gui.document.evaluate_with_curves

    def timed_evaluate(*a: Any, **k: Any) -> Any:
        start = time.perf_counter()
        try:
            return evaluate(*a, **k)
        finally:
            spent["engine"] += time.perf_counter() - start

    gui.document.evaluate_with_curves = timed_evaluate  # type: ignore[assignment]
    app, window = _window(args)
    window.ensure_chart()
    for _ in range(20):
        app.processEvents()
    plot = window.chart._plot
    paint = type(plot).paintEvent

    def timed_paint(event: Any) -> None:
        start = time.perf_counter()
        try:
            paint(plot, event)
        finally:
            spent["chart_paint"] += time.perf_counter() - start

    plot.paintEvent = timed_paint
    field = window.inputs.show_field(*field_path)
    measure = redraw_clock(app, window)
    base = float(field.value())  # type: ignore[attr-defined]
    samples: list[float] = []
    parts: dict[str, list[float]] = {key: [] for key, _ in PARTS}
    for i in range(EDITS):
        spent.update(engine=0.0, chart_paint=0.0, change=0.0)

        def change(i: int = i) -> None:
            start = time.perf_counter()
            field.setValue(base * (1.0 + 0.01 * ((i % 40) - 20)))  # type: ignore[attr-defined]
            spent["change"] = time.perf_counter() - start

        total = measure(change)
        samples.append(total)
        engine, paint_ms, before = (
            spent[key] * 1000.0 for key in ("engine", "chart_paint", "change")
        )
        parts["engine"].append(engine)
        parts["window"].append(before - engine)
        parts["chart_paint"].append(paint_ms)
        parts["event_loop"].append(total - before - paint_ms)
    del plot.paintEvent
    gui.document.evaluate_with_curves = evaluate  # type: ignore[assignment]
    floor = _bare_chart_floor(app, window)
    print(
        json.dumps(
            {
                "ms": samples[20:],
                "floor_ms": floor[20:],
                "parts": {key: values[20:] for key, values in parts.items()},
            }
        )
    )


def _bare_chart_floor(app: Any, window: Any) -> list[float]:
    """setData → repaint of a bare pyqtgraph plot the size of the app's, in this process: the
    same three curves (the app's data, point count and pens), log x axis and fixed range, the
    curves drawn as the app draws them while values change (not antialiased)."""
    import numpy as np
    import pyqtgraph as pg

    from benchmarks.redraw import _PaintCounter
    from engine.model.scenario import STRATEGIES

    chart = window.ensure_chart()
    size = chart._plot.size()
    data = window.document.curves
    volumes = np.asarray(data.volumes, dtype=float)
    ys = {k: np.asarray(data.tco[k], dtype=float) for k in STRATEGIES}
    plot = pg.PlotWidget()
    item = plot.getPlotItem()
    item.setMenuEnabled(False)
    item.hideButtons()
    item.setLogMode(x=True, y=False)
    item.getAxis("left").setWidth(64)
    curves = []
    for key in STRATEGIES:
        curve = pg.PlotDataItem(
            [], [], antialias=False, dynamicRangeLimit=None, skipFiniteCheck=True
        )
        curve.setPen(chart._curve_pen(key))
        item.addItem(curve)
        curves.append((curve, ys[key]))
    top = max(float(np.max(y)) for y in ys.values())
    item.getViewBox().setRange(
        xRange=(np.log10(volumes[0]), np.log10(volumes[-1])), yRange=(0, top * 1.3), padding=0
    )
    item.getViewBox().disableAutoRange()
    plot.resize(size)
    plot.show()
    for _ in range(20):
        app.processEvents()
    counter = _PaintCounter()
    plot.viewport().installEventFilter(counter)
    samples = []
    for i in range(EDITS):
        factor = 1.0 + 0.01 * ((i % 40) - 20)
        before = counter.count
        start = time.perf_counter()
        for curve, y in curves:
            curve.setData(volumes, y * factor)
        deadline = start + 5.0
        while counter.count == before and time.perf_counter() < deadline:
            app.processEvents()
        samples.append((time.perf_counter() - start) * 1000.0)
    plot.close()
    return samples


if __name__ == "__main__":
    t0 = time.perf_counter()
    mode, rest = sys.argv[1], sys.argv[2:]
    if mode == "bare":
        _bare(t0)
    elif mode == "bare_numeric":
        _bare(t0, numeric=True)
    elif mode == "bare_plot":
        _bare(t0, plot=True)
    elif mode == "bare_models":
        _bare(t0, models=True)
    elif mode == "start":
        _start(t0)
    elif mode == "start_parts":
        _start_parts()
    else:
        _edits(list(rest))
