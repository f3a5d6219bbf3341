"""`make bench`: performance figures, printed as a table and written to build/bench.json.

Timings are medians over repeated runs in this process (shared, noisy machines: read the
figures as indications and compare runs on the same machine, never as pass/fail).  The GUI rows
also carry their ratio to a floor measured in the same run (benchmarks/gui_bench.py): a ratio
holds from one machine and one hour to the next where the milliseconds do not.

``python -m benchmarks engine gui`` runs only the named groups (see GROUPS)."""

from __future__ import annotations

import json
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from engine.model.project import Project
    from engine.model.scenario import Scenario

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "build" / "bench.json"

Row = dict[str, object]


def timed(fn: Callable[[], object], repeat: int = 200, warmup: int = 5) -> list[float]:
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000.0)
    return samples


def summary(name: str, samples: list[float], target: str = "") -> Row:
    ordered = sorted(samples)
    return {
        "name": name,
        "median_ms": statistics.median(ordered),
        "p95_ms": ordered[int(0.95 * (len(ordered) - 1))],
        "runs": len(ordered),
        "target": target,
    }


def engine_rows() -> list[Row]:
    """A full evaluation (nothing kept from an earlier one) per template, and on
    support-assistant one edit as the app makes it: the scenario with one value changed."""
    from engine.evaluate import clear_cache, evaluate_with_curves
    from engine.templates import load_template, template_names

    def full(project: Project, scenario: Scenario) -> None:
        clear_cache()
        evaluate_with_curves(project, scenario, points=500)

    rows = []
    for name in template_names():
        project = load_template(name)
        scenario = project.scenarios[0]
        samples = timed(lambda p=project, s=scenario: full(p, s))
        rows.append(summary(f"evaluate+500-point curves: {name}", samples, "≤ 2.5 ms"))
    project = load_template("support-assistant")
    for label, edited in (
        ("a volume", _edits(project, ("workload", "queries_per_month"))),
        ("a weight", _edits(project, ("weights", "cost"))),
        ("a latency target", _edits(project, ("requirements", "latency_target_s"))),
        ("a price", _edits(project, ("serving", "rag", "api_price_multiplier"))),
    ):
        turn = iter(range(10**9))
        samples = timed(
            lambda e=edited, t=turn: evaluate_with_curves(  # type: ignore[misc]
                project, e[next(t) % len(e)], points=500
            )
        )
        rows.append(
            summary(
                f"one-field edit ({label}) + 500-point curves: support-assistant", samples, "≤ 1 ms"
            )
        )
    return rows + _largest_engine_rows()


def _largest_engine_rows() -> list[Row]:
    """The largest project as the app opens it (600 months of growth, 200 scenarios): its
    first scenario evaluated with nothing kept, and after a volume edit."""
    from benchmarks.largest import write_largest
    from engine.evaluate import clear_cache, evaluate_with_curves
    from engine.fileformat import load_project

    project = load_project(write_largest())
    scenario = project.scenarios[0]

    def full() -> None:
        clear_cache()
        evaluate_with_curves(project, scenario, points=500)

    edited = _edits(project, ("workload", "queries_per_month"))
    turn = iter(range(10**9))
    edit = timed(
        lambda: evaluate_with_curves(project, edited[next(turn) % len(edited)], points=500),
        repeat=100,
    )
    return [
        summary("evaluate+500-point curves: largest project", timed(full, repeat=50), ""),
        summary("one-field edit (a volume) + 500-point curves: largest project", edit, ""),
    ]


def _edits(project: Project, path: tuple[str, ...]) -> list[Scenario]:
    """The first scenario with the likely value at ``path`` stepped through 300 values (more
    than the engine keeps, so every edit is a new input set, as typing makes them)."""
    scenario = project.scenarios[0]
    nodes = [scenario]
    for name in path[:-1]:
        nodes.append(getattr(nodes[-1], name))
    estimate = getattr(nodes[-1], path[-1])
    out = []
    for i in range(300):
        likely = estimate.likely * (0.5 + i / 300.0) + 1.0
        low = None if estimate.low is None else min(estimate.low, likely)
        high = None if estimate.high is None else max(estimate.high, likely)
        changed: Any = estimate.model_copy(update={"likely": likely, "low": low, "high": high})
        for node, name in zip(reversed(nodes), reversed(path), strict=True):
            changed = node.model_copy(update={name: changed})
        out.append(changed)
    return out


def solver_rows() -> list[Row]:
    """The cheapest-setup search over the bundled catalogs (a full search per strategy)."""
    from benchmarks.largest import largest_project
    from engine.solver import solve
    from engine.templates import load_template

    rows = []
    for name, project in (
        ("largest project", largest_project()),
        ("eu-insurer-claims", load_template("eu-insurer-claims")),
    ):
        scenario = project.scenarios[0]
        samples = timed(lambda p=project, s=scenario: solve(p, s), repeat=5, warmup=1)
        rows.append(summary(f"solve (all strategies): {name}", samples, "< 1000 ms"))
    return rows


