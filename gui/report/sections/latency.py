"""Latency against the scenario's targets, per strategy."""

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


def latency(evaluation: Evaluation, scenario: Scenario) -> list[Flowable]:
    req = scenario.requirements
    ttft_target, total_target = req.ttft_target_s.likely, req.latency_target_s.likely
    intro = (
        f"Targets (p50): first token within {fmt.number(ttft_target, 's')}, full answer within "
        f"{fmt.number(total_target, 's')}. Score 100 at or under target, falling to 0 at three "
        "times the target; the worse of the two counts."
    )
    rows = []
    for key in STRATEGIES:
        s = evaluation.strategies[key]
        met = s.latency_ttft.value <= ttft_target and s.latency_total.value <= total_target
        score = s.scores["latency"]
        rows.append(
            Row(
                [
                    cell_runs([(s.name, CELL_BOLD), ("\n", CELL), *verdict_mark(met)]),
                    cell(fmt.figure_value(s.latency_ttft), CELL, "right"),
                    cell(fmt.figure_value(s.latency_total), CELL, "right"),
                    cell(fmt.score(score.value), CELL_BOLD, "right"),
                    cell_runs(
                        [
                            (score.reason, CELL),
                            (f"\nFirst token: {how(s.latency_ttft)}", CELL_MUTED),
                            (f"\nFull answer: {how(s.latency_total)}", CELL_MUTED),
                        ]
                    ),
                ]
            )
        )
    header = header_row(
        ["Strategy", "First token", "Full answer", "Score", "Assessment and how it is computed"],
        ["left", "right", "right", "right", "left"],
    )
    return [
        para(intro, SMALL, space_after=3.0, keep_with_next=True),
        Table([15, 11, 11, 7, 56], rows, header=[header]),
    ]
