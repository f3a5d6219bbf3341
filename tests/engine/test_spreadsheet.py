"""The .xlsx export, read back with openpyxl and checked against `ftrag eval --json`."""

from __future__ import annotations

import datetime
import io
import json
import os
import stat
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from engine.cli import main as cli_main
from engine.evaluate import evaluate
from engine.fileformat import save_project
from engine.model.scenario import CRITERIA, STRATEGIES, STRATEGY_NAMES
from engine.spreadsheet import SHEET_NAME_MAX, SpreadsheetError, write_xlsx
from engine.templates import load_template, template_names, template_path
from tests.claims_assistant import claims_assistant_project

DAY = datetime.date(2026, 12, 7)


def run_cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli_main(list(args))
    return code, out.getvalue(), err.getvalue()


def eval_json(path: Path | str) -> dict[str, Any]:
    code, out, err = run_cli("eval", str(path), "--json")
    assert code == 0, err
    doc: dict[str, Any] = json.loads(out)
    return doc


def rows(sheet: Worksheet) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in sheet.iter_rows(values_only=True)]


def row_by_label(sheet: Worksheet, label: str, start: int = 1) -> tuple[Any, ...]:
    for index, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if index >= start and row[0] == label:
            return tuple(row)
    raise AssertionError(f"no row {label!r} in {sheet.title}")


def _is_number_text(text: str) -> bool:
    try:
        float(text.replace(",", ""))
    except ValueError:
        return False
    return True


def cell_types(sheet: Worksheet) -> set[str]:
    return {c.data_type for row in sheet.iter_rows() for c in row if c.value is not None}


@pytest.mark.parametrize("name", template_names())
def test_every_key_figure_matches_eval_json(tmp_path: Path, name: str) -> None:
    out = tmp_path / f"{name}.xlsx"
    code, stdout, err = run_cli("export", str(template_path(name)), "-o", str(out))
    assert code == 0, err
    assert f"wrote {out}" in stdout
    doc = eval_json(template_path(name))
    book = openpyxl.load_workbook(out)

    cover = book["Cover"]
    assert cover["A1"].value == doc["project"]["title"]
    info = {r[0]: r[1] for r in rows(cover)[3:12] if r[0]}
    assert info["Currency"] == doc["project"]["currency"]
    assert info["App version"] == f"FTRAG Advisor {doc['app_version']}"
    assert info["Price data version"] == doc["scenarios"][0]["price_data_version"]
    assert isinstance(info["Export date"], datetime.datetime)

    currency = doc["project"]["currency"]
    for scenario in doc["scenarios"]:
        sheet = book[scenario["name"][:31]]
        header = row_by_label(sheet, "Figure")
        assert header[2:5] == tuple(STRATEGY_NAMES[k] for k in STRATEGIES)
        assert sheet.freeze_panes == "C3"
        for label, key, unit in (
            ("One-time cost", "one_time", currency),
            ("Monthly fixed cost (month 1)", "monthly_fixed", f"{currency}/month"),
            ("Cost per query", "per_query", f"{currency}/query"),
            ("Retrains over the horizon", "retrains", "retrains"),
            (f"Total cost of ownership ({scenario['horizon_months']} months)", "tco", currency),
            ("Latency p50 (full answer)", "latency_seconds", "s"),
            ("Time to first token p50", "time_to_first_token_seconds", "s"),
            ("Staleness, average", "staleness_days", "days"),
            ("Staleness, worst", "staleness_worst_days", "days"),
            ("Weighted score", "score", "points of 100"),
        ):
            row = row_by_label(sheet, label)
            assert row[1] == unit
            for value, strategy in zip(row[2:5], STRATEGIES, strict=True):
                assert isinstance(value, int | float), (label, value)
                assert value == pytest.approx(scenario["strategies"][strategy][key], rel=1e-12)
        start = [r[0] for r in rows(sheet)].index("Criterion") + 1
        for criterion in CRITERIA:
            row = row_by_label(sheet, criterion.capitalize(), start)
            for value, strategy in zip(row[2:5], STRATEGIES, strict=True):
                expected = scenario["strategies"][strategy]["scores"][criterion]["value"]
                assert value == pytest.approx(expected, rel=1e-12)
        # Every component, by label, per strategy.
        start = [r[0] for r in rows(sheet)].index("Component") + 1
        for strategy_index, strategy in enumerate(STRATEGIES):
            for component in scenario["strategies"][strategy]["components"]:
                row = row_by_label(sheet, component["label"], start)
                assert row[1] == component["unit"]
                assert row[2 + strategy_index] == pytest.approx(component["value"], rel=1e-12)
        # Crossovers: every exact crossing, in order.
        table = [r[0] for r in rows(sheet)]
        first = table.index("Crossing at (queries/month)") + 1
        listed = table[first : first + len(scenario["crossovers"])]
        assert listed == pytest.approx([c["queries_per_month"] for c in scenario["crossovers"]])
        # The curve sheet: volumes ascending, today's volume inside, numbers only.
        curve = book[f"{scenario['name'][:25]} curve"]
        assert curve.freeze_panes == "B3"
        header = rows(curve)[1]
        assert header[1] == f"Fine-tuning TCO ({currency}, {scenario['horizon_months']} months)"
        volumes = [r[0] for r in rows(curve)[2:]]
        assert volumes == sorted(volumes) and len(volumes) > 30
        assert volumes[0] < scenario["queries_per_month"] < volumes[-1]
        for r in rows(curve)[2:]:
            assert all(isinstance(v, float | int) for v in r)
        # The inputs, with the ranges given.
        inputs = book[f"{scenario['name'][:24]} inputs"]
        volume_row = next(r for r in rows(inputs) if r[1] == "Queries per month")
        assert volume_row[2] == "queries/month"
        assert volume_row[4] == scenario["queries_per_month"]
        assert cell_types(inputs) <= {"n", "s"}


