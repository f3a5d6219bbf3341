"""``ftrag report`` as a script runs it: a real subprocess, no display."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest

from engine.templates import template_path
from tests.pdf import pdf_text

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]


def ftrag(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)  # the command must choose offscreen by itself
    return subprocess.run(
        [sys.executable, "-m", "gui.launcher", *args],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        cwd=ROOT,
        env=env,
    )


def test_report_writes_a_pdf(tmp_path: Path) -> None:
    out = tmp_path / "enterprise.pdf"
    done = ftrag(
        "report", str(template_path("seed-enterprise")), "-o", str(out), "--paper", "letter"
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"wrote {out} (")
    assert "Traceback" not in done.stderr
    reader = pypdf.PdfReader(out)
    assert round(float(reader.pages[0].mediabox.width)) == 612
    assert "seed-enterprise.ftrag" in reader.pages[0].extract_text()


def test_report_of_one_scenario(tmp_path: Path) -> None:
    out = tmp_path / "today.pdf"
    done = ftrag(
        "report", str(template_path("support-assistant")), "-o", str(out), "--scenario", "Today"
    )
    assert done.returncode == 0, done.stderr
    text = pdf_text(out)
    assert "In two years" not in text


def test_report_is_the_client_summary_unless_full(tmp_path: Path) -> None:
    source = str(template_path("support-assistant"))
    summary, full = tmp_path / "summary.pdf", tmp_path / "full.pdf"
    done = ftrag("report", source, "-o", str(summary))
    assert done.returncode == 0, done.stderr
    done_full = ftrag("report", source, "-o", str(full), "--full")
    assert done_full.returncode == 0, done_full.stderr
    short, long = pypdf.PdfReader(summary), pypdf.PdfReader(full)
    assert len(short.pages) <= 4 < len(long.pages)
    assert f"({len(short.pages)} pages," in done.stdout
    assert "Methodology and references" in pdf_text(full)
    assert "Methodology and references" not in pdf_text(summary)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.ftrag", "-o", "x.pdf"], "no such file"),
        (["{bad}", "-o", "x.pdf"], "not a valid project file"),
        (["{good}", "-o", "x.pdf", "--scenario", "Nope"], "no scenario named 'Nope'"),
        (["{good}", "-o", "x.txt"], "must be a .pdf"),
        (["{good}", "-o", "no/such/folder/x.pdf"], "does not exist"),
        (["{good}", "-o", "x.pdf", "--paper", "a5"], "invalid choice"),
        (["{good}"], "required"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    bad = tmp_path / "bad.ftrag"
    bad.write_text('{"format": "ftrag", "schema_version": 1, "project": [}', encoding="utf-8")
    good = str(template_path("seed-small-company"))
    argv = [
        a.replace("{bad}", str(bad)).replace("{good}", good).replace("x.", str(tmp_path / "x."))
        if a.startswith(("{", "x.")) else a
        for a in args
    ]  # fmt: skip
    if argv[-1].startswith("no/"):
        argv[-1] = str(tmp_path / argv[-1])
    done = ftrag("report", *argv)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("error: ")
    assert message in lines[0]
    assert not list(tmp_path.glob("*.pdf"))
