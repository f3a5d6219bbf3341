"""The client's brief in the report: the first section of the full report, and each "don't
know" answer among the assumptions (of the summary too)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from engine.brief import apply_brief, parse_brief
from engine.templates import load_template
from gui.report import render_report
from tests.pdf import page_texts as pages

pytestmark = pytest.mark.gui

ROOT = Path(__file__).resolve().parents[2]
BRIEF = parse_brief((ROOT / "docs" / "examples" / "eu-insurer-brief.json").read_text())


def test_the_brief_is_the_first_section_of_the_full_report(
    qapp: QApplication, tmp_path: Path
) -> None:
    project = apply_brief(BRIEF.model_copy(update={"documents": "dont_know"})).project
    full = tmp_path / "full.pdf"
    render_report(project, full, mode="full")
    text = pages(full)
    first = text[0]
    assert "The client's brief" in first
    assert first.index("The client's brief") < " ".join(text).index("Our recommendation")
    assert "How many documents hold the answers? don't know" in first
    whole = " ".join(text)
    assert "What the brief assumed" in whole
    assert "(Requirements & compliance › p95 target is)" in whole
    # The "don't know" answers are among the assumptions, with their ranges.
    assert "Unknown when the project was briefed" in whole
    assert "Documents: don't know — 5,000 assumed, sampled from 200 to 200,000." in whole
    assert "In-house ML operations: don't know" in whole

    summary = tmp_path / "summary.pdf"
    render_report(project, summary, mode="summary")
    short = " ".join(pages(summary))
    assert "The client's brief" not in short  # the client summary stays short …
    assert "Unknown when the project was briefed" in short  # … but says what was not known
    assert "Documents: don't know" in short


def test_a_project_without_a_brief_has_no_brief_section(qapp: QApplication, tmp_path: Path) -> None:
    full = tmp_path / "full.pdf"
    render_report(load_template("eu-insurer-claims"), full, mode="full")
    whole = " ".join(pages(full))
    assert "The client's brief" not in whole
    assert "Unknown when the project was briefed" not in whole
