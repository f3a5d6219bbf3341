"""The ``.ftrag`` file: one JSON envelope around a project.

    {"format": "ftrag", "schema_version": 1, "app_version": "0.1.0",
     "saved_at": "2026-11-25T10:00:00+00:00", "project": {...}}

Loading is parse → migrate (dict → dict, one step per schema version) → validate, and exactly one
exception type leaves it: :class:`ProjectFileError`, naming the file and the problem.  Files come
from clients and colleagues, so they are treated as untrusted: size checked before reading, UTF-8
only (a BOM tolerated), NaN/Infinity and duplicate keys refused, nesting depth bounded, nothing in
a file is ever imported or executed.  Saving is atomic and keeps the previous file as ``.bak``.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from engine.model.project import Project
from engine.text import normalised_name
from engine.version import APP_VERSION

FORMAT_NAME = "ftrag"
SCHEMA_VERSION = 3
FILE_SUFFIX = ".ftrag"
MAX_DEPTH = 64

# --- limits -------------------------------------------------------------------------------
# One set of limits, checked on load *and before every save* (a save that would produce a file
# the app then refuses is refused instead, with the reason).  They are chosen so that the
# largest project the models allow fits, written the way dump_project writes it (UTF-8, indent 2):
#
# * text: a character takes at most 6 bytes in the file (a control character is written
#   \u0001; anything else takes at most 4 bytes of UTF-8 or 2 for \" and \\).
# * one scenario at its maxima (file format 2): description 20,000 chars → 120,000 B; name 200
#   + eighteen catalog ids of ≤ 200 and three API model names of ≤ 300 = 4,700 chars
#   → 28,200 B; 87 estimates, each with a low–high range of 24-character numbers, ≤ 170 B
#   → 14,790 B; 33 cost overrides ≤ 80 B → 2,640 B; keys, enums, booleans and indentation
#   ≈ 6,000 B.  Total ≤ 171,630 B; MAX_SCENARIO_BYTES rounds it up to 180,000
#   (tests/fileformat builds that scenario: 163,423 B).
# * 1,000 scenarios (the model's maximum) → 180,000,000 B.
# * the project's own text: notes 20,000 + title, client, consultant 3 × 500 = 21,500 chars
#   → 129,000 B, rounded up to MAX_PROJECT_TEXT_BYTES = 200,000.
# * catalog overrides: the model sets no count, so they get a budget of 16 MiB (≈ 20,000
#   ordinary entries of ~800 B); a project beyond the total is refused at save, never lost.
# * the client's brief (file format 3): its answers, ≤ 150 recorded fields, ≤ 60 assumption
#   lines and ≤ 10 notes, at most ≈ 680,000 B written out (tests/fileformat builds it) →
#   MAX_BRIEF_BYTES = 1 MiB.
# Sum: 180,000,000 + 200,000 + 16,777,216 + 1,048,576 = 198,025,792 B → MAX_FILE_BYTES =
# 189 MiB (198.2 MB).
# Loading a file of that size takes ≈ 0.5 GB of memory and a few seconds (measured: a 163 MB
# file of 1,000 maximal scenarios, 4 s and 462 MB peak).  The counts below bound what the JSON
# parser builds from hostile input of that size (a file of "[[],[],…" would otherwise cost GBs):
# the largest project has ≈ 100 objects and ≈ 450 values per scenario (≈ 100,000 and 450,000
# for 1,000 scenarios, plus ≈ 15 per catalog override).
MAX_SCENARIO_BYTES = 180_000
MAX_SCENARIOS = 1_000
MAX_PROJECT_TEXT_BYTES = 200_000
CATALOG_OVERRIDES_BUDGET_BYTES = 16 * 1024**2
MAX_BRIEF_BYTES = 1024**2
MAX_FILE_BYTES = (
    -(
        -(
            MAX_SCENARIOS * MAX_SCENARIO_BYTES
            + MAX_PROJECT_TEXT_BYTES
            + CATALOG_OVERRIDES_BUDGET_BYTES
            + MAX_BRIEF_BYTES
        )
        // 1024**2
    )
    * 1024**2
)
MAX_CONTAINERS = 1_000_000  # objects and arrays
MAX_VALUES = 4_000_000  # commas, i.e. values in all arrays and objects together
MAX_NUMBER_DIGITS = 400  # no field needs more; Python refuses ints beyond 4,300 digits


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


def _v2_to_v3(envelope: dict[str, Any]) -> dict[str, Any]:
    """Format 3 stores the client's brief a project was started from (none for older files)
    and whether the client runs ML operations in-house (people.ml_ops_in_house, assumed yes
    for older files, so their totals are what they were)."""
    out = dict(envelope)
    project = envelope.get("project")
    if isinstance(project, dict):
        project = dict(project)
        project.setdefault("brief", None)
        scenarios = project.get("scenarios")
        if isinstance(scenarios, list):
            migrated = []
            for scenario in scenarios:
                if isinstance(scenario, dict) and isinstance(scenario.get("people"), dict):
                    scenario = {
                        **scenario,
                        "people": {**scenario["people"], "ml_ops_in_house": True},
                    }
                migrated.append(scenario)
            project["scenarios"] = migrated
        out["project"] = project
    out["schema_version"] = 3
    return out


# Migrations: MIGRATIONS[n] turns a schema-n envelope into a schema-(n+1) one (plain dicts).
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _v1_to_v2, 2: _v2_to_v3}
# The app version that introduced each schema version (named when refusing a newer file).
SCHEMA_INTRODUCED_IN: dict[int, str] = {1: "0.1.0", 2: "0.2.0", 3: "0.3.0"}


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


_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{},]')


def _structure_problem(text: str) -> str | None:
    """Why the JSON text exceeds the structural limits (depth, objects, values), else None.
    Strings are skipped whole by the regular expression, so this is fast on text-heavy files."""
    depth = containers = values = 0
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token[0] == '"':
            continue
        if token == ",":
            values += 1
            if values > MAX_VALUES:
                return f"more than {MAX_VALUES:,} values"
        elif token in "[{":
            depth += 1
            containers += 1
            if depth > MAX_DEPTH:
                return f"nested more than {MAX_DEPTH} levels deep"
            if containers > MAX_CONTAINERS:
                return f"more than {MAX_CONTAINERS:,} objects and lists"
        else:
            depth -= 1
    return None


def _size_text(size: int) -> str:
    return f"{size / 1024**2:,.1f} MB"


def _parse_int(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MAX_NUMBER_DIGITS:
        raise ValueError(f"a number with {digits:,} digits (at most {MAX_NUMBER_DIGITS})")
    return int(text)


_FRIENDLY = {
    "float_parsing": "enter a number",
    "finite_number": "enter a finite number",
    "string_pattern_mismatch": "not in the expected form",
    "extra_forbidden": "unknown field (misspelt, or from another program)",
}


def describe_validation_error(error: ValidationError) -> str:
    """The first problem pydantic found, in words a consultant can act on (an edit refused,
    a file that does not load)."""
    first = error.errors()[0]
    message = str(first.get("msg", "invalid value"))
    kind = str(first.get("type"))
    if kind == "string_too_short" and first.get("ctx", {}).get("min_length") == 1:
        message = "cannot be empty"
    elif kind in _FRIENDLY:
        message = _FRIENDLY[kind]
    for prefix in ("Value error, ", "Assertion failed, "):
        if message.startswith(prefix):
            message = message[len(prefix) :]
    return message[:1].upper() + message[1:]


def _describe(error: ValidationError) -> str:
    """Where in the file, what, and how many more problems there are."""
    first = error.errors()[0]
    where = ".".join(str(p) for p in first["loc"])[:200] or "(top level)"
    message = describe_validation_error(error)
    if first["type"] == "extra_forbidden":
        message = message[:1].lower() + message[1:]
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
    problem = _structure_problem(text)
    if problem:
        raise ProjectFileError(path, problem)
    try:
        raw = json.loads(
            text,
            parse_constant=_refuse_constant,
            parse_int=_parse_int,
            object_pairs_hook=_no_duplicates,
        )
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
        if version >= 10**9:  # not a real version: do not print thousands of digits
            version_text = "a file format from a much newer version (or a damaged file)"
            raise ProjectFileError(
                path,
                f"saved in {version_text}; this is version {APP_VERSION}, which reads "
                f"up to format {SCHEMA_VERSION}.",
            )
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
    _normalise_names(project)
    unknown = sorted(set(raw) - {"format", "schema_version", "app_version", "saved_at", "project"})
    if unknown:
        raise ProjectFileError(path, f"{unknown[0][:100]}: unknown field in the file envelope")
    try:
        return Project.model_validate(project)
    except ValidationError as exc:
        raise ProjectFileError(path, f"project.{_describe(exc)}") from None
    except RecursionError:
        raise ProjectFileError(path, "nested too deeply") from None


def _normalise_names(project: dict[str, Any]) -> None:
    """Scenario names of files saved before names were checked: NFC, invisible characters
    dropped, line breaks made spaces (engine.text.normalised_name); a name that becomes equal
    to another gets a number.  New edits with such names are refused instead."""
    scenarios = project.get("scenarios")
    if not isinstance(scenarios, list):
        return
    taken: set[str] = set()
    for scenario in scenarios:
        name = scenario.get("name") if isinstance(scenario, dict) else None
        if not isinstance(name, str):
            continue
        clean = normalised_name(name) or "Scenario"
        candidate, n = clean, 2
        while candidate in taken:
            suffix = f" ({n})"
            candidate = clean[: NAME_MAX_CHARS - len(suffix)] + suffix
            n += 1
        taken.add(candidate)
        if candidate != name:
            scenario["name"] = candidate


NAME_MAX_CHARS = 200  # the model's limit on a scenario name


@dataclass(frozen=True)
class FileIdentity:
    """What a file was when it was read or written: when it differs later, another program
    (or another window) has written it since."""

    device: int
    inode: int
    mtime_ns: int
    size: int

    @classmethod
    def of(cls, info: os.stat_result) -> FileIdentity:
        return cls(info.st_dev, info.st_ino, info.st_mtime_ns, info.st_size)


def file_identity(path: str | os.PathLike[str]) -> FileIdentity | None:
    """The identity of the file at ``path`` (through symlinks), None when there is none."""
    try:
        return FileIdentity.of(os.stat(path))
    except (OSError, ValueError):
        return None


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "is a folder, not a project file"
    if stat.S_ISFIFO(mode):
        return "is a pipe (FIFO), not a regular file; it cannot be opened as a project"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a regular file; it cannot be opened as a project"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a regular file; it cannot be opened as a project"
    return "is not a regular file"


def read_project_file(path: str | os.PathLike[str]) -> tuple[Project, FileIdentity]:
    """Read and validate a .ftrag file, with the identity of what was read.  Never blocks on a
    FIFO or device (it is refused with the reason before it is opened); any failure is a
    ProjectFileError naming the file."""
    p = Path(path)
    try:
        info = os.stat(p)
        if not stat.S_ISREG(info.st_mode):
            raise ProjectFileError(p, _kind(info.st_mode))
        if info.st_size > MAX_FILE_BYTES:
            raise ProjectFileError(p, f"file is larger than {MAX_FILE_BYTES // 1024**2} MB")
        # O_NONBLOCK: if the name is swapped for a FIFO between stat and open, open returns
        # at once and fstat below refuses it.
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise ProjectFileError(p, _kind(info.st_mode))
            data = handle.read(MAX_FILE_BYTES + 1)
    except ProjectFileError:
        raise
    except IsADirectoryError:
        raise ProjectFileError(p, "is a folder, not a project file") from None
    except FileNotFoundError:
        raise ProjectFileError(p, "no such file") from None
    except PermissionError:
        raise ProjectFileError(p, "permission denied") from None
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ProjectFileError(p, reason) from None
    return parse_project(data, p), FileIdentity.of(info)


def load_project(path: str | os.PathLike[str]) -> Project:
    """Read and validate a .ftrag file; any failure is a ProjectFileError naming the file."""
    return read_project_file(path)[0]


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


class ReadOnlyFileError(ProjectFileError):
    """The file itself is read-only (its folder may be writable): the window offers Save As."""


BACKUP_SUFFIX = ".bak"
TEMP_SUFFIX = ".tmp"
# ".NAME." + 8 random characters + ".tmp": the temporary file's name adds 14 bytes to NAME.
_TEMP_EXTRA_BYTES = 14
TEMP_SWEEP_AGE_S = 3600  # leftovers younger than this may belong to a save still running
_TEMP_NAME = re.compile(r"^\..*\.ftrag(?:\.bak)?\.[a-z0-9_]{8}\.tmp$")
_LEGACY_BACKUP_TEMP = re.compile(r"^.+\.ftrag\.bak\.tmp$")  # the fixed name older versions used


def check_saveable(data: bytes, path: str | os.PathLike[str] | None = None) -> None:
    """The load limits, applied to bytes about to be written: a file the app would refuse to
    open is never written.  Raises ProjectFileError with the reason."""
    if len(data) > MAX_FILE_BYTES:
        raise ProjectFileError(
            path,
            f"the project is too large to save: it would be {_size_text(len(data))}, and files "
            f"over {MAX_FILE_BYTES // 1024**2} MB cannot be opened again. Shorten long "
            "descriptions or notes, or remove scenarios or catalog overrides.",
        )
    problem = _structure_problem(data.decode("utf-8"))
    if problem:
        raise ProjectFileError(
            path, f"the project cannot be saved in a form the app can open again ({problem})"
        )


def _name_max(folder: Path) -> int:
    try:
        return int(os.pathconf(folder, "PC_NAME_MAX"))
    except (OSError, ValueError, AttributeError):
        return 255


def _name_bytes(name: str) -> int:
    return len(os.fsencode(name))


def _temp_prefix(name: str, name_max: int) -> str:
    """'.NAME.' for mkstemp, NAME shortened (keeping its .ftrag ending, which the sweep looks
    for) when the temporary name would exceed the file system's limit."""
    ending = next((e for e in (FILE_SUFFIX + BACKUP_SUFFIX, FILE_SUFFIX) if name.endswith(e)), "")
    stem = name[: len(name) - len(ending)] if ending else name
    ending = ending or FILE_SUFFIX
    while stem and _name_bytes(stem + ending) + _TEMP_EXTRA_BYTES > name_max:
        stem = stem[:-1]
    return f".{stem}{ending}."


