"""The executive summary: the recommendation, its key figures, and (for several scenarios)
how they compare."""

from __future__ import annotations

from collections.abc import Callable

from engine.model.results import Evaluation, Figure
from engine.model.scenario import STRATEGIES, STRATEGY_NAMES
from gui import format as fmt
from gui.report.blocks import (
    bullets,
    cell,
    crossover_lines,
    header_row,
    heading,
    margin_text,
    para,
    scenario_basics,
    score_points,
)
from gui.report.flow import (
    MUTED,
    Flowable,
    Panel,
    Row,
    Style,
    Table,
)
from gui.report.model import ReportData, ScenarioReport
from gui.report.sections.scores import scores
from gui.report.styles import (
    ACCENT,
    BODY,
    BODY_BOLD,
    CELL,
    CELL_BOLD,
    HIGHLIGHT,
    KICKER,
    REC_NAME,
    SMALL,
)
from gui.uncertainty.text import recommended_share


def recommendation_panel(
    report: ScenarioReport, *, compact: bool = False, with_name: bool = False
) -> Panel:
    evaluation = report.evaluation
    rec = evaluation.recommendation
    kicker = "RECOMMENDATION"
    if with_name:
        kicker += f"  ·  {report.scenario.name.upper()}"
    items: list[Flowable] = [para(kicker, KICKER, space_after=2.0)]
    name_style = (
        REC_NAME if not compact else Style(size=14.0, bold=True, color=ACCENT, leading=1.15)
    )
    items.append(para(rec.name, name_style, space_after=2.0))
    margin = margin_text(evaluation)
    if margin:
        items.append(para(margin, Style(size=8.6, color=MUTED), space_after=5.0))
    if report.uncertainty is not None:
        items.append(
            para(recommended_share(report.uncertainty, evaluation), BODY_BOLD, space_after=3.0)
        )
    items.append(para(rec.rationale, BODY, space_after=3.0))
    if not compact:
        items += bullets(rec.reasons, Style(size=8.6))
    for key in STRATEGIES:
        strategy = evaluation.strategies[key]
        if strategy.excluded:
            items.append(
                para(
                    [
                        (
                            f"{strategy.name} is excluded: ",
                            Style(size=8.4, bold=True, color="#A23B2A"),
                        ),
                        ("; ".join(strategy.exclusion_reasons), Style(size=8.4)),
                    ],
                    Style(size=8.4),
                    space_after=2.0,
                )
            )
    return Panel(items, space_after=8.0 if compact else 10.0)


def key_figures_table(evaluation: Evaluation, *, compact: bool = False) -> Table:
    """Each strategy's headline figures (``compact``: without average staleness and retrains,
    which the technical appendix explains)."""
    currency = evaluation.currency
    rec = evaluation.recommendation.strategy
    months = fmt.count(evaluation.horizon_months)
    rows: list[Row] = []

    def highlight(key: str) -> str:
        return HIGHLIGHT if key == rec else ""

    specs: list[tuple[str, str, bool]] = [
        ("tco", f"Total cost over {months} months", True),
        ("one_time", "One-time cost", False),
        ("monthly_fixed", "Running cost, month 1", False),
        ("per_query", "Usage charges per query", False),
        ("latency_total", "Time to full answer (p50)", True),
        ("latency_ttft", "Time to first token (p50)", True),
        *([] if compact else [("staleness_average", "Average staleness", True)]),
        ("staleness_worst", "Worst-case staleness", True),
    ]
    units = {
        "one_time": currency,
        "monthly_fixed": f"{currency}/month",
        "per_query": f"{currency}/query",
    }
    for key, label, bold_best in specs:
        values: list[float] = []
        texts: list[str] = []
        for strategy_key in STRATEGIES:
            strategy = evaluation.strategies[strategy_key]
            if key in units:
                value = float(getattr(strategy, key))
                texts.append(fmt.quantity(value, units[key]))
            else:
                figure: Figure = getattr(strategy, key)
                value = figure.value
                texts.append(fmt.figure_value(figure))
            values.append(value)
        best = min(values)
        cells = [cell(label, CELL_BOLD if key == "tco" else CELL)]
        for strategy_key, value, text in zip(STRATEGIES, values, texts, strict=True):
            is_best = bold_best and value == best and values.count(best) < len(values)
            cells.append(
                cell(
                    text,
                    CELL_BOLD if is_best else CELL,
                    "right",
                    background=highlight(strategy_key),
                )
            )
        rows.append(Row(cells))
    if not compact:
        rows.append(
            Row(
                [cell("Retrains within the horizon", CELL)]
                + [
                    cell(
                        fmt.count(evaluation.strategies[k].retrains),
                        CELL,
                        "right",
                        background=highlight(k),
                    )
                    for k in STRATEGIES
                ]
            )
        )
    rows.append(
        Row(
            [cell("Weighted score (of 100)", CELL_BOLD)]
            + [
                cell(
                    score_points(evaluation.strategies[k].total_score)
                    + (" (excluded)" if evaluation.strategies[k].excluded else ""),
                    CELL_BOLD,
                    "right",
                    background=highlight(k),
                )
                for k in STRATEGIES
            ],
            kind="total",
        )
    )
    header = header_row(
        ["", *[STRATEGY_NAMES[k] + ("  ✓ recommended" if k == rec else "") for k in STRATEGIES]],
        ["left", "right", "right", "right"],
    )
    return Table([31, 23, 23, 23], rows, header=[header], space_after=4.0)