def test_numbers_are_numbers_with_formats(tmp_path: Path) -> None:
    out = write_xlsx(load_template("support-assistant"), tmp_path / "s.xlsx", export_date=DAY)
    book = openpyxl.load_workbook(out)
    sheet = book["Today"]
    tco = next(r for r in sheet.iter_rows() if r[0].value and "Total cost of own" in r[0].value)
    assert tco[2].data_type == "n" and tco[2].number_format == "#,##0.00"
    per_query = next(r for r in sheet.iter_rows() if r[0].value == "Cost per query")
    assert per_query[3].number_format == "#,##0.000000"
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):  # no number hides as text
                    assert not _is_number_text(cell.value), (ws.title, cell.coordinate)
    assert book["Cover"]["B10"].value == datetime.datetime(2026, 12, 7)
    assert book.sheetnames == [
        "Cover",
        "Today",
        "Today inputs",
        "Today curve",
        "In two years",
        "In two years inputs",
        "In two years curve",
    ]
    assert book["Today inputs"].column_dimensions["B"].width >= 30


def test_tie_bands_and_their_crossings_are_listed(tmp_path: Path) -> None:
    project = claims_assistant_project()
    book = openpyxl.load_workbook(write_xlsx(project, tmp_path / "claims.xlsx"))
    sheet = book["Claims assistant"]
    table = rows(sheet)
    sentences = [r[0] for r in table if isinstance(r[0], str) and "effectively tied" in r[0]]
    assert len(sentences) == 1
    header = next(i for i, r in enumerate(table) if r[0] == "Effectively tied from (queries/month)")
    band = table[header + 1]
    (expected,) = evaluate(project).tie_bands
    assert band[2] == ", ".join(STRATEGY_NAMES[s] for s in expected.between)
    assert band[4] == expected.crossings >= 3
    assert band[0] == expected.low and band[1] == expected.high
    first = next(i for i, r in enumerate(table) if r[0] == "Crossing at (queries/month)")
    crossings = [r for r in table[first + 1 :] if isinstance(r[0], float | int)]
    assert sum(r[4] == "yes" for r in crossings) == expected.crossings


HOSTILE = [
    '=HYPERLINK("http://x","y")',
    "+1+2",
    "@SUM(1)",
    "-5",
    "a/b\\c[d]:e*f?g",
    "'quoted'",
    "History",
    "x" * 60,
    "x" * 60 + "y",  # the same first 31 characters as the one above
    "HISTORY",
    "TODAY",
    "today",
]


