"""Unexpected exceptions: logged with their traceback, shown in a dialog, never fatal, never
silent.

PySide6 hands an exception raised in a slot to ``sys.excepthook`` and carries on; a worker
thread's goes to ``threading.excepthook``.  Both land in :func:`report_exception`, which logs it
to a rotating file under the app's data folder and calls :func:`show_exception` (a module-level
function, so tests can replace it).  Exceptions from other threads are relayed to the GUI thread
through a queued signal before any widget is touched.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Callable
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, QStandardPaths, Qt, Signal
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

log = logging.getLogger("gui")

LOG_FILE_NAME = "ftrag.log"
LOG_MAX_BYTES = 1_000_000
LOG_BACKUPS = 3

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def log_folder() -> Path:
    """<AppDataLocation>/logs (the application and organisation names must be set first)."""
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base or Path.home() / ".ftrag-advisor") / "logs"


def setup_logging() -> logging.Handler | None:
    """Log to a rotating file; returns the handler (to remove it again), or None if the log
    folder cannot be written (the app runs anyway)."""
    folder = log_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = RotatingFileHandler(
            folder / LOG_FILE_NAME,
            maxBytes=LOG_MAX_BYTES,
            backupCount=LOG_BACKUPS,
            encoding="utf-8",
            delay=True,
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.setLevel(logging.INFO)
    root = logging.getLogger()
    root.addHandler(handler)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
    return handler


def remove_logging(handler: logging.Handler | None) -> None:
    if handler is not None:
        logging.getLogger().removeHandler(handler)
        handler.close()


def format_exception(info: ExcInfo) -> str:
    return "".join(traceback.format_exception(info[0], info[1], info[2]))


def show_exception(info: ExcInfo) -> None:
    """Tell the person something went wrong, with the traceback to copy (tests replace this)."""
    app = QApplication.instance()
    if app is None:
        return
    parent = QApplication.activeWindow()
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("Unexpected error")
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(
        "Something went wrong inside FTRAG Advisor. The app keeps running and your project is "
        "still open; save it under a new name to be safe.\n\n"
        f"{info[0].__name__}: {info[1]}"
    )
    box.setInformativeText(f"The details are logged in {log_folder() / LOG_FILE_NAME}.")
    box.setDetailedText(format_exception(info))  # selectable and copyable
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    rescue = None
    if _has_open_projects():
        rescue = box.addButton("Save &Recovery Copy", QMessageBox.ButtonRole.ActionRole)
        rescue.setToolTip("Write the open project to the recovery folder now")
    box.addButton(QMessageBox.StandardButton.Ok)
    box.exec()
    clicked = box.clickedButton()
    box.deleteLater()
    if rescue is not None and clicked is rescue:
        save_recovery_copy(parent)


def _has_open_projects() -> bool:
    from gui.recovery import live_managers  # imported late: errors.py loads before any window

    return bool(live_managers())


def save_recovery_copy(parent: QWidget | None) -> None:
    """The error dialog's "Save Recovery Copy": write every open project through the
    recovery path and say where it went (or why it could not)."""
    from gui.recovery import recovery_saved_text, save_recovery_copies

    written, problems = save_recovery_copies()
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information if written else QMessageBox.Icon.Warning)
    box.setWindowTitle("Recovery copy")
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(recovery_saved_text(written, problems))
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.exec()
    box.deleteLater()


class _Relay(QObject):
    """Carries an exception from any thread to the GUI thread (queued signal)."""

    raised = Signal(object)


class ExceptionHooks:
    """Installs ``sys.excepthook`` and ``threading.excepthook``; :meth:`restore` undoes it.

    ``on_error`` is called (in the GUI thread) with every exception, e.g. so the smoke test can
    fail; ``show`` says whether a dialog is shown (not in the smoke test: nobody would close it).
    """

    def __init__(self, *, show: bool = True, on_error: Callable[[ExcInfo], None] | None = None):
        self.show = show
        self.on_error = on_error
        self._showing = False
        self._relay = _Relay()
        self._relay.raised.connect(self._relayed, Qt.ConnectionType.QueuedConnection)
        self._old_sys = sys.excepthook
        self._old_threading = threading.excepthook
        sys.excepthook = self._sys_hook
        threading.excepthook = self._thread_hook

    def restore(self) -> None:
        if sys.excepthook == self._sys_hook:
            sys.excepthook = self._old_sys
        if threading.excepthook == self._thread_hook:
            threading.excepthook = self._old_threading

    def _sys_hook(
        self, kind: type[BaseException], value: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            self._old_sys(kind, value, tb)
            return
        if threading.current_thread() is threading.main_thread():
            self._handle((kind, value, tb))
        else:
            self._relay.raised.emit(((kind, value, tb), False))

    def _thread_hook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None:
            return
        info: ExcInfo = (args.exc_type, args.exc_value, args.exc_traceback)
        log.error(
            "unhandled exception in thread %s",
            getattr(args.thread, "name", "?"),
            exc_info=info,
        )
        self._relay.raised.emit((info, True))

    def _relayed(self, item: tuple[ExcInfo, bool]) -> None:
        self._handle(item[0], logged=item[1])

    def _handle(self, info: ExcInfo, *, logged: bool = False) -> None:
        show = self.show and not self._showing  # one dialog at a time; the rest are logged
        if show:
            self._showing = True
        try:
            report_exception(info, show=show, logged=logged)
        finally:
            if show:
                self._showing = False
        if self.on_error is not None:
            self.on_error(info)

    def report(self, info: ExcInfo) -> None:
        """Report an exception as if it had reached the hook (used by tests and the app)."""
        self._handle(info)


def report_exception(info: ExcInfo, *, show: bool = True, logged: bool = False) -> None:
    """Log an unexpected exception and (optionally) show it; never raises."""
    try:
        if not logged:
            log.error("unhandled exception", exc_info=info)
        if show:
            show_exception(info)
    except Exception:  # the error reporter must not become the next error
        if sys.stderr is not None:  # None in a windowed (console-less) frozen app
            sys.stderr.write(format_exception(info))
