"""A scenario's analysis in the technical appendix: scores, crossovers, the uncertainty
analysis, the cost breakdown, and a sub-section per criterion."""

from __future__ import annotations

from engine.model.scenario import STRATEGIES
from engine.text import one_line
from gui.report.blocks import (
    bullets,
    crossover_lines,
    heading,
    para,
    scenario_basics,
)
from gui.report.flow import (
    CondPageBreak,
    Flowable,
    Style,
)
from gui.report.model import ReportData, ScenarioReport
from gui.report.sections.breakdown import breakdown
from gui.report.sections.compliance import compliance
from gui.report.sections.fit import fit
from gui.report.sections.freshness import freshness
from gui.report.sections.latency import latency
from gui.report.sections.scores import scores
from gui.report.sections.uncertainty import uncertainty_section
from gui.report.styles import (
    BODY,
    SMALL,
)


def scenario_section(
    data: ReportData, report: ScenarioReport, number: str, figure_number: int
) -> list[Flowable]:
    """The technical appendix of a scenario: how the scores come about, where the cost order
    turns, the uncertainty analysis, every cost component, and each criterion in detail.  (Its
    chart is Figure ``figure_number`` of the summary.)"""
    scenario, evaluation = report.scenario, report.evaluation
    items: list[Flowable] = [
        CondPageBreak(260.0),
        heading(number, f"Scenario “{one_line(scenario.name)}”: the analysis"),
    ]
    items.append(para(scenario_basics(evaluation, scenario), SMALL, space_after=4.0))
    if scenario.description:
        items.append(para(scenario.description, BODY, space_after=6.0))
    sub = 0

    def next_number() -> str:
        nonlocal sub
        sub += 1
        return f"{number}.{sub}"

    items.append(heading(next_number(), "Scores and weights", 2))
    items += scores(evaluation, scenario)
    items.append(heading(next_number(), "Cost crossovers and payback", 2))
    items += bullets(crossover_lines(evaluation) + [p.label for p in evaluation.paybacks])
    if report.uncertainty is not None:
        items += uncertainty_section(report.uncertainty, evaluation, next_number, figure_number)
    items.append(heading(next_number(), "Cost breakdown", 2))
    items.append(
        para(
            "Every cost component with its formula and the inputs that produced it. Money is "
            "rounded for display, each figure on its own; totals are computed from unrounded "
            "values. Monthly components are shown for month 1 at today's volume.",
            SMALL,
            space_after=4.0,
        )
    )
    for key in STRATEGIES:
        items += breakdown(evaluation, evaluation.strategies[key])
    items.append(heading(next_number(), "Latency", 2))
    items += latency(evaluation, scenario)
    items.append(heading(next_number(), "Freshness", 2))
    items += freshness(evaluation, scenario)
    items.append(heading(next_number(), "Compliance", 2))
    items += compliance(evaluation)
    items.append(heading(next_number(), "Fit", 2))
    items += fit(evaluation)
    notes = list(evaluation.warnings)
    for key in STRATEGIES:
        notes += [w for w in evaluation.strategies[key].warnings if w not in notes]
    if notes:
        items.append(heading("", "Notes from the calculation", 3))
        items += bullets(notes, Style(size=8.4))
    return items
