"""Time to export the client deliverable of the largest template in each format, as File →
Export … and ``ftrag report``/``ftrag export`` produce it: evaluation, content, layout or
document building, and writing the file.  Targets: the summary PDF under 1 s; the others are
reported (a consultant waits for them once per engagement)."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

TEMPLATE = "support-assistant"  # the largest template: two scenarios
RUNS = 5


def _row(name: str, samples: list[float], target: str) -> dict[str, object]:
    ordered = sorted(samples)
    return {
        "name": name,
        "median_ms": statistics.median(ordered),
        "p95_ms": ordered[int(0.95 * (len(ordered) - 1))],
        "runs": len(ordered),
        "target": target,
    }


def _time(write: Callable[[Path], object], out: Path, runs: int) -> list[float]:
    write(out)  # warm-up: fonts registered, price data and libraries imported
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        write(out)
        samples.append((time.perf_counter() - start) * 1000.0)
    return samples


def export_rows(runs: int = RUNS) -> list[dict[str, object]]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(["ftrag-bench"])

    from engine.spreadsheet import write_xlsx
    from engine.templates import load_template
    from gui.report import render_report
    from gui.report.docx_writer import export_docx

    project = load_template(TEMPLATE)
    source = f"{TEMPLATE}.ftrag"
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        cases: list[tuple[str, Callable[[Path], object], str, str]] = [
            (
                "PDF summary",
                lambda p: render_report(project, p, mode="summary", source_name=source),
                "pdf",
                "< 1 s",
            ),
            (
                "PDF full",
                lambda p: render_report(project, p, mode="full", source_name=source),
                "pdf",
                "",
            ),
            (
                "DOCX summary",
                lambda p: export_docx(project, p, mode="summary", source_name=source),
                "docx",
                "",
            ),
            (
                "DOCX full",
                lambda p: export_docx(project, p, mode="full", source_name=source),
                "docx",
                "",
            ),
        ]
        cases.append(("XLSX", lambda p: write_xlsx(project, p), "xlsx", ""))
        for label, write, suffix, target in cases:
            samples = _time(write, base / f"report.{suffix}", runs)
            rows.append(_row(f"export {label}: {TEMPLATE}", samples, target))
    del app
    return rows


if __name__ == "__main__":  # pragma: no cover
    for row in export_rows():
        print(row)
