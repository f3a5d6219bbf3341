"""The cost chart of a scenario as a numbered figure: total cost against monthly volume, the
crossovers, today's volume and (with ranges) the P10–P90 bands."""

from __future__ import annotations

from gui import format as fmt
from gui.report.blocks import para
from gui.report.chart import draw_crossover_chart
from gui.report.flow import MUTED, Drawing, Flowable, KeepTogether, Style
from gui.report.model import ScenarioReport
from gui.report.styles import SMALL


def cost_chart(
    report: ScenarioReport, figure_number: int, *, aspect: float = 0.56, short: bool = False
) -> Flowable:
    evaluation = report.evaluation
    u = report.uncertainty
    bands = (u.band_volumes, u.bands) if u is not None else None
    return KeepTogether(
        [
            Drawing(
                lambda painter, dev, rect: draw_crossover_chart(
                    painter, dev, rect, report.curves, evaluation, bands=bands
                ),
                aspect=aspect,
                space_before=2.0,
            ),
            para(
                [
                    (f"Figure {figure_number}. ", Style(size=7.5, bold=True, color=MUTED)),
                    (_short_caption(evaluation.horizon_months, bands is not None), SMALL)
                    if short
                    else (
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


def _short_caption(months: int, bands: bool) -> str:
    text = f"Total cost over {fmt.count(months)} months against monthly queries (log scale). "
    if bands:
        text += "Shaded: P10–P90 of the total cost across the input ranges. "
    return text + "Dots: equal cost; dotted line: today's volume."
