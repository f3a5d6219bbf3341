"""The Monte Carlo analysis of the current scenario, off the GUI thread.

After every fresh evaluation of a scenario that has ranges, :class:`UncertaintyRunner` waits for
the edits to pause (debounce, 150 ms), then hands :func:`engine.uncertainty.analyse` to the
process's one-thread pool.  Every request carries a *generation*; an edit of anything the
analysis reads increments it, and the run in flight is cancelled at once (a per-thread profile
hook stops it at its next function call, within milliseconds), a queued run that has become
stale returns before it starts, and a result that still arrives for older inputs is dropped.
So a typing burst never competes with a run, and the last edit's run starts once the typing
pauses.  The GUI thread never waits for a run — not even when a window closes (results are
routed to their runner by a process-wide dispatcher, and a closed window's are dropped); only
application exit waits for the run in flight, so no Python code runs in a pool thread at
interpreter shutdown.

Exceptions are caught in the worker and come back as :attr:`UncertaintyRunner.failed` (the
window shows them in the status bar); nothing is raised in the thread.

A measured pitfall: imports from two threads at once crashed inside pydantic/shiboken's import
hook, so every module the worker needs is imported here, on the GUI thread, and the first run of
the process is preceded by a tiny analysis on the GUI thread (≈ 25 ms, once) that executes every
import the analysis does lazily.  (Lowering the interpreter's GIL switch interval was measured
too: no difference to the edit latency, so the process-wide setting is left alone.)
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import logging
import sys
import time
from dataclasses import dataclass
from functools import partial
from typing import Any, ClassVar

import numpy as np  # noqa: F401 - imported on the GUI thread before any run (see above)
from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    QRunnable,
    QSettings,
    QThreadPool,
    QTimer,
    Signal,
)

from engine.evaluate import Curves
from engine.model.project import Project
from engine.model.results import Evaluation
from engine.model.scenario import Scenario
from engine.uncertainty import DEFAULT_SAMPLES, Distribution, Uncertainty, analyse, uncertain_inputs

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


class _Dispatcher(QObject):
    """One per process, on the GUI thread, parented to the application: the pool threads emit
    on it (so delivery is queued to the GUI thread) and it hands each result to the runner that
    asked — if that runner still exists.  A window closing never waits for a run."""

    done = Signal(int, object)  # runner key, Result
    failed = Signal(int, int, str)  # runner key, generation, message
    skipped = Signal(int, int)  # runner key, generation: stale before it started
    cancelled = Signal(int, int)  # runner key, generation: stopped when its inputs changed

    def __init__(self, parent: QObject | None) -> None:
        super().__init__(parent)
        self.runners: dict[int, UncertaintyRunner] = {}
        self.done.connect(self._done)
        self.failed.connect(self._failed)
        self.skipped.connect(self._skipped)
        self.cancelled.connect(self._cancelled)

    def _done(self, key: int, result: Result) -> None:
        runner = self.runners.get(key)
        if runner is not None:
            runner._done(result)

    def _failed(self, key: int, generation: int, message: str) -> None:
        runner = self.runners.get(key)
        if runner is not None:
            runner._failed(generation, message)

    def _skipped(self, key: int, _generation: int) -> None:
        runner = self.runners.get(key)
        if runner is not None:
            runner._finished_one()

    def _cancelled(self, key: int, _generation: int) -> None:
        runner = self.runners.get(key)
        if runner is not None:
            runner.cancelled += 1
            runner._finished_one()


_dispatcher: _Dispatcher | None = None
_pool: QThreadPool | None = None
_warmed = False


def _shared() -> tuple[_Dispatcher, QThreadPool]:
    """The process's dispatcher and one-thread pool (created on the GUI thread, first use)."""
    global _dispatcher, _pool
    if _dispatcher is None or _pool is None:
        app = QCoreApplication.instance()
        _dispatcher = _Dispatcher(app)
        _pool = QThreadPool()
        _pool.setMaxThreadCount(1)
        if app is not None:
            app.aboutToQuit.connect(wait_for_runs)
        atexit.register(wait_for_runs)
    return _dispatcher, _pool


def wait_for_runs(timeout_ms: int = 30_000) -> bool:
    """Drop queued runs and wait for the one in flight (app exit: no Python code may still be
    running in a pool thread when the interpreter shuts down)."""
    if _pool is None:
        return True
    if _dispatcher is not None:
        for runner in list(_dispatcher.runners.values()):
            runner._bump()  # the run in flight stops at its next function call
    _pool.clear()
    return bool(_pool.waitForDone(timeout_ms))


class _Generation:
    """The newest generation, shared with the pool thread (a plain attribute: reading an int
    is atomic under the GIL, and this object outlives the Qt objects)."""

    def __init__(self) -> None:
        self.value = 0


class _Cancelled(Exception):
    """Raised inside a run whose inputs have changed (see :func:`_cancel_when_stale`)."""


