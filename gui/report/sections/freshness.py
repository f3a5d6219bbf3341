"""Freshness (staleness of facts) against the scenario's target, per strategy."""

from __future__ import annotations

from engine.model.results import Evaluation
from engine.model.scenario import STRATEGIES, Scenario
from gui import format as fmt
from gui.report.blocks import how
from gui.report.flow import Flowable
from gui.report.sections.targets import target_row, target_table
from gui.report.styles import CELL_MUTED


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
        detail = f"\nAverage: {s.staleness_average.formula}; worst case: {how(s.staleness_worst)}"
        if s.staleness_worst.note:
            detail += f". {s.staleness_worst.note}"
        figures = (s.staleness_average, s.staleness_worst)
        rows.append(target_row(s, met, figures, s.scores["freshness"], [(detail, CELL_MUTED)]))
    return target_table(intro, ("Average", "Worst case"), rows)
