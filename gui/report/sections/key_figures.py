"""The key figures of a scenario per strategy, and the comparison of several scenarios."""

from __future__ import annotations

from engine.display import (
    COST_SUMS,
    REPORT_KEY_FIGURES,
    cost_sum_unit,
    lowest_is_best,
    total_cost_label,
)
from engine.model.results import Evaluation, Figure
from engine.model.scenario import STRATEGIES, STRATEGY_NAMES
from gui import format as fmt
from gui.report.blocks import (
    cell,
    header_row,
    score_points,
    total_score_cell,
)
from gui.report.flow import (
    Row,
    Table,
)
from gui.report.model import ReportData
from gui.report.styles import (
    CELL,
    CELL_BOLD,
    HIGHLIGHT,
)

CAPEX = "owned_capex"  # engine.owned: the whole servers a strategy's serving needs
CAPEX_LABEL = "Own servers to buy (capex)"
CAPEX_NOTE = (
    "Own servers to buy: paid up front, outside the one-time cost; the total cost carries the "
    "part of their price amortised within the horizon."
)


def has_capex(evaluation: Evaluation) -> bool:
    return any(CAPEX in evaluation.strategies[k].figures for k in STRATEGIES)


def key_figures_table(evaluation: Evaluation) -> Table:
    """Each strategy's headline figures (average staleness and retrains are in the technical
    appendix's freshness and cost-breakdown sections)."""
    currency = evaluation.currency
    rec = evaluation.recommendation.strategy
    months = fmt.count(evaluation.horizon_months)
    rows: list[Row] = []

    def highlight(key: str) -> str:
        return HIGHLIGHT if key == rec else ""

    for spec in REPORT_KEY_FIGURES:
        key = spec.key
        label = total_cost_label(months) if key == "tco" else spec.label
        values: list[float] = []
        texts: list[str] = []
        for strategy_key in STRATEGIES:
            strategy = evaluation.strategies[strategy_key]
            if key in COST_SUMS:
                value = float(getattr(strategy, key))
                texts.append(fmt.quantity(value, cost_sum_unit(key, currency)))
            else:
                figure: Figure = getattr(strategy, key)
                value = figure.value
                texts.append(fmt.figure_value(figure))
            values.append(value)
        cells = [cell(label, CELL_BOLD if key == "tco" else CELL)]
        bests = lowest_is_best(values, [evaluation.strategies[k].excluded for k in STRATEGIES])
        for strategy_key, best, text in zip(STRATEGIES, bests, texts, strict=True):
            is_best = spec.lowest_is_best and best
            cells.append(
                cell(
                    text,
                    CELL_BOLD if is_best else CELL,
                    "right",
                    background=highlight(strategy_key),
                )
            )
        rows.append(Row(cells))
    capex = [evaluation.strategies[k].figures.get(CAPEX) for k in STRATEGIES]
    if any(capex):  # own servers: a purchase up front that the one-time cost does not hold
        rows.append(
            Row(
                [cell(CAPEX_LABEL, CELL)]
                + [
                    cell(
                        "—" if figure is None else fmt.figure_value(figure),
                        CELL,
                        "right",
                        background=highlight(k),
                    )
                    for k, figure in zip(STRATEGIES, capex, strict=True)
                ]
            )
        )
    rows.append(
        Row(
            [cell("Weighted score (of 100)", CELL_BOLD)]
            + [total_score_cell(evaluation.strategies[k], highlight(k)) for k in STRATEGIES],
            kind="total",
        )
    )
    header = header_row(
        ["", *[STRATEGY_NAMES[k] + ("  ✓ recommended" if k == rec else "") for k in STRATEGIES]],
        ["left", "right", "right", "right"],
    )
    return Table([31, 23, 23, 23], rows, header=[header], space_after=4.0)


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
    # Many scenarios: one line a row, figures to three significant digits (k, M, B, T).
    compact = data.detail_limited
    money = fmt.money_compact if compact else fmt.money
    volume = fmt.volume_compact if compact else fmt.count
    rows = []
    for report in data.compared:
        e = report.evaluation
        rec = e.recommendation
        cells = [
            cell(report.scenario.name, CELL_BOLD),
            cell(volume(e.queries_per_month), CELL, "right"),
            cell(fmt.count(e.horizon_months), CELL, "right"),
            cell(rec.name, CELL_BOLD),
            cell(score_points(rec.margin) if rec.strategy else "—", CELL, "right"),
        ]
        tcos = [e.strategies[k].tco.value for k in STRATEGIES]
        left_out = [e.strategies[k].excluded for k in STRATEGIES]
        for key, value, best in zip(STRATEGIES, tcos, lowest_is_best(tcos, left_out), strict=True):
            excluded = " (excl.)" if e.strategies[key].excluded else ""
            cells.append(
                cell(
                    money(value, e.currency) + excluded,
                    CELL_BOLD if best else CELL,
                    "right",
                    background=HIGHLIGHT if key == rec.strategy else "",
                )
            )
        rows.append(Row(cells))
    return Table([16, 10, 8, 15, 9, 14, 14, 14], rows, header=[header], space_after=4.0)
