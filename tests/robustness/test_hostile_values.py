"""Values the validator accepts and text a file carries: no crash, nothing that drives a
terminal.  Each test names the finding it covers; all of them failed before the fix."""

from __future__ import annotations

import json
import math
import os
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine import numbers
from engine.cli import main
from engine.fileformat import dump_project, save_project
from engine.model.base import Estimate
from engine.model.project import Project
from engine.model.scenario import Scenario
from engine.templates import load_template
from engine.text import terminal_safe

HOSTILE = "Evil\x1b]0;pwned\x07\x1b[2J\rRecommendation: RAG\nforged\u202e"


def _hostile_file(tmp_path: Path) -> Path:
    """A project whose title, client and a catalog-free name carry escape sequences (written
    as a raw envelope: old files may hold anything the JSON allows)."""
    project = load_template("support-assistant")
    data = json.loads(dump_project(project))
    data["project"]["title"] = HOSTILE
    data["project"]["client"] = "\x1b[31mred\x00"
    path = tmp_path / "hostile.ftrag"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _no_control(text: str) -> None:
    for ch in text:
        assert ch == "\n" or not (ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0), repr(ch)
    assert "\u202e" not in text


def test_eval_text_escapes_everything_from_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Finding: ftrag eval printed titles raw (retitle, clear, forged lines with CR/LF)."""
    assert main(["eval", str(_hostile_file(tmp_path))]) == 0
    out = capsys.readouterr().out
    _no_control(out)
    assert "\\x1b]0;pwned" in out and "\\x0dRecommendation: RAG\\x0aforged" in out
    assert not any(line.startswith("Recommendation: RAG") for line in out.splitlines()[:2])


def test_cli_errors_escape_unknown_field_names_and_app_versions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Finding: error messages echoed unknown field names and app_version raw."""
    bad_field = tmp_path / "field.ftrag"
    data = json.loads(dump_project(Project()))
    data["project"]["\x1b[2Jevil\rfield"] = 1
    bad_field.write_text(json.dumps(data), encoding="utf-8")
    newer = tmp_path / "newer.ftrag"
    newer.write_text(
        json.dumps({"format": "ftrag", "schema_version": 99, "app_version": "9\x1b[2J\r\n"}),
        encoding="utf-8",
    )
    for path in (bad_field, newer):
        assert main(["eval", str(path)]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1
        _no_control(err.rstrip("\n"))
        assert "\\x1b" in err


def test_terminal_safe_keeps_ordinary_text() -> None:
    text = "Café — 東京 → שלום 👍 ‌fa‍"
    assert terminal_safe(text) == text
    assert terminal_safe("a\nb", keep_newlines=True) == "a\nb"
    assert terminal_safe("a\nb") == "a\\x0ab"


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--seed", "-1"], "--seed: must be between 0 and"),
        (["--seed", "x"], "--seed: not a whole number"),
        (["--samples", "-5"], "--samples: must be between 0 and 1,000,000"),
        (["--samples", "1e9"], "--samples: not a whole number"),
    ],
)
def test_seed_and_samples_are_checked_with_one_line(
    argv: list[str], expected: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Finding: --seed -1 ended in a numpy traceback."""
    path = tmp_path / "p.ftrag"
    save_project(load_template("support-assistant"), path)
    assert main(["eval", str(path), "--json", *argv]) == 2
    err = capsys.readouterr().err
    assert expected in err and err.count("\n") == 1


def test_a_file_name_starting_with_a_dash_gets_a_hint(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Finding: 'ftrag eval -dash.ftrag' only said 'required: file'."""
    monkeypatch.chdir(tmp_path)
    save_project(load_template("support-assistant"), tmp_path / "-dash.ftrag")
    assert main(["eval", "-dash.ftrag"]) == 2
    assert "-- -dash.ftrag" in capsys.readouterr().err
    assert main(["eval", "--", "-dash.ftrag"]) == 0


def test_zero_weight_sums_never_put_nan_in_the_uncertainty_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Finding: weights that can all be 0 at once gave NaN and the CLI died."""
    project = load_template("support-assistant")
    scenario = project.scenarios[0]
    weights = scenario.weights.model_copy(
        update={
            name: Estimate(likely=getattr(scenario.weights, name).likely, low=0, high=100)
            for name in ("cost", "latency", "freshness", "compliance", "fit")
        }
    )
    project = project.model_copy(
        update={"scenarios": [scenario.model_copy(update={"weights": weights})]}
    )
    project = Project.model_validate(project.model_dump())
    path = tmp_path / "p.ftrag"
    save_project(project, path)
    assert main(["eval", str(path), "--json", "--samples", "20000", "--seed", "3"]) == 0
    block = json.loads(capsys.readouterr().out)["scenarios"][0]["uncertainty"]
    assert math.isclose(sum(block["p_win"].values()), 1.0)


def test_chunked_monte_carlo_gives_the_same_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    """Memory: samples are evaluated in chunks; the result is the same as in one piece."""
    from engine import uncertainty
    from engine.evaluate import evaluate

    project = load_template("support-assistant")
    scenario = project.scenarios[0]
    base = evaluate(project, scenario)
    whole = uncertainty.analyse(project, scenario, base, samples=3000, seed=5)
    monkeypatch.setattr(uncertainty, "CHUNK_ROWS", 700)
    chunked = uncertainty.analyse(project, scenario, base, samples=3000, seed=5)
    assert chunked.p_win == whole.p_win
    assert chunked.tco_percentiles == whole.tco_percentiles


FORMATTERS = [
    numbers.number,
    lambda v: numbers.money(v, "USD"),
    lambda v: numbers.money_per_query(v, "USD"),
    numbers.money_compact,
    numbers.count,
    numbers.fixed,
    numbers.percent,
    numbers.points,
    lambda v: numbers.quantity(v, "USD/month"),
    lambda v: numbers.quantity(v, "s"),
]


@settings(max_examples=300, deadline=None)
@given(
    st.floats(allow_nan=True, allow_infinity=True, allow_subnormal=True)
    | st.sampled_from([5e-324, -5e-324, 2.2250738585072014e-308, -0.0, 1.7976931348623157e308])
    | st.integers(min_value=-(10**6000), max_value=10**6000)
    | st.integers(min_value=1, max_value=6000).map(lambda d: 10**d - 1)
)
def test_every_number_class_formats_without_error(value: float) -> None:
    """Finding: numbers below ~1e-323 crashed formatting (10**-324 == 0.0); ints beyond the
    float range could not be formatted at all."""
    for formatter in FORMATTERS:
        text = formatter(value)
        assert isinstance(text, str) and 0 < len(text) < 80, (value, text)
        if isinstance(value, float) and not math.isfinite(value):
            assert numbers.DASH in text


def test_negative_zero_reads_as_zero() -> None:
    assert numbers.money(-0.0, "USD") == "USD 0.00"
    assert numbers.count(-0.0) == "0"


def test_scenario_names_are_nfc_and_invisible_characters_are_refused() -> None:
    """Finding: 'Café' (NFC), 'Café' (NFD) and 'Café'+ZWSP were three scenarios."""
    assert Scenario(name="Cafe\u0301").name == "Caf\u00e9"
    for hidden in ("\u200b", "\u202e", "\r", "\n", "\x00", "\ufeff"):
        with pytest.raises(ValueError, match="invisible character"):
            Scenario(name=f"Caf\u00e9{hidden}")
    with pytest.raises(ValueError, match="both named"):
        Project(scenarios=[Scenario(name="Caf\u00e9"), Scenario(name="Cafe\u0301")])
    assert Scenario(name="می\u200cخواهم").name == "می\u200cخواهم"  # ZWNJ in Persian stays


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX byte file names")
def test_report_on_a_non_utf8_file_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Finding: a non-UTF-8 file name crashed ftrag report (the footer)."""
    from gui.report.cli import main as report_main

    name = os.fsdecode(b"client-\xff\xfe.ftrag")
    path = tmp_path / name
    save_project(load_template("support-assistant"), path)
    out = tmp_path / "out.pdf"
    assert report_main([str(path), "-o", str(out), "--paper", "a4"]) == 0
    assert out.stat().st_size > 1000
    _no_control(capsys.readouterr().out)


def test_report_names_the_output_for_an_output_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Finding: a read-only file system was reported as 'permission denied' on the input."""
    import gui.report.cli as report_cli

    path = tmp_path / "in.ftrag"
    save_project(load_template("support-assistant"), path)
    monkeypatch.setattr(report_cli, "_read_only_file_system", lambda _folder: True)
    out = tmp_path / "out.pdf"
    assert report_cli.main([str(path), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {out}") and "read-only file system" in err
    assert "in.ftrag" not in err


def test_the_pdf_title_is_one_plain_line(tmp_path: Path) -> None:
    """Finding: the PDF Title kept ESC/NUL and line breaks from the project title."""
    from pypdf import PdfReader

    from gui.report.cli import main as report_main

    path = tmp_path / "p.ftrag"
    project = load_template("support-assistant")
    save_project(project.model_copy(update={"title": "Acme\r\nForged\x1b[2J\x00 title"}), path)
    out = tmp_path / "out.pdf"
    assert report_main([str(path), "-o", str(out), "--paper", "a4"]) == 0
    title = PdfReader(out).metadata.title
    assert title is not None and title.startswith("Acme Forged[2J title")
    _no_control(title)
    assert "\n" not in title
