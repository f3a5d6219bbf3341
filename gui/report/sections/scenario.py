"""A scenario's analysis: the cost chart, the uncertainty analysis, and a sub-section per
criterion."""

from __future__ import annotations

from engine.model.scenario import STRATEGIES
from gui import format as fmt
from gui.report.blocks import (
    bullets,
    heading,
    para,
    scenario_basics,
)
from gui.report.chart import paint_crossover_chart
from gui.report.flow import (
    MUTED,
    CondPageBreak,
    Drawing,
    Flowable,
    KeepTogether,
    Style,
)
from gui.report.model import ReportData, ScenarioReport
from gui.report.sections.breakdown import breakdown
from gui.report.sections.compliance import compliance
from gui.report.sections.fit import fit
from gui.report.sections.freshness import freshness
from gui.report.sections.latency import latency
from gui.report.sections.summary import decision, recommendation_panel
from gui.report.sections.uncertainty import uncertainty_section
from gui.report.styles import (
    BODY,
    SMALL,
)


def scenario_section(
    data: ReportData, report: ScenarioReport, number: str, figure_number: int
) -> list[Flowable]:
    scenario, evaluation = report.scenario, report.evaluation
    multi = len(data.scenarios) > 1
    items: list[Flowable] = [CondPageBreak(260.0), heading(number, f"Scenario “{scenario.name}”")]
    items.append(para(scenario_basics(evaluation, scenario), SMALL, space_after=4.0))
    if scenario.description:
        items.append(para(scenario.description, BODY, space_after=6.0))
    sub = 0

    def next_number() -> str:
        nonlocal sub
        sub += 1
        return f"{number}.{sub}"

    if multi:
        items.append(recommendation_panel(report))
        items += decision(report, next_number, 2)

    u = report.uncertainty
    bands = (u.band_volumes, u.bands) if u is not None else None
    items.append(heading(next_number(), "Total cost against monthly volume", 2))
    items.append(
        KeepTogether(
            [
                Drawing(
                    lambda painter, dev, rect: paint_crossover_chart(
                        painter, dev, rect, report.curves, evaluation, bands=bands
                    ),
                    aspect=0.56,
                    space_before=2.0,
                ),
                para(
                    [
                        (f"Figure {figure_number}. ", Style(size=7.5, bold=True, color=MUTED)),
                        (
                            f"Total cost over {fmt.count(evaluation.horizon_months)} months "
                            "against monthly query volume (log scale); everything else as "
                            "entered. Dots mark where two strategies cost the same; the dotted "
                            "line is today's volume. Line styles tell the strategies apart in "
                            "grey-scale."
                            + (
                                " Shaded: P10–P90 of the total cost across the uncertainty "
                                "analysis's samples."
                                if bands is not None
                                else ""
                            ),
                            SMALL,
                        ),
                    ],
                    SMALL,
                    space_before=3.0,
                    space_after=8.0,
                ),
            ]
        )
    )
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