def uncertainty_rows() -> list[Row]:
    from engine.evaluate import evaluate
    from engine.templates import load_template
    from engine.uncertainty import analyse, draw, outcomes, uncertain_inputs

    project = load_template("support-assistant")
    scenario = project.scenarios[0]
    base = evaluate(project, scenario)
    values = draw(uncertain_inputs(scenario), 10_000, 0, "triangular")
    core = timed(lambda: outcomes(project, scenario, values, base), repeat=20, warmup=2)
    full = timed(
        lambda: analyse(project, scenario, base, samples=10_000, seed=0), repeat=5, warmup=1
    )
    return [
        summary("Monte Carlo 10,000 samples: costs, scores, winners", core, "< 100 ms"),
        summary(
            "uncertainty analysis 10,000 samples (+bands, crossovers, tornado, flips)",
            full,
            "off the GUI thread",
        ),
    ]


def decision_map_rows() -> list[Row]:
    """The decision map at 200 × 200 on the largest template (volume × document churn), given
    the evaluation the app already holds — as the app's worker runs it."""
    from engine.decision_map import Axis, decision_map
    from engine.evaluate import evaluate
    from engine.templates import load_template

    project = load_template("support-assistant")
    scenario = project.scenarios[0]
    base = evaluate(project, scenario)
    x = Axis("workload.queries_per_month", 100, 1e7)
    y = Axis("knowledge.corpus_change_pct_per_month", 0, 50)
    samples = timed(
        lambda: decision_map(project, scenario, x, y, 200, base=base), repeat=10, warmup=1
    )
    return [summary("decision map 200×200: support-assistant", samples, "< 200 ms")]


def report_rows() -> list[Row]:
    from benchmarks.report_bench import report_rows as rows

    return rows()


def export_rows() -> list[Row]:
    from benchmarks.export_bench import export_rows as rows

    return rows()


def largest_report_rows() -> list[Row]:
    from benchmarks.largest_report_bench import rows

    return rows()


def uncertainty_gui_rows() -> list[Row]:
    from benchmarks.uncertainty_gui_bench import rows

    return rows()


def decision_map_gui_rows() -> list[Row]:
    from benchmarks.decision_map_gui_bench import rows

    return rows()


def large_view_rows() -> list[Row]:
    from benchmarks.large_views_bench import rows

    return rows()


def package_rows() -> list[Row]:
    from benchmarks.package_bench import package_rows as rows

    return rows()


def gui_rows() -> list[Row]:
    try:
        from benchmarks.gui_bench import gui_rows as rows
    except ImportError:
        return []
    return rows()


# Keys the issues name, so later runs and reviews can compare one figure across commits.
SUMMARY_KEYS = {
    "edit → scores + chart redrawn": ("edit_to_redraw_median_ms", "edit_to_redraw_p95_ms"),
    "edit → scores + chart redrawn (largest project)": (
        "largest_project_edit_to_redraw_median_ms",
        "largest_project_edit_to_redraw_p95_ms",
    ),
    "evaluate+500-point curves: support-assistant": ("evaluate_with_curves_median_ms", ""),
    "one-field edit (a volume) + 500-point curves: support-assistant": (
        "edit_evaluate_with_curves_median_ms",
        "",
    ),
    "evaluate+500-point curves: largest project": ("largest_project_evaluate_median_ms", ""),
    "one-field edit (a volume) + 500-point curves: largest project": (
        "largest_project_edit_evaluate_median_ms",
        "",
    ),
    "bare chart setData + repaint (floor)": ("bare_chart_floor_median_ms", ""),
    "Monte Carlo 10,000 samples: costs, scores, winners": ("monte_carlo_10k_median_ms", ""),
    "export PDF summary: support-assistant": ("export_pdf_summary_median_ms", ""),
    "export PDF full: support-assistant": ("export_pdf_full_median_ms", ""),
    "export DOCX summary: support-assistant": ("export_docx_summary_median_ms", ""),
    "export DOCX full: support-assistant": ("export_docx_full_median_ms", ""),
    "export XLSX: support-assistant": ("export_xlsx_median_ms", ""),
    "decision map 200×200: support-assistant": ("decision_map_200x200_median_ms", ""),
    "report of the largest project: summary PDF": ("largest_report_summary_pdf_ms", ""),
    "report of the largest project: full PDF": ("largest_report_full_pdf_ms", ""),
    "solve (all strategies): largest project": ("solver_largest_project_median_ms", ""),
    "solve (all strategies): eu-insurer-claims": ("solver_insurer_case_median_ms", ""),
}
# Rows that are one figure (the median of their runs) rather than a distribution.
SUMMARY_VALUES = {
    "cold start → first live result": "cold_start_first_result_ms",
    "cold start → chart drawn": "cold_start_chart_ms",
    "cold start → bare PySide6 window": "cold_start_bare_window_ms",
    "start ratio (app ÷ bare window)": "cold_start_ratio",
    "cold start → bare window: PySide6+numpy+pydantic (floor)": "cold_start_floor_ms",
    "cold start → bare window + pyqtgraph empty plot (floor)": "cold_start_plot_floor_ms",
    "peak RSS after start": "peak_rss_mb",
    "open 20,000 catalog overrides → window usable": "open_20000_overrides_ms",
    "1,000 scenarios: Compare Scenarios shown": "compare_1000_scenarios_ms",
    "1,000 scenarios: keystroke with Compare in front → comparison updated": (
        "compare_1000_scenarios_keystroke_ms"
    ),
    "report of the largest project: summary PDF: pages": "largest_report_summary_pages",
    "report of the largest project: summary PDF: MB": "largest_report_summary_mb",
    "report of the largest project: summary PDF: peak RSS (MB)": "largest_report_summary_rss_mb",
    "report of the largest project: full PDF: pages": "largest_report_full_pages",
    "report of the largest project: full PDF: MB": "largest_report_full_mb",
    "report of the largest project: full PDF: peak RSS (MB)": "largest_report_full_rss_mb",
}


