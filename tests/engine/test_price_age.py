"""Prices older than six months at the project's date are flagged wherever a figure rests on
them: the figure's note (explanation and scorecard), the report's assumptions and the JSON."""

from __future__ import annotations

from datetime import date

from engine.assumptions import assumptions
from engine.evaluate import evaluate
from engine.model import Project, Scenario
from engine.price_age import flag, is_stale
from engine.report import evaluation_json
from engine.templates import load_template


def project(quote_date: str) -> Project:
    s = Scenario.model_validate(
        {"serving": {"fine_tuning": {"mode": "self_hosted", "gpu": "h100-sxm"}}}
    )
    return Project(scenarios=[s], quote_date=quote_date)


def test_six_months_is_the_line() -> None:
    assert flag("2025-07-04") == "price as of 2025-07 — check before quoting"
    assert not is_stale("2026-05-01", date(2026, 10, 1))
    assert is_stale("2026-05-01", date(2026, 12, 1))


def test_a_stale_gpu_price_is_flagged_on_its_figures_and_in_the_report() -> None:
    # The H100's catalog price is as of 2026-05-01: stale on 2026-12-07, not on 2026-06-01.
    stale = project("2026-12-07")
    ev = evaluate(stale)
    serving = next(c for c in ev.strategies["fine_tuning"].components if c.key == "serving")
    assert "Price as of 2026-05 — check before quoting." in serving.figure.note
    assert "price as of 2026-05" in ev.strategies["fine_tuning"].tco.note
    rows = {r.path: r for g in assumptions(stale, stale.scenarios[0]) for r in g.rows}
    assert rows["fine_tuning.training_gpu_hour_price"].source.endswith(
        "price as of 2026-05 — check before quoting"
    )
    data = evaluation_json(ev)
    assert data["price_date"] == "2026-12-07"
    used = {(p["source"], p["as_of"]): p["stale"] for p in data["prices_used"]}
    assert any(as_of == "2026-05-01" and is_stale for (_, as_of), is_stale in used.items())

    fresh = project("2026-06-01")
    ev = evaluate(fresh)
    serving = next(c for c in ev.strategies["fine_tuning"].components if c.key == "serving")
    assert "check before quoting" not in serving.figure.note
    rows = {r.path: r for g in assumptions(fresh, fresh.scenarios[0]) for r in g.rows}
    assert "check before quoting" not in rows["fine_tuning.training_gpu_hour_price"].source
    recent = [p for p in evaluation_json(ev)["prices_used"] if p["as_of"] >= "2026-01"]
    assert recent
    assert all(not p["stale"] for p in recent)


def test_flat_overrides_rest_on_no_catalog_price() -> None:
    ev = evaluate(load_template("seed-small-company"))
    for strategy in ev.strategies.values():
        for component in strategy.components:
            if component.overridden:
                assert "check before quoting" not in component.figure.note
