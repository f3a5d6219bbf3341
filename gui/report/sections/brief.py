"""The client's brief: the questions and answers the project started from (first section of the
full report), what the brief set, and — in the assumptions — each "don't know" answer."""

from __future__ import annotations

from engine.labels import field_place
from engine.model.brief import DONT_KNOW, QUESTIONS, answer_words
from gui.report.blocks import bullets, cell, header_row, heading, para
from gui.report.flow import CondPageBreak, Flowable, Row, Table
from gui.report.model import ReportData
from gui.report.styles import BODY, CELL, CELL_MUTED, SMALL


def brief_section(data: ReportData) -> list[Flowable]:
    """The brief's questions and answers, and what applying it assumed (empty without one)."""
    stored = data.project.brief
    if stored is None:
        return []
    answers = stored.answers
    rows = []
    for name, question in QUESTIONS.items():
        value = getattr(answers, name)
        words = answer_words(answers, name)
        rows.append(
            Row(
                [
                    cell(question, CELL),
                    cell(words, CELL_MUTED if value == DONT_KNOW else CELL),
                ]
            )
        )
    items: list[Flowable] = [
        heading("", "The client's brief"),
        para(
            f"The project started from the client's answers below; they filled scenario "
            f"“{stored.scenario}”, and each strategy was given the cheapest setup that meets "
            "every must. Inputs edited by hand since are the consultant's; “don't know” "
            "answers became wide ranges in the uncertainty analysis.",
            SMALL,
            space_after=3.0,
        ),
        Table([62, 38], rows, header=[header_row(["Question", "Answer"], ["left", "left"])]),
    ]
    if stored.assumptions or stored.notes:
        items.append(heading("", "What the brief assumed", 3))
        lines = [f"{a.text} ({field_place(a.path)})" for a in stored.assumptions]
        lines += [f"Note: {note}" for note in stored.notes]
        items += bullets(lines, BODY)
    return items


def brief_unknowns(data: ReportData) -> list[Flowable]:
    """Each "don't know" answer of the brief, as one line among the assumptions."""
    stored = data.project.brief
    if stored is None:
        return []
    unknown = [a for a in stored.assumptions if a.dont_know]
    if not unknown:
        return []
    return [
        CondPageBreak(120.0),
        heading("", "Unknown when the project was briefed", 3),
        para(
            "The client did not know these; the figure assumed is in the analysis, with its "
            "range where the uncertainty analysis samples one.",
            SMALL,
            space_after=3.0,
        ),
        *bullets([a.text for a in unknown], BODY),
    ]