def _summary(rows: list[Row]) -> dict[str, float]:
    out: dict[str, float] = {}
    for row in rows:
        median_key, p95_key = SUMMARY_KEYS.get(str(row["name"]), ("", ""))
        if median_key and "median_ms" in row:
            out[median_key] = float(row["median_ms"])  # type: ignore[arg-type]
        if p95_key and "p95_ms" in row:
            out[p95_key] = float(row["p95_ms"])  # type: ignore[arg-type]
        value_key = SUMMARY_VALUES.get(str(row["name"]))
        if value_key and "number" in row:
            out[value_key] = float(row["number"])  # type: ignore[arg-type]
    return out


GROUPS: dict[str, Callable[[], list[Row]]] = {
    "engine": lambda: engine_rows(),
    "solver": lambda: solver_rows(),
    "uncertainty": lambda: uncertainty_rows(),
    "decision_map": lambda: decision_map_rows(),
    "report": lambda: report_rows(),
    "export": lambda: export_rows(),
    "largest_report": lambda: largest_report_rows(),
    "gui": lambda: gui_rows(),
    "uncertainty_gui": lambda: uncertainty_gui_rows(),
    "decision_map_gui": lambda: decision_map_gui_rows(),
    "large_views": lambda: large_view_rows(),
    "package": lambda: package_rows(),
}


def _ratio_text(row: Row) -> str:
    if "ratio" not in row:
        return ""
    text = f"{float(row['ratio']):.2f}×"  # type: ignore[arg-type]
    if "p95_ratio" in row:
        text += f" (p95 {float(row['p95_ratio']):.2f}×)"  # type: ignore[arg-type]
    return text


def main(argv: list[str] | None = None) -> int:
    names = (sys.argv[1:] if argv is None else argv) or list(GROUPS)
    unknown = [n for n in names if n not in GROUPS]
    if unknown:
        print(f"unknown benchmark group(s): {', '.join(unknown)}; known: {', '.join(GROUPS)}")
        return 2
    rows = [row for name in names for row in GROUPS[name]()]
    width = max(len(str(r["name"])) for r in rows)
    print(
        f"{'benchmark':{width}s}  {'median':>10s}  {'p95':>10s}  {'runs':>5s}  "
        f"{'÷ floor':>20s}  target"
    )
    for r in rows:
        if "median_ms" in r:
            print(
                f"{r['name']!s:{width}s}  {r['median_ms']:8.3f}ms  {r['p95_ms']:8.3f}ms  "
                f"{r['runs']:5d}  {_ratio_text(r):>20s}  {r['target']}"
            )
        else:
            print(
                f"{r['name']!s:{width}s}  {r['value']!s:>10s}  {'':>10s}  {'':>5s}  "
                f"{_ratio_text(r):>20s}  {r['target']}"
            )
    OUT.parent.mkdir(exist_ok=True)
    existing = json.loads(OUT.read_text()) if OUT.exists() else {}
    previous = existing.get("benchmarks", {}) if names != list(GROUPS) else {}
    existing.update(
        {
            "machine": {
                "python": sys.version.split()[0],
                "platform": platform.platform(),
                "processor": platform.processor(),
            },
            "benchmarks": {**previous, **{str(r["name"]): r for r in rows}},
            "summary": {**existing.get("summary", {}), **_summary(rows)},
            "ratios": {
                **existing.get("ratios", {}),
                **{str(r["name"]): r["ratio"] for r in rows if "ratio" in r},
            },
        }
    )
    OUT.write_text(json.dumps(existing, indent=2) + "\n")
    print(f"\nwritten to {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
