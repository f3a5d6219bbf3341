"""Project files in the window: the recent-files list, file names made safe to show, and the
small dialogs of the File menu.

Every dialog is a module-level function taking its parent and returning the answer, so the
window's ``ask_*`` methods stay one line and tests replace either without a modal dialog ever
appearing.  File names come from outside (a client's folder, a colleague's e-mail): they are
shown as plain text everywhere, with '&' doubled where Qt would take it for a mnemonic and
control characters (which Qt menus would read as shortcut separators) replaced.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import logging
import os
import stat
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QLockFile, QObject, QSettings, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from engine.fileformat import FILE_SUFFIX, FileIdentity, ProjectFileError, file_identity
from engine.templates import DEFAULT_TEMPLATE, load_template, template_names

log = logging.getLogger(__name__)

FILE_FILTER = f"FTRAG Advisor projects (*{FILE_SUFFIX});;All files (*)"
MAX_RECENT = 10
RECENT_KEY = "files/recent"
LAST_FOLDER_KEY = "files/lastFolder"
SHOWN_NAME_CHARS = 60


# --- names made safe to show --------------------------------------------------------------


def plain(text: str) -> str:
    """``text`` with control and format characters (newlines, tabs, NUL, bidi overrides)
    replaced by U+FFFD, so one line shows what is there and nothing reorders or hides it."""
    return "".join(
        "\N{REPLACEMENT CHARACTER}" if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") else c
        for c in text
    )


def elided(text: str, limit: int = SHOWN_NAME_CHARS) -> str:
    """At most ``limit`` characters, the middle dropped (the start and the suffix both matter)."""
    if len(text) <= limit:
        return text
    keep = limit - 1
    return f"{text[: keep - keep // 3]}…{text[len(text) - keep // 3 :]}"


def menu_text(text: str) -> str:
    """Literal text for a QAction or QMenu title: '&' doubled so it is not a mnemonic."""
    return plain(text).replace("&", "&&")


def shown_path(path: str | os.PathLike[str]) -> str:
    """A path for a message: plain, whole (people need the full name to find the file)."""
    return plain(displayable(str(path)))


def with_suffix(path: str) -> str:
    """``path`` ending in .ftrag (added when the person typed a name without it)."""
    return path if path.lower().endswith(FILE_SUFFIX) else f"{path}{FILE_SUFFIX}"


def is_project_path(path: str) -> bool:
    return path.lower().endswith(FILE_SUFFIX)


def _key(path: str) -> str:
    """Two spellings of one file compare equal (absolute, normalised, case-folded on Windows)."""
    return os.path.normcase(os.path.abspath(path))


# --- recent files -------------------------------------------------------------------------


def settings() -> QSettings:
    """The app's settings (recent files, last folder, autosave interval); tests point this
    at a file of their own."""
    return QSettings()


_BYTES_PREFIX = "fsbytes:"  # a path whose bytes are not UTF-8, stored as hex of the bytes


def _stored(path: str) -> str:
    """A path as QSettings can keep it: a name that is not valid UTF-8 (Python holds its
    bytes as lone surrogates, which QSettings would mangle) is stored as its bytes in hex."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return _BYTES_PREFIX + os.fsencode(path).hex()
    return path


def _loaded(value: str) -> str:
    if value.startswith(_BYTES_PREFIX):
        try:
            return os.fsdecode(bytes.fromhex(value[len(_BYTES_PREFIX) :]))
        except ValueError:
            return ""
    return value


def displayable(text: str) -> str:
    """A file name for the screen: bytes that are not UTF-8 shown as U+FFFD."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _string_list(value: object) -> list[str]:
    """A QSettings list value, whatever the backend made of it (None, one string, a list)."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, list | tuple):
        return [v for v in value if isinstance(v, str) and v]
    return []