def decision(report: ScenarioReport, number: Callable[[], str], level: int) -> list[Flowable]:
    """Key figures, the score matrix, the crossovers and what would change the answer: the
    part of a scenario a decision-maker reads; the sections after it explain each score."""
    evaluation = report.evaluation
    rec = evaluation.recommendation
    items: list[Flowable] = [
        heading(number(), "Key figures", level),
        key_figures_table(evaluation),
        para(
            "Lowest value of each row in bold. Money is rounded for display, each figure on its "
            "own; totals are computed from unrounded values.",
            SMALL,
            space_after=6.0,
        ),
        heading(number(), "Scores and weights", level),
        *scores(evaluation, report.scenario),
        heading(number(), "Cost crossovers and payback", level),
        *bullets(crossover_lines(evaluation) + [p.label for p in evaluation.paybacks]),
        heading(number(), "What would change the answer", level),
        *bullets(rec.what_would_change or ["Nothing within the plausible ranges searched."]),
    ]
    return items


def executive_summary(data: ReportData, number: str) -> list[Flowable]:
    items: list[Flowable] = [heading(number, "Executive summary")]
    if len(data.scenarios) == 1:
        report = data.scenarios[0]
        items.append(
            para(
                [
                    ("Scenario “", SMALL),
                    (report.scenario.name, SMALL),
                    ("”: ", SMALL),
                    (scenario_basics(report.evaluation, report.scenario), SMALL),
                ],
                SMALL,
                space_after=4.0,
            )
        )
        items.append(recommendation_panel(report))
        items += decision(report, lambda: "", 3)
        return items
    winners = {s.evaluation.recommendation.name for s in data.scenarios}
    if len(winners) == 1:
        summary = (
            f"This report compares {fmt.count(len(data.scenarios))} scenarios. "
            f"{next(iter(winners))} is recommended in every one of them."
        )
    else:
        summary = (
            f"This report compares {fmt.count(len(data.scenarios))} scenarios; the recommendation "
            "depends on the scenario, as the table shows."
        )
    items.append(para(summary, BODY, space_after=6.0))
    items.append(comparison_table(data))
    for report in data.scenarios:
        items.append(recommendation_panel(report, compact=True, with_name=True))
    return items


def comparison_table(data: ReportData) -> Table:
    header = header_row(
        [
            "Scenario",
            "Queries per month",
            "Months",
            "Recommended",
            "Lead (points)",
            *[f"{STRATEGY_NAMES[k]} total" for k in STRATEGIES],
        ],
        ["left", "right", "right", "left", "right", "right", "right", "right"],
    )
    rows = []
    for report in data.scenarios:
        e = report.evaluation
        rec = e.recommendation
        cells = [
            cell(report.scenario.name, CELL_BOLD),
            cell(fmt.count(e.queries_per_month), CELL, "right"),
            cell(fmt.count(e.horizon_months), CELL, "right"),
            cell(rec.name, CELL_BOLD),
            cell(score_points(rec.margin) if rec.strategy else "—", CELL, "right"),
        ]
        tcos = [e.strategies[k].tco.value for k in STRATEGIES]
        best = min(tcos)
        for key, value in zip(STRATEGIES, tcos, strict=True):
            excluded = " (excl.)" if e.strategies[key].excluded else ""
            cells.append(
                cell(
                    fmt.money(value, e.currency) + excluded,
                    CELL_BOLD if value == best else CELL,
                    "right",
                    background=HIGHLIGHT if key == rec.strategy else "",
                )
            )
        rows.append(Row(cells))
    return Table([16, 10, 8, 15, 9, 14, 14, 14], rows, header=[header], space_after=4.0)
