"""What the report says, as flowables: :func:`build_story` runs the section builders
(gui.report.sections) in order — title block, executive summary, the consultant's notes, a
section per scenario, the assumptions, and the methodology.

Numbers are formatted by gui.format — the same functions, locale and rounding rule as the
screen — and every string from the project is laid out as plain text (gui.report.flow), so a
client called ``<img src=x>`` is printed as exactly that.
"""

from __future__ import annotations

from collections.abc import Callable

from gui.report.blocks import heading
from gui.report.flow import CondPageBreak, Flowable, PageBreak
from gui.report.model import ReportData, ScenarioReport, long_date
from gui.report.sections.assumptions import assumptions_section
from gui.report.sections.methodology import methodology
from gui.report.sections.notes import notes_section
from gui.report.sections.scenario import scenario_section
from gui.report.sections.summary import executive_summary
from gui.report.sections.title import title_block

__all__ = ["ReportData", "ScenarioReport", "build_story", "long_date"]

Numbering = Callable[[], str]
"""Gives the next top-level section number ("1", "2", …)."""
SectionBuilder = Callable[[ReportData, Numbering], list[Flowable]]


def _title(data: ReportData, number: Numbering) -> list[Flowable]:
    return title_block(data)


def _summary(data: ReportData, number: Numbering) -> list[Flowable]:
    return executive_summary(data, number())


def _notes(data: ReportData, number: Numbering) -> list[Flowable]:
    if not data.project.notes.strip():
        return []
    return notes_section(data.project.notes, number())


def _scenarios(data: ReportData, number: Numbering) -> list[Flowable]:
    story: list[Flowable] = []
    for index, report in enumerate(data.scenarios, start=1):
        story.append(PageBreak())
        story += scenario_section(data, report, number(), index)
    return story


def _assumptions(data: ReportData, number: Numbering) -> list[Flowable]:
    story: list[Flowable] = [PageBreak(), heading("A", "Assumptions")]
    first = data.scenarios[0]
    for index, report in enumerate(data.scenarios, start=1):
        if index > 1:
            story.append(CondPageBreak(200.0))
        story += assumptions_section(
            data, report, f"A.{index}", baseline=None if index == 1 else first
        )
    return story


def _methodology(data: ReportData, number: Numbering) -> list[Flowable]:
    return methodology("B")


FULL_SECTIONS: tuple[SectionBuilder, ...] = (
    _title,
    _summary,
    _notes,
    _scenarios,
    _assumptions,
    _methodology,
)


def build_story(data: ReportData) -> list[Flowable]:
    section = 0

    def next_section() -> str:
        nonlocal section
        section += 1
        return str(section)

    story: list[Flowable] = []
    for builder in FULL_SECTIONS:
        story += builder(data, next_section)
    return story
