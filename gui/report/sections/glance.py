"""The client summary's page for a scenario (the cost chart and the key figures per strategy)
and the compliance verdicts."""

from __future__ import annotations

from engine.display import VERDICT_NAMES, VERDICT_SYMBOLS
from engine.model.results import ComplianceVerdict, Evaluation
from engine.model.scenario import COMPLIANCE_ITEMS, STRATEGIES, STRATEGY_NAMES
from engine.text import one_line
from gui.charts.style import VERDICT_COLORS
from gui.report.blocks import cell, cell_runs, header_row, heading, para, scenario_basics
from gui.report.flow import CondPageBreak, Flowable, KeepTogether, Row, Style, Table
from gui.report.model import ReportData, ScenarioReport
from gui.report.sections.chart import cost_chart
from gui.report.sections.key_figures import CAPEX_NOTE, has_capex, key_figures_table
from gui.report.styles import BODY, CELL, CELL_MUTED, HIGHLIGHT, SMALL

SUMMARY_CHART_ASPECT = 0.40


def compliance_verdicts(evaluation: Evaluation) -> list[Flowable]:
    """One row per ticked requirement, one verdict per strategy; then what the recommended
    strategy needs to put in place."""
    by_item: dict[str, dict[str, ComplianceVerdict]] = {}
    for key in STRATEGIES:
        for verdict in evaluation.strategies[key].compliance:
            by_item.setdefault(verdict.item, {})[key] = verdict
    if not by_item:
        return [para("No compliance requirement is ticked in this scenario.", BODY)]
    rec = evaluation.recommendation.strategy
    rows: list[Row] = []
    for item, verdicts in by_item.items():
        first = next(iter(verdicts.values()))
        need = "must have" if first.need == "hard" else "preferred"
        requirement = first.requirement or COMPLIANCE_ITEMS.get(item, item)
        cells = [cell_runs([(requirement, CELL), (f" · {need}", CELL_MUTED)])]
        for key in STRATEGIES:
            found = verdicts.get(key)
            if found is None:
                cells.append(cell("—", CELL_MUTED))
                continue
            symbol, word = VERDICT_SYMBOLS[found.verdict], VERDICT_NAMES[found.verdict]
            color = VERDICT_COLORS[found.verdict]
            cells.append(
                cell(
                    f"{symbol} {word}",
                    Style(size=7.8, bold=True, color=color, leading=1.2),
                    background=HIGHLIGHT if key == rec else "",
                )
            )
        rows.append(Row(cells))
    header = header_row(
        ["Requirement", *[STRATEGY_NAMES[k] for k in STRATEGIES]], ["left"] * (1 + len(STRATEGIES))
    )
    return [Table([34, 22, 22, 22], rows, header=[header], space_after=4.0)]


def _verdicts(report: ScenarioReport) -> list[tuple[str, str, str]]:
    return [
        (key, v.item, v.verdict)
        for key in STRATEGIES
        for v in report.evaluation.strategies[key].compliance
    ]


def compliance_summary(data: ReportData) -> list[Flowable]:
    """The verdicts once when every scenario has the same ones, else per scenario."""
    intro = para(
        "✓ meets, ⚠ needs mitigation (what to put in place is under Next steps), ✗ fails; a "
        "strategy that fails a must-have is ruled out.",
        SMALL,
        space_after=3.0,
        keep_with_next=True,
    )
    items: list[Flowable] = [CondPageBreak(150.0), heading("", "Compliance")]
    first = _verdicts(data.scenarios[0])
    if any(_verdicts(r) for r in data.scenarios):
        items.append(intro)
    if all(_verdicts(r) == first for r in data.scenarios[1:]):
        return items + compliance_verdicts(data.scenarios[0].evaluation)
    for report in data.scenarios:
        items.append(heading("", f"Scenario “{one_line(report.scenario.name)}”", 3))
        items += compliance_verdicts(report.evaluation)
    return items


def scenario_glance(data: ReportData, report: ScenarioReport, figure_number: int) -> list[Flowable]:
    evaluation = report.evaluation
    multi = data.scenario_count > 1
    title = f"Scenario “{one_line(report.scenario.name)}”" if multi else "The figures"
    items: list[Flowable] = [
        CondPageBreak(280.0),
        heading("", title),
        para(scenario_basics(evaluation, report.scenario), SMALL, space_after=4.0),
        cost_chart(report, figure_number, aspect=SUMMARY_CHART_ASPECT, short=True),
        KeepTogether(
            [
                heading("", "Key figures", 2),
                key_figures_table(evaluation),
                para(
                    "Lowest value of each row in bold; the recommended strategy shaded. Each "
                    "figure is rounded once, from its exact value."
                    + (f" {CAPEX_NOTE}" if has_capex(evaluation) else ""),
                    SMALL,
                    space_after=6.0,
                ),
            ]
        ),
    ]
    return items
