"""Latency against the scenario's targets, per strategy."""

from __future__ import annotations

from engine.model.results import Evaluation
from engine.model.scenario import STRATEGIES, Scenario
from gui import format as fmt
from gui.report.blocks import how
from gui.report.flow import Flowable
from gui.report.sections.targets import target_row, target_table
from gui.report.styles import CELL_MUTED


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
        detail = [
            (f"\nFirst token: {how(s.latency_ttft)}", CELL_MUTED),
            (f"\nFull answer: {how(s.latency_total)}", CELL_MUTED),
        ]
        figures = (s.latency_ttft, s.latency_total)
        rows.append(target_row(s, met, figures, s.scores["latency"], detail))
    return target_table(intro, ("First token", "Full answer"), rows)
