"""The save rules (docs/files.md): what cannot be opened is not saved; links, permissions and
owners survive a save; read-only files are refused; new files follow the umask; temporary files
have unique names and are swept; non-regular files never block a load."""

from __future__ import annotations

import json
import os
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import engine.fileformat as ff
from engine.fileformat import (
    MAX_FILE_BYTES,
    MAX_SCENARIO_BYTES,
    ProjectFileError,
    ReadOnlyFileError,
    dump_project,
    file_identity,
    load_project,
    parse_project,
    save_project,
    sweep_temp_files,
)
from engine.model.base import Estimate
from engine.model.project import Project
from engine.model.scenario import OVERRIDE_KEYS, Scenario
from engine.templates import load_template

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX file semantics")


@pytest.fixture
def umask() -> Iterator[None]:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# --- 1. save what you can open ------------------------------------------------------------


def test_a_project_over_the_load_limit_is_refused_before_anything_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Failed before: the save wrote a file that load then refused ("larger than 8 MB")."""
    path = tmp_path / "p.ftrag"
    save_project(Project(title="first"), path)
    save_project(Project(title="second"), path)
    before = (path.read_bytes(), (tmp_path / "p.ftrag.bak").read_bytes())
    big = Project(title="third", notes="x" * 20_000)
    monkeypatch.setattr(ff, "MAX_FILE_BYTES", len(dump_project(big)) - 100)
    with pytest.raises(ProjectFileError, match=r"too large to save.*cannot be opened again"):
        save_project(big, path)
    assert (path.read_bytes(), (tmp_path / "p.ftrag.bak").read_bytes()) == before
    assert _files(tmp_path) == ["p.ftrag", "p.ftrag.bak"]


def test_structural_limits_are_checked_on_save_as_on_load(monkeypatch: pytest.MonkeyPatch) -> None:
    project = load_template("support-assistant")
    monkeypatch.setattr(ff, "MAX_CONTAINERS", 10)
    with pytest.raises(ProjectFileError, match="objects and lists"):
        parse_project(dump_project(project))
    with pytest.raises(ProjectFileError, match="cannot be saved in a form the app can open"):
        ff.check_saveable(dump_project(project))


def _maximal(model: object) -> object:
    """``model`` with every free text at its maximum length in the costliest characters (a
    control character is written \\u0001: 6 bytes) and every estimate given a range of long
    numbers."""
    from pydantic import BaseModel

    assert isinstance(model, BaseModel)
    data: dict[str, object] = {}
    for name, field in type(model).model_fields.items():
        value = getattr(model, name)
        if isinstance(value, Estimate):
            likely, spread = value.likely, abs(value.likely) * 1.2345678901234567e-9
            ranged = Estimate(likely=likely, low=likely - spread, high=likely + spread)
            current = {n: getattr(model, n) for n in type(model).model_fields}
            try:
                type(model).model_validate({**current, name: ranged})
            except ValueError:  # at a bound: the range collapses onto it
                ranged = Estimate(likely=likely, low=likely, high=likely)
            data[name] = ranged
        elif isinstance(value, BaseModel):
            data[name] = _maximal(value)
        elif isinstance(value, str) and not hasattr(value, "value"):
            limit = next(
                (m.max_length for m in field.metadata if getattr(m, "max_length", None)), 20_000
            )
            # Names refuse control characters: the costliest they hold is 4-byte UTF-8.
            data[name] = ("\U0001f600" if name == "name" else "\x01") * limit
        else:
            data[name] = value
    return type(model).model_validate(data)


def test_the_largest_scenario_fits_its_budget_and_the_largest_project_fits_the_limit() -> None:
    scenario = _maximal(Scenario())
    assert isinstance(scenario, Scenario)
    scenario = scenario.model_copy(
        update={"name": "9" * 200, "cost_overrides": dict.fromkeys(OVERRIDE_KEYS, 1.2345e-300)}
    )
    one = len(dump_project(Project(scenarios=[scenario])))
    two = len(
        dump_project(Project(scenarios=[scenario, scenario.model_copy(update={"name": "8"})]))
    )
    per_scenario = two - one
    assert per_scenario <= MAX_SCENARIO_BYTES, per_scenario
    text = Project(
        title="\x01" * 500, client="\x01" * 500, consultant="\x01" * 500, notes="\x01" * 20_000
    )
    envelope = len(dump_project(text))
    assert envelope <= ff.MAX_PROJECT_TEXT_BYTES
    largest = 1_000 * MAX_SCENARIO_BYTES + envelope
    assert largest + ff.CATALOG_OVERRIDES_BUDGET_BYTES <= MAX_FILE_BYTES


def test_autosave_refuses_the_same_way(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The recovery copy goes through save_project: an oversized copy is not written (it
    would be set aside as unreadable on the next start)."""
    project = load_template("support-assistant")
    monkeypatch.setattr(ff, "MAX_FILE_BYTES", 1000)
    with pytest.raises(ProjectFileError, match="too large"):
        save_project(project, tmp_path / "copy.ftrag", keep_backup=False)
    assert _files(tmp_path) == []


