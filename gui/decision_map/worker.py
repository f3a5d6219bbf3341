"""The decision map of the current scenario, off the GUI thread.

The same latest-request-wins runner as the Monte Carlo's (gui.latest_run), on the same
one-thread pool, so a map and a Monte Carlo run never compete with each other for the second
core while the GUI thread redraws the chart: a new request (an edit, other axes) makes the run in
flight stop at its next engine function call, and a result that still arrives for older inputs
is dropped.  The map on screen stays until the new one lands.

The runner only computes while it is *active* (its tab is on screen): an edit made while the tab
is hidden only marks the map out of date, and showing the tab runs it once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, ClassVar

from PySide6.QtCore import QCoreApplication, QObject

from engine.decision_map import Axis, DecisionMap, DecisionMapError, decision_map
from engine.model.project import Project
from engine.model.results import Evaluation
from engine.model.scenario import Scenario
from gui.latest_run import Job, LatestRunner

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


class _Job(Job):
    what = "decision map"
    expected = (DecisionMapError,)

    def compute(self) -> DecisionMap:
        request: MapRequest = self.request
        return decision_map(
            request.project,
            request.scenario,
            request.x,
            request.y,
            request.resolution,
            base=request.evaluation,
        )

    def result(self, value: DecisionMap, elapsed_ms: float) -> MapResult:
        return MapResult(self.request, value, elapsed_ms)


class MapRunner(LatestRunner):
    """Computes the map for the document's scenario and the chosen axes, while active.

    Signals: ``scheduled`` (the map on screen is out of date), ``finished(MapResult)``,
    ``failed(str)``.
    """

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
        super().__init__(parent, debounce_ms)
        self.document = document
        self.resolution = resolution
        self.axes: tuple[Axis, Axis] | None = None
        self.result: MapResult | None = None
        self.active = False
        self._stale = True  # the result held does not describe the current inputs
        document.changed.connect(self._changed)
        document.evaluated.connect(self._evaluated)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    # --- state -------------------------------------------------------------------------------

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

    # --- scheduling ----------------------------------------------------------------------------

    def _invalidate(self) -> None:
        self._bump()  # the run in flight is stale: it stops at its next engine call
        self._stale = True
        if self.active:
            self._schedule()
        else:
            self._timer.stop()

    def _changed(self) -> None:
        self._bump()
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
        self._bump()
        request = MapRequest(
            self.generation,
            self.document.project,
            self.document.scenario,
            evaluation,
            self.axes[0],
            self.axes[1],
            self.resolution,
        )
        self._start(_Job, request)

    # --- results (GUI thread) --------------------------------------------------------------------

    def _landed(self) -> None:
        self._stale = False


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
