"""Crash-recovery storage: the recovery folder, its copies, manifests and locks, and the copies
that runs which died left behind.  No windows or dialogs: gui.recovery holds the autosave
manager and asks the person what to do with the copies found here.

    recovery/<session>.ftrag   the project, as a normal .ftrag file
    recovery/<session>.json    {"original_path", "title", "saved_at", "pid", "app_version", ...}
    recovery/<session>.lock    a QLockFile, held while the window lives

Whether a copy belongs to a run that died is decided by its lock, never by timestamps (see
gui.recovery).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDateTime, QLocale, QLockFile, QStandardPaths

from engine.fileformat import (
    TEMP_SWEEP_AGE_S,
    ProjectFileError,
    load_project,
    sweep_temp_files,
    write_bytes_atomically,
)
from engine.model.project import Project
from engine.version import APP_VERSION
from gui import files
from gui.files import elided, plain, shown_path

log = logging.getLogger(__name__)

MANIFEST_FORMAT = "ftrag-recovery"
MANIFEST_MAX_BYTES = 64 * 1024
_SESSION = re.compile(r"^[0-9a-f]{32}$")
COPY, MANIFEST, LOCK = ".ftrag", ".json", ".lock"  # a session's files


def session_file(folder: Path, session: str, kind: str) -> Path:
    """A session's copy, manifest or lock (``kind``: COPY, MANIFEST or LOCK)."""
    return folder / f"{session}{kind}"


class RecoveryError(OSError):
    """The recovery folder or lock cannot be used (the message says why)."""


def recovery_folder() -> Path:
    """<AppDataLocation>/recovery (the application and organisation names must be set)."""
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base or Path.home() / ".ftrag-advisor") / "recovery"


def new_lock(path: Path) -> QLockFile:
    lock = QLockFile(str(path))
    lock.setStaleLockTime(0)  # stale only when its process is gone: never judged by age
    return lock


def unlink_quietly(*paths: Path) -> None:
    for path in paths:
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            log.warning("cannot remove %s: %s", path, exc)


def write_manifest(path: Path, session: str, project: Project, original: Path | None) -> None:
    """The small JSON beside a copy: where it came from and when (informative only)."""
    manifest = {
        "format": MANIFEST_FORMAT,
        "session": session,
        "original_path": None if original is None else str(Path(original).absolute()),
        "title": project.title,
        "saved_at": datetime.now(tz=UTC).isoformat(timespec="seconds"),
        "pid": os.getpid(),
        "app_version": APP_VERSION,
    }
    data = json.dumps(manifest, indent=2, ensure_ascii=False).encode("utf-8")
    write_bytes_atomically(path, data)


class SessionFiles:
    """A session's files in its folder (a live window's, or a dead run's)."""

    folder: Path
    session: str

    @property
    def copy_path(self) -> Path:
        return session_file(self.folder, self.session, COPY)

    @property
    def manifest_path(self) -> Path:
        return session_file(self.folder, self.session, MANIFEST)

    @property
    def lock_path(self) -> Path:
        return session_file(self.folder, self.session, LOCK)


@dataclass
class Orphan(SessionFiles):
    """A recovery copy whose run died; this process holds its (claimed) lock."""

    session: str
    folder: Path
    lock: QLockFile
    project: Project | None
    problem: str | None  # why the copy cannot be read (then project is None)
    original_path: Path | None
    saved_at: datetime | None

    @property
    def title(self) -> str:
        return self.project.title if self.project is not None else self.copy_path.name

    def describe(self) -> str:
        """One plain line for the restore dialog."""
        title = elided(plain(" ".join(self.title.split())) or "Untitled project", 80)
        where = (
            f"from {elided(shown_path(self.original_path), 90)}"
            if self.original_path
            else "never saved"
        )
        when = ""
        if self.saved_at is not None:
            stamp = QDateTime.fromSecsSinceEpoch(int(self.saved_at.timestamp()))
            when = f", autosaved {QLocale().toString(stamp, QLocale.FormatType.ShortFormat)}"
        if self.problem:
            return f"{title} — cannot be read: {self.problem}"
        return f"{title} — {where}{when}"

    def forget(self) -> None:
        """The copy has been dealt with elsewhere: drop the manifest and let the lock go."""
        unlink_quietly(self.manifest_path)
        self.lock.unlock()

    def discard(self) -> None:
        unlink_quietly(self.copy_path, self.manifest_path)
        self.lock.unlock()

    def keep_for_later(self) -> None:
        """Leave the copy; the lock file goes, so the next start offers it again."""
        self.lock.unlock()

    def set_aside(self) -> Path:
        """An unreadable copy: renamed out of the way (kept for salvage), not offered again."""
        target = self.folder / f"{self.session}.unreadable.ftrag"
        try:
            os.replace(self.copy_path, target)
        except OSError as exc:
            log.warning("cannot set aside %s: %s", self.copy_path, exc)
        self.forget()
        return target


