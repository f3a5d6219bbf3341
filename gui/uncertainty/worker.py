"""The Monte Carlo analysis of the current scenario, off the GUI thread.

After every fresh evaluation of a scenario that has ranges, :class:`UncertaintyRunner` waits for
the edits to pause (debounce, 150 ms), then hands :func:`engine.uncertainty.analyse` to the
process's one-thread pool, where the latest request wins (gui.latest_run): an edit of anything
the analysis reads cancels the run in flight at once, so a typing burst never competes with a
run, and the last edit's run starts once the typing pauses.  The GUI thread never waits for a
run — not even when a window closes; only application exit waits for the run in flight.

Exceptions are caught in the worker and come back as :attr:`UncertaintyRunner.failed` (the
window shows them in the status bar); nothing is raised in the thread.

A measured pitfall: imports from two threads at once crashed inside pydantic/shiboken's import
hook, so every module the worker needs is imported here, on the GUI thread, and the first run of
the process is preceded by a tiny analysis on the GUI thread (≈ 25 ms, once) that executes every
import the analysis does lazily.  (Lowering the interpreter's GIL switch interval was measured
too: no difference to the edit latency, so the process-wide setting is left alone.)
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np  # noqa: F401 - imported on the GUI thread before any run (see above)
from PySide6.QtCore import (
    QObject,
    QSettings,
    Signal,
)

from engine.evaluate import Curves
from engine.model.project import Project
from engine.model.results import Evaluation
from engine.model.scenario import Scenario
from engine.uncertainty import (
    DEFAULT_SAMPLES,
    Distribution,
    Uncertainty,
    analyse,
    has_uncertain_inputs,
)
from gui.latest_run import Job, LatestRunner

log = logging.getLogger(__name__)

DEBOUNCE_MS = 150
SEED = 0
SAMPLE_CHOICES = (1_000, 5_000, 10_000, 50_000)
SETTINGS_KEY = "uncertainty/samples"


def saved_samples() -> int:
    """The number of samples the user chose (QSettings), 5,000 by default."""
    value = QSettings().value(SETTINGS_KEY, DEFAULT_SAMPLES)
    try:
        samples = int(str(value))
    except ValueError:
        return DEFAULT_SAMPLES
    return samples if 100 <= samples <= 1_000_000 else DEFAULT_SAMPLES


def save_samples(samples: int) -> None:
    QSettings().setValue(SETTINGS_KEY, int(samples))


@dataclass(frozen=True)
class Request:
    """Everything one run needs: immutable snapshots, so the worker shares nothing mutable."""

    generation: int
    project: Project
    scenario: Scenario
    evaluation: Evaluation
    samples: int
    seed: int
    distribution: Distribution


@dataclass(frozen=True)
class Result:
    request: Request
    uncertainty: Uncertainty
    elapsed_ms: float

    @property
    def generation(self) -> int:
        return self.request.generation


_warmed = False


class _Job(Job):
    what = "uncertainty analysis"

    def compute(self) -> Uncertainty:
        request: Request = self.request
        return analyse(
            request.project,
            request.scenario,
            request.evaluation,
            samples=request.samples,
            seed=request.seed,
            distribution=request.distribution,
        )

    def result(self, value: Uncertainty, elapsed_ms: float) -> Result:
        return Result(self.request, value, elapsed_ms)


def _inputs_key(project: Project, scenario: Scenario, samples: int) -> tuple[Any, ...]:
    """What a run depends on: the scenario snapshot (immutable: identity is enough), the
    project fields that feed the engine, and the run's own settings."""
    return (
        scenario,
        project.currency,
        project.usd_exchange_rate,
        project.catalog_overrides,
        project.distribution,
        samples,
    )


def _same_key(a: tuple[Any, ...] | None, b: tuple[Any, ...]) -> bool:
    return a is not None and all(x is y or x == y for x, y in zip(a, b, strict=True))