def _umask() -> int:
    """The process's umask, read without changing it where the system allows."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _take_mode_and_owner(fd: int, mode: int, original: os.stat_result | None) -> None:
    """Give a freshly created file the original's owner (where allowed) and mode."""
    if (
        original is not None
        and hasattr(os, "fchown")
        and (original.st_uid, original.st_gid) != (os.geteuid(), os.getegid())
    ):
        try:
            os.fchown(fd, original.st_uid, original.st_gid)
        except OSError:  # not allowed to give the file away: keep at least the group
            with contextlib.suppress(OSError):
                os.fchown(fd, -1, original.st_gid)
    if hasattr(os, "fchmod"):
        os.fchmod(fd, mode)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _write_new_file(
    folder: Path, prefix: str, data: bytes, mode: int, original: os.stat_result | None
) -> Path:
    """A new, uniquely named, fsynced file in ``folder`` holding ``data`` with ``mode``: it is
    created private (0600) and only then given its mode, so it is never more open than meant."""
    fd, name = tempfile.mkstemp(prefix=prefix, suffix=TEMP_SUFFIX, dir=folder)
    try:
        try:
            _take_mode_and_owner(fd, mode, original)
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def _write_backup(
    target: Path, old: bytes, mode: int, original: os.stat_result, name_max: int
) -> None:
    """NAME.bak: the previous content, with the original's mode and owner, fsynced before it
    is renamed into place (a crash never leaves an empty or partial backup)."""
    backup = target.with_name(target.name + BACKUP_SUFFIX)
    tmp = _write_new_file(target.parent, _temp_prefix(backup.name, name_max), old, mode, original)
    try:
        _replace(tmp, backup)
    finally:
        tmp.unlink(missing_ok=True)


