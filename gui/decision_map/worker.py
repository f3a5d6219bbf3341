"""The decision map of the current scenario, off the GUI thread.

The same pattern as the Monte Carlo runner (gui.uncertainty.worker), on the same one-thread
pool, so a map and a Monte Carlo run never compete with each other for the second core while the
GUI thread redraws the chart: every request carries a *generation*; a new request (an edit, other
axes) increments it, the run in flight stops at its next engine function call, a queued run that
has gone stale returns before it starts, and a result that still arrives for older inputs is
dropped.  The map on screen stays until the new one lands.

The runner only computes while it is *active* (its tab is on screen): an edit made while the tab
is hidden only marks the map out of date, and showing the tab runs it once.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import sys
import time
from dataclasses import dataclass
from typing import Any, ClassVar

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QTimer, Signal

from engine.decision_map import Axis, DecisionMap, DecisionMapError, decision_map
from engine.model.project import Project
from engine.model.results import Evaluation
from engine.model.scenario import Scenario
from gui.uncertainty.worker import _cancel_when_stale, _Cancelled, _Generation, _shared

log = logging.getLogger(__name__)

DEBOUNCE_MS = 120
RESOLUTION = 120


@dataclass(frozen=True)
class MapRequest:
    generation: int
    project: Project
    scenario: Scenario
    evaluation: Evaluation
    x: Axis
    y: Axis
    resolution: int


@dataclass(frozen=True)
class MapResult:
    request: MapRequest
    map: DecisionMap
    elapsed_ms: float


class _Dispatcher(QObject):
    """One per process, on the GUI thread: pool threads emit here (queued to the GUI thread)
    and each result goes to the runner that asked, if it still exists."""

    done = Signal(int, object)
    failed = Signal(int, int, str)
    ended = Signal(int)  # skipped or cancelled: nothing to show

    def __init__(self, parent: QObject | None) -> None:
        super().__init__(parent)
        self.runners: dict[int, MapRunner] = {}
        self.done.connect(lambda key, result: self._call(key, "_done", result))
        self.failed.connect(lambda key, gen, msg: self._call(key, "_failed", gen, msg))
        self.ended.connect(lambda key: self._call(key, "_ended"))

    def _call(self, key: int, name: str, *args: Any) -> None:
        runner = self.runners.get(key)
        if runner is not None:
            getattr(runner, name)(*args)


_dispatcher: _Dispatcher | None = None
_keys = itertools.count(1)


def _map_dispatcher() -> _Dispatcher:
    global _dispatcher
    if _dispatcher is None:
        _dispatcher = _Dispatcher(QCoreApplication.instance())
    return _dispatcher


class _Job(QRunnable):
    def __init__(
        self, key: int, request: MapRequest, dispatcher: _Dispatcher, newest: _Generation
    ) -> None:
        super().__init__()
        self.key, self.request, self.dispatcher, self.newest = key, request, dispatcher, newest
        self.setAutoDelete(True)

    def run(self) -> None:
        request = self.request
        with contextlib.suppress(RuntimeError):  # the application is already gone
            try:
                if request.generation != self.newest.value:
                    self.dispatcher.ended.emit(self.key)
                    return
                started = time.perf_counter()
                sys.setprofile(_cancel_when_stale(self.newest, request.generation))
                try:
                    result = decision_map(
                        request.project,
                        request.scenario,
                        request.x,
                        request.y,
                        request.resolution,
                        base=request.evaluation,
                    )
                finally:
                    sys.setprofile(None)
                elapsed = (time.perf_counter() - started) * 1000.0
                self.dispatcher.done.emit(self.key, MapResult(request, result, elapsed))
            except _Cancelled:
                self.dispatcher.ended.emit(self.key)
            except DecisionMapError as exc:
                self.dispatcher.failed.emit(self.key, request.generation, str(exc))
            except Exception as exc:
                log.exception("decision map failed")
                message = f"{type(exc).__name__}: {exc}"
                self.dispatcher.failed.emit(self.key, request.generation, message)


class MapRunner(QObject):
    """Computes the map for the document's scenario and the chosen axes, while active.

    Signals: ``scheduled`` (the map on screen is out of date), ``finished(MapResult)``,
    ``failed(str)``.
    """

    scheduled = Signal()
    finished = Signal(object)
    failed = Signal(str)

    #: Whether showing the map (or an edit while it is shown) starts a computation by itself
    #: once the edits pause.  Switched off (process-wide) by the test suite for windows whose
    #: tests are not about the map; :meth:`run_now` still starts one.
    autostart: ClassVar[bool] = True

    def __init__(
        self,
        document: Any,
        parent: QObject | None = None,
        *,
        resolution: int = RESOLUTION,
        debounce_ms: int = DEBOUNCE_MS,
    ) -> None:
        super().__init__(parent)
        self._dispatcher = _map_dispatcher()
        self._pool = _shared()[1]
        self._key_id = next(_keys)
        self._newest = _Generation()
        self._dispatcher.runners[self._key_id] = self
        key, newest = self._key_id, self._newest
        self.destroyed.connect(lambda *_: _retire(key, newest))
        self.document = document
        self.resolution = resolution
        self.axes: tuple[Axis, Axis] | None = None
        self.result: MapResult | None = None
        self.active = False
        self.completed = 0
        self.dropped = 0
        self._in_flight = 0
        self._stale = True  # the result held does not describe the current inputs
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self._submit)
        document.changed.connect(self._changed)
        document.evaluated.connect(self._evaluated)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    # --- state -------------------------------------------------------------------------------

    @property
    def generation(self) -> int:
        return self._newest.value

    def is_busy(self) -> bool:
        return self._timer.isActive() or self._in_flight > 0

    def is_current(self) -> bool:
        return self.result is not None and not self._stale and not self.is_busy()

    def set_active(self, active: bool) -> None:
        """Compute only while the map is on screen; showing it brings it up to date."""
        self.active = active
        if active and self._stale:
            self._schedule()
        elif not active:
            self._timer.stop()

    def set_axes(self, x: Axis, y: Axis) -> None:
        if self.axes == (x, y):
            return
        self.axes = (x, y)
        self._invalidate()

    def set_resolution(self, resolution: int) -> None:
        if resolution != self.resolution:
            self.resolution = resolution
            self._invalidate()

    def run_now(self) -> bool:
        """Submit at once (tests): False when there is nothing to compute."""
        if self.axes is None or self.document.evaluation is None or not self.active:
            return False
        self._timer.stop()
        self._submit()
        return True

    def shutdown(self) -> None:
        self._timer.stop()
        self._newest.value += 1
        self._dispatcher.runners.pop(self._key_id, None)

    # --- scheduling ----------------------------------------------------------------------------

    def _invalidate(self) -> None:
        self._newest.value += 1  # the run in flight is stale: it stops at its next engine call
        self._stale = True
        if self.active:
            self._schedule()
        else:
            self._timer.stop()

    def _changed(self) -> None:
        self._newest.value += 1
        self._stale = True
        self._timer.stop()

    def _evaluated(self, _evaluation: Evaluation, _curves: object = None) -> None:
        self._stale = True
        if self.active:
            self._schedule()

    def _schedule(self) -> None:
        if self.axes is None or self.document.evaluation is None:
            return
        if self.autostart:
            self._timer.start()
        self.scheduled.emit()

    def _submit(self) -> None:
        evaluation = self.document.evaluation
        if self.axes is None or evaluation is None or not self.active:
            return
        _warm_up(self.document.project, self.document.scenario, evaluation, self.axes)
        self._newest.value += 1
        request = MapRequest(
            self.generation,
            self.document.project,
            self.document.scenario,
            evaluation,
            self.axes[0],
            self.axes[1],
            self.resolution,
        )
        self._in_flight += 1
        self._pool.start(_Job(self._key_id, request, self._dispatcher, self._newest))

    # --- results (GUI thread) --------------------------------------------------------------------

    def _ended(self) -> None:
        self._in_flight = max(0, self._in_flight - 1)

    def _done(self, result: MapResult) -> None:
        self._ended()
        if result.request.generation != self.generation:
            self.dropped += 1
            return
        self.completed += 1
        self._stale = False
        self.result = result
        self.finished.emit(result)

    def _failed(self, generation: int, message: str) -> None:
        self._ended()
        if generation == self.generation:
            self._stale = False
            self.failed.emit(message)


_warmed = False


def _warm_up(
    project: Project, scenario: Scenario, evaluation: Evaluation, axes: tuple[Axis, Axis]
) -> None:
    """Once per process, a 2 × 2 map on the GUI thread, so every lazy import has happened
    before a pool thread runs the same code (see gui.uncertainty.worker)."""
    global _warmed
    if _warmed:
        return
    _warmed = True
    try:
        decision_map(project, scenario, axes[0], axes[1], 2, base=evaluation)
    except Exception:  # the real run reports it
        log.debug("decision map warm-up failed", exc_info=True)


def _retire(key: int, newest: _Generation) -> None:
    newest.value += 1
    if _dispatcher is not None:
        _dispatcher.runners.pop(key, None)