class RecentFiles:
    """The most recently opened or saved projects, newest first, at most :data:`MAX_RECENT`,
    kept in QSettings (shared by every window of the app)."""

    def __init__(self, store: Callable[[], QSettings] | None = None) -> None:
        self._store_factory = store

    def _settings(self) -> QSettings:
        return self._store_factory() if self._store_factory is not None else settings()

    def paths(self) -> list[str]:
        seen: set[str] = set()
        out: list[str] = []
        for stored in _string_list(self._settings().value(RECENT_KEY)):
            path = _loaded(stored)
            if not path or "\0" in path or _key(path) in seen:
                continue
            seen.add(_key(path))
            out.append(path)
        return out[:MAX_RECENT]

    def _store(self, paths: list[str]) -> None:
        store = self._settings()
        if paths:
            store.setValue(RECENT_KEY, [_stored(p) for p in paths[:MAX_RECENT]])
        else:
            store.remove(RECENT_KEY)
        store.sync()

    def add(self, path: str | os.PathLike[str]) -> None:
        absolute = os.path.abspath(path)
        rest = [p for p in self.paths() if _key(p) != _key(absolute)]
        self._store([absolute, *rest])
        remember_folder(Path(absolute).parent)

    def remove(self, path: str | os.PathLike[str]) -> bool:
        """Forget ``path``; True if it was in the list."""
        paths = self.paths()
        kept = [p for p in paths if _key(p) != _key(str(path))]
        if len(kept) != len(paths):
            self._store(kept)
            return True
        return False

    def remove_missing(self) -> list[str]:
        """Forget the files that are no longer there; returns them."""
        paths = self.paths()
        missing = [p for p in paths if not os.path.isfile(p)]
        if missing:
            self._store([p for p in paths if p not in missing])
        return missing

    def clear(self) -> None:
        self._store([])

    def __contains__(self, path: object) -> bool:
        return isinstance(path, str | os.PathLike) and any(
            _key(p) == _key(str(path)) for p in self.paths()
        )


def recent_labels(paths: list[str]) -> list[str]:
    """Menu texts: '&1 name.ftrag', with the folder added where two files share a name."""
    names = [displayable(Path(p).name) for p in paths]
    labels = []
    for index, (path, name) in enumerate(zip(paths, names, strict=True)):
        shown = name
        if names.count(name) > 1:
            shown = f"{name} ({Path(path).parent.name or Path(path).parent})"
        number = f"&{index + 1}" if index < 9 else f"{index + 1}"
        labels.append(f"{number} {menu_text(elided(shown))}")
    return labels


