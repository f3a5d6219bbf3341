"""Report generation time: the whole PDF (evaluation, layout, chart, writing the file) of the
largest template, as File → Export PDF and ``ftrag report`` produce it.  Target: under 1 s."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

TEMPLATE = "support-assistant"  # the largest template: two scenarios
RUNS = 7


def report_rows(runs: int = RUNS) -> list[dict[str, object]]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(["ftrag-bench"])

    from engine.templates import load_template
    from gui.report import render_report

    project = load_template(TEMPLATE)
    samples: list[float] = []
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "report.pdf"
        render_report(project, out)  # warm-up: fonts registered, price data imported
        for _ in range(runs):
            start = time.perf_counter()
            render_report(project, out, source_name=f"{TEMPLATE}.ftrag")
            samples.append((time.perf_counter() - start) * 1000.0)
    del app
    ordered = sorted(samples)
    return [
        {
            "name": f"report generation: {TEMPLATE}",
            "median_ms": statistics.median(ordered),
            "p95_ms": ordered[int(0.95 * (len(ordered) - 1))],
            "runs": len(ordered),
            "target": "< 1 s",
        }
    ]


if __name__ == "__main__":  # pragma: no cover
    for row in report_rows():
        print(row)