def test_huge_numbers_and_versions_give_short_messages() -> None:
    """Failed before: Python's own advice to call sys.set_int_max_str_digits(), and a
    4,300-character line naming a 4,299-digit schema version."""
    digits = "7" * 5000
    with pytest.raises(ProjectFileError) as caught:
        parse_project(f'{{"format": "ftrag", "schema_version": {digits}}}'.encode())
    assert "5,000 digits" in caught.value.reason and "sys." not in str(caught.value)
    big_version = "9" * 4299
    with pytest.raises(ProjectFileError) as caught:
        parse_project(f'{{"format": "ftrag", "schema_version": {big_version}}}'.encode())
    assert len(str(caught.value)) < 300


# --- 2. links, permissions, owners --------------------------------------------------------


@posix_only
def test_saving_through_a_symlink_writes_its_target(tmp_path: Path) -> None:
    """Failed before: the link was replaced by a regular file; the target never changed."""
    synced = tmp_path / "synced"
    synced.mkdir()
    target = synced / "client.ftrag"
    save_project(Project(title="old"), target)
    link = tmp_path / "link.ftrag"
    link.symlink_to(target)
    save_project(Project(title="new"), link)
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert load_project(target).title == "new"
    assert load_project(synced / "client.ftrag.bak").title == "old"
    assert _files(tmp_path) == ["link.ftrag", "synced"]


@posix_only
def test_a_link_retargeted_after_opening_is_resolved_at_save_time(tmp_path: Path) -> None:
    first, second = tmp_path / "a.ftrag", tmp_path / "b.ftrag"
    save_project(Project(title="a"), first)
    save_project(Project(title="b"), second)
    link = tmp_path / "link.ftrag"
    link.symlink_to(first)
    link.unlink()
    link.symlink_to(second)
    save_project(Project(title="saved"), link)
    assert load_project(first).title == "a" and load_project(second).title == "saved"


@posix_only
def test_hard_links_keep_sharing_the_file(tmp_path: Path) -> None:
    """Failed before: the saved name got a new inode; the other name kept the old content."""
    path = tmp_path / "p.ftrag"
    save_project(Project(title="old"), path)
    other = tmp_path / "other-name.ftrag"
    os.link(path, other)
    inode = path.stat().st_ino
    save_project(Project(title="new"), path)
    assert path.stat().st_ino == inode and other.stat().st_ino == inode
    assert load_project(other).title == "new"
    assert load_project(tmp_path / "p.ftrag.bak").title == "old"


@posix_only
def test_an_in_place_save_that_fails_puts_the_old_content_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "p.ftrag"
    save_project(Project(title="old"), path)
    os.link(path, tmp_path / "twin.ftrag")
    real = os.fsync
    calls = {"n": 0}

    def failing_fsync(fd: int) -> None:
        calls["n"] += 1
        if calls["n"] == 2:  # the first fsync is the backup's; the second the new content's
            raise OSError(28, "No space left on device")
        real(fd)

    monkeypatch.setattr(ff.os, "fsync", failing_fsync)
    with pytest.raises(ProjectFileError, match="previous version is kept"):
        save_project(Project(title="new"), path)
    monkeypatch.undo()
    assert load_project(tmp_path / "twin.ftrag").title == "old"


