"""`ftrag new --brief` and `ftrag schema --brief`, as a consultant would run them."""

from __future__ import annotations

import json
from pathlib import Path

from engine.evaluate import evaluate
from engine.fileformat import load_project
from engine.model.brief import QUESTIONS, Brief
from tests.cli.test_cli import ROOT, ftrag

EXAMPLE = ROOT / "docs" / "examples" / "eu-insurer-brief.json"


def test_new_from_the_example_brief_writes_a_project_with_a_recommendation(tmp_path: Path) -> None:
    out = tmp_path / "claims.ftrag"
    done = ftrag("new", "--brief", str(EXAMPLE), "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "recommended: RAG" in done.stdout
    assert "what we assumed:" in done.stdout
    assert "people.ml_ops_in_house (don't know)" in done.stdout
    project = load_project(out)
    assert project.brief is not None
    assert project.brief.answers == Brief.model_validate_json(EXAMPLE.read_text())
    assert evaluate(project).recommendation.strategy == "rag"
    # Refuses to overwrite without --force.
    again = ftrag("new", "--brief", str(EXAMPLE), "-o", str(out))
    assert again.returncode == 2 and "already exists" in again.stderr


def test_schema_brief_validates_the_example_and_lists_every_question() -> None:
    done = ftrag("schema", "--brief")
    assert done.returncode == 0, done.stderr
    schema = json.loads(done.stdout)
    assert schema["title"] == "FTRAG Advisor client brief"
    assert set(QUESTIONS) <= set(schema["properties"])
    assert set(QUESTIONS) == set(schema["required"])
    example = json.loads(EXAMPLE.read_text())
    assert set(example) <= set(schema["properties"])
    # "dont_know" is a documented answer of every question but the first.
    for name in QUESTIONS:
        if name != "assistant_does":
            assert "dont_know" in json.dumps(schema["properties"][name]), name


def test_a_bad_brief_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    cases = {
        "missing.json": None,
        "broken.json": "{",
        "partial.json": json.dumps({"assistant_does": "x"}),
        "wrong.json": json.dumps({**json.loads(EXAMPLE.read_text()), "data_must_stay_in": "Mars"}),
        "latin1.json": '{"assistant_does": "caf\xe9"}',
    }
    for name, text in cases.items():
        brief = tmp_path / name
        if name == "latin1.json":
            brief.write_bytes(text.encode("latin-1"))  # type: ignore[union-attr]
        elif text is not None:
            brief.write_text(text)
        out = tmp_path / f"{name}.ftrag"
        done = ftrag("new", "--brief", str(brief), "-o", str(out))
        assert done.returncode == 2, (name, done.stdout)
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in done.stderr, (name, done.stderr)
        assert name in lines[0]
        assert not out.exists()
    wrong = ftrag("new", "--brief", str(tmp_path / "wrong.json"), "-o", str(tmp_path / "w.ftrag"))
    assert "data_must_stay_in" in wrong.stderr


def test_template_and_brief_are_one_or_the_other(tmp_path: Path) -> None:
    done = ftrag(
        "new", "--template", "eu-insurer-claims", "--brief", str(EXAMPLE), "-o",
        str(tmp_path / "x.ftrag"),
    )  # fmt: skip
    assert done.returncode == 2 and "not allowed with" in done.stderr
    plain = ftrag("new", "-o", str(tmp_path / "y.ftrag"))
    assert plain.returncode == 0 and "support-assistant" in plain.stdout
