"""Autosave and crash recovery.

Every window has a :class:`RecoveryManager` with its own *session* (a random id).  While the
project has unsaved changes, the manager writes a copy of it every few minutes (QSettings
``autosave/minutes``; 0 = off) into ``<AppDataLocation>/recovery``, through the same atomic save
as real files, with a small JSON manifest beside it::

    recovery/<session>.ftrag   the project, as a normal .ftrag file
    recovery/<session>.json    {"original_path", "title", "saved_at", "pid", "app_version", ...}
    recovery/<session>.lock    a QLockFile, held while the window lives

Whether a copy belongs to a run that died is decided by its lock, never by timestamps: a live
window holds its lock (Qt's QLockFile, with age-based staleness switched off, so only a dead
process id — or a missing lock file — makes it stale).  At start-up :func:`offer_recovery`
claims the lock of every dead session, lists their copies and offers to restore them.  A
restored copy opens dirty, titled "(recovered)", with its original path for Save, and is adopted
by the restoring window: it is deleted only when the person saves or discards the document.
A clean exit removes the window's own copy.  The unexpected-error dialog writes copies through
:func:`save_recovery_copies`.
"""

from __future__ import annotations

import logging
import os
import weakref
from pathlib import Path
from typing import TYPE_CHECKING
from uuid import uuid4

