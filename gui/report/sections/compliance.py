"""The compliance verdicts: each ticked requirement, per strategy."""

from __future__ import annotations

from engine.display import VERDICT_NAMES, VERDICT_SYMBOLS
from engine.model.results import ComplianceVerdict, Evaluation
from engine.model.scenario import COMPLIANCE_ITEMS, STRATEGIES, STRATEGY_NAMES
from gui.charts.style import VERDICT_COLORS
from gui.report.blocks import (
    cell,
    cell_runs,
    group_row,
    header_row,
    para,
)
from gui.report.flow import (
    Flowable,
    Row,
    Run,
    Style,
    Table,
)
from gui.report.styles import (
    BODY,
    CELL,
    CELL_BOLD,
    CELL_MUTED,
    SMALL,
)


def compliance(evaluation: Evaluation) -> list[Flowable]:
    by_item: dict[str, list[tuple[str, ComplianceVerdict]]] = {}
    for key in STRATEGIES:
        for verdict in evaluation.strategies[key].compliance:
            by_item.setdefault(verdict.item, []).append((key, verdict))
    if not by_item:
        return [para("No compliance requirement is ticked in this scenario.", BODY)]
    rows: list[Row] = []
    for item, verdicts in by_item.items():
        need = verdicts[0][1].need
        need_text = (
            "hard requirement: a failing strategy is excluded" if need == "hard" else "preferred"
        )
        rows.append(
            group_row(verdicts[0][1].requirement or COMPLIANCE_ITEMS.get(item, item), 3, need_text)
        )
        for key, verdict in verdicts:
            symbol, word = VERDICT_SYMBOLS[verdict.verdict], VERDICT_NAMES[verdict.verdict]
            color = VERDICT_COLORS[verdict.verdict]
            detail: list[Run] = [(verdict.reason, CELL)]
            if verdict.mitigation:
                detail.append(("\nMitigation: ", CELL_BOLD))
                detail.append((verdict.mitigation, CELL))
            if verdict.reference:
                detail.append((f"\nReference: {verdict.reference}", CELL_MUTED))
            rows.append(
                Row(
                    [
                        cell(STRATEGY_NAMES[key], CELL_BOLD),
                        cell(
                            f"{symbol} {word}", Style(size=7.8, bold=True, color=color, leading=1.2)
                        ),
                        cell_runs(detail),
                    ]
                )
            )
    header = header_row(
        ["Strategy", "Verdict", "Reason, mitigation and reference"], ["left", "left", "left"]
    )
    intro = (
        "Each ticked item is a requirement. Verdicts: ✓ meets, ⚠ needs mitigation (which, and "
        "what it costs), ✗ fails. Score: meets 100, needs mitigation 60, fails 0; hard items "
        "count double."
    )
    return [
        para(intro, SMALL, space_after=3.0, keep_with_next=True),
        Table([14, 17, 69], rows, header=[header]),
    ]
