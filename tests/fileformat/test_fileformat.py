"""The .ftrag envelope: load, validation messages, atomic save, the committed schema."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.fileformat import (
    MAX_FILE_BYTES,
    SCHEMA_VERSION,
    ProjectFileError,
    dump_project,
    load_project,
    parse_project,
    save_project,
)
from engine.model import Project
from engine.schema import project_file_schema
from engine.templates import load_template

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).parent / "golden"


def envelope(project: dict, **extra: object) -> bytes:
    return json.dumps(
        {"format": "ftrag", "schema_version": 1, "project": project, **extra}
    ).encode()


def test_round_trip_of_every_template(tmp_path: Path) -> None:
    for name in ("seed-small-company", "seed-enterprise", "support-assistant"):
        project = load_template(name)
        path = tmp_path / f"{name}.ftrag"
        save_project(project, path)
        assert load_project(path) == project


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "not a valid project file"),
        (b"\xff\xfe{}", "not UTF-8"),
        (b"[1, 2]", "expected a JSON object"),
        (b'{"format": "other"}', "not an FTRAG Advisor project"),
        (
            b'{"format": "ftrag", "schema_version": 99, "app_version": "9.0"}',
            "saved by FTRAG Advisor 9.0 in file format 99",
        ),
        (envelope({"titel": "x"}), "project.titel: unknown field"),
        (
            b'{"format": "ftrag", "schema_version": 1, "project": {"usd_exchange_rate": NaN}}',
            "NaN is not a number",
        ),
        (
            envelope({"scenarios": [{"workload": {"queries_per_month": -5}}]}),
            "project.scenarios.0.workload.queries_per_month",
        ),
        (b"[" * 100_000 + b"]" * 100_000, "nested more than"),
        (b'{"format": "ftrag", "format": "ftrag"}', "appears twice"),
    ],
)
def test_bad_files_are_refused_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(ProjectFileError, match=reason):
        parse_project(data, "x.ftrag")


def test_size_limit_is_checked_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.ftrag"
    with big.open("wb") as f:
        f.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(ProjectFileError, match="larger than"):
        load_project(big)


def test_save_keeps_a_backup_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    path = tmp_path / "p.ftrag"
    first, second = Project(title="first"), Project(title="second")
    save_project(first, path)
    save_project(second, path)
    assert load_project(path).title == "second"
    assert load_project(tmp_path / "p.ftrag.bak").title == "first"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.ftrag", "p.ftrag.bak"]


def test_a_failed_save_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "p.ftrag"
    save_project(Project(title="old"), path)

    def broken_replace(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("engine.fileformat.os.replace", broken_replace)
    with pytest.raises(ProjectFileError, match="No space left"):
        save_project(Project(title="new"), path)
    monkeypatch.undo()
    assert load_project(path).title == "old"


def test_file_is_readable_json_with_stable_key_order() -> None:
    text = dump_project(load_template("seed-small-company")).decode()
    assert text.startswith(f'{{\n  "format": "ftrag",\n  "schema_version": {SCHEMA_VERSION},')
    assert '"queries_per_month": 1000,' in text  # whole numbers without ".0"


def test_committed_schema_is_current() -> None:
    committed = json.loads((ROOT / "resources" / "ftrag.schema.json").read_text())
    assert committed == project_file_schema(), "run: ftrag schema > resources/ftrag.schema.json"


def test_golden_files_of_every_schema_version_load_and_evaluate() -> None:
    from engine.evaluate import evaluate

    versions = sorted(GOLDEN.glob("v*.ftrag"))
    assert {p.stem.split("-")[0] for p in versions} >= {
        f"v{n}" for n in range(1, SCHEMA_VERSION + 1)
    }
    for path in versions:
        project = load_project(path)
        for scenario in project.scenarios:
            evaluate(project, scenario)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400) | st.text(max_size=400).map(str.encode))
def test_arbitrary_bytes_raise_only_the_file_error(data: bytes) -> None:
    with contextlib.suppress(ProjectFileError):
        parse_project(data)