def test_hostile_names_stay_text_and_sheet_names_stay_valid(tmp_path: Path) -> None:
    template = load_template("seed-small-company")
    base = template.scenarios[0]
    scenarios = [base.model_copy(update={"name": name}) for name in HOSTILE]
    project = template.model_copy(
        update={
            "title": "=1+1",
            "client": "=cmd|' /C calc'!A0",
            "consultant": "@consultant",
            "scenarios": scenarios,
        }
    )
    out = write_xlsx(project, tmp_path / "hostile.xlsx", export_date=DAY)
    book = openpyxl.load_workbook(out)
    names = book.sheetnames
    assert len(names) == 1 + 3 * len(HOSTILE)
    assert len({n.lower() for n in names}) == len(names)
    for name in names:
        assert 0 < len(name) <= SHEET_NAME_MAX
        assert not set(name) & set("[]:*?/\\")
        assert not name.startswith("'") and not name.endswith("'")
        assert name.lower() != "history"
    assert book["Cover"]["A1"].value == "=1+1"
    assert book["Cover"]["A1"].data_type == "s"
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
    titles = [book[n]["A1"].value for n in names[1::3]]
    assert titles == [f"Scenario: {n}" for n in HOSTILE]
    # Read the raw XML too: no <f> (formula) element anywhere.
    import zipfile

    with zipfile.ZipFile(out) as archive:
        for member in archive.namelist():
            if member.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(member)


def test_one_scenario_by_name(tmp_path: Path) -> None:
    out = tmp_path / "one.xlsx"
    code, _, err = run_cli(
        "export",
        str(template_path("support-assistant")),
        "-o",
        str(out),
        "--scenario",
        "In two years",
    )
    assert code == 0, err
    assert openpyxl.load_workbook(out).sheetnames == [
        "Cover",
        "In two years",
        "In two years inputs",
        "In two years curve",
    ]


def test_bad_input_is_one_line_and_leaves_nothing(tmp_path: Path) -> None:
    source = str(template_path("support-assistant"))
    cases = [
        ("export", source, "-o", str(tmp_path / "missing" / "x.xlsx")),
        ("export", source, "-o", str(tmp_path / "x.csv")),
        ("export", source, "-o", str(tmp_path / "x.xlsx"), "--scenario", "nope"),
        ("export", str(tmp_path / "absent.ftrag"), "-o", str(tmp_path / "x.xlsx")),
        ("export", source),
    ]
    for args in cases:
        code, _, err = run_cli(*args)
        assert code == 2, args
        assert err.startswith("error: ") and err.count("\n") == 1, err
        assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0, reason="needs POSIX permissions")
def test_an_unwritable_folder_fails_cleanly_and_keeps_the_old_file(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    old = folder / "out.xlsx"
    old.write_bytes(b"previous export")
    folder.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        with pytest.raises(SpreadsheetError) as raised:
            write_xlsx(load_template("support-assistant"), old)
        assert "\n" not in str(raised.value)
        assert old.read_bytes() == b"previous export"
        assert [p.name for p in folder.iterdir()] == ["out.xlsx"]
    finally:
        folder.chmod(stat.S_IRWXU)


def test_overwrites_in_place_atomically(tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    out.write_bytes(b"old")
    write_xlsx(load_template("seed-enterprise"), out)
    assert openpyxl.load_workbook(out).sheetnames[0] == "Cover"
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]


def test_round_trip_through_a_saved_file(tmp_path: Path) -> None:
    project = claims_assistant_project()
    path = tmp_path / "claims.ftrag"
    save_project(project, path, keep_backup=False)
    out = tmp_path / "claims.xlsx"
    code, _, err = run_cli("export", str(path), "-o", str(out))
    assert code == 0, err
    doc = eval_json(path)
    sheet = openpyxl.load_workbook(out)["Claims assistant"]
    row = row_by_label(sheet, "Total cost of ownership (24 months)")
    for value, key in zip(row[2:5], STRATEGIES, strict=True):
        assert value == pytest.approx(doc["scenarios"][0]["strategies"][key]["tco"], rel=1e-12)


def test_a_failed_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import engine.spreadsheet as spreadsheet

    out = tmp_path / "out.xlsx"
    out.write_bytes(b"previous export")

    def full_disk(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(spreadsheet.os, "replace", full_disk)
    with pytest.raises(SpreadsheetError, match="No space left on device") as raised:
        write_xlsx(load_template("support-assistant"), out)
    assert "\n" not in str(raised.value)
    assert out.read_bytes() == b"previous export"
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]