class RecentMenu(QMenu):
    """File → Open Recent: rebuilt each time it opens; files no longer there are greyed out
    (and said to be missing), with Remove Missing Files and Clear Recent at the bottom."""

    def __init__(
        self,
        recent: RecentFiles,
        open_path: Callable[[str], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Open &Recent", parent)
        self.setObjectName("recentMenu")
        self.setToolTipsVisible(True)
        self.recent = recent
        self._open_path = open_path
        self.aboutToShow.connect(self.rebuild)
        self.rebuild()

    def file_actions(self) -> list[QAction]:
        return [a for a in self.actions() if a.data()]

    def rebuild(self) -> None:
        self.clear()
        paths = self.recent.paths()
        any_missing = False
        for path, label in zip(paths, recent_labels(paths), strict=True):
            exists = os.path.isfile(path)
            action = QAction(label if exists else f"{label} (not found)", self)
            action.setData(path)
            tip = shown_path(path) if exists else f"{shown_path(path)} — no longer there"
            action.setToolTip(tip)
            action.setStatusTip(tip)
            action.setEnabled(exists)
            action.triggered.connect(lambda _c=False, p=path: self._open_path(p))
            self.addAction(action)
            any_missing = any_missing or not exists
        if not paths:
            empty = self.addAction("No Recent Files")
            empty.setEnabled(False)
        self.addSeparator()
        self.act_remove_missing = self.addAction("Remove &Missing Files")
        self.act_remove_missing.setEnabled(any_missing)
        self.act_remove_missing.triggered.connect(self._remove_missing)
        self.act_clear = self.addAction("&Clear Recent")
        self.act_clear.setEnabled(bool(paths))
        self.act_clear.triggered.connect(self._clear)

    def _remove_missing(self) -> None:
        self.recent.remove_missing()
        self.rebuild()

    def _clear(self) -> None:
        self.recent.clear()
        self.rebuild()


# --- folders ------------------------------------------------------------------------------


def last_folder() -> str:
    value = settings().value(LAST_FOLDER_KEY)
    if isinstance(value, str) and value and os.path.isdir(value):
        return value
    return str(Path.home())


def remember_folder(folder: str | os.PathLike[str]) -> None:
    settings().setValue(LAST_FOLDER_KEY, str(folder))


# --- dialogs (module functions, so tests can replace them) ---------------------------------


def message(
    parent: QWidget | None,
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.Ok,
    default: QMessageBox.StandardButton | None = None,
) -> QMessageBox.StandardButton:
    """A message box whose text is always plain (file names and reasons come from outside)."""
    box = QMessageBox(icon, title, text, buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if default is not None:
        box.setDefaultButton(default)
    result = box.exec()
    box.deleteLater()
    return QMessageBox.StandardButton(result)


def ask_save_changes(parent: QWidget | None, title: str) -> QMessageBox.StandardButton:
    """Save / Discard / Cancel before unsaved work would be lost."""
    shown = elided(plain(" ".join(title.split())) or "Untitled project", 120)
    return message(
        parent,
        QMessageBox.Icon.Warning,
        "Unsaved changes",
        f"Save the changes to “{shown}” first?\n\nIf you don't, they are lost.",
        QMessageBox.StandardButton.Save
        | QMessageBox.StandardButton.Discard
        | QMessageBox.StandardButton.Cancel,
        default=QMessageBox.StandardButton.Save,
    )


def ask_revert(parent: QWidget | None, path: Path) -> bool:
    answer = message(
        parent,
        QMessageBox.Icon.Warning,
        "Revert to the saved file",
        f"Throw away the unsaved changes and reload {shown_path(path)} from disk?\n\n"
        "This cannot be undone.",
        QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        default=QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Discard


def ask_open_path(parent: QWidget | None, folder: str) -> str | None:
    path, _ = QFileDialog.getOpenFileName(parent, "Open project", folder, FILE_FILTER)
    return path or None


def ask_save_path(parent: QWidget | None, suggested: str) -> str | None:
    """Save As: the dialog adds .ftrag itself, so it also asks before overwriting that file."""
    dialog = QFileDialog(parent, "Save project as", suggested, FILE_FILTER)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.setDefaultSuffix(FILE_SUFFIX.lstrip("."))
    dialog.selectFile(suggested)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.selectedFiles():
            return None
        return dialog.selectedFiles()[0] or None
    finally:
        dialog.deleteLater()


@dataclass(frozen=True)
class TemplateInfo:
    name: str
    title: str
    notes: str


@lru_cache(maxsize=1)
def templates() -> tuple[TemplateInfo, ...]:
    """The built-in examples with their titles (read once; they ship with the app)."""
    out = []
    for name in template_names():
        try:
            project = load_template(name)
        except ProjectFileError as exc:  # a broken install: list the name, say why
            log.warning("template %s cannot be read: %s", name, exc)
            out.append(TemplateInfo(name, name, f"Cannot be read: {exc.reason}"))
            continue
        out.append(TemplateInfo(name, project.title, project.notes or ""))
    return tuple(out)


class TemplateDialog(QDialog):
    """File → New: pick a built-in example by its title; its notes say what it models."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New project")
        self.setObjectName("templateDialog")
        intro = QLabel("Start from one of the built-in examples, then change its inputs:")
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setAccessibleName("Examples")
        self.notes = QLabel()
        self.notes.setTextFormat(Qt.TextFormat.PlainText)
        self.notes.setWordWrap(True)
        self.notes.setMinimumHeight(60)
        self.notes.setAlignment(Qt.AlignmentFlag.AlignTop)
        for info in templates():
            item = QListWidgetItem(plain(info.title))  # list items are plain text
            item.setData(Qt.ItemDataRole.UserRole, info.name)
            item.setToolTip(info.name)
            self.list.addItem(item)
            if info.name == DEFAULT_TEMPLATE:
                self.list.setCurrentItem(item)
        if self.list.currentRow() < 0 and self.list.count():
            self.list.setCurrentRow(0)
        self.list.currentRowChanged.connect(self._show_notes)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        if ok is not None:
            ok.setText("Create")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.notes)
        layout.addWidget(buttons)
        self._show_notes(self.list.currentRow())
        self.resize(460, 340)

    def _show_notes(self, row: int) -> None:
        infos = templates()
        self.notes.setText(elided(infos[row].notes, 400) if 0 <= row < len(infos) else "")

    def chosen(self) -> str | None:
        item = self.list.currentItem()
        if item is None:
            return None
        name = item.data(Qt.ItemDataRole.UserRole)
        return name if isinstance(name, str) else None


def ask_template(parent: QWidget | None) -> str | None:
    dialog = TemplateDialog(parent)
    try:
        return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


# --- the open file and other writers --------------------------------------------------------

OVERWRITE, SAVE_AS, RELOAD, CANCEL = "overwrite", "save_as", "reload", "cancel"


def ask_read_only(parent: QWidget | None, path: str | os.PathLike[str], reason: str) -> bool:
    """The file is read-only: offer Save As (True) or Cancel."""
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        "The file is read-only",
        f"{shown_path(path)} is read-only, so it was not changed.\n\n{reason}\n\n"
        "Your changes are still open and not saved.",
        QMessageBox.StandardButton.Cancel,
        parent,
    )
    box.setTextFormat(Qt.TextFormat.PlainText)
    save_as = box.addButton("Save &As…", QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(save_as)
    try:
        box.exec()
        return box.clickedButton() is save_as
    finally:
        box.deleteLater()


def ask_changed_on_disk(parent: QWidget | None, path: str | os.PathLike[str]) -> str:
    """Before saving over a file another program (or window) has written since it was opened
    or saved here: OVERWRITE, SAVE_AS, RELOAD or CANCEL."""
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        "The file changed on disk",
        f"{shown_path(path)} was changed by another program or window since you opened or "
        "saved it.\n\nOverwrite replaces their version with yours (theirs is kept as the "
        ".bak file). Save As keeps both. Reload throws away your unsaved changes and shows "
        "their version.",
        QMessageBox.StandardButton.Cancel,
        parent,
    )
    box.setTextFormat(Qt.TextFormat.PlainText)
    buttons = {
        box.addButton("&Overwrite", QMessageBox.ButtonRole.DestructiveRole): OVERWRITE,
        box.addButton("Save &As…", QMessageBox.ButtonRole.AcceptRole): SAVE_AS,
        box.addButton("&Reload", QMessageBox.ButtonRole.ResetRole): RELOAD,
    }
    box.setDefaultButton(next(b for b, v in buttons.items() if v == SAVE_AS))
    try:
        box.exec()
        return buttons.get(box.clickedButton(), CANCEL)
    finally:
        box.deleteLater()


def notice(
    parent: QWidget,
    name: str,
    title: str,
    text: str,
    action: tuple[str, Callable[[], object]] | None = None,
) -> QMessageBox:
    """A non-modal message (it reports something that happened outside the app, so it must
    not block the window): one per ``name`` — a newer one replaces its text.  ``action`` adds
    a button (label, slot) beside Close."""
    box = parent.findChild(QMessageBox, name)
    if box is not None:
        box.close()
    box = QMessageBox(
        QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.NoButton, parent
    )
    box.setObjectName(name)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setWindowModality(Qt.WindowModality.NonModal)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if action is not None:
        label, slot = action
        button = box.addButton(label, QMessageBox.ButtonRole.AcceptRole)
        button.clicked.connect(lambda _c=False: slot())
        box.setDefaultButton(button)
    box.addButton(QMessageBox.StandardButton.Close)
    box.show()
    return box


def reload_offer_text(path: str | os.PathLike[str]) -> str:
    return (
        f"{shown_path(path)} was changed by another program or window.\n\nYou have no "
        "unsaved changes here: reload it to see the new version?"
    )


def _open_lock_folder() -> Path:
    from gui.recovery import recovery_folder  # recovery imports this module

    return recovery_folder().parent / "open-files"


class OpenFile(QObject):
    """The file a window shows: its identity when read or written (to notice other writers),
    a QFileSystemWatcher on it, and a lock that tells two windows on one file of each other.

    :attr:`changedOnDisk` is emitted once per change by someone else (bool: the window had
    unsaved changes).  :attr:`alsoOpen` says another window (this process or another) has
    the same file open: (path, description of the other).
    """

    changedOnDisk = Signal(object, bool)
    alsoOpen = Signal(object, str)

    def __init__(self, is_modified: Callable[[], bool], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._is_modified = is_modified
        self.path: Path | None = None
        self.identity: FileIdentity | None = None
        self._told: FileIdentity | None = None
        self._lock: QLockFile | None = None
        self._watcher = QFileSystemWatcher(self)
        self._watcher.fileChanged.connect(self._file_changed)
        # Saving replaces the file (a new inode): inotify then drops the watch and the folder
        # is watched instead, so the change and the file's return are both seen.
        self._watcher.directoryChanged.connect(self._folder_changed)

    def track(self, path: str | os.PathLike[str] | None, identity: FileIdentity | None) -> None:
        """The window now shows ``path`` as read or written with ``identity`` (None: no file)."""
        new = None if path is None else Path(os.path.abspath(path))
        if new != self.path:
            self._unwatch()
            self._release()
            self.path = new
            if new is not None:
                self._claim(new)
        self.identity = identity if new is not None else None
        self._told = None
        self._watch()

    def changed_since(self) -> bool:
        """True when the file on disk is no longer what this window read or wrote."""
        if self.path is None or self.identity is None:
            return False
        now = file_identity(self.path)
        return now is not None and now != self.identity

    def before_save(self, path: str | os.PathLike[str], ask: Callable[[], str]) -> str:
        """OVERWRITE when saving to ``path`` may go ahead (asked first when another writer
        changed it), else the person's answer (SAVE_AS, RELOAD, CANCEL)."""
        if self.path is None or Path(os.path.abspath(path)) != self.path:
            return OVERWRITE
        if not self.changed_since():
            return OVERWRITE
        return ask()

    def _watch(self) -> None:
        if self.path is None:
            return
        wanted = [str(self.path), str(self.path.parent)]
        present = set(self._watcher.files()) | set(self._watcher.directories())
        missing = [p for p in wanted if p not in present and os.path.exists(p)]
        if missing:
            self._watcher.addPaths(missing)

    def _unwatch(self) -> None:
        paths = self._watcher.files() + self._watcher.directories()
        if paths:
            self._watcher.removePaths(paths)

    def _folder_changed(self, _folder: str) -> None:
        self._file_changed(str(self.path) if self.path else "")

    def _file_changed(self, _path: str) -> None:
        self._watch()  # a replaced file is watched again
        if self.path is None or self.identity is None:
            return
        now = file_identity(self.path)
        if now is None or now == self.identity or now == self._told:
            return
        self._told = now
        self.changedOnDisk.emit(self.path, self._is_modified())

    # --- two windows on one file -------------------------------------------------------------

    def _claim(self, path: Path) -> None:
        folder = _open_lock_folder()
        key = hashlib.sha256(os.fsencode(os.path.normcase(os.path.realpath(path)))).hexdigest()
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            log.warning("cannot create %s: %s", folder, exc)
            return
        lock = QLockFile(str(folder / f"{key[:32]}.lock"))
        lock.setStaleLockTime(0)  # stale only when its process is gone
        if lock.tryLock(0):
            self._lock = lock
            return
        info = lock.getLockInfo()  # (pid, host name, app name); pid 0 when unreadable
        pid, host = (info[0], info[1]) if isinstance(info, tuple) and len(info) >= 2 else (0, "")
        if pid == os.getpid():
            other = "another window of this FTRAG Advisor"
        elif pid:
            other = f"another FTRAG Advisor (process {pid} on {plain(str(host))})"
        else:
            other = "another FTRAG Advisor"
        self.alsoOpen.emit(path, other)

    def _release(self) -> None:
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None

    def close(self) -> None:
        self._unwatch()
        self._release()
        self.path = None


def also_open_text(path: str | os.PathLike[str], other: str) -> str:
    return (
        f"{shown_path(path)} is also open in {other}.\n\nIf both are edited, the one saved "
        "last wins; FTRAG Advisor asks before either overwrites the other's saved changes."
    )


def changed_on_disk_text(path: str | os.PathLike[str]) -> str:
    return (
        f"{shown_path(path)} was changed by another program or window. Your unsaved changes "
        "here are kept; when you save, you will be asked whether to overwrite their version, "
        "save under another name or reload."
    )


def write_atomically(path: str | os.PathLike[str], write: Callable[[str], object]) -> None:
    """An export (chart image, CSV) written as a whole or not at all: ``write`` writes a
    temporary file beside ``path``, which then replaces it.  If ``write`` fails (raises, or
    leaves no or an empty file), the previous export stays and nothing is left behind.
    Raises OSError with the reason."""
    target = Path(path)
    if os.path.islink(target):
        target = Path(os.path.realpath(target))
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{target.stem[:100]}.", suffix=f".part{target.suffix}", dir=target.parent
    )
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        mode = 0o666 & ~_umask_now()
        with contextlib.suppress(OSError):
            mode = stat.S_IMODE(os.stat(target).st_mode)
        write(tmp_name)
        if tmp.stat().st_size == 0:
            raise OSError(errno.EIO, "nothing was written")
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def _umask_now() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
