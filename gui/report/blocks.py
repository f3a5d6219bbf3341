"""Small builders every section uses: headings, paragraphs, bullets, table cells, and the way
a figure's formula and inputs are written."""

from __future__ import annotations

import re
from collections.abc import Sequence

from engine.model.results import Evaluation, Figure, StrategyResult
from engine.model.scenario import Scenario
from engine.report import crossover_sentences
from gui import format as fmt
from gui.charts.style import VERDICT_COLORS
from gui.report.flow import Cell, Flowable, Paragraph, Row, Run, Style
from gui.report.styles import (
    BODY,
    CELL,
    CELL_BOLD,
    CELL_MUTED,
    GROUP,
    H1,
    H2,
    H3,
    HEAD,
    HEADING_RULE,
)


def heading(number: str, text: str, level: int = 1) -> Paragraph:
    style = {1: H1, 2: H2, 3: H3}[level]
    runs: list[Run] = [(f"{number}  ", style)] if number else []
    runs.append((text, style))
    before, after = {1: (16.0, 7.0), 2: (12.0, 4.5), 3: (8.0, 3.0)}[level]
    return Paragraph(
        runs,
        style,
        space_before=before,
        space_after=after,
        keep_with_next=True,
        rule_below=HEADING_RULE if level == 1 else "",
        role=f"h{level}",
    )


def para(text: str | Sequence[Run], style: Style = BODY, **kwargs: object) -> Paragraph:
    return Paragraph(text if isinstance(text, str) else list(text), style, **kwargs)  # type: ignore[arg-type]


def bullets(lines: Sequence[str], style: Style = BODY, bullet: str = "•") -> list[Flowable]:
    return [
        Paragraph([(line, style)], style, indent=11.0, bullet=bullet, space_after=2.5)
        for line in lines
        if line
    ]


def cell(text: str, style: Style = CELL, align: str = "left", **kwargs: object) -> Cell:
    return Cell([(text, style)], align=align, **kwargs)  # type: ignore[arg-type]


def cell_runs(runs: Sequence[Run], align: str = "left", **kwargs: object) -> Cell:
    return Cell(list(runs), align=align, **kwargs)  # type: ignore[arg-type]


def header_row(texts: Sequence[str], aligns: Sequence[str]) -> Row:
    return Row([cell(t, HEAD, a) for t, a in zip(texts, aligns, strict=True)], kind="header")


def group_row(text: str, columns: int, extra: str = "") -> Row:
    runs: list[Run] = [(text, GROUP)]
    if extra:
        runs.append((f"   {extra}", CELL_MUTED))
    return Row([Cell(runs, span=columns)], kind="group", keep_with_next=True)


_AS_OF = re.compile(r", as of (\d{4}-\d{2}-\d{2})$")


def input_text(name: str, value: float | str, unit: str) -> str:
    """One input of a figure.  A catalog entry's full source (often a paragraph) is printed
    once, in the reference data of Appendix A; here it is named with its as-of date."""
    if isinstance(value, str):
        as_of = _AS_OF.search(value)
        if name.endswith("source") and (value.startswith("catalog: ") or as_of):
            when = f", as of {as_of.group(1)}" if as_of else ""
            return f"{name}: catalog{when} (in full under Reference data, Appendix A)"
        return f"{name}: {value}"
    return f"{name} {fmt.quantity(value, unit)}"


def figure_inputs(figure: Figure) -> str:
    return " · ".join(input_text(i.name, i.value, i.unit) for i in figure.inputs)


def how(figure: Figure) -> str:
    inputs = figure_inputs(figure)
    return f"{figure.formula} — {inputs}" if inputs else figure.formula


def formula_runs(figure: Figure, *, with_inputs: bool = True) -> list[Run]:
    runs: list[Run] = [(figure.formula, CELL)]
    details = figure_inputs(figure) if with_inputs else ""
    if figure.note:
        details = f"{details}\n{figure.note}" if details else figure.note
    if details:
        runs.append((f"\n{details}", CELL_MUTED))
    return runs


def crossover_lines(evaluation: Evaluation) -> list[str]:
    """As the scorecard words them (gui.views.scorecard), numbers in the locale."""
    return crossover_sentences(evaluation)


def score_points(value: float) -> str:
    """A weighted score or a lead in points, to one decimal: rounded once, half up, as the
    engine's own sentences write it (never ``round()`` first, which rounds half to even on the
    binary value and can print 66.2 here for the 66.3 of the rationale)."""
    return fmt.fixed(value, 1)


def total_score_cell(strategy: StrategyResult, background: str = "") -> Cell:
    """A strategy's weighted score in a row of totals, "(excluded)" when a must-have rules the
    strategy out."""
    text = score_points(strategy.total_score) + (" (excluded)" if strategy.excluded else "")
    return cell(text, CELL_BOLD, "right", background=background)


def scenario_basics(evaluation: Evaluation, scenario: Scenario) -> str:
    q = scenario.workload.queries_per_month
    text = f"{fmt.volume(evaluation.queries_per_month)}"
    if q.has_range:
        low = fmt.count(q.low) if q.low is not None else "…"
        high = fmt.count(q.high) if q.high is not None else "…"
        text += f" (range {low} – {high})"
    growth = scenario.workload.monthly_growth_pct.likely
    if growth:
        text += f", growing {fmt.number(growth, '%/month')}"
    months = fmt.count(evaluation.horizon_months)
    return f"{text}; {months}-month horizon; prices in {evaluation.currency}."


def verdict_mark(met: bool) -> list[Run]:
    if met:
        return [("✓ meets target", Style(size=7.4, bold=True, color=VERDICT_COLORS["meets"]))]
    return [("✗ misses target", Style(size=7.4, bold=True, color=VERDICT_COLORS["fails"]))]