def save_project(
    project: Project,
    path: str | os.PathLike[str],
    *,
    keep_backup: bool = True,
    private: bool = False,
) -> FileIdentity | None:
    """Save ``project`` to ``path`` and return the identity of the file written.

    The rules (docs/files.md):

    * Limits: the bytes are checked against the load limits first; a file the app could not
      open again is not written (ProjectFileError with the reason; nothing on disk changes).
    * Atomic: write + fsync a uniquely named temporary file beside the target, copy the old
      file to NAME.ftrag.bak (fsynced), then rename over the target.  At every instant a
      complete file is at the name.
    * Symlinks are resolved at save time: the file the link points to is written (and its
      .bak sits beside it); the link stays a link.
    * Hard links: a file with more than one link is written *in place*, because replacing it
      would detach this name from the others (they would keep the old content).  Its safety:
      the old content is written and fsynced as .bak first, and if writing the new content
      fails, the old content is written back.
    * Permissions: the new file and its .bak get the original's mode (and owner and group
      where the system allows); a new file gets 0666 minus the umask, like any other program's
      (``private``: 0600, for recovery copies).
    * A read-only file is refused (ReadOnlyFileError), not silently replaced.
    """
    data = dump_project(project)
    given = Path(path)
    target = Path(os.path.realpath(given)) if os.path.islink(given) else given
    check_saveable(data, target)
    folder = target.parent if str(target.parent) else Path(".")
    name_max = _name_max(folder)
    limit = name_max - len(BACKUP_SUFFIX) if keep_backup else name_max
    if _name_bytes(target.name) > limit:
        raise ProjectFileError(
            target,
            f"the file name is too long to save ({_name_bytes(target.name)} bytes; at most "
            f"{limit}, so that its backup {BACKUP_SUFFIX} fits beside it). Use Save As with a "
            "shorter name.",
        )
    try:
        info: os.stat_result | None = os.stat(target)
    except OSError:
        info = None  # a new file (or a folder that is not there: reported below)
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise ProjectFileError(target, "could not save (a folder has this name)")
        if not stat.S_ISREG(info.st_mode):
            raise ProjectFileError(target, f"could not save: it {_kind(info.st_mode)}")
        if not info.st_mode & 0o222 or not os.access(target, os.W_OK):
            raise ReadOnlyFileError(
                target,
                "the file is read-only, so it was not changed. Save under another name "
                "(File → Save As…), or make the file writable first.",
            )
        mode = stat.S_IMODE(info.st_mode)
    else:
        mode = 0o600 if private else 0o666 & ~_umask()
    if info is not None and info.st_nlink > 1:
        _save_in_place(target, data, info, keep_backup, name_max)
    else:
        _save_by_rename(target, folder, data, mode, info, keep_backup, name_max)
    return file_identity(target)


