"""A strategy's cost breakdown: every component with its formula and inputs."""

from __future__ import annotations

from engine.display import COST_KIND_TITLES
from engine.model.results import Evaluation, StrategyResult
from gui import format as fmt
from gui.report.blocks import (
    cell,
    cell_runs,
    formula_runs,
    group_row,
    header_row,
    heading,
)
from gui.report.flow import (
    Flowable,
    Row,
    Run,
    Table,
)
from gui.report.styles import (
    CELL,
    CELL_BOLD,
    CELL_MUTED,
)


def breakdown(evaluation: Evaluation, strategy: StrategyResult) -> list[Flowable]:
    months = fmt.count(evaluation.horizon_months)
    title = f"{strategy.name}: {fmt.figure_value(strategy.tco)} over {months} months"
    if strategy.excluded:
        title += " (excluded)"
    rows: list[Row] = []
    for kind, kind_title in COST_KIND_TITLES.items():
        components = [c for c in strategy.components if c.kind == kind]
        if not components:
            continue
        rows.append(group_row(kind_title, 3))
        for component in components:
            name: list[Run] = [(component.figure.label, CELL)]
            if component.overridden:
                name.append(("\noverride typed in the project", CELL_MUTED))
            rows.append(
                Row(
                    [
                        cell_runs(name),
                        cell(fmt.figure_value(component.figure), CELL, "right"),
                        cell_runs(formula_runs(component.figure)),
                    ]
                )
            )
    if strategy.figures:
        rows.append(group_row("Derived quantities", 3))
        for figure in strategy.figures.values():
            rows.append(
                Row(
                    [
                        cell(figure.label),
                        cell(fmt.figure_value(figure), CELL, "right"),
                        cell_runs(formula_runs(figure)),
                    ]
                )
            )
    rows.append(
        Row(
            [
                cell(f"Total cost over {months} months", CELL_BOLD),
                cell(fmt.figure_value(strategy.tco), CELL_BOLD, "right"),
                cell_runs(formula_runs(strategy.tco)),
            ],
            kind="total",
        )
    )
    header = header_row(["Component", "Value", "Formula and inputs"], ["left", "right", "left"])
    return [
        heading("", title, 3),
        Table([24, 18, 58], rows, header=[header], space_after=8.0),
    ]
