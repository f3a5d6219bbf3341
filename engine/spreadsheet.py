"""The project as an .xlsx workbook a client's finance team can check and re-use.

One cover sheet (who, what, which prices, when, how to read the rest), then per scenario three
sheets: its results (key figures, the cost breakdown by component, scores and weights, the
crossovers and near-ties), its inputs (units and low/likely/high ranges) and its TCO curve
(volume against each strategy's total cost).  Every number is stored as a number with a number
format; units and the currency are in the headers; header rows are frozen.

Text from the project file (titles, names, descriptions) is written as literal text: a scenario
called "=HYPERLINK(…)" stays those characters, never a formula.  The file is written to a
temporary file beside the target and moved into place, so a failed export leaves nothing
behind and never a half-written workbook.
"""

from __future__ import annotations

import contextlib
import datetime
import math
import os
import re
import tempfile
from collections.abc import Sequence
from enum import Enum
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from engine.assumptions import assumptions
from engine.catalog import price_data_version
from engine.context import v
from engine.display import CRITERION_NAMES
from engine.evaluate import Curves, EvaluationError, default_volume_range, evaluate_with_curves
from engine.labels import OWN_SERVERS, field_label
from engine.model.project import Project
from engine.model.results import Evaluation
from engine.model.scenario import (
    COST_COMPONENTS,
    CRITERIA,
    OWNED_OFFER,
    STRATEGIES,
    STRATEGY_NAMES,
    Scenario,
)
from engine.regions import offerings_for
from engine.report import crossover_sentences
from engine.version import APP_VERSION

CURVE_POINTS_PER_DECADE = 10

# Number formats (Excel's, in its C-locale syntax; Excel shows them in the reader's locale).
MONEY = "#,##0.00"
MONEY_SMALL = "#,##0.000000"  # per-query prices are fractions of a cent
COUNT = "#,##0"
DECIMAL = "#,##0.00"
GENERAL = "General"
SCORE = "0.0"
SHARE = "0.00%"
DATE = "yyyy-mm-dd"

SHEET_NAME_MAX = 31
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# Characters XML 1.0 (and so a worksheet) cannot hold.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

HEADER_FONT = Font(bold=True)
TITLE_FONT = Font(bold=True, size=14)
SECTION_FONT = Font(bold=True, size=12)
HEADER_FILL = PatternFill("solid", fgColor="E8ECF1")
WRAP = Alignment(wrap_text=True, vertical="top")


class SpreadsheetError(ValueError):
    """The workbook could not be written (the message is one line, ready to show)."""


def write_xlsx(
    project: Project,
    path: str | os.PathLike[str],
    *,
    export_date: datetime.date | None = None,
) -> Path:
    """Write the whole project (every scenario) as an .xlsx workbook at ``path``."""
    target = Path(path)
    day = export_date or datetime.date.today()
    try:
        evaluated = [(s, *_evaluated(project, s)) for s in project.scenarios]
    except EvaluationError as exc:
        raise SpreadsheetError(_one_line(str(exc))) from None
    book = Workbook()
    cover = book.active
    assert cover is not None
    used: set[str] = set()
    cover.title = _sheet_name("Cover", "", used)
    _cover(cover, project, day, len(evaluated))
    for number, (scenario, evaluation, curves) in enumerate(evaluated, start=1):
        results = book.create_sheet(_sheet_name(scenario.name, "", used, number))
        inputs = book.create_sheet(_sheet_name(scenario.name, " inputs", used, number))
        curve = book.create_sheet(_sheet_name(scenario.name, " curve", used, number))
        _results_sheet(results, scenario, evaluation)
        _inputs_sheet(inputs, project, scenario)
        _curve_sheet(curve, scenario, evaluation, curves)
    _save_atomically(book, target)
    return target


# --- writing cells ------------------------------------------------------------------------


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _text(value: str) -> str:
    return _ILLEGAL.sub("", value)


