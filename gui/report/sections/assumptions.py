"""Appendix A: every input as entered, and the catalog data it drew on."""

from __future__ import annotations

from collections.abc import Callable

from engine.assumptions import (
    Assumption,
    AssumptionGroup,
    ReferenceEntry,
    assumptions,
    reference_data,
)
from engine.labels import OWN_SERVERS, choice_label, field_label, unit_text
from engine.model.scenario import OWNED_OFFER
from gui import format as fmt
from gui.report.blocks import (
    cell,
    cell_runs,
    group_row,
    header_row,
    heading,
    para,
)
from gui.report.flow import (
    Flowable,
    Row,
    Run,
    Table,
)
from gui.report.model import ReportData, ScenarioReport
from gui.report.styles import (
    BODY,
    CELL,
    CELL_BOLD,
    CELL_MUTED,
    SMALL,
)

_NO_UNIT = {"fraction", ""}


def assumption_value(row: Assumption, currency: str) -> str:
    if isinstance(row.value, bool):
        return "Yes" if row.value else "No"
    if row.value is None:
        return "—"
    if isinstance(row.value, str):
        if row.name in ("currency",) or (
            row.path.startswith("serving.") and row.name == "api_model"
        ):
            return row.value
        if row.name.endswith("_offering"):  # the catalog id becomes the offering's name
            return OWN_SERVERS if row.value == OWNED_OFFER else row.value
        if any(row.name.endswith(s) for s in ("model", "gpu", "store")):
            return row.value
        return choice_label(row.value)
    unit = unit_text(row.unit, currency)
    if row.integer:  # rounded once, half up, like every count in the report
        return fmt.count(row.value) + (f" {unit}" if unit not in _NO_UNIT else "")
    if unit in _NO_UNIT:
        return fmt.number(row.value)
    return fmt.quantity(row.value, unit)


def range_ends(row: Assumption, end_text: Callable[[float], str]) -> tuple[str, str] | None:
    """The low and high end of the assumption's range, each written by ``end_text`` and "…"
    where the range is open; None when the assumption has no range."""
    if row.low is None and row.high is None:
        return None
    low, high = ("…" if end is None else end_text(end) for end in (row.low, row.high))
    return low, high


def assumption_notes(row: Assumption, currency: str) -> list[Run]:
    runs: list[Run] = []
    unit = unit_text(row.unit, currency)
    in_money = fmt.money_unit(unit) is not None
    ends = range_ends(row, (lambda end: fmt.quantity(end, unit)) if in_money else fmt.number)
    if ends is not None:
        suffix = "" if in_money or unit in _NO_UNIT else f" {unit}"
        runs.append((f"range {ends[0]} – {ends[1]}{suffix}", CELL))
    if row.source:
        source = row.source
        if row.from_catalog and source.startswith("catalog"):  # not a regional offer's price
            source = "catalog price: " + source.removeprefix("catalog: ")
        runs.append((("\n" if runs else "") + source, CELL_MUTED))
    return runs


def _same(a: Assumption, b: Assumption) -> bool:
    return (a.value, a.low, a.high, a.source) == (b.value, b.low, b.high, b.source)


def assumptions_section(
    data: ReportData,
    report: ScenarioReport,
    number: str,
    baseline: ScenarioReport | None = None,
) -> list[Flowable]:
    """Every input of the first scenario; for the others, only the inputs that differ from it
    (with its value beside them), so a reader sees at once what a scenario changes."""
    currency = data.project.currency
    groups: list[AssumptionGroup] = assumptions(data.project, report.scenario)
    before: dict[str, Assumption] = {}
    if baseline is not None:
        for group in assumptions(data.project, baseline.scenario):
            before.update({row.path: row for row in group.rows})
    rows: list[Row] = []
    for group in groups:
        shown = [r for r in group.rows if r.path not in before or not _same(r, before[r.path])]
        if not shown:
            continue
        rows.append(group_row(group.title, 3, group.note if baseline is None else ""))
        for row in shown:
            label = row.label or field_label(row.name)
            notes = assumption_notes(row, currency)
            if baseline is not None:
                old = before.get(row.path)
                was = assumption_value(old, currency) if old is not None else "not used"
                notes.append(
                    (("\n" if notes else "") + f"“{baseline.scenario.name}”: {was}", CELL_MUTED)
                )
            rows.append(
                Row(
                    [
                        cell(label),
                        cell(assumption_value(row, currency), CELL, "right"),
                        cell_runs(notes or [("", CELL)]),
                    ]
                )
            )
    title = f"Scenario “{report.scenario.name}”"
    if baseline is None:
        intro = (
            "Every input the evaluation uses, as entered (likely value; a range where one was "
            "given). Values marked “catalog price” were left empty and come from the catalog "
            "entry named, with its as-of date; the entries' sources follow the table."
        )
    else:
        intro = (
            f"Only the inputs that differ from scenario “{baseline.scenario.name}” (A.1); every "
            "other input is the same."
        )
    items: list[Flowable] = [
        heading(number, title, 2),
        para(intro, SMALL, space_after=3.0, keep_with_next=bool(rows)),
    ]
    if rows:
        header = header_row(["Input", "Value", "Range and source"], ["left", "right", "left"])
        items.append(Table([36, 24, 40], rows, header=[header]))
    else:
        items.append(para("No input differs.", BODY))
    entries = reference_data(data.project, report.scenario)
    if baseline is not None and entries == reference_data(data.project, baseline.scenario):
        return items
    if entries:
        items.append(heading("", "Reference data used", 3))
        items.append(reference_table(entries))
    return items


def reference_table(entries: list[ReferenceEntry]) -> Table:
    rows = []
    for entry in entries:
        name: list[Run] = [
            (entry.name, CELL_BOLD),
            (f"\n{entry.catalog}", CELL_MUTED),
        ]
        if entry.overridden:
            name.append(("\noverridden in this project", CELL_MUTED))
        figures = "\n".join(
            f"{label}: {fmt.quantity(value, unit)}" for label, value, unit in entry.figures
        )
        rows.append(
            Row(
                [
                    cell_runs(name),
                    cell(", ".join(entry.used_for), CELL),
                    cell(figures, CELL),
                    cell_runs([(entry.source, CELL_MUTED)]),
                    cell(entry.as_of or "—", CELL, "right"),
                ]
            )
        )
    header = header_row(
        ["Entry", "Used for", "Figures (USD)", "Source", "As of"],
        ["left", "left", "left", "left", "right"],
    )
    return Table([20, 14, 19, 36, 11], rows, header=[header])