class UncertaintyRunner(LatestRunner):
    """Runs the analysis for the document's current scenario (see the module docstring).

    Signals: ``scheduled`` (new inputs: results on screen are out of date until the next
    ``finished``), ``finished(Result)``, ``failed(str)``, ``cleared`` (the scenario has no
    ranges: nothing to show).
    """

    cleared = Signal()

    #: Whether a fresh evaluation starts a run by itself once the edits pause.  Switched off
    #: (process-wide) by the test suite for windows whose tests are not about the analysis, so
    #: that building a window does not start a Monte Carlo run; :meth:`run_now` still starts one.
    autostart: ClassVar[bool] = True

    def __init__(
        self,
        document: Any,
        parent: QObject | None = None,
        *,
        samples: int | None = None,
        seed: int = SEED,
        debounce_ms: int = DEBOUNCE_MS,
    ) -> None:
        super().__init__(parent, debounce_ms)
        self.document = document
        self.samples = samples if samples is not None else saved_samples()
        self.seed = seed
        self.result: Result | None = None
        self._key: tuple[Any, ...] | None = None
        self._request: Request | None = None
        self._submitted = -1  # the generation last handed to the pool
        self._has_ranges = False
        self._unscheduled = False  # the analysed inputs changed; no run scheduled for them yet
        document.changed.connect(self._changed)
        document.evaluated.connect(self._evaluated)
        if document.evaluation is not None:
            self._evaluated(document.evaluation, document.curves)

    # --- state -----------------------------------------------------------------------------

    def has_ranges(self) -> bool:
        return self._has_ranges

    def is_current(self) -> bool:
        """The result held describes the inputs on screen."""
        return self.result is not None and not self.is_busy() and self._has_ranges

    def set_samples(self, samples: int) -> None:
        """Another sample count (remembered in the settings); the analysis runs again."""
        if samples == self.samples:
            return
        self.samples = int(samples)
        save_samples(self.samples)
        self.restart()

    def restart(self) -> None:
        """Analyse the current inputs again (after a settings change)."""
        self._key = None
        if self.document.evaluation is not None:
            self._evaluated(self.document.evaluation, self.document.curves)

    def run_now(self) -> bool:
        """Start the analysis of the current inputs without waiting for the debounce (tests,
        the benchmark); False when there is nothing to analyse."""
        request = self._request
        if (
            request is None
            or request.generation in (self._submitted, -1)
            or (request.generation != self.generation)
        ):
            return False
        self._timer.stop()
        self._submit()
        return True

    # --- scheduling ------------------------------------------------------------------------

    def _current_key(self) -> tuple[Any, ...]:
        return _inputs_key(self.document.project, self.document.scenario, self.samples)

    def _changed(self) -> None:
        """The project changed (before it is re-evaluated): if the analysed inputs did, the run
        in flight is stale — cancel it now, so it does not compete with the evaluation and
        redraw of this very edit."""
        key = self._current_key()
        if not _same_key(self._key, key):
            self._key = key
            self._bump()
            self._timer.stop()
            self._request = None
            self._unscheduled = True

    def _evaluated(self, evaluation: Evaluation, _curves: Curves | None = None) -> None:
        self._changed()  # (a no-op when the change was already seen)
        if not self._unscheduled:
            return  # e.g. a project title edit: nothing the analysis reads changed
        self._unscheduled = False
        scenario: Scenario = self.document.scenario
        self._has_ranges = has_uncertain_inputs(scenario)
        if not self._has_ranges:
            self.result = None
            self.cleared.emit()
            return
        project: Project = self.document.project
        self._request = Request(
            self.generation,
            project,
            scenario,
            evaluation,
            self.samples,
            self.seed,
            project.distribution,
        )
        if self.autostart:
            self._timer.start()  # runs once the edits pause (restarted by every edit)
        self.scheduled.emit()

    def _submit(self) -> None:
        request = self._request
        if request is None or request.generation != self.generation:
            return
        if request.generation == self._submitted:
            return  # already on its way
        self._submitted = request.generation
        _warm_up(request)
        self._start(_Job, request)


def _warm_up(request: Request) -> None:
    """Once per process, one tiny analysis on the GUI thread, so every lazy import has happened
    before a pool thread runs the same code."""
    global _warmed
    if _warmed:
        return
    _warmed = True
    try:
        analyse(
            request.project,
            request.scenario,
            request.evaluation,
            samples=2,
            seed=request.seed,
            distribution=request.distribution,
        )
    except Exception:  # the real run reports it
        log.debug("uncertainty warm-up failed", exc_info=True)
