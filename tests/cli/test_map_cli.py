"""`ftrag map` as a script would use it (real subprocesses): the documented JSON and CSV shapes,
and one-line errors with exit status 2."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

from engine.decision_map import Axis, decision_map
from engine.templates import load_template, template_path

ROOT = Path(__file__).resolve().parents[2]
FILE = str(template_path("support-assistant"))


def ftrag(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gui.launcher", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
    )


def test_map_json_has_the_documented_shape_and_the_engine_cells() -> None:
    done = ftrag("map", FILE, "--x", "workload.queries_per_month:1000:1e7",
                 "--y", "weights.cost:0:100", "--resolution", "6", "--scenario", "In two years",
                 "--json")  # fmt: skip
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["ftrag_map_version"] == 1 and doc["scenario"] == "In two years"
    assert doc["x"]["field"] == "workload.queries_per_month" and doc["x"]["log"] is True
    assert doc["y"]["field"] == "weights.cost" and doc["y"]["log"] is False
    assert len(doc["x"]["values"]) == 6 and len(doc["y"]["values"]) == 6
    assert len(doc["cells"]) == 6 and all(len(row) == 6 for row in doc["cells"])
    project = load_template("support-assistant")
    m = decision_map(project, "In two years", Axis("workload.queries_per_month", 1000, 1e7),
                     Axis("weights.cost", 0, 100), 6)  # fmt: skip
    for r, row in enumerate(doc["cells"]):
        for c, cell in enumerate(row):
            assert set(cell) == {"strategy", "margin", "excluded"}
            assert cell["strategy"] == m.strategy_at(r, c)
            assert abs(cell["margin"] - m.cell(r, c).margin) < 1e-5


def test_map_csv_and_text() -> None:
    done = ftrag("map", FILE, "--x", "workload.queries_per_month:1000:1e7:linear",
                 "--y", "knowledge.corpus_change_pct_per_month:0:50", "--resolution", "3",
                 "--csv")  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert len(rows) == 9
    assert set(rows[0]) == {"workload.queries_per_month", "knowledge.corpus_change_pct_per_month",
                            "strategy", "margin", "runner_up", "excluded"}  # fmt: skip
    assert float(rows[1]["workload.queries_per_month"]) == (1000 + 1e7) / 2  # linear as asked
    text = ftrag(
        "map",
        FILE,
        "--x",
        "workload.queries_per_month:1000:1e7",
        "--y",
        "workload.engineering_rate_per_hour:50:300",
        "--resolution",
        "8",
    )
    assert text.returncode == 0, text.stderr
    assert "* = today" in text.stdout and "today: RAG" in text.stdout


def test_map_errors_are_one_line_with_status_2() -> None:
    for args, words in [
        (("--x", "workload.queries_per_mnth:1:10", "--y", "weights.cost:0:100"),
         "did you mean workload.queries_per_month"),
        (("--x", "workload.queries_per_month:1", "--y", "weights.cost:0:100"), "FIELD:LO:HI"),
        (("--x", "workload.queries_per_month:1:x", "--y", "weights.cost:0:100"), "numbers"),
        (("--x", "weights.cost:0:500", "--y", "weights.fit:0:100"), "outside the allowed range"),
        (("--x", "weights.cost:0:50", "--y", "weights.fit:0:100", "--scenario", "Nope"),
         "no scenario named"),
        (("--x", "weights.cost:0:50", "--y", "weights.fit:0:100", "--resolution", "1"),
         "between 2 and"),
    ]:  # fmt: skip
        done = ftrag("map", FILE, *args)
        assert done.returncode == 2, (args, done.stdout)
        assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr, done.stderr
        assert words in done.stderr, done.stderr