def _read_manifest(path: Path) -> dict[str, Any]:
    """The manifest, or {} when it is missing, too big or not what we wrote (it is only
    informative: the copy itself is what gets restored)."""
    try:
        if path.stat().st_size > MANIFEST_MAX_BYTES:
            return {}
        data = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
        return {}
    return data


def _manifest_path(value: object) -> Path | None:
    if not isinstance(value, str) or not value or "\0" in value or len(value) > 4096:
        return None
    path = Path(value)
    return path if path.is_absolute() else None


def _manifest_time(value: object) -> datetime | None:
    if not isinstance(value, str) or len(value) > 64:
        return None
    try:
        stamp = datetime.fromisoformat(value)
    except ValueError:
        return None
    return stamp if stamp.tzinfo is not None else stamp.replace(tzinfo=UTC)


def find_orphans(folder: Path) -> list[Orphan]:
    """Copies left by runs that are no longer running, their locks claimed by this process
    (so a second instance starting at the same moment does not offer them too).  Leftover
    locks and manifests of dead runs without a copy are cleaned up on the way."""
    try:
        names = [p.name for p in folder.iterdir()]
    except OSError:
        return []
    sessions = sorted(
        {
            name.split(".", 1)[0]
            for name in names
            if name.endswith((".ftrag", ".json", ".lock")) and name.count(".") == 1
        }
    )
    orphans: list[Orphan] = []
    for session in sessions:
        if not _SESSION.match(session):
            continue
        lock = new_lock(session_file(folder, session, LOCK))
        if not lock.tryLock(0):
            continue  # its window is alive (here or in another process)
        copy = session_file(folder, session, COPY)
        manifest_path = session_file(folder, session, MANIFEST)
        if not copy.is_file():
            unlink_quietly(manifest_path)
            lock.unlock()
            continue
        manifest = _read_manifest(manifest_path)
        project: Project | None = None
        problem: str | None = None
        try:
            project = load_project(copy)
        except ProjectFileError as exc:
            problem = exc.reason
        orphans.append(
            Orphan(
                session=session,
                folder=folder,
                lock=lock,
                project=project,
                problem=problem,
                original_path=_manifest_path(manifest.get("original_path")),
                saved_at=_manifest_time(manifest.get("saved_at")),
            )
        )
    orphans.sort(key=lambda o: o.saved_at or datetime.min.replace(tzinfo=UTC), reverse=True)
    return orphans


_MANIFEST_TEMP = re.compile(r"^\.[0-9a-f]{32}\.json\.[a-z0-9_]{8}\.tmp$")


def sweep_leftovers(folder: Path) -> list[Path]:
    """At start-up: remove temporary files that saves killed mid-way left behind, in the
    recovery folder and beside the recent files (engine.fileformat.sweep_temp_files: only our
    own names, only older than an hour).  Never raises."""
    removed = sweep_temp_files(folder)
    now = datetime.now(tz=UTC).timestamp()
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if (
                _MANIFEST_TEMP.match(entry.name)
                and entry.is_file(follow_symlinks=False)
                and now - entry.stat().st_mtime >= TEMP_SWEEP_AGE_S
            ):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
    folders = {str(Path(p).parent) for p in files.RecentFiles().paths()}
    for recent_folder in sorted(folders):
        removed += sweep_temp_files(recent_folder)
    if removed:
        log.info("removed %d leftover temporary files", len(removed))
    return removed
