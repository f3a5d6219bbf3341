"""The largest valid project we promise to handle: 200 scenarios, 10¹² queries/month,
a 600-month horizon, a million training examples, 5,000-character notes."""

from __future__ import annotations

from pathlib import Path

from engine.fileformat import save_project
from engine.model import Project
from engine.templates import load_template

ROOT = Path(__file__).resolve().parents[1]
LARGEST = ROOT / "build" / "largest.ftrag"


def largest_project() -> Project:
    data = load_template("support-assistant").model_dump()
    first = data["scenarios"][0]
    first["workload"]["queries_per_month"] = {"likely": 1e12, "low": 1e11, "high": 5e12}
    first["workload"]["horizon_months"] = 600
    first["workload"]["monthly_growth_pct"] = 0.5
    first["knowledge"]["training_examples"] = 1_000_000
    first["description"] = "Extreme but valid. " * 260
    scenarios = []
    for i in range(200):
        scenario = dict(first)
        scenario["name"] = f"Scenario {i + 1:03d}"
        scenarios.append(scenario)
    data["scenarios"] = scenarios
    data["notes"] = ("Notes of a long engagement. " * 180)[:5000]
    return Project.model_validate(data)


def write_largest() -> Path:
    LARGEST.parent.mkdir(exist_ok=True)
    save_project(largest_project(), LARGEST, keep_backup=False)
    return LARGEST
