"""The clock both GUI benchmarks read: one change, then the event loop until the chart's plot
has repainted (runs inside a benchmark child, with the real window)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject

TIMEOUT_S = 5.0


class _PaintCounter(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def redraw_clock(app: Any, window: Any) -> Callable[[Callable[[], object]], float]:
    """``measure(change)``: apply ``change``, return the milliseconds until the plot has
    repainted (at most TIMEOUT_S), and end the edit burst as a pause in typing would."""
    counter = _PaintCounter()
    window.ensure_chart()._plot.viewport().installEventFilter(counter)
    window._redraw_counter = counter  # kept alive as long as the window

    def measure(change: Callable[[], object]) -> float:
        before = counter.count
        start = time.perf_counter()
        change()
        deadline = start + TIMEOUT_S
        while counter.count == before and time.perf_counter() < deadline:
            app.processEvents()
        elapsed = (time.perf_counter() - start) * 1000.0
        window.document.end_edit_burst()
        return elapsed

    return measure