@posix_only
@pytest.mark.parametrize("mode", [0o600, 0o640, 0o664, 0o644])
def test_the_file_and_its_backup_keep_the_original_mode(
    tmp_path: Path, mode: int, umask: None
) -> None:
    """Failed before: a 0600 file got a 0644 .bak; a 0664 team file became 0600."""
    os.umask(0o077 if mode & 0o044 else 0o000)  # a umask that would give another mode
    path = tmp_path / "p.ftrag"
    save_project(Project(title="first"), path)
    path.chmod(mode)
    save_project(Project(title="second"), path)
    save_project(Project(title="third"), path)
    assert stat.S_IMODE(path.stat().st_mode) == mode
    assert stat.S_IMODE((tmp_path / "p.ftrag.bak").stat().st_mode) == mode


@posix_only
@pytest.mark.skipif(os.name == "posix" and os.geteuid() != 0, reason="chown needs root")
def test_the_file_and_its_backup_keep_the_original_owner(tmp_path: Path) -> None:
    path = tmp_path / "p.ftrag"
    save_project(Project(title="first"), path)
    os.chown(path, 4321, 4322)
    save_project(Project(title="second"), path)
    save_project(Project(title="third"), path)
    for saved in (path, tmp_path / "p.ftrag.bak"):
        assert (saved.stat().st_uid, saved.stat().st_gid) == (4321, 4322)


@posix_only
def test_a_read_only_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    """Failed before: a 0444 file was replaced silently (the rename ignores the file's mode)."""
    path = tmp_path / "p.ftrag"
    save_project(Project(title="kept"), path)
    path.chmod(0o444)
    before = path.read_bytes()
    with pytest.raises(ReadOnlyFileError, match="read-only"):
        save_project(Project(title="new"), path)
    assert path.read_bytes() == before and _files(tmp_path) == ["p.ftrag"]


