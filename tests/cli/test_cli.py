"""`ftrag` on the command line, as a script would use it (real subprocesses)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from engine.templates import template_names, template_path

ROOT = Path(__file__).resolve().parents[2]


def ftrag(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gui.launcher", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
    )


def test_eval_json_has_the_documented_shape() -> None:
    done = ftrag("eval", str(template_path("seed-enterprise")), "--json")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    [scenario] = doc["scenarios"]
    assert scenario["name"] == "Article inputs"
    for key in ("fine_tuning", "rag", "hybrid"):
        s = scenario["strategies"][key]
        for field in (
            "one_time",
            "monthly_fixed",
            "per_query",
            "tco",
            "latency_seconds",
            "staleness_days",
            "compliance",
            "score",
        ):
            assert field in s
    assert scenario["strategies"]["rag"]["tco"] == pytest.approx(1_326_000)
    crossing = [c for c in scenario["crossovers"] if c["between"] == ["fine_tuning", "rag"]]
    assert crossing[0]["queries_per_month"] == pytest.approx(17_045.4545, rel=1e-6)
    assert scenario["recommendation"]["strategy"] == "fine_tuning"
    assert scenario["recommendation"]["reasons"]


def test_eval_text_is_a_readable_summary() -> None:
    done = ftrag("eval", str(template_path("seed-small-company")))
    assert done.returncode == 0
    assert "Fine-tuning cheaper than RAG above 833 queries/month" in done.stdout
    assert "USD 1,700" in done.stdout and "USD 1,920" in done.stdout


def test_same_input_same_output() -> None:
    path = str(template_path("support-assistant"))
    assert ftrag("eval", path, "--json").stdout == ftrag("eval", path, "--json").stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("eval", "/no/such/file.ftrag"), "no such file"),
        (("eval",), "the following arguments are required"),
        (("eval", str(template_path("support-assistant")), "--scenario", "Nope"), "no scenario"),
        (("new", "--template", "nope", "-o", "/tmp/x.ftrag"), "no template named 'nope'"),
        (("frobnicate-not-a-file.ftrag", "--bogus"), ""),
    ][:4],
)
def test_bad_input_is_one_line_and_exit_2(args: tuple[str, ...], message: str) -> None:
    done = ftrag(*args)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert message in done.stderr


def test_bad_file_contents_are_refused_with_the_reason(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ftrag"
    bad.write_text('{"format": "ftrag", "schema_version": 1, "project": {"title": 5}}')
    done = ftrag("eval", str(bad))
    assert done.returncode == 2
    assert "project.title" in done.stderr and "Traceback" not in done.stderr


def test_new_writes_a_template_that_evaluates(tmp_path: Path) -> None:
    out = tmp_path / "p.ftrag"
    for name in template_names():
        assert ftrag("new", "--template", name, "-o", str(out), "--force").returncode == 0
        assert ftrag("eval", str(out)).returncode == 0
    assert ftrag("new", "-o", str(out)).returncode == 2  # exists, no --force


def test_version_schema_and_templates() -> None:
    assert ftrag("--version").stdout.startswith("FTRAG Advisor ")
    schema = json.loads(ftrag("schema").stdout)
    assert schema["properties"]["format"] == {"const": "ftrag"}
    listing = ftrag("templates").stdout
    assert all(name in listing for name in template_names())


def test_solve_prints_setups_and_json() -> None:
    done = ftrag("solve", str(template_path("eu-insurer-claims")), "--json")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["ftrag_solve_version"] == 1
    assert doc["strategies"]["rag"]["candidates"]
    text = ftrag("solve", str(template_path("eu-insurer-claims")))
    assert text.returncode == 0 and "Cheapest setups that meet every must" in text.stdout
    missing = ftrag("solve", "no-such-file.ftrag")
    assert missing.returncode != 0 and "no such file" in missing.stderr


def test_solve_model_size_floor_from_the_command_line() -> None:
    path = str(template_path("eu-insurer-claims"))
    kept = json.loads(ftrag("solve", path, "--json").stdout)["strategies"]["rag"]
    assert kept["smallest_model_billion"] > 0
    wide = json.loads(ftrag("solve", path, "--json", "--any-model-size").stdout)
    assert wide["strategies"]["rag"]["smallest_model_billion"] == 0
    assert wide["strategies"]["rag"]["candidates"][0]["tco"] <= kept["candidates"][0]["tco"]
    big = json.loads(ftrag("solve", path, "--json", "--min-params", "60").stdout)
    assert big["strategies"]["rag"]["smallest_model_billion"] == 60
    bad = ftrag("solve", path, "--min-params", "-1")
    assert bad.returncode == 2 and "--min-params" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_solve_precision_floor_from_the_command_line() -> None:
    path = str(template_path("eu-insurer-claims"))
    kept = json.loads(ftrag("solve", path, "--json").stdout)["strategies"]["rag"]
    assert kept["fewest_bytes_per_weight"] == 2.0
    assert {c["changes"]["serving.rag.bytes_per_parameter"] for c in kept["candidates"]} == {2}
    eight = json.loads(ftrag("solve", path, "--json", "--min-bits", "8").stdout)
    assert eight["strategies"]["rag"]["fewest_bytes_per_weight"] == 1.0
    wide = json.loads(ftrag("solve", path, "--json", "--any-precision").stdout)
    assert wide["strategies"]["rag"]["fewest_bytes_per_weight"] == 0
    assert wide["strategies"]["rag"]["candidates"][0]["tco"] <= kept["candidates"][0]["tco"]
    both = ftrag("solve", path, "--any-precision", "--min-bits", "8")
    assert both.returncode == 2 and "not allowed with" in both.stderr
    bad = ftrag("solve", path, "--min-bits", "3")
    assert bad.returncode == 2 and "--min-bits" in bad.stderr and "Traceback" not in bad.stderr