from PySide6.QtCore import (
    QLockFile,
    QObject,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import Shiboken

from engine.fileformat import (
    ProjectFileError,
    save_project,
)
from engine.model.project import Project
from gui import files, recovery_store
from gui.files import plain, shown_path
from gui.recovery_store import MANIFEST_FORMAT as MANIFEST_FORMAT  # re-exported
from gui.recovery_store import (
    Orphan,
    RecoveryError,
    SessionFiles,
    new_lock,
    recovery_folder,
    unlink_quietly,
    write_manifest,
)

if TYPE_CHECKING:
    from gui.document import ProjectDocument
    from gui.mainwindow import MainWindow

log = logging.getLogger(__name__)

AUTOSAVE_KEY = "autosave/minutes"
DEFAULT_AUTOSAVE_MINUTES = 1
MAX_AUTOSAVE_MINUTES = 120

RESTORE, DISCARD, LATER = "restore", "discard", "later"

_managers: weakref.WeakSet[RecoveryManager] = weakref.WeakSet()


# --- settings -----------------------------------------------------------------------------


def autosave_minutes() -> int:
    """Minutes between autosaves (0 = off), from QSettings; junk there means the default."""
    value = files.settings().value(AUTOSAVE_KEY, DEFAULT_AUTOSAVE_MINUTES)
    try:
        minutes = int(str(value))
    except ValueError:
        return DEFAULT_AUTOSAVE_MINUTES
    return max(0, min(minutes, MAX_AUTOSAVE_MINUTES))


def set_autosave_minutes(minutes: int) -> None:
    """Store the interval and apply it to every open window."""
    minutes = max(0, min(int(minutes), MAX_AUTOSAVE_MINUTES))
    store = files.settings()
    store.setValue(AUTOSAVE_KEY, minutes)
    store.sync()
    for manager in live_managers():
        manager.set_interval(minutes)


# --- one window's copies ------------------------------------------------------------------


class RecoveryManager(QObject, SessionFiles):
    """Autosaves one document's unsaved changes; see the module docstring."""

    #: An autosave failed (the message names the folder and the reason).
    autosaveFailed = Signal(str)
    #: A recovery copy was written (its path).
    autosaved = Signal(object)

    def __init__(
        self,
        document: ProjectDocument,
        parent: QObject | None = None,
        *,
        folder: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = uuid4().hex
        self._document = document
        self._folder = folder  # fixed when the first copy is written
        self._lock: QLockFile | None = None
        self._written: Project | None = None  # the snapshot the copy holds
        self._closed = False
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.VeryCoarseTimer)
        self._timer.timeout.connect(self.autosave_now)
        self.set_interval(autosave_minutes())
        document.pathChanged.connect(self._saved_or_replaced)
        document.undo_stack.cleanChanged.connect(self._clean_changed)
        _managers.add(self)

    # --- where -----------------------------------------------------------------------------

    @property
    def folder(self) -> Path:
        return self._folder if self._folder is not None else recovery_folder()

    @property
    def has_copy(self) -> bool:
        return self._written is not None

    @property
    def closed(self) -> bool:
        return self._closed

    # --- when ------------------------------------------------------------------------------

    def interval_minutes(self) -> int:
        return self._timer.interval() // 60_000 if self._timer.isActive() else 0

    def set_interval(self, minutes: int) -> None:
        if minutes <= 0 or self._closed:
            self._timer.stop()
        else:
            self._timer.start(minutes * 60_000)

    # --- what ------------------------------------------------------------------------------

    def autosave_now(self) -> Path | None:
        """The timer's slot: write the copy if the document has changes the copy lacks; drop
        the copy if the document is saved.  Never raises: a failure is logged and signalled."""
        if self._closed:
            return None
        doc = self._document
        if not doc.is_modified():
            self.discard_copy()
            return None
        if doc.project is self._written:
            return None
        try:
            return self.write_copy()
        except (ProjectFileError, OSError) as exc:
            text = f"Autosave failed: {exc}"
            log.warning("%s", text)
            self.autosaveFailed.emit(text)
            return None

    def write_copy(self) -> Path:
        """Write the document to the recovery folder now (atomic), with its manifest.
        Raises ProjectFileError or OSError (RecoveryError) when it cannot."""
        if self._closed:
            raise RecoveryError(f"{self.folder}: this window is closed")
        doc = self._document
        self._ensure_lock()
        project = doc.project
        save_project(project, self.copy_path, keep_backup=False, private=True)
        write_manifest(self.manifest_path, self.session, project, doc.path)
        self._written = project
        self.autosaved.emit(self.copy_path)
        return self.copy_path

    def _ensure_lock(self) -> None:
        if self._lock is not None and self._lock.isLocked():
            return
        self._folder = self.folder
        try:
            self._folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise RecoveryError(
                f"{self._folder}: cannot create the recovery folder ({exc.strerror or exc})"
            ) from None
        lock = new_lock(self.lock_path)
        if not lock.tryLock(0):
            raise RecoveryError(
                f"{self.lock_path}: cannot take the recovery lock ({lock.error().name})"
            )
        self._lock = lock

    def discard_copy(self) -> None:
        """Delete the copy (the document was saved or its changes discarded)."""
        if self._written is None and self._folder is None:
            return
        unlink_quietly(self.copy_path, self.manifest_path)
        self._written = None

    def _saved_or_replaced(self, _path: object) -> None:
        """Saved under a name, or another project loaded (its changes saved or discarded, as
        the person chose): the copy has done its job."""
        self.discard_copy()

    def _clean_changed(self, clean: bool) -> None:
        # Undone back to what is in the file.  Checked from the event loop, not here: a
        # QUndoStack being destroyed (the app exiting without closing the window) also says
        # "clean", and that must not delete the only copy of unsaved work.
        if clean:
            QTimer.singleShot(0, self, self._drop_if_clean)

    def _drop_if_clean(self) -> None:
        if not self._closed and not self._document.is_modified():
            self.discard_copy()

    def adopt(self, orphan: Orphan) -> None:
        """Take over a restored copy: it becomes this window's copy (so it survives another
        crash) and the dead session's lock is let go."""
        try:
            self._ensure_lock()
            os.replace(orphan.copy_path, self.copy_path)
            write_manifest(
                self.manifest_path, self.session, self._document.project, self._document.path
            )
            self._written = self._document.project
        except OSError as exc:  # the restored document is open and dirty: nothing is lost
            log.warning("cannot adopt recovery copy %s: %s", orphan.copy_path, exc)
            self._written = None
        orphan.forget()

    def shutdown(self) -> None:
        """A clean exit: remove this window's copy and its lock; no more autosaves."""
        if self._closed:
            return
        self.discard_copy()
        self._timer.stop()
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None
        self._closed = True

    def abandon(self) -> None:
        """Stop as a crash would: the copy stays, the lock is let go without cleaning up (its
        file is gone, as when the process dies; tests then write a stale one by hand)."""
        self._timer.stop()
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None
        self._closed = True


def live_managers() -> list[RecoveryManager]:
    """The managers of the windows still open (a window deleted without a clean close is
    left out: its Qt objects are gone)."""
    return [m for m in list(_managers) if not m.closed and Shiboken.isValid(m)]


def save_recovery_copies() -> tuple[list[Path], list[str]]:
    """Write every open window's project to the recovery folder now (the unexpected-error
    dialog's button).  Returns the copies written and the problems, never raises."""
    written: list[Path] = []
    problems: list[str] = []
    for manager in live_managers():
        try:
            written.append(manager.write_copy())
        except (ProjectFileError, OSError) as exc:
            problems.append(str(exc))
        except Exception as exc:  # the rescue must not become the next error
            log.exception("recovery copy failed")
            problems.append(f"{type(exc).__name__}: {exc}")
    return written, problems


# --- copies left by runs that died --------------------------------------------------------


def _may_replace(window: MainWindow, orphan: Orphan) -> bool:
    """The start-up window may take a restored copy when it shows the example (no file) or
    the very file the copy was made from; a file opened from the command line stays."""
    path = window.document.path
    if path is None:
        return True
    original = orphan.original_path
    return original is not None and os.path.normcase(os.path.abspath(path)) == os.path.normcase(
        os.path.abspath(original)
    )


def find_orphans(folder: Path | None = None) -> list[Orphan]:
    """:func:`gui.recovery_store.find_orphans` in ``folder`` (default: the recovery folder)."""
    return recovery_store.find_orphans(folder if folder is not None else recovery_folder())


def sweep_leftovers(folder: Path | None = None) -> list[Path]:
    """:func:`gui.recovery_store.sweep_leftovers` in ``folder`` (default: the recovery
    folder)."""
    return recovery_store.sweep_leftovers(folder if folder is not None else recovery_folder())


def offer_recovery(window: MainWindow, folder: Path | None = None) -> list[MainWindow]:
    """At start-up: if runs that died left copies, ask whether to restore them.  The first
    restored copy opens in ``window`` when its project has no unsaved changes, the others in
    new windows (returned).  Restore / Discard / Later are all honoured.  Leftover temporary
    files of interrupted saves are swept first."""
    sweep_leftovers(folder)
    orphans = find_orphans(folder)
    if not orphans:
        return []
    try:
        choice = ask_restore(window, orphans)
    except BaseException:
        for orphan in orphans:
            orphan.keep_for_later()
        raise
    if choice == DISCARD:
        for orphan in orphans:
            orphan.discard()
        return []
    if choice != RESTORE:
        for orphan in orphans:
            orphan.keep_for_later()
        return []
    opened: list[MainWindow] = []
    set_aside: list[Path] = []
    window_free = not window.document.is_modified()
    for orphan in orphans:
        if orphan.project is None:
            set_aside.append(orphan.set_aside())
            continue
        if window_free and _may_replace(window, orphan):
            target, window_free = window, False
        else:
            target = window.new_window()
            opened.append(target)
        target.open_recovered(orphan.project, orphan.original_path)
        target.recovery.adopt(orphan)
    if set_aside:
        window.show_message(
            QMessageBox.Icon.Warning,
            "Some copies cannot be restored",
            "These recovery copies cannot be read and were left in the recovery folder:\n"
            + "\n".join(shown_path(p) for p in set_aside),
        )
    return opened


# --- dialogs (module functions, so tests can replace them) ---------------------------------


class RestoreDialog(QDialog):
    """Lists the copies of runs that died: Restore, Discard or Decide Later."""

    def __init__(self, orphans: list[Orphan], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Recover unsaved work")
        self.setObjectName("restoreDialog")
        self.choice = LATER
        count = len(orphans)
        intro = QLabel(
            "FTRAG Advisor did not close normally last time. "
            + (
                "This project had unsaved changes; a copy was kept:"
                if count == 1
                else f"{count} projects had unsaved changes; copies were kept:"
            )
        )
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName("Recovery copies")
        for orphan in orphans:
            self.list.addItem(orphan.describe())  # list items are plain text
        note = QLabel(
            "Restored projects open with their changes unsaved; save them to keep them. "
            "Discard deletes the copies for good."
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox()
        restore = buttons.addButton("&Restore", QDialogButtonBox.ButtonRole.AcceptRole)
        discard = buttons.addButton("&Discard", QDialogButtonBox.ButtonRole.DestructiveRole)
        later = buttons.addButton("Decide &Later", QDialogButtonBox.ButtonRole.RejectRole)
        assert isinstance(restore, QPushButton)
        restore.setDefault(True)
        restore.clicked.connect(lambda: self._done(RESTORE))
        discard.clicked.connect(lambda: self._done(DISCARD))
        later.clicked.connect(lambda: self._done(LATER))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(560, 300)

    def _done(self, choice: str) -> None:
        self.choice = choice
        if choice == LATER:
            self.reject()
        else:
            self.accept()


def ask_restore(parent: QWidget | None, orphans: list[Orphan]) -> str:
    """RESTORE, DISCARD or LATER (closing the dialog means later: nothing is lost)."""
    dialog = RestoreDialog(orphans, parent)
    try:
        dialog.exec()
        return dialog.choice
    finally:
        dialog.deleteLater()


def recovery_saved_text(written: list[Path], problems: list[str]) -> str:
    """What the error dialog's "Save Recovery Copy" tells the person."""
    lines: list[str] = []
    if written:
        lines.append("A recovery copy of your project was saved:")
        lines.extend(f"  {shown_path(p)}" for p in written)
        lines.append(
            "\nIf FTRAG Advisor stops before you save, it offers to restore this copy the next "
            "time it starts. To be safe, also save your project now (File → Save As…)."
        )
    if problems:
        lines.append("The recovery copy could not be saved:" if not written else "\nProblems:")
        lines.extend(f"  {plain(p)}" for p in problems)
    if not lines:
        lines.append("There is no open project to save.")
    return "\n".join(lines)
