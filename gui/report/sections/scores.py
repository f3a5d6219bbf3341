"""The score matrix: each criterion's weight and score, and the weighted total."""

from __future__ import annotations

from engine.display import CRITERION_NAMES
from engine.model.results import Evaluation
from engine.model.scenario import CRITERIA, STRATEGIES, STRATEGY_NAMES, Scenario
from gui import format as fmt
from gui.report.blocks import (
    cell,
    header_row,
    para,
    total_score_cell,
)
from gui.report.flow import (
    Flowable,
    Row,
    Table,
)
from gui.report.styles import (
    CELL,
    CELL_BOLD,
    HIGHLIGHT,
    SMALL,
)


def scores(evaluation: Evaluation, scenario: Scenario) -> list[Flowable]:
    weights = scenario.weights.as_dict()
    rec = evaluation.recommendation.strategy
    rows = []
    for criterion in CRITERIA:
        cells = [
            cell(CRITERION_NAMES[criterion], CELL),
            cell(fmt.number(weights[criterion]), CELL, "right"),
        ]
        for key in STRATEGIES:
            value = evaluation.strategies[key].scores[criterion].value
            cells.append(
                cell(fmt.score(value), CELL, "right", background=HIGHLIGHT if key == rec else "")
            )
        rows.append(Row(cells))
    rows.append(
        Row(
            [
                cell("Weighted total", CELL_BOLD),
                cell(fmt.number(sum(weights.values())), CELL_BOLD, "right"),
            ]
            + [
                total_score_cell(evaluation.strategies[k], HIGHLIGHT if k == rec else "")
                for k in STRATEGIES
            ],
            kind="total",
        )
    )
    header = header_row(
        ["Criterion", "Weight", *[STRATEGY_NAMES[k] for k in STRATEGIES]],
        ["left", "right", "right", "right", "right"],
    )
    intro = (
        "Weighted total = Σ weight × score ÷ Σ weights. Each score's reason is in the sections "
        "above."
    )
    return [
        para(intro, SMALL, space_after=3.0, keep_with_next=True),
        Table([28, 12, 20, 20, 20], rows, header=[header]),
    ]
