"""Freshness (staleness of facts) against the scenario's target, per strategy."""

from __future__ import annotations

from engine.model.results import Evaluation
from engine.model.scenario import STRATEGIES, Scenario
from gui import format as fmt
from gui.report.blocks import (
    cell,
    cell_runs,
    header_row,
    how,
    para,
    verdict_mark,
)
from gui.report.flow import (
    Flowable,
    Row,
    Table,
)
from gui.report.styles import (
    CELL,
    CELL_BOLD,
    CELL_MUTED,
    SMALL,
)


def freshness(evaluation: Evaluation, scenario: Scenario) -> list[Flowable]:
    target = scenario.requirements.freshness_target_days.likely
    intro = (
        f"Target: no fact older than {fmt.number(target, 'days')} (worst case). Score 100 when "
        "the worst case meets the target, else 100 × target ÷ worst case."
    )
    rows = []
    for key in STRATEGIES:
        s = evaluation.strategies[key]
        met = s.staleness_worst.value <= target
        score = s.scores["freshness"]
        detail = f"\nAverage: {s.staleness_average.formula}; worst case: {how(s.staleness_worst)}"
        if s.staleness_worst.note:
            detail += f". {s.staleness_worst.note}"
        rows.append(
            Row(
                [
                    cell_runs([(s.name, CELL_BOLD), ("\n", CELL), *verdict_mark(met)]),
                    cell(fmt.figure_value(s.staleness_average), CELL, "right"),
                    cell(fmt.figure_value(s.staleness_worst), CELL, "right"),
                    cell(fmt.score(score.value), CELL_BOLD, "right"),
                    cell_runs([(score.reason, CELL), (detail, CELL_MUTED)]),
                ]
            )
        )
    header = header_row(
        ["Strategy", "Average", "Worst case", "Score", "Assessment and how it is computed"],
        ["left", "right", "right", "right", "left"],
    )
    return [
        para(intro, SMALL, space_after=3.0, keep_with_next=True),
        Table([15, 11, 11, 7, 56], rows, header=[header]),
    ]
