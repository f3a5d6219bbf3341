"""Long computations off the GUI thread where the latest request wins: the pattern the Monte
Carlo runner (gui.uncertainty.worker) and the decision map's (gui.decision_map.worker) share.

Every request carries a *generation*; a runner increments it when its inputs change, the run in
flight then stops at its next engine function call (a per-thread profile hook), a queued run that
has gone stale returns before it starts, and a result that still arrives for older inputs is
dropped.  All runners share the process's one-thread pool, so two computations never compete for
the second core while the GUI thread redraws; results are routed to their runner by a
process-wide dispatcher on the GUI thread, so a window closing never waits for a run (a closed
window's results are dropped), and only application exit waits for the run in flight, so no
Python code runs in a pool thread at interpreter shutdown.

Exceptions are caught in the pool thread and come back as the runner's ``failed`` signal;
nothing is raised in the thread.
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import logging
import sys
import time
from functools import partial
from typing import Any, ClassVar

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, QTimer, Signal

log = logging.getLogger(__name__)


class _Dispatcher(QObject):
    """One per process, on the GUI thread, parented to the application: the pool threads emit
    on it (so delivery is queued to the GUI thread) and it hands each result to the runner that
    asked — if that runner still exists.  A window closing never waits for a run."""

    done = Signal(int, object)  # runner key, result
    failed = Signal(int, int, str)  # runner key, generation, message
    skipped = Signal(int, int)  # runner key, generation: stale before it started
    cancelled = Signal(int, int)  # runner key, generation: stopped when its inputs changed

    def __init__(self, parent: QObject | None) -> None:
        super().__init__(parent)
        self.runners: dict[int, LatestRunner] = {}
        self.done.connect(self._done)
        self.failed.connect(self._failed)
        self.skipped.connect(self._skipped)
        self.cancelled.connect(self._cancelled)

    def _done(self, key: int, result: Any) -> None:
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
_keys = itertools.count(1)


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
    engine, so a stale run gives the CPU back within milliseconds, and costs nothing
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


class Job(QRunnable):
    """One request run in the pool: :meth:`compute` is the engine call, :meth:`result` wraps
    its answer with the request and the time it took.  Errors of the kinds in ``expected`` are
    the user's to fix (their message is shown as is); any other is logged as a bug."""

    what: ClassVar[str] = "computation"  # for the log
    expected: ClassVar[tuple[type[Exception], ...]] = ()

    def __init__(
        self, key: int, request: Any, dispatcher: _Dispatcher, newest: _Generation
    ) -> None:
        super().__init__()
        self.key = key
        self.request = request
        self.dispatcher = dispatcher
        self.newest = newest
        self.setAutoDelete(True)

    def compute(self) -> Any:
        raise NotImplementedError

    def result(self, value: Any, elapsed_ms: float) -> Any:
        raise NotImplementedError

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
                    value = self.compute()
                finally:
                    sys.setprofile(None)
                elapsed = (time.perf_counter() - started) * 1000.0
                self.dispatcher.done.emit(self.key, self.result(value, elapsed))
            except _Cancelled:
                self.dispatcher.cancelled.emit(self.key, request.generation)
            except self.expected as exc:
                self.dispatcher.failed.emit(self.key, request.generation, str(exc))
            except Exception as exc:
                log.exception("%s failed", self.what)
                message = f"{type(exc).__name__}: {exc}"
                self.dispatcher.failed.emit(self.key, request.generation, message)


class LatestRunner(QObject):
    """The GUI-thread side: a debounce timer that calls :meth:`_submit` (the subclass builds the
    request and hands it to :meth:`_start`), the generation, the count of runs on their way,
    and the results routed back, where those for older inputs are dropped.

    Signals: ``scheduled`` (the result held is out of date), ``finished(result)``,
    ``failed(str)``.  Subclasses declare their own ``autostart`` (the test suite's switch)."""

    scheduled = Signal()
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None, debounce_ms: int) -> None:
        super().__init__(parent)
        self._dispatcher, self._pool = _shared()
        self._key_id = next(_keys)
        self._newest = _Generation()
        self._dispatcher.runners[self._key_id] = self
        self.destroyed.connect(partial(_retire, self._key_id, self._newest))
        self.result: Any = None
        self.completed = 0
        self.dropped = 0  # runs that finished after their inputs changed (tests, benchmark)
        self.cancelled = 0  # runs stopped half-way because their inputs changed
        self._in_flight = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self._submit)

    @property
    def generation(self) -> int:
        """Incremented by every change of the inputs; results of older ones are dropped."""
        return self._newest.value

    def _bump(self) -> None:
        self._newest.value += 1

    def is_busy(self) -> bool:
        """A run is scheduled, queued or computing."""
        return self._timer.isActive() or self._in_flight > 0

    def is_running(self) -> bool:
        """A run is queued or computing in the pool."""
        return self._in_flight > 0

    def shutdown(self) -> None:
        """Stop: nothing more is scheduled, and results still on their way are dropped."""
        self._timer.stop()
        self._bump()
        self._dispatcher.runners.pop(self._key_id, None)

    def _submit(self) -> None:
        raise NotImplementedError

    def _start(self, job_type: type[Job], request: Any) -> None:
        self._in_flight += 1
        self._pool.start(job_type(self._key_id, request, self._dispatcher, self._newest))

    # --- results (GUI thread) ----------------------------------------------------------------

    def _finished_one(self) -> None:
        self._in_flight = max(0, self._in_flight - 1)

    def _landed(self) -> None:
        """A result or a failure for the current inputs has arrived (before it is emitted)."""

    def _done(self, result: Any) -> None:
        self._finished_one()
        if result.request.generation != self.generation:
            self.dropped += 1
            return
        self.completed += 1
        self._landed()
        self.result = result
        self.finished.emit(result)

    def _failed(self, generation: int, message: str) -> None:
        self._finished_one()
        if generation == self.generation:
            self._landed()
            self.failed.emit(message)


def _retire(key: int, newest: _Generation, *_: object) -> None:
    """A runner is gone (its window closed): its run in flight stops, its results are dropped."""
    newest.value += 1
    if _dispatcher is not None:
        _dispatcher.runners.pop(key, None)
