"""Test set-up shared by every suite.

FTRAG_BLOCK_QT=1 makes PySide6, shiboken6 and pyqtgraph unimportable, to prove the engine and its
tests need no Qt (`make engine-without-qt`)."""

from __future__ import annotations

import importlib.abc
import os
import sys
import tempfile
import threading
from collections.abc import Iterator

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Price data a user imported on this machine must not leak into the tests: an empty folder.
os.environ.setdefault("FTRAG_DATA_DIR", tempfile.mkdtemp(prefix="ftrag-test-data-"))

BLOCKED = ("PySide6", "shiboken6", "pyqtgraph")


class _BlockQt(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname: str, path: object, target: object = None) -> None:
        if fullname.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"{fullname} is blocked: the engine must run without Qt")
        return


if os.environ.get("FTRAG_BLOCK_QT") == "1":
    for name in list(sys.modules):
        if name.split(".")[0] in BLOCKED:
            del sys.modules[name]
    sys.meta_path.insert(0, _BlockQt())


# --- Background work: opt-in, and nothing left running -------------------------------------
#
# A window whose scenario has ranges starts a Monte Carlo run once its edits pause, and a shown
# decision map computes; a test that is not about them pays for them (every window build) and
# races with them.  So, for every test, the runners' ``autostart`` is off unless the test asks:
#
#     @pytest.mark.uncertainty    the window's Monte Carlo runs by itself, as in the app
#     @pytest.mark.decision_map   the decision map computes by itself when shown
#
# (``runner.run_now()`` starts a run either way.)  After every test, nothing may still run: the
# worker pools must drain within a grace period and no Python thread the test started may
# still be alive; a failure names what was left.

#: How long a test's background work may take to stop once its windows are closed (a stale run
#: stops at its next engine call; generous, for a loaded machine).
DRAIN_MS = 10_000


def _qt_loaded() -> bool:
    return "PySide6.QtCore" in sys.modules and os.environ.get("FTRAG_BLOCK_QT") != "1"


def _worker_pools() -> dict[str, object]:
    """The application's thread pools that exist so far, by name."""
    from PySide6.QtCore import QThreadPool

    pools: dict[str, object] = {"global": QThreadPool.globalInstance()}
    runs = sys.modules.get("gui.latest_run")
    if runs is not None and runs._pool is not None:
        pools["Monte Carlo / decision map"] = runs._pool
    solver = sys.modules.get("gui.solver_dialog")
    if solver is not None and solver._POOL is not None:
        pools["solver"] = solver._POOL
    return pools


@pytest.fixture(autouse=True)
def _background_work(request: pytest.FixtureRequest) -> Iterator[None]:
    qt = _qt_loaded()
    mp = pytest.MonkeyPatch()
    if qt:
        from gui.decision_map.worker import MapRunner
        from gui.uncertainty.worker import UncertaintyRunner

        if request.node.get_closest_marker("uncertainty") is None:
            mp.setattr(UncertaintyRunner, "autostart", False)
        if request.node.get_closest_marker("decision_map") is None:
            mp.setattr(MapRunner, "autostart", False)
    threads_before = set(threading.enumerate())
    try:
        yield
    finally:
        mp.undo()
    _check_nothing_left_running(threads_before, qt)


def _left_open() -> list[str]:
    """Windows and dialogs still on screen, and timers still ticking in any top-level widget
    that survived the test (a window the test built without handing it to qtbot)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    if not isinstance(QApplication.instance(), QApplication):
        return []
    left = []
    for widget in QApplication.topLevelWidgets():
        name = f"{type(widget).__name__} {widget.windowTitle()!r}".rstrip(" '")
        if widget.isVisible():
            left.append(f"{name} still shown")
        timers = [t for t in widget.findChildren(QTimer) if t.isActive()]
        if timers:
            left.append(f"{name}: {len(timers)} timer(s) still active")
        if widget.isVisible() or timers:
            # Reported once, here: closed so that the next test starts clean (one leftover
            # must fail its own test, not every test after it).
            for timer in timers:
                timer.stop()
            widget.close()
            widget.deleteLater()
    return left


def _check_nothing_left_running(threads_before: set[threading.Thread], qt: bool) -> None:
    busy = []
    if qt:
        from PySide6.QtCore import QCoreApplication, QEvent

        # The test's windows are closed (pytest-qt tears them down before this fixture): let
        # their deferred deletions and the cancellations they cause happen.
        if QCoreApplication.instance() is not None:
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            QCoreApplication.processEvents()
        busy = [
            f"{name} pool ({pool.activeThreadCount()} running)"  # type: ignore[attr-defined]
            for name, pool in _worker_pools().items()
            if not pool.waitForDone(DRAIN_MS)  # type: ignore[attr-defined]
        ]
        busy += _left_open()
    left = [
        t
        for t in set(threading.enumerate()) - threads_before
        if not isinstance(t, threading._DummyThread)  # Qt's pool threads, seen from Python
    ]
    for thread in left:
        thread.join(DRAIN_MS / 1000)
    alive = [t.name for t in left if t.is_alive()]
    if busy or alive:
        pytest.fail(
            "the test left background work running: " + ", ".join(busy + alive), pytrace=False
        )
