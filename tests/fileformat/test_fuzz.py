"""The loader under hostile input: whatever the bytes, only ProjectFileError comes out, and a
valid project survives save → load unchanged."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.fileformat import ProjectFileError, load_project, parse_project, save_project
from engine.model import Project
from engine.templates import template_names, template_path
from tests.engine.test_properties import scenarios

SEEDS = [template_path(n).read_bytes() for n in template_names()]
FUZZ_INPUTS = 10_000


def _mutations(rng: random.Random, data: bytes) -> bytes:
    kind = rng.randrange(12)
    b = bytearray(data)
    if kind == 0:  # truncation
        return bytes(b[: rng.randrange(len(b))])
    if kind == 1:  # bit flips
        for _ in range(rng.randint(1, 8)):
            i = rng.randrange(len(b))
            b[i] ^= 1 << rng.randrange(8)
        return bytes(b)
    if kind == 2:  # random bytes spliced in
        i = rng.randrange(len(b))
        return bytes(b[:i]) + rng.randbytes(rng.randint(1, 40)) + bytes(b[i:])
    if kind == 3:  # other encodings, BOMs
        text = data.decode("utf-8")
        enc = rng.choice(["utf-16", "utf-32", "latin-1", "utf-8-sig", "cp1252"])
        return text.encode(enc, errors="replace")
    if kind == 4:  # huge, NaN, negative and non-number values
        text = data.decode("utf-8")
        token = rng.choice(
            [
                "1e400",
                "NaN",
                "-Infinity",
                "-1",
                "1" * 5000,
                '"x"',
                "null",
                "true",
                "[]",
                "{}",
                "0.0",
                "1e15",
                "99999999999999999999",
            ]
        )
        numbers = [i for i, ch in enumerate(text) if ch.isdigit() and text[i - 1] in " :"]
        if numbers:
            i = rng.choice(numbers)
            j = i
            while j < len(text) and (text[j].isdigit() or text[j] in ".e-"):
                j += 1
            text = text[:i] + token + text[j:]
        return text.encode()
    if kind == 5:  # deep nesting
        depth = rng.choice([70, 1000, 100_000])
        return (
            b'{"format": "ftrag", "schema_version": 1, "project": '
            + b"[" * depth
            + b"]" * depth
            + b"}"
        )
    if kind == 6:  # wrong types for whole sections
        doc = json.loads(data)
        scenario = doc["project"]["scenarios"][0]
        section = rng.choice(list(scenario))
        scenario[section] = rng.choice([5, "text", None, [], {"unknown": 1}, True])
        return json.dumps(doc).encode()
    if kind == 7:  # misspelt / unknown keys
        doc = json.loads(data)
        doc["project"][rng.choice(["titel", "scenarioss", "__class__", "x" * 300])] = 1
        return json.dumps(doc).encode()
    if kind == 8:  # schema versions
        doc = json.loads(data)
        doc["schema_version"] = rng.choice([0, -1, 2, 10**6, "1", 1.5, None, True])
        return json.dumps(doc).encode()
    if kind == 9:  # duplicate keys
        text = data.decode()
        return text.replace('"title":', '"title": "a", "title":', 1).encode()
    if kind == 10:  # ranges out of order and out of bounds
        doc = json.loads(data)
        w = doc["project"]["scenarios"][0].setdefault("workload", {})
        w["queries_per_month"] = rng.choice(
            [
                {"likely": 5, "low": 10},
                {"likely": 5, "high": 1},
                {"low": 1},
                {"likely": 1e14},
                {"likely": 5, "extra": 1},
            ]
        )
        return json.dumps(doc).encode()
    return rng.randbytes(rng.randint(0, 200))  # noise


@pytest.mark.slow  # the longest single test (≈ 30 s): 10,000 files through the reader
def test_ten_thousand_mutated_files_raise_only_the_file_error() -> None:
    rng = random.Random(20261125)
    outcomes = {"refused": 0, "loaded": 0}
    for _ in range(FUZZ_INPUTS):
        data = _mutations(rng, rng.choice(SEEDS))
        try:
            project = parse_project(data, "fuzz.ftrag")
        except ProjectFileError as exc:
            assert exc.reason and "Traceback" not in exc.reason
            assert len(str(exc)) < 2_000
            outcomes["refused"] += 1
        else:
            assert isinstance(project, Project)
            outcomes["loaded"] += 1
    assert outcomes["refused"] > FUZZ_INPUTS / 2  # most mutations really are broken


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    scenario=scenarios(),
    title=st.text(min_size=1, max_size=200),
    notes=st.text(max_size=2000),
    client=st.text(max_size=100),
)
def test_any_valid_project_round_trips(
    tmp_path_factory: pytest.TempPathFactory, scenario, title: str, notes: str, client: str
) -> None:
    project = Project(title=title, notes=notes, client=client, scenarios=[scenario])
    path = tmp_path_factory.mktemp("rt") / "p.ftrag"
    save_project(project, path)
    assert load_project(path) == project


@pytest.mark.parametrize("cut", [0, 1, 10, 100, 1000, 3000, -1])
def test_a_save_interrupted_mid_write_leaves_the_old_file_and_the_backup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cut: int
) -> None:
    path = tmp_path / "p.ftrag"
    save_project(Project(title="first"), path)
    save_project(Project(title="second"), path)  # now p.ftrag = second, .bak = first
    real_write = __import__("os").write

    def dying(fd: int, data: bytes) -> None:  # the disk fills after ``cut`` bytes
        if cut >= 0:
            real_write(fd, bytes(data[:cut]))
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("engine.fileformat._write_all", dying)
    with pytest.raises(ProjectFileError, match="No space left on device"):
        save_project(Project(title="third"), path)
    monkeypatch.undo()
    assert load_project(path).title == "second"
    assert load_project(tmp_path / "p.ftrag.bak").title == "first"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.ftrag", "p.ftrag.bak"]


def test_a_failing_backup_copy_leaves_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "p.ftrag"
    save_project(Project(title="first"), path)

    def failing(*_args: object) -> None:
        raise OSError(5, "I/O error")

    monkeypatch.setattr("engine.fileformat._write_backup", failing)
    with pytest.raises(ProjectFileError, match="I/O error"):
        save_project(Project(title="second"), path)
    monkeypatch.undo()
    assert load_project(path).title == "first"


def test_transient_permission_errors_on_replace_are_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    path = tmp_path / "p.ftrag"
    real = os.replace
    failures = {"left": 3}

    def flaky(src: object, dst: object) -> None:
        if failures["left"]:
            failures["left"] -= 1
            raise PermissionError(13, "The process cannot access the file")
        real(src, dst)

    monkeypatch.setattr("engine.fileformat.os.replace", flaky)
    save_project(Project(title="saved"), path)
    assert load_project(path).title == "saved"


def test_saving_over_a_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "p.ftrag").mkdir()
    with pytest.raises(ProjectFileError, match="folder"):
        save_project(Project(), tmp_path / "p.ftrag")
    assert (tmp_path / "p.ftrag").is_dir()
