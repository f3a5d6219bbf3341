"""A report of more scenarios than DETAIL_LIMIT details only the chosen ones, says so on the
page, and compares every scenario in one table; opting in details them all.  Through
render_report, the Word writer and ``ftrag report`` (a real subprocess), read from the files."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from PySide6.QtWidgets import QApplication

from engine.fileformat import save_project
from gui.report.docx_writer import export_docx
from gui.report.model import DETAIL_LIMIT
from gui.report.render import ReportError, render_report
from tests.pdf import pdf_text
from tests.report.many_scenarios import analysed, many_scenarios
from tests.report.test_cli import ftrag

pytestmark = pytest.mark.gui

ALL = [f"Option {i:02d}" for i in range(1, DETAIL_LIMIT + 2)]
NOTE = f"This report details 1 of {DETAIL_LIMIT + 1} scenarios: “Option 05”."


def test_full_report_beyond_the_limit_details_only_the_chosen_scenario(
    qapp: QApplication, tmp_path: Path
) -> None:
    out = tmp_path / "full.pdf"
    render_report(many_scenarios(), out, mode="full", detail=["Option 05"])
    text = pdf_text(out)
    assert text.count(NOTE) == 2  # above the comparison table, and atop the appendix
    assert "tick “Detail every scenario”" in text
    assert "--all-scenarios" in text
    assert analysed(text) == ["Option 05"]
    assert all(name in text for name in ALL)  # every scenario a row of the comparison
    assert "Scenario “Option 06”" not in text  # no summary page of an undetailed one


def test_opting_in_details_every_scenario(qapp: QApplication, tmp_path: Path) -> None:
    out = tmp_path / "all.pdf"
    render_report(many_scenarios(), out, mode="full", detail=["Option 05"], all_scenarios=True)
    text = pdf_text(out)
    assert "This report details" not in text
    assert analysed(text) == ALL


def test_up_to_the_limit_every_scenario_is_detailed(qapp: QApplication, tmp_path: Path) -> None:
    out = tmp_path / "twelve.pdf"
    render_report(many_scenarios(DETAIL_LIMIT), out, mode="full", detail=["Option 05"])
    text = pdf_text(out)
    assert "This report details" not in text
    assert analysed(text, DETAIL_LIMIT) == ALL[:DETAIL_LIMIT]


def test_the_summary_beyond_the_limit_is_short_and_says_what_it_covers(
    qapp: QApplication, tmp_path: Path
) -> None:
    out = tmp_path / "summary.pdf"
    result = render_report(many_scenarios(), out, detail=["Option 05"])
    text = pdf_text(out)
    assert NOTE in text
    assert all(name in text for name in ALL)
    assert "Technical appendix" not in text
    assert result.pages <= 6


def test_an_unknown_detailed_scenario_is_one_line(qapp: QApplication, tmp_path: Path) -> None:
    with pytest.raises(ReportError, match=r"^no scenario named 'Nope' \(this project has "):
        render_report(many_scenarios(), tmp_path / "x.pdf", detail=["Nope"])
    assert not (tmp_path / "x.pdf").exists()


def _docx_text(path: Path) -> str:
    document = Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return " ".join(" ".join(parts).split())


def test_the_editable_report_follows_the_same_rule(qapp: QApplication, tmp_path: Path) -> None:
    project = many_scenarios()
    limited, every = tmp_path / "limited.docx", tmp_path / "every.docx"
    export_docx(project, limited, mode="full", detail=["Option 05"])
    export_docx(project, every, mode="full", detail=["Option 05"], all_scenarios=True)
    text = _docx_text(limited)
    assert NOTE in text
    assert analysed(text) == ["Option 05"]
    assert all(name in text for name in ALL)
    text = _docx_text(every)
    assert "This report details" not in text
    assert analysed(text) == ALL


def test_ftrag_report_details_the_first_unless_told(tmp_path: Path) -> None:
    source = tmp_path / "many.ftrag"
    save_project(many_scenarios(), source)
    first, chosen, every = tmp_path / "first.pdf", tmp_path / "chosen.pdf", tmp_path / "all.pdf"
    done = ftrag("report", str(source), "-o", str(first), "--full")
    assert done.returncode == 0, done.stderr
    assert analysed(pdf_text(first)) == ["Option 01"]
    done = ftrag("report", str(source), "-o", str(chosen), "--full", "--detail", "Option 07")
    assert done.returncode == 0, done.stderr
    text = pdf_text(chosen)
    assert f"This report details 1 of {DETAIL_LIMIT + 1} scenarios: “Option 07”." in text
    assert analysed(text) == ["Option 07"]
    done = ftrag("report", str(source), "-o", str(every), "--full", "--all-scenarios")
    assert done.returncode == 0, done.stderr
    assert analysed(pdf_text(every)) == ALL
    docx = tmp_path / "first.docx"
    done = ftrag("report", str(source), "-o", str(docx), "--full")
    assert done.returncode == 0, done.stderr
    assert analysed(_docx_text(docx)) == ["Option 01"]


def test_ftrag_report_unknown_detail_is_one_line(tmp_path: Path) -> None:
    source = tmp_path / "many.ftrag"
    save_project(many_scenarios(), source)
    done = ftrag("report", str(source), "-o", str(tmp_path / "x.pdf"), "--detail", "Nope")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert "no scenario named 'Nope'" in done.stderr