def _cancel_when_stale(newest: _Generation, generation: int) -> Any:
    """A profile function for the pool thread: at the next function call after the inputs
    changed, the run stops (a Python function call happens every few microseconds in the
    analysis, so a stale run gives the CPU back within milliseconds, and costs nothing
    measurable otherwise).  Installed with ``sys.setprofile``, which affects only the calling
    thread."""

    def check(frame: Any, event: str, _arg: Any) -> None:
        # Only in the engine's own frames: the profile function also sees calls the thread
        # makes on behalf of others (a weakref callback run by the garbage collector, a
        # finalizer), where an exception cannot propagate and is only reported as ignored.
        if (
            newest.value != generation
            and event in ("call", "c_call")
            and frame.f_globals.get("__name__", "").startswith("engine.")
        ):
            raise _Cancelled

    return check


class _Job(QRunnable):
    def __init__(
        self, key: int, request: Request, dispatcher: _Dispatcher, newest: _Generation
    ) -> None:
        super().__init__()
        self.key = key
        self.request = request
        self.dispatcher = dispatcher
        self.newest = newest
        self.setAutoDelete(True)

    def run(self) -> None:
        request = self.request
        # Never raise in a pool thread: report it.  (RuntimeError from emit: the application
        # and its dispatcher are already gone.)
        with contextlib.suppress(RuntimeError):
            try:
                if request.generation != self.newest.value:
                    self.dispatcher.skipped.emit(self.key, request.generation)
                    return
                started = time.perf_counter()
                sys.setprofile(_cancel_when_stale(self.newest, request.generation))
                try:
                    result = analyse(
                        request.project,
                        request.scenario,
                        request.evaluation,
                        samples=request.samples,
                        seed=request.seed,
                        distribution=request.distribution,
                    )
                finally:
                    sys.setprofile(None)
                elapsed = (time.perf_counter() - started) * 1000.0
                self.dispatcher.done.emit(self.key, Result(request, result, elapsed))
            except _Cancelled:
                self.dispatcher.cancelled.emit(self.key, request.generation)
            except Exception as exc:
                log.exception("uncertainty analysis failed")
                message = f"{type(exc).__name__}: {exc}"
                self.dispatcher.failed.emit(self.key, request.generation, message)


_keys = itertools.count(1)


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


class UncertaintyRunner(QObject):
    """Runs the analysis for the document's current scenario (see the module docstring).

    Signals: ``scheduled`` (new inputs: results on screen are out of date until the next
    ``finished``), ``finished(Result)``, ``failed(str)``, ``cleared`` (the scenario has no
    ranges: nothing to show).
    """

    scheduled = Signal()
    finished = Signal(object)
    failed = Signal(str)
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
        super().__init__(parent)
        self._dispatcher, self._pool = _shared()
        self._key_id = next(_keys)
        self._newest = _Generation()
        self._dispatcher.runners[self._key_id] = self
        self.destroyed.connect(partial(_retire, self._key_id, self._newest))
        self.document = document
        self.samples = samples if samples is not None else saved_samples()
        self.seed = seed
        self.result: Result | None = None
        self.dropped = 0  # runs that finished after their inputs changed (tests, benchmark)
        self.cancelled = 0  # runs stopped half-way because their inputs changed
        self.completed = 0
        self._in_flight = 0
        self._key: tuple[Any, ...] | None = None
        self._request: Request | None = None
        self._submitted = -1  # the generation last handed to the pool
        self._has_ranges = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self._submit)
        self._unscheduled = False  # the analysed inputs changed; no run scheduled for them yet
        document.changed.connect(self._changed)
        document.evaluated.connect(self._evaluated)
        if document.evaluation is not None:
            self._evaluated(document.evaluation, document.curves)

    # --- state -----------------------------------------------------------------------------

    def is_busy(self) -> bool:
        """A run is scheduled, queued or computing."""
        return self._timer.isActive() or self._in_flight > 0

    def is_running(self) -> bool:
        """A run is queued or computing in the pool."""
        return self._in_flight > 0

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

    def shutdown(self) -> None:
        """Stop: nothing more is scheduled, and results still on their way are dropped."""
        self._timer.stop()
        self._bump()
        self._dispatcher.runners.pop(self._key_id, None)

    @property
    def generation(self) -> int:
        """Incremented by every change of the analysed inputs; results of older ones are
        dropped."""
        return self._newest.value

    def _bump(self) -> None:
        self._newest.value += 1

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
        self._has_ranges = bool(uncertain_inputs(scenario))
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
        self._in_flight += 1
        self._pool.start(_Job(self._key_id, request, self._dispatcher, self._newest))

    # --- results (GUI thread) ----------------------------------------------------------------

    def _finished_one(self) -> None:
        self._in_flight = max(0, self._in_flight - 1)

    def _done(self, result: Result) -> None:
        self._finished_one()
        if result.generation != self.generation:
            self.dropped += 1
            return
        self.completed += 1
        self.result = result
        self.finished.emit(result)

    def _failed(self, generation: int, message: str) -> None:
        self._finished_one()
        if generation == self.generation:
            self.failed.emit(message)


def _retire(key: int, newest: _Generation, *_: object) -> None:
    """A runner is gone (its window closed): its run in flight stops, its results are dropped."""
    newest.value += 1
    if _dispatcher is not None:
        _dispatcher.runners.pop(key, None)


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
