"""The ``.ftrag`` file: one JSON envelope around a project (SPEC §5).

    {"format": "ftrag", "schema_version": 1, "app_version": "0.1.0",
     "saved_at": "2026-11-25T10:00:00+00:00", "project": {...}}

Loading is parse → migrate (dict → dict, one step per schema version) → validate, and exactly one
exception type leaves it: :class:`ProjectFileError`, naming the file and the problem.  Files come
from clients and colleagues, so they are treated as untrusted: size checked before reading, UTF-8
only (a BOM tolerated), NaN/Infinity and duplicate keys refused, nesting depth bounded, nothing in
a file is ever imported or executed.  Saving is atomic and keeps the previous file as ``.bak``.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from engine.model.project import Project
from engine.version import APP_VERSION

FORMAT_NAME = "ftrag"
SCHEMA_VERSION = 2
MAX_FILE_BYTES = 8 * 1024 * 1024  # real projects are tens of kB; 200 scenarios ≈ 1.5 MB
MAX_DEPTH = 64
FILE_SUFFIX = ".ftrag"


def _v1_to_v2(envelope: dict[str, Any]) -> dict[str, Any]:
    """Format 2 holds requirements and weights once per project (scenarios may override them)
    and adds a people-and-operations section.

    The first scenario's requirements and weights become the project's; any other scenario
    whose own differ keeps them as an explicit override.  People costs are left out of the
    older scenarios (``people.include`` false), so their totals are what they were; the
    residency item keeps its old meaning (own infrastructure only, no third-party API).
    """
    out = dict(envelope)
    project = envelope.get("project")
    if isinstance(project, dict):
        project = dict(project)
        scenarios = project.get("scenarios")
        if isinstance(scenarios, list) and scenarios and isinstance(scenarios[0], dict):
            migrated = []
            for key in ("requirements", "weights"):
                if key not in project and key in scenarios[0]:
                    project[key] = scenarios[0][key]
            for scenario in scenarios:
                if not isinstance(scenario, dict):
                    migrated.append(scenario)
                    continue
                scenario = dict(scenario)
                for key, flag in (("requirements", "own_requirements"), ("weights", "own_weights")):
                    if key in scenario and scenario[key] != project.get(key):
                        scenario[flag] = True
                    else:
                        scenario.pop(key, None)
                people = scenario.get("people")
                scenario["people"] = {
                    **(people if isinstance(people, dict) else {}),
                    "include": False,
                }
                migrated.append(scenario)
            project["scenarios"] = migrated
        out["project"] = project
    out["schema_version"] = 2
    return out


# Migrations: MIGRATIONS[n] turns a schema-n envelope into a schema-(n+1) one (plain dicts).
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _v1_to_v2}
# The app version that introduced each schema version (named when refusing a newer file).
SCHEMA_INTRODUCED_IN: dict[int, str] = {1: "0.1.0", 2: "0.2.0"}


class ProjectFileError(ValueError):
    """A project file that cannot be read or written, with the path and the reason."""

    def __init__(self, path: str | os.PathLike[str] | None, reason: str) -> None:
        self.path = None if path is None else str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}" if self.path else reason)


def _refuse_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number a project can hold")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"the key {key!r} appears twice in one object")
        out[key] = value
    return out


def _depth_ok(text: str) -> bool:
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > MAX_DEPTH:
                return False
        elif ch in "]}":
            depth -= 1
    return True


def _describe(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(p) for p in first["loc"])[:200] or "(top level)"
    message = first["msg"]
    if first["type"] == "extra_forbidden":
        message = "unknown field (misspelt, or from another program)"
    more = error.error_count() - 1
    tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more > 0 else ""
    return f"{where}: {message}{tail}"


def parse_project(data: bytes, path: str | os.PathLike[str] | None = None) -> Project:
    """Bytes of a .ftrag file → a validated Project, or ProjectFileError."""
    if len(data) > MAX_FILE_BYTES:
        raise ProjectFileError(path, f"file is larger than {MAX_FILE_BYTES // 1024**2} MB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ProjectFileError(path, f"not UTF-8 text (byte {exc.start})") from None
    if not _depth_ok(text):
        raise ProjectFileError(path, f"nested more than {MAX_DEPTH} levels deep")
    try:
        raw = json.loads(text, parse_constant=_refuse_constant, object_pairs_hook=_no_duplicates)
    except (ValueError, RecursionError) as exc:
        reason = str(exc).splitlines()[0][:300]
        raise ProjectFileError(path, f"not a valid project file (JSON: {reason})") from None
    if not isinstance(raw, dict):
        raise ProjectFileError(path, "not a project file (expected a JSON object)")
    if raw.get("format") != FORMAT_NAME:
        raise ProjectFileError(path, 'not an FTRAG Advisor project (missing "format": "ftrag")')
    version = raw.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ProjectFileError(path, "schema_version is missing or not a positive whole number")
    if version > SCHEMA_VERSION:
        saved_by = raw.get("app_version")
        saved_by = saved_by[:40] if isinstance(saved_by, str) else None
        by = f" by FTRAG Advisor {saved_by}" if isinstance(saved_by, str) else ""
        needed = (
            f"FTRAG Advisor {saved_by} or newer"
            if isinstance(saved_by, str)
            else ("a newer FTRAG Advisor")
        )
        raise ProjectFileError(
            path,
            f"saved{by} in file format {version}; this is version {APP_VERSION}, which reads "
            f"up to format {SCHEMA_VERSION}. Open it with {needed}.",
        )
    try:
        for step in range(version, SCHEMA_VERSION):
            raw = MIGRATIONS[step](raw)
    except (KeyError, TypeError, AttributeError, ValueError) as exc:
        raise ProjectFileError(
            path, f"could not upgrade from format {version}: {exc!s:.200}"
        ) from None
    project = raw.get("project")
    if not isinstance(project, dict):
        raise ProjectFileError(path, "the file has no project in it")
    unknown = sorted(set(raw) - {"format", "schema_version", "app_version", "saved_at", "project"})
    if unknown:
        raise ProjectFileError(path, f"{unknown[0][:100]}: unknown field in the file envelope")
    try:
        return Project.model_validate(project)
    except ValidationError as exc:
        raise ProjectFileError(path, f"project.{_describe(exc)}") from None
    except RecursionError:
        raise ProjectFileError(path, "nested too deeply") from None


def load_project(path: str | os.PathLike[str]) -> Project:
    """Read and validate a .ftrag file; any failure is a ProjectFileError naming the file."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ProjectFileError(p, f"file is larger than {MAX_FILE_BYTES // 1024**2} MB")
        with p.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except ProjectFileError:
        raise
    except IsADirectoryError:
        raise ProjectFileError(p, "is a folder, not a project file") from None
    except FileNotFoundError:
        raise ProjectFileError(p, "no such file") from None
    except PermissionError:
        raise ProjectFileError(p, "permission denied") from None
    except OSError as exc:
        raise ProjectFileError(p, exc.strerror or str(exc)) from None
    return parse_project(data, p)


def dump_project(project: Project, saved_at: datetime | None = None) -> bytes:
    """The file's bytes: UTF-8 JSON, two-space indent, keys in model order, newline at the end."""
    envelope = {
        "format": FORMAT_NAME,
        "schema_version": SCHEMA_VERSION,
        "app_version": APP_VERSION,
        "saved_at": (saved_at or datetime.now(tz=UTC)).isoformat(timespec="seconds"),
        "project": project.model_dump(mode="json"),
    }
    return (json.dumps(envelope, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def save_project(
    project: Project, path: str | os.PathLike[str], *, keep_backup: bool = True
) -> None:
    """Atomic save: write + fsync a temporary file beside the target, copy the old file to
    NAME.ftrag.bak, then replace the target.  At every instant a complete file is at the name."""
    target = Path(path)
    data = dump_project(project)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise ProjectFileError(target, f"cannot write in this folder ({exc.strerror})") from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if target.is_dir():
            raise IsADirectoryError(21, "a folder has this name")
        if keep_backup and target.is_file():
            backup = target.with_name(target.name + ".bak")
            backup_tmp = backup.with_name(backup.name + ".tmp")
            try:
                backup_tmp.write_bytes(target.read_bytes())
                _replace(backup_tmp, backup)
            finally:
                backup_tmp.unlink(missing_ok=True)
        _replace(tmp, target)
        _sync_folder(folder)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ProjectFileError(target, f"could not save ({exc.strerror or exc})") from None


REPLACE_ATTEMPTS = 6  # antivirus, indexers and sync clients hold files open for a moment


def _replace(source: Path, target: Path) -> None:
    """os.replace, retried a few times on PermissionError (WinError 5/32 on Windows, when
    another program briefly holds the file), before the error is reported."""
    for attempt in range(REPLACE_ATTEMPTS):
        try:
            os.replace(source, target)
            return
        except PermissionError:
            if attempt == REPLACE_ATTEMPTS - 1:
                raise
            time.sleep(0.025 * 2**attempt)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); a no-op where folders cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