def _save_by_rename(
    target: Path,
    folder: Path,
    data: bytes,
    mode: int,
    info: os.stat_result | None,
    keep_backup: bool,
    name_max: int,
) -> None:
    try:
        tmp = _write_new_file(folder, _temp_prefix(target.name, name_max), data, mode, info)
    except OSError as exc:
        raise ProjectFileError(target, f"cannot write in this folder ({exc.strerror})") from None
    try:
        if keep_backup and info is not None:
            _write_backup(target, _read_all(target), mode, info, name_max)
        _replace(tmp, target)
        _sync_folder(folder)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ProjectFileError(target, f"could not save ({exc.strerror or exc})") from None


def _read_all(path: Path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def _save_in_place(
    target: Path, data: bytes, info: os.stat_result, keep_backup: bool, name_max: int
) -> None:
    """The hard-link rule (see save_project): old content to .bak first, then overwrite."""
    try:
        old = _read_all(target)
        if keep_backup:
            _write_backup(target, old, stat.S_IMODE(info.st_mode), info, name_max)
        fd = os.open(target, os.O_WRONLY | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise ProjectFileError(target, f"could not save ({exc.strerror or exc})") from None
    try:
        try:
            _write_all(fd, data)
            os.ftruncate(fd, len(data))
            os.fsync(fd)
        except OSError as exc:
            try:  # put the previous content back; the .bak holds it as well
                os.lseek(fd, 0, os.SEEK_SET)
                _write_all(fd, old)
                os.ftruncate(fd, len(old))
                os.fsync(fd)
            except OSError:
                pass
            raise ProjectFileError(
                target, f"could not save ({exc.strerror or exc}); the previous version is kept"
            ) from None
    finally:
        os.close(fd)


def sweep_temp_files(
    folder: str | os.PathLike[str], *, older_than_s: float = TEMP_SWEEP_AGE_S
) -> list[Path]:
    """Remove temporary files that saves killed mid-way left in ``folder``: only names of our
    own pattern ('.NAME.ftrag.xxxxxxxx.tmp', '.NAME.ftrag.bak.xxxxxxxx.tmp', and the
    'NAME.ftrag.bak.tmp' of older versions), only regular files, only older than
    ``older_than_s`` (a younger one may belong to a save still running).  Never raises."""
    removed: list[Path] = []
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not (_TEMP_NAME.match(entry.name) or _LEGACY_BACKUP_TEMP.match(entry.name)):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if not stat.S_ISREG(info.st_mode) or now - info.st_mtime < older_than_s:
                continue
            os.unlink(entry.path)
        except OSError:
            continue
        removed.append(Path(entry.path))
    return removed


def write_bytes_atomically(path: str | os.PathLike[str], data: bytes, mode: int = 0o600) -> None:
    """``data`` into ``path`` as a whole or not at all: a fsynced temporary file beside it
    replaces it (retried while another program briefly holds the file) and the folder is
    synced, as project saves do.  Raises OSError."""
    target = Path(path)
    tmp = _write_new_file(target.parent, f".{target.name}.", data, mode, None)
    try:
        _replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _sync_folder(target.parent)


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
