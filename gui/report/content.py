"""What the report says, as flowables.  :func:`build_story` runs ordered lists of section
builders (gui.report.sections):

* the *client summary* — cover, the recommendation and its reasons, what would change it, the
  compliance verdicts, a page per scenario (cost chart, key figures), risks and next steps,
  and the assumptions that matter;
* the *full report* — the summary, then the technical appendix: the consultant's notes, each
  scenario's analysis (scores, crossovers, uncertainty, every cost component with its formula,
  each criterion), every input with its catalog provenance (A) and the methodology (B).

Numbers are formatted by gui.format — the same functions, locale and rounding rule as the
screen — and every string from the project is laid out as plain text (gui.report.flow), so a
client called ``<img src=x>`` is printed as exactly that.  The finished story gets the firm's
accent colour and catalog names in place of ids (gui.report.finish).
"""

from __future__ import annotations

from collections.abc import Callable

from gui.report.blocks import heading, para
from gui.report.finish import finish_story
from gui.report.flow import CondPageBreak, Flowable, PageBreak
from gui.report.model import ReportData, ScenarioReport, long_date
from gui.report.sections.assumptions import assumptions_section
from gui.report.sections.brief import brief_section, brief_unknowns
from gui.report.sections.cover import cover
from gui.report.sections.decision_map import appendix_maps, summary_maps
from gui.report.sections.detail import detail_note
from gui.report.sections.glance import compliance_summary, scenario_glance
from gui.report.sections.methodology import methodology
from gui.report.sections.notes import notes_section
from gui.report.sections.outlook import key_assumptions, risks_and_next_steps, what_would_change
from gui.report.sections.recommendation import recommendation_summary
from gui.report.sections.scenario import scenario_section
from gui.report.styles import BODY

__all__ = ["ReportData", "ScenarioReport", "build_story", "long_date"]

Numbering = Callable[[], str]
"""Gives the next number of the technical appendix's sections ("1", "2", …)."""
SectionBuilder = Callable[[ReportData, Numbering], list[Flowable]]


# --- the client summary -----------------------------------------------------------------------


def _cover(data: ReportData, number: Numbering) -> list[Flowable]:
    return cover(data)


def _recommendation(data: ReportData, number: Numbering) -> list[Flowable]:
    return recommendation_summary(data) + what_would_change(data)


def _glances(data: ReportData, number: Numbering) -> list[Flowable]:
    story: list[Flowable] = []
    for index, report in enumerate(data.scenarios, start=1):
        story += scenario_glance(data, report, index)
    return story


def _compliance(data: ReportData, number: Numbering) -> list[Flowable]:
    return compliance_summary(data)


def _summary_maps(data: ReportData, number: Numbering) -> list[Flowable]:
    return summary_maps(data)


def _risks(data: ReportData, number: Numbering) -> list[Flowable]:
    return [CondPageBreak(220.0), *risks_and_next_steps(data)]


def _key_assumptions(data: ReportData, number: Numbering) -> list[Flowable]:
    return [CondPageBreak(160.0), *key_assumptions(data)]


def _brief(data: ReportData, number: Numbering) -> list[Flowable]:
    return brief_section(data)


def _brief_unknowns(data: ReportData, number: Numbering) -> list[Flowable]:
    return brief_unknowns(data)


# --- the technical appendix -------------------------------------------------------------------


def _appendix_title(data: ReportData, number: Numbering) -> list[Flowable]:
    return [
        PageBreak(),
        heading("", "Technical appendix"),
        para(
            "How every figure of the summary comes about: the scores and crossovers of each "
            "scenario, the uncertainty analysis, every cost component with its formula and "
            "inputs, each criterion in detail, every input as entered with the catalog data it "
            "draws on (Appendix A), and the methodology (Appendix B).",
            BODY,
            space_after=6.0,
        ),
        *detail_note(data, appendix=True),
    ]


def _notes(data: ReportData, number: Numbering) -> list[Flowable]:
    if not data.project.notes.strip():
        return []
    return notes_section(data.project.notes, number())


def _scenarios(data: ReportData, number: Numbering) -> list[Flowable]:
    story: list[Flowable] = []
    for index, report in enumerate(data.scenarios, start=1):
        if index > 1:
            story.append(PageBreak())
        story += scenario_section(data, report, number(), index)
    return story


def _decision_maps(data: ReportData, number: Numbering) -> list[Flowable]:
    if not any(r.decision_map for r in data.scenarios):
        return []
    return [PageBreak(), *appendix_maps(data, number())]


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


SUMMARY_SECTIONS: tuple[SectionBuilder, ...] = (
    _cover,
    _recommendation,
    _compliance,
    _glances,
    _summary_maps,
    _risks,
    _key_assumptions,
    _brief_unknowns,
)
APPENDIX_SECTIONS: tuple[SectionBuilder, ...] = (
    _appendix_title,
    _notes,
    _scenarios,
    _decision_maps,
    _assumptions,
    _methodology,
)


def sections_for(data: ReportData) -> tuple[SectionBuilder, ...]:
    if data.mode == "full":  # the client's brief, when there is one, right after the cover
        return (SUMMARY_SECTIONS[0], _brief, *SUMMARY_SECTIONS[1:], *APPENDIX_SECTIONS)
    return SUMMARY_SECTIONS


def build_story(data: ReportData) -> list[Flowable]:
    section = 0

    def next_section() -> str:
        nonlocal section
        section += 1
        return str(section)

    story: list[Flowable] = []
    for builder in sections_for(data):
        story += builder(data, next_section)
    return finish_story(story, data)
