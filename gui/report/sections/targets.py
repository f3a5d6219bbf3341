"""The table of a section that holds each strategy against a target (latency, freshness): a
row a strategy with whether it meets the target, the two figures measured against it, the
score and the assessment with how the figures are computed."""

from __future__ import annotations

from collections.abc import Sequence

from engine.model.results import Figure, Score, StrategyResult
from gui import format as fmt
from gui.report.blocks import cell, cell_runs, header_row, para, verdict_mark
from gui.report.flow import Flowable, Row, Run, Table
from gui.report.styles import CELL, CELL_BOLD, SMALL


def target_row(
    strategy: StrategyResult,
    met: bool,
    figures: tuple[Figure, Figure],
    score: Score,
    how: Sequence[Run],
) -> Row:
    """One strategy's row: ``how`` follows the score's reason in the last column."""
    return Row(
        [
            cell_runs([(strategy.name, CELL_BOLD), ("\n", CELL), *verdict_mark(met)]),
            cell(fmt.figure_value(figures[0]), CELL, "right"),
            cell(fmt.figure_value(figures[1]), CELL, "right"),
            cell(fmt.score(score.value), CELL_BOLD, "right"),
            cell_runs([(score.reason, CELL), *how]),
        ]
    )


def target_table(intro: str, titles: tuple[str, str], rows: Sequence[Row]) -> list[Flowable]:
    """The section: ``intro`` (the target and how the score follows from it) above the table
    whose figure columns are headed ``titles``."""
    header = header_row(
        ["Strategy", *titles, "Score", "Assessment and how it is computed"],
        ["left", "right", "right", "right", "left"],
    )
    return [
        para(intro, SMALL, space_after=3.0, keep_with_next=True),
        Table([15, 11, 11, 7, 56], list(rows), header=[header]),
    ]