@posix_only
@pytest.mark.parametrize("mask", [0o022, 0o002, 0o077])
def test_new_files_follow_the_umask(tmp_path: Path, mask: int, umask: None) -> None:
    """Failed before: every new file was 0600 (the temporary file's mode)."""
    os.umask(mask)
    path = tmp_path / "new.ftrag"
    save_project(Project(), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~mask


@posix_only
def test_ftrag_new_follows_the_umask(tmp_path: Path, umask: None) -> None:
    from engine.cli import main

    os.umask(0o027)
    out = tmp_path / "made.ftrag"
    assert main(["new", "-o", str(out)]) == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o640


# --- other writers: the identity ------------------------------------------------------------


def test_the_identity_changes_when_another_program_writes(tmp_path: Path) -> None:
    path = tmp_path / "p.ftrag"
    written = save_project(Project(title="mine"), path)
    assert written == file_identity(path)
    _, read = ff.read_project_file(path)
    assert read == written
    save_project(Project(title="theirs"), path)
    assert file_identity(path) != written


# --- 6. leftovers, unique temporary names, long names --------------------------------------


def test_two_processes_saving_one_file_do_not_collide(tmp_path: Path) -> None:
    """Failed before: both wrote NAME.ftrag.bak.tmp; one save in ~40 failed."""
    path = tmp_path / "p.ftrag"
    save_project(Project(title="start"), path)
    errors: list[BaseException] = []

    def saver(title: str) -> None:
        for _ in range(40):
            try:
                save_project(Project(title=title), path)
            except BaseException as exc:  # collected and asserted below
                errors.append(exc)

    threads = [threading.Thread(target=saver, args=(f"t{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert load_project(path).title.startswith("t")
    assert load_project(tmp_path / "p.ftrag.bak").title
    assert _files(tmp_path) == ["p.ftrag", "p.ftrag.bak"]


def test_leftover_temporary_files_are_swept_when_old_and_ours(tmp_path: Path) -> None:
    old = time.time() - 2 * ff.TEMP_SWEEP_AGE_S
    ours = [
        ".client.ftrag.a1b2c3d4.tmp",
        ".client.ftrag.bak.zz_9yx8w.tmp",
        "client.ftrag.bak.tmp",
    ]
    others = [".client.ftrag.ABCDEFGH.tmp", "notes.tmp", ".vimrc.swp", "client.ftrag"]
    for name in ours + others:
        (tmp_path / name).write_text("x")
        os.utime(tmp_path / name, (old, old))
    young = tmp_path / ".client.ftrag.young123.tmp"
    young.write_text("a save still running")
    removed = sweep_temp_files(tmp_path)
    assert sorted(p.name for p in removed) == sorted(ours)
    assert _files(tmp_path) == sorted([*others, young.name])


def test_a_failed_save_removes_its_temporary_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "p.ftrag"
    save_project(Project(title="first"), path)

    def broken(_src: object, _dst: object) -> None:
        raise OSError(5, "I/O error")

    monkeypatch.setattr(ff.os, "replace", broken)
    with pytest.raises(ProjectFileError):
        save_project(Project(title="second"), path)
    monkeypatch.undo()
    assert _files(tmp_path) == ["p.ftrag"]


@pytest.mark.parametrize("length", [242, 247, 251])
def test_long_file_names_save_with_a_shortened_temporary_name(tmp_path: Path, length: int) -> None:
    """Failed before: names of 242–255 bytes opened but could never be saved."""
    path = tmp_path / ("n" * (length - len(".ftrag")) + ".ftrag")
    save_project(Project(title="first"), path)
    save_project(Project(title="second"), path)
    assert load_project(path).title == "second"
    assert len(os.listdir(tmp_path)) == 2


def test_a_name_too_long_for_its_backup_is_refused_early(tmp_path: Path) -> None:
    path = tmp_path / ("n" * 249 + ".ftrag")  # 255 bytes: NAME.bak cannot exist
    with pytest.raises(ProjectFileError, match=r"file name is too long.*Save As"):
        save_project(Project(), path)
    assert _files(tmp_path) == []


# --- 7. non-regular files -------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    """Failed before: open() on a FIFO waited for a writer forever."""
    fifo = tmp_path / "pipe.ftrag"
    os.mkfifo(fifo)
    result: list[str] = []

    def load() -> None:
        try:
            load_project(fifo)
        except ProjectFileError as exc:
            result.append(exc.reason)

    thread = threading.Thread(target=load, daemon=True)
    thread.start()
    thread.join(5)
    assert result and "FIFO" in result[0]


def test_old_files_with_invisible_or_decomposed_names_are_normalised_on_load() -> None:
    data = json.loads(dump_project(Project()))
    base = data["project"]["scenarios"][0]
    data["project"]["scenarios"] = [
        {**base, "name": "Caf\u00e9"},
        {**base, "name": "Cafe\u0301"},
        {**base, "name": "Caf\u00e9\u200b"},
        {**base, "name": "line\r\nbreak"},
    ]
    project = parse_project(json.dumps(data).encode())
    assert [s.name for s in project.scenarios] == ["Café", "Café (2)", "Café (3)", "line break"]


def test_the_largest_brief_fits_its_budget() -> None:
    """A stored brief at every maximum the models allow (the costliest characters, written
    \\u0001) fits MAX_BRIEF_BYTES, which the file limit includes."""
    from engine.model.brief import QUESTIONS, Brief, BriefAssumption, ProjectBrief

    answers = Brief.model_validate(
        {
            "title": "\x01" * 500,
            "client": "\x01" * 500,
            "assistant_does": "x" + "\x01" * 1_999,
            **{name: "dont_know" for name in QUESTIONS if name != "assistant_does"},
        }
    )
    brief = ProjectBrief(
        answers=answers,
        scenario="\U0001f600" * 200,
        applied={f"{i:03d}" + "\x01" * 97: "\x01" * 300 for i in range(150)},
        assumptions=[BriefAssumption(path="\x01" * 100, text="\x01" * 600)] * 60,
        notes=["\x01" * 600] * 10,
    )
    without = len(dump_project(Project()))
    size = len(dump_project(Project(brief=brief))) - without
    assert size <= ff.MAX_BRIEF_BYTES, size
    assert (
        1_000 * MAX_SCENARIO_BYTES
        + ff.MAX_PROJECT_TEXT_BYTES
        + ff.CATALOG_OVERRIDES_BUDGET_BYTES
        + ff.MAX_BRIEF_BYTES
        <= MAX_FILE_BYTES
    )
