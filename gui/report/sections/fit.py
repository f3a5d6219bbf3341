"""The fit indicators and the fit score, per strategy."""

from __future__ import annotations

from engine.model.results import Evaluation
from engine.model.scenario import STRATEGIES, STRATEGY_NAMES
from gui import format as fmt
from gui.report.blocks import (
    cell,
    cell_runs,
    header_row,
    para,
)
from gui.report.flow import (
    Flowable,
    Row,
    Table,
)
from gui.report.styles import (
    CELL_BOLD,
    CELL_MUTED,
    SMALL,
)


def fit(evaluation: Evaluation) -> list[Flowable]:
    indicators: dict[str, dict[str, tuple[float, str, str]]] = {}
    for key in STRATEGIES:
        for indicator in evaluation.strategies[key].fit:
            indicators.setdefault(indicator.key, {})[key] = (
                indicator.score,
                indicator.reason,
                indicator.label,
            )
    rows = []
    for per_strategy in indicators.values():
        label = next(iter(per_strategy.values()))[2]
        cells = [cell(label, CELL_BOLD)]
        for key in STRATEGIES:
            if key not in per_strategy:
                cells.append(cell("—", CELL_MUTED))
                continue
            score, reason, _ = per_strategy[key]
            cells.append(cell_runs([(fmt.score(score), CELL_BOLD), (f"  {reason}", CELL_MUTED)]))
        rows.append(Row(cells))
    rows.append(
        Row(
            [cell("Fit score", CELL_BOLD)]
            + [
                cell(fmt.score(evaluation.strategies[k].scores["fit"].value), CELL_BOLD)
                for k in STRATEGIES
            ],
            kind="total",
        )
    )
    header = header_row(["Indicator", *[STRATEGY_NAMES[k] for k in STRATEGIES]], ["left"] * 4)
    intro = (
        "Indicators from the seed article and the literature, each 0–100 with its reason; the "
        "fit score is their mean."
    )
    return [
        para(intro, SMALL, space_after=3.0, keep_with_next=True),
        Table([19, 27, 27, 27], rows, header=[header]),
    ]
