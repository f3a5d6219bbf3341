"""The report of the benchmark's largest project (200 scenarios, 600 months): the client
summary and the full report as PDF, each made in a fresh child process as ``ftrag report``
makes it (load the file, evaluate, lay out, write).  Reported: time, pages, bytes and the
child's peak resident memory.  Target: each ≤ 60 s and ≤ 1 GB.

By default a report of more than DETAIL_LIMIT scenarios details the chosen scenario and
compares all of them in one table (gui.report.model); these rows measure that default."""

from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.child import run_child

TARGET = "≤ 60 s, ≤ 1 GB"


def _child(mode: str, out: str) -> None:
    """In the child: write the PDF as ``ftrag report`` does; print one JSON line."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication(["ftrag-bench"])
    from benchmarks.largest import LARGEST
    from engine.fileformat import load_project
    from gui.report import render_report
    from gui.report.branding import ReportMode

    start = time.perf_counter()
    project = load_project(LARGEST)
    chosen: ReportMode = "full" if mode == "full" else "summary"
    result = render_report(project, out, mode=chosen, source_name=LARGEST.name)
    seconds = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    del app
    print(json.dumps({"seconds": seconds, "pages": result.pages, "peak_rss_mb": peak_kib / 1024}))


def _value(name: str, number: float, target: str = "") -> dict[str, object]:
    return {"name": name, "value": number, "number": number, "target": target}


def rows() -> list[dict[str, object]]:
    from benchmarks.largest import write_largest

    write_largest()
    out_rows: list[dict[str, object]] = []
    with tempfile.TemporaryDirectory() as folder:
        for mode, label in (("summary", "summary PDF"), ("full", "full PDF")):
            out = Path(folder) / f"largest-{mode}.pdf"
            measured = run_child("benchmarks.largest_report_bench", mode, str(out), timeout=1800)
            size = out.stat().st_size
            name = f"report of the largest project: {label}"
            ms = float(measured["seconds"]) * 1000.0
            out_rows += [
                {"name": name, "median_ms": ms, "p95_ms": ms, "runs": 1, "target": TARGET},
                _value(f"{name}: pages", int(measured["pages"])),
                _value(f"{name}: MB", round(size / 1e6, 2)),
                _value(f"{name}: peak RSS (MB)", round(float(measured["peak_rss_mb"])), "≤ 1024"),
            ]
    return out_rows


if __name__ == "__main__":  # pragma: no cover
    if len(sys.argv) == 3:
        _child(sys.argv[1], sys.argv[2])
    else:
        for row in rows():
            print(row)