def put(sheet: Worksheet, row: int, column: int, value: Any, number_format: str = "") -> Cell:
    """One cell.  Strings are always literal text (openpyxl would turn "=…" into a formula);
    numbers stay numbers with ``number_format``."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, str):
        cell.value = _text(value)
        cell.data_type = "s"  # literal, even "=SUM(A1)" or "@cmd"
    elif isinstance(value, bool) or value is None:
        cell.value = value
    elif isinstance(value, int | float):
        cell.value = float(value) if isinstance(value, float) else value
        if number_format:
            cell.number_format = number_format
    elif isinstance(value, datetime.date):
        cell.value = value
        cell.number_format = DATE
    else:
        cell.value = _text(str(value))
        cell.data_type = "s"
    return cell


def _header(sheet: Worksheet, row: int, titles: list[str]) -> None:
    for column, title in enumerate(titles, start=1):
        cell = put(sheet, row, column, title)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="bottom")


def _section(sheet: Worksheet, row: int, title: str) -> None:
    put(sheet, row, 1, title).font = SECTION_FONT


def _widths(sheet: Worksheet, widths: Sequence[float]) -> None:
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width


def _sheet_name(name: str, suffix: str, used: set[str], number: int | None = None) -> str:
    """A valid, unique sheet name: no []:*?/\\, no leading or trailing apostrophe, at most
    31 characters with ``suffix`` kept whole, not 'History' (reserved by Excel), and unique
    ignoring case (Excel's rule) — a clash gets the scenario's number, then a counter."""
    base = _text(_SHEET_FORBIDDEN.sub(" ", name))
    base = " ".join(base.split()).strip("'").strip() or (
        f"Scenario {number}" if number else "Sheet"
    )
    candidates = [base]
    if number is not None:
        candidates.append(f"{number} {base}")
    candidates += [f"{base} ({n})" for n in range(2, 10_000)]
    for candidate in candidates:
        room = SHEET_NAME_MAX - len(suffix)
        head = candidate[:room].rstrip().rstrip("'")
        if candidate.endswith(")") and len(candidate) > room:  # keep the counter visible
            tail = candidate[candidate.rindex(" (") :]
            head = candidate[: room - len(tail)].rstrip() + tail
        title = f"{head}{suffix}"
        if title.lower() not in used and title.lower() != "history" and title.strip("'"):
            used.add(title.lower())
            return title
    raise SpreadsheetError("too many sheets with the same name")  # pragma: no cover


def _money_unit(unit: str, currency: str) -> str:
    return unit.replace("money", currency) if unit else ""


# --- the sheets ---------------------------------------------------------------------------


def _cover(sheet: Worksheet, project: Project, day: datetime.date, scenarios: int) -> None:
    put(sheet, 1, 1, project.title).font = TITLE_FONT
    rows: list[tuple[str, Any]] = [
        ("Client", project.client),
        ("Consultant", project.consultant),
        ("Currency", project.currency),
        ("Scenarios", scenarios),
        ("App version", f"FTRAG Advisor {APP_VERSION}"),
        ("Price data version", price_data_version()),
        ("Export date", day),
    ]
    if project.currency != "USD" or project.usd_exchange_rate != 1.0:
        rows.insert(3, (f"Exchange rate ({project.currency} per USD)", project.usd_exchange_rate))
    _header(sheet, 3, ["Item", "Value"])
    for offset, (label, value) in enumerate(rows, start=4):
        put(sheet, offset, 1, label).font = HEADER_FONT
        put(sheet, offset, 2, value, COUNT if isinstance(value, int) else DECIMAL)
    note_row = 4 + len(rows) + 1
    _section(sheet, note_row, "How to read this workbook")
    notes = [
        "Each scenario has three sheets: its name (results), '… inputs' and '… curve'.",
        "Results: key figures, the cost of each component (one-time, per month, per query, "
        "per retrain), the 0–100 scores with the weights that combine them, and the volumes "
        "where one strategy becomes cheaper than another.",
        f"All money is in {project.currency}; the column header or the Unit column says per "
        "what. Monthly figures are month 1 at the scenario's volume; TCO is the total over the "
        "horizon, retrains and volume growth included.",
        "'Effectively tied' ranges are where two or three strategies' totals stay within the "
        "stated share of each other while they cross several times (self-hosted replicas "
        "stepping in turn); their exact crossings are listed too, marked 'in tie band'.",
        "Inputs: the value used ('likely') and, where a range was given, its low and high. "
        "Values left empty in the project come from the catalog named in the Source column.",
        "Curve: each strategy's total cost of ownership at monthly volumes either side of "
        "today's, for your own charts and checks.",
        "Numbers are stored as numbers at full precision; the formats only round the display.",
    ]
    for offset, note in enumerate(notes, start=note_row + 1):
        put(sheet, offset, 1, note).alignment = WRAP
        sheet.merge_cells(start_row=offset, start_column=1, end_row=offset, end_column=2)
        sheet.row_dimensions[offset].height = 15 * (1 + len(note) // 95)
    _widths(sheet, [30, 70])
    sheet.freeze_panes = "A4"


def _results_sheet(sheet: Worksheet, scenario: Scenario, e: Evaluation) -> None:
    cur = e.currency
    names = [STRATEGY_NAMES[k] for k in STRATEGIES]
    strategies = [e.strategies[k] for k in STRATEGIES]
    put(sheet, 1, 1, f"Scenario: {scenario.name}").font = TITLE_FONT
    _header(sheet, 2, ["Figure", "Unit", *names])
    sheet.freeze_panes = "C3"
    row = 3

    def line(label: str, unit: str, values: list[Any], number_format: str) -> None:
        nonlocal row
        put(sheet, row, 1, label)
        put(sheet, row, 2, unit)
        for column, value in enumerate(values, start=3):
            put(sheet, row, column, value, number_format)
        row += 1

    _section(sheet, row, "Key figures")
    row += 1
    line("Queries per month (month 1)", "queries/month", [e.queries_per_month] * 3, COUNT)
    line("Horizon", "months", [e.horizon_months] * 3, COUNT)
    line("One-time cost", cur, [s.one_time for s in strategies], MONEY)
    line(
        "Monthly fixed cost (month 1)", f"{cur}/month", [s.monthly_fixed for s in strategies], MONEY
    )
    line("Cost per query", f"{cur}/query", [s.per_query for s in strategies], MONEY_SMALL)
    line("Retrains over the horizon", "retrains", [s.retrains for s in strategies], COUNT)
    line(
        f"Total cost of ownership ({e.horizon_months} months)",
        cur,
        [s.tco.value for s in strategies],
        MONEY,
    )
    line("Latency p50 (full answer)", "s", [s.latency_total.value for s in strategies], DECIMAL)
    line("Time to first token p50", "s", [s.latency_ttft.value for s in strategies], DECIMAL)
    line("Staleness, average", "days", [s.staleness_average.value for s in strategies], DECIMAL)
    line("Staleness, worst", "days", [s.staleness_worst.value for s in strategies], DECIMAL)
    line("Weighted score", "points of 100", [s.total_score for s in strategies], SCORE)
    line(
        "Excluded (fails a hard requirement)",
        "",
        ["yes" if s.excluded else "no" for s in strategies],
        GENERAL,
    )
    rec = e.recommendation
    put(sheet, row, 1, "Recommendation")
    put(sheet, row, 3, rec.name)
    row += 1
    put(sheet, row, 1, "Why")
    put(sheet, row, 3, rec.rationale)
    row += 2

    _section(sheet, row, f"Cost breakdown by component ({cur})")
    row += 1
    _header(sheet, row, ["Component", "Unit", *names, "Kind"])
    row += 1
    kinds = {"one_time": "one-time", "monthly": "per month", "per_query": "per query"}
    kinds["per_retrain"] = "per retrain"
    for kind in ("one_time", "monthly", "per_query", "per_retrain"):
        for key, (label, component_kind, unit) in COST_COMPONENTS.items():
            if component_kind != kind:
                continue
            values: list[Any] = []
            found = False
            for s in strategies:
                component = next((c for c in s.components if c.key == key), None)
                found = found or component is not None
                values.append(component.figure.value if component else None)
            if not found:
                continue
            number_format = MONEY_SMALL if kind == "per_query" else MONEY
            line(label, _money_unit(unit, cur), values, number_format)
            put(sheet, row - 1, 6, kinds[kind])
    row += 1

    _section(sheet, row, "Scores (0–100) and weights")
    row += 1
    _header(sheet, row, ["Criterion", "Weight (points)", *names, "Weight (share)"])
    row += 1
    total_weight = sum(e.weights.values()) or 1.0
    for criterion in CRITERIA:
        put(sheet, row, 1, CRITERION_NAMES[criterion])
        put(sheet, row, 2, e.weights.get(criterion, 0.0), SCORE)
        for column, s in enumerate(strategies, start=3):
            put(sheet, row, column, s.scores[criterion].value, SCORE)
        put(sheet, row, 6, e.weights.get(criterion, 0.0) / total_weight, SHARE)
        row += 1
    put(sheet, row, 1, "Weighted total")
    for column, s in enumerate(strategies, start=3):
        put(sheet, row, column, s.total_score, SCORE)
    row += 2

    _section(sheet, row, "Cost crossovers")
    row += 1
    for sentence in crossover_sentences(e):
        put(sheet, row, 1, sentence)
        row += 1
    row += 1
    _header(
        sheet,
        row,
        ["Crossing at (queries/month)", "Between", "", "Cheaper above", "In tie band"],
    )
    row += 1
    for crossover in e.crossovers:
        put(sheet, row, 1, crossover.queries_per_month, COUNT)
        put(sheet, row, 2, " and ".join(STRATEGY_NAMES[k] for k in crossover.between))
        put(sheet, row, 4, STRATEGY_NAMES[crossover.cheaper_above])
        put(sheet, row, 5, "yes" if crossover.in_tie_band else "no")
        row += 1
    if not e.crossovers:
        put(sheet, row, 1, "none between 1 and 10^13 queries/month")
        row += 1
    if e.tie_bands:
        row += 1
        _header(
            sheet,
            row,
            [
                "Effectively tied from (queries/month)",
                "To (queries/month)",
                "Between",
                "Cheapest above",
                "Crossings",
                "Largest gap (share of TCO)",
                "Tolerance (share of TCO)",
            ],
        )
        row += 1
        for band in e.tie_bands:
            put(sheet, row, 1, band.low, COUNT)
            put(sheet, row, 2, band.high, COUNT)
            put(sheet, row, 3, ", ".join(STRATEGY_NAMES[k] for k in band.between))
            put(sheet, row, 4, STRATEGY_NAMES[band.cheaper_above])
            put(sheet, row, 5, band.crossings, COUNT)
            put(sheet, row, 6, band.largest_gap, SHARE)
            put(sheet, row, 7, band.tolerance, SHARE)
            row += 1
    if e.paybacks:
        row += 1
        _section(sheet, row, "Payback at this volume")
        row += 1
        for payback in e.paybacks:
            put(sheet, row, 1, payback.label)
            row += 1
    _widths(sheet, [44, 18, 18, 18, 18, 16, 16])


def _inputs_sheet(sheet: Worksheet, project: Project, scenario: Scenario) -> None:
    cur = project.currency
    put(sheet, 1, 1, f"Inputs: {scenario.name}").font = TITLE_FONT
    _header(sheet, 2, ["Group", "Input", "Unit", "Low", "Likely (used)", "High", "Source"])
    sheet.freeze_panes = "C3"
    row = 3
    names = _catalog_names(project)
    for group in assumptions(project, scenario):
        for item in group.rows:
            label = item.label or field_label(item.name)
            put(sheet, row, 1, group.title)
            put(sheet, row, 2, label)
            put(sheet, row, 3, _money_unit(item.unit, cur))
            if item.is_number and isinstance(item.value, int | float):
                number_format = COUNT if item.integer else GENERAL
                if item.low is not None:
                    put(sheet, row, 4, item.low, number_format)
                put(sheet, row, 5, item.value, number_format)
                if item.high is not None:
                    put(sheet, row, 6, item.high, number_format)
            elif isinstance(item.value, bool):
                put(sheet, row, 5, "yes" if item.value else "no")
            elif item.value is None:
                put(sheet, row, 5, "catalog price")
            else:
                text = str(getattr(item.value, "value", item.value))
                if isinstance(item.value, Enum):  # a choice: 'always_on' → 'always on'
                    text = text.replace("_", " ")
                put(sheet, row, 5, names.get((item.name, text), text))
            source = item.source
            if item.from_catalog and not source:
                source = "catalog"
            put(sheet, row, 7, source)
            row += 1
    _widths(sheet, [26, 44, 16, 14, 16, 14, 60])


_CATALOG_FIELDS = {
    "base_model": "base_models",
    "self_hosted_model": "base_models",
    "training_gpu": "gpus",
    "gpu": "gpus",
    "embedding_model": "embedding_models",
    "vector_store": "vector_stores",
}


def _catalog_names(project: Project) -> dict[tuple[str, str], str]:
    """(field, catalog id) → the entry's name, for every catalog field: a client reads
    'NVIDIA H100 SXM5 80GB', not 'h100-sxm'.  API models by provider and name."""
    from engine.catalog import api_price, catalogs_for

    cats = catalogs_for(project.catalog_overrides)
    out: dict[tuple[str, str], str] = {}
    for field, catalog_name in _CATALOG_FIELDS.items():
        catalog = getattr(cats, catalog_name)
        for scenario in project.scenarios:
            for section in (
                scenario.fine_tuning,
                scenario.rag,
                *(scenario.serving.for_strategy(k) for k in STRATEGIES),
            ):
                ref = getattr(section, field, None)
                if isinstance(ref, str) and (field, ref) not in out:
                    with contextlib.suppress(LookupError):
                        out[(field, ref)] = catalog.get(ref).name
    for scenario in project.scenarios:
        for option in (scenario.serving.for_strategy(k) for k in STRATEGIES):
            try:
                price = api_price(option.api_model)
            except LookupError:
                continue
            out[("api_model", option.api_model)] = f"{price.provider} {price.name}"
    offers = offerings_for(project.catalog_overrides)
    for scenario in project.scenarios:
        options = [scenario.serving.for_strategy(k) for k in STRATEGIES]
        for field, ref in (
            ("training_gpu_offering", scenario.fine_tuning.training_gpu_offering),
            *(("gpu_offering", o.gpu_offering) for o in options),
            *(("api_offering", o.api_offering) for o in options),
        ):
            if ref == OWNED_OFFER:
                out[(field, ref)] = OWN_SERVERS
            elif ref in offers.gpu:
                out[(field, ref)] = offers.gpu[ref].name
            elif ref in offers.api:
                out[(field, ref)] = offers.api[ref].name
    return out


def _evaluated(project: Project, scenario: Scenario) -> tuple[Evaluation, Curves]:
    """The evaluation and its TCO curve, CURVE_POINTS_PER_DECADE points a decade over the
    chart's default range (whole decades either side of today's volume)."""
    lo, hi = default_volume_range(v(scenario.workload.queries_per_month))
    decades = max(1, round(math.log10(hi / lo)))
    return evaluate_with_curves(
        project, scenario, points=decades * CURVE_POINTS_PER_DECADE + 1, volume_range=(lo, hi)
    )


def _curve_sheet(sheet: Worksheet, scenario: Scenario, e: Evaluation, curves: Curves) -> None:
    cur = e.currency
    months = curves.horizon_months
    put(sheet, 1, 1, f"TCO curve: {scenario.name}").font = TITLE_FONT
    titles = ["Queries per month (month 1)"]
    titles += [f"{STRATEGY_NAMES[k]} TCO ({cur}, {months} months)" for k in STRATEGIES]
    titles += [f"{STRATEGY_NAMES[k]} per month ({cur}/month)" for k in STRATEGIES]
    _header(sheet, 2, titles)
    sheet.freeze_panes = "B3"
    per_month = curves.per_month()
    for index, volume in enumerate(curves.volumes):
        row = 3 + index
        put(sheet, row, 1, float(volume), COUNT)
        for column, key in enumerate(STRATEGIES, start=2):
            put(sheet, row, column, float(curves.tco[key][index]), MONEY)
            put(sheet, row, column + 3, float(per_month[key][index]), MONEY)
    _widths(sheet, [20] + [22] * 6)


# --- saving -------------------------------------------------------------------------------


def _save_atomically(book: Workbook, target: Path) -> None:
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise SpreadsheetError(f"{target}: the folder {directory} does not exist")
    if target.is_dir():
        raise SpreadsheetError(f"{target}: is a folder")
    temporary: str | None = None
    try:
        handle, temporary = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".tmp", dir=directory
        )
        os.close(handle)
        book.save(temporary)
        os.replace(temporary, target)
        temporary = None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise SpreadsheetError(
            _one_line(f"{target}: could not write the workbook: {reason}")
        ) from None
    except (ValueError, TypeError) as exc:  # openpyxl refusing a value
        raise SpreadsheetError(
            _one_line(f"{target}: could not write the workbook: {exc}")
        ) from None
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
