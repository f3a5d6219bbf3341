"""From a client's brief to a complete scenario: :func:`apply_brief`.

The answers set the workload, the knowledge, the requirements (musts and prefers) and the
people-and-operations sizing of one scenario; then, for each strategy, the setup the solver
finds cheapest under the musts is applied.  Each value the brief sets is listed as an
assumption linked to its field path — the scenario path the ``.ftrag`` file and ``ftrag map``
use (``workload.queries_per_month``, ``requirements.latency_p95_need``,
``serving.rag.mode``), or ``project.…`` for the project's own fields.

A "don't know" answer gives its input a wide low–high range around a middling value, so the
uncertainty analysis samples the whole range, and its assumption says so.

Applying a revised brief to a project that was made from one changes only the fields whose
value is still the one the brief set last time; a field edited by hand since is left alone and
reported.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from engine.catalog import CatalogError
from engine.evaluate import EvaluationError
from engine.model.brief import DONT_KNOW, Brief, BriefAssumption, ProjectBrief
from engine.model.project import SHARED_SECTIONS, Project
from engine.solver import Candidate, agrees, plain_value, solve

# How a document-change answer reads as inputs: (share of the corpus changed per month %,
# days between changes of a material fact).  Weekly policy updates are the insurer case's
# 8 %/month; the others follow the same reading.
CADENCE: dict[str, tuple[float, float]] = {
    "daily": (20.0, 1.0),
    "weekly": (8.0, 7.0),
    "monthly": (5.0, 30.0),
    "quarterly": (2.0, 90.0),
    "yearly": (1.0, 365.0),
    "rarely": (0.5, 730.0),
}
TOKENS_PER_DOCUMENT = 8_000  # about 13 pages of prose; the insurer's policies average this
# "Don't know": (likely, low, high).  Wide on purpose; each is stated as an assumption.
UNKNOWN_QUERIES = (20_000.0, 1_000.0, 500_000.0)
UNKNOWN_GROWTH = (2.0, 0.0, 8.0)
UNKNOWN_DOCUMENTS = (5_000.0, 200.0, 200_000.0)
UNKNOWN_CHANGE = (5.0, 0.5, 20.0)
UNKNOWN_FACT_DAYS = (30.0, 1.0, 365.0)
UNKNOWN_P95 = (8.0, 3.0, 20.0)
UNKNOWN_EXAMPLES = (1_000.0, 0.0, 10_000.0)
UNKNOWN_HORIZON = 24.0  # not a range: the uncertainty analysis never samples the horizon
# The p50 targets the p95 target implies (prefer only): a p95 of 1.5× the median and a first
# token within a third of the p95 — the insurer's 3 s p95 reads as 2 s and 1 s.
P50_FROM_P95 = 1 / 1.5
TTFT_FROM_P95 = 1 / 3
SOLVE_ORDER = ("rag", "fine_tuning", "hybrid")  # RAG's retrieval and fine-tuning's base model
# are shared with the hybrid, which takes the cheapest setup agreeing with both.
SOLVER_KEEP = 12


class BriefError(ValueError):
    """A brief that cannot be read or applied, in one line."""


@dataclass(frozen=True)
class BriefResult:
    project: Project
    scenario: str
    assumptions: list[BriefAssumption]
    left_alone: list[str] = field(default_factory=list)  # paths edited by hand, not changed
    notes: list[str] = field(default_factory=list)


# --- reading a brief ---------------------------------------------------------------------


def parse_brief(data: bytes | str, source: str = "brief") -> Brief:
    """JSON text → a Brief, or BriefError with one line naming the first problem."""
    try:
        raw = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise BriefError(f"{source}: not valid JSON ({str(exc).splitlines()[0][:200]})") from None
    if not isinstance(raw, dict):
        raise BriefError(f"{source}: expected a JSON object with the brief's answers")
    try:
        return Brief.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"][:1]) or "(top level)"
        message = first["msg"]
        if first["type"] == "missing":
            message = 'missing answer (give a value, or "dont_know")'
        elif first["type"] == "extra_forbidden":
            message = "not a question of the brief (misspelt?)"
        more = exc.error_count() - 1
        tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more > 0 else ""
        raise BriefError(f"{source}: {where}: {message}{tail}") from None


def brief_schema() -> dict[str, Any]:
    schema = Brief.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://ftrag-advisor.invalid/schema/ftrag-brief-1.json",
        **schema,
        "title": "FTRAG Advisor client brief",
    }


# --- what the answers set ----------------------------------------------------------------


def _ranged(likely: float, low: float, high: float) -> dict[str, float]:
    return {"likely": likely, "low": min(low, likely), "high": max(high, likely)}


def _n(x: float) -> str:
    """A count as the file's assumption lines write it (C locale, so files are stable)."""
    return f"{x:,.0f}" if abs(x) >= 10 else f"{x:g}"


class _Plan:
    """The values a brief sets, in order, each with its assumption."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}
        self.assumptions: list[BriefAssumption] = []

    def set(self, path: str, value: Any, text: str = "", *, dont_know: bool = False) -> None:
        self.values[path] = value
        if text:
            self.assumptions.append(BriefAssumption(path=path, text=text, dont_know=dont_know))

    def unknown(self, path: str, spread: tuple[float, float, float], text: str) -> None:
        """An answer the person does not know: a range (likely, low, high) that the uncertainty
        analysis samples, and the assumption saying so, marked as a "don't know"."""
        self.set(path, _ranged(*spread), text, dont_know=True)


def _plan(brief: Brief) -> _Plan:
    plan = _Plan()
    dk = DONT_KNOW
    title = brief.title.strip() or brief.assistant_does.strip().split("\n")[0][:80]
    plan.set("project.title", title)
    plan.set("project.client", brief.client)
    plan.set("project.currency", brief.currency)
    plan.set("project.usd_exchange_rate", brief.usd_exchange_rate)
    plan.set("description", brief.assistant_does)

    # Volume and growth.
    now, year = brief.queries_per_month_now, brief.queries_per_month_in_a_year
    growth_known = now != dk and year != dk
    if now != dk:
        plan.set("workload.queries_per_month", float(now))
    elif year != dk:
        likely = float(year) / (1 + UNKNOWN_GROWTH[0] / 100) ** 12
        plan.unknown(
            "workload.queries_per_month",
            (likely, float(year) / 10, float(year)),
            f"Questions a month at launch: don't know — {_n(likely)} assumed (a year's "
            f"growth back from {_n(float(year))}), sampled from {_n(float(year) / 10)} to "
            f"{_n(float(year))}.",
        )
    else:
        likely, low, high = UNKNOWN_QUERIES
        plan.unknown(
            "workload.queries_per_month",
            (likely, low, high),
            f"Questions a month: don't know — {_n(likely)} assumed, sampled from {_n(low)} to "
            f"{_n(high)} in the uncertainty analysis.",
        )
    if growth_known:
        start, later = float(now), float(year)
        if start <= 0 or later <= start:
            plan.set(
                "workload.monthly_growth_pct",
                0.0,
                "No growth: the volume a year later is not above the volume at launch (the "
                "model holds it flat rather than shrinking).",
            )
        else:
            # To a tenth of a point: a volume a year ahead is an estimate, and "5.02 %" would
            # claim a precision the client never gave (40,000 → 72,000 is "5 % a month").
            growth = round(min(((later / start) ** (1 / 12) - 1) * 100, 100.0), 1)
            plan.set(
                "workload.monthly_growth_pct",
                growth,
                f"Growth {growth:.1f} %/month: from {_n(start)} to {_n(later)} questions a month "
                "in twelve months, compounded (to a tenth of a point).",
            )
    else:
        likely, low, high = UNKNOWN_GROWTH
        plan.unknown(
            "workload.monthly_growth_pct",
            (likely, low, high),
            f"Growth: don't know — {likely:g} %/month assumed, sampled from {low:g} to "
            f"{high:g} %/month.",
        )
    if brief.horizon_months != dk:
        plan.set("workload.horizon_months", float(brief.horizon_months))
    else:
        plan.set(
            "workload.horizon_months",
            UNKNOWN_HORIZON,
            f"Horizon: don't know — {UNKNOWN_HORIZON:g} months assumed. The horizon is a "
            "choice, not sampled: compare 12 and 36 months as scenarios.",
            dont_know=True,
        )

    # Knowledge.
    if brief.documents != dk:
        docs = float(brief.documents)
        plan.set("knowledge.corpus_documents", docs)
        plan.set(
            "knowledge.corpus_tokens",
            max(docs * TOKENS_PER_DOCUMENT, 1.0),
            f"Corpus size {_n(docs * TOKENS_PER_DOCUMENT)} tokens: about "
            f"{_n(TOKENS_PER_DOCUMENT)} tokens (13 pages) a document — set the real size when "
            "known.",
        )
    else:
        likely, low, high = UNKNOWN_DOCUMENTS
        plan.unknown(
            "knowledge.corpus_documents",
            (likely, low, high),
            f"Documents: don't know — {_n(likely)} assumed, sampled from {_n(low)} to {_n(high)}.",
        )
        t = TOKENS_PER_DOCUMENT
        plan.unknown(
            "knowledge.corpus_tokens",
            (likely * t, low * t, high * t),
            f"Corpus size: {_n(t)} tokens a document × the documents' range.",
        )
    if brief.documents_change != dk:
        change, days = CADENCE[brief.documents_change]
        plan.set(
            "knowledge.corpus_change_pct_per_month",
            change,
            f"Documents change {brief.documents_change}: {change:g} % of the corpus re-embedded "
            "a month.",
        )
        plan.set("knowledge.fact_change_interval_days", days)
        plan.set(
            "requirements.freshness_target_days",
            days,
            f"Answers may be at most {days:g} days stale: as often as the documents change.",
        )
    else:
        likely, low, high = UNKNOWN_CHANGE
        plan.unknown(
            "knowledge.corpus_change_pct_per_month",
            (likely, low, high),
            f"How often documents change: don't know — {likely:g} % of the corpus a month "
            f"assumed, sampled from {low:g} to {high:g} %.",
        )
        likely, low, high = UNKNOWN_FACT_DAYS
        plan.unknown(
            "knowledge.fact_change_interval_days",
            (likely, low, high),
            f"Facts change every {likely:g} days (don't know), sampled from {low:g} to "
            f"{high:g} days.",
        )
        plan.set("requirements.freshness_target_days", likely)
    if brief.labelled_examples != dk:
        plan.set("knowledge.training_examples", float(brief.labelled_examples))
    else:
        likely, low, high = UNKNOWN_EXAMPLES
        plan.unknown(
            "knowledge.training_examples",
            (likely, low, high),
            f"Labelled examples: don't know — {_n(likely)} assumed (they can be labelled), "
            f"sampled from {_n(low)} to {_n(high)}.",
        )
    style = brief.fixed_style
    plan.set(
        "knowledge.needs_fixed_style",
        style == "yes",
        "Fixed style or format: don't know — assumed not needed." if style == dk else "",
        dont_know=style == dk,
    )

    # Requirements.
    cite = brief.must_cite_sources
    need = {"yes": "hard", "no": "not_required", dk: "preferred"}[cite]
    plan.set(
        "requirements.compliance.cite_sources",
        need,
        "Citing sources: don't know — scored as preferred, not a must."
        if cite == dk
        else (
            "Citing sources is a must: a strategy that cannot is excluded."
            if need == "hard"
            else ""
        ),
        dont_know=cite == dk,
    )
    where = brief.data_must_stay_in
    if where in ("EU", "US", "own"):
        plan.set(
            "requirements.compliance.data_residency",
            "hard",
            "Data residency is a must: only setups hosted "
            + {"EU": "in the EU / EEA", "US": "in the US", "own": "on own infrastructure"}[where]
            + " qualify.",
        )
        plan.set("requirements.data_region", where)
        if where != "own":
            plan.set("rag.hosted_services_region", where)
    elif where == "anywhere":
        plan.set("requirements.compliance.data_residency", "not_required")
    else:
        plan.set(
            "requirements.compliance.data_residency",
            "preferred",
            "Where data must stay: don't know — residency scored as preferred (strictest "
            "reading: own infrastructure), not a must.",
            dont_know=True,
        )
    if brief.p95_latency_s != dk:
        p95 = float(brief.p95_latency_s)
        plan.set("requirements.latency_p95_target_s", p95)
        p50 = round(max(p95 * P50_FROM_P95, 0.01), 2)
        ttft = round(max(p95 * TTFT_FROM_P95, 0.01), 2)
        plan.set("requirements.latency_target_s", p50)
        plan.set(
            "requirements.ttft_target_s",
            ttft,
            f"Median targets {p50:g} s full answer and {ttft:g} s to the first token (preferred): "
            f"what a {p95:g} s p95 implies.",
        )
    else:
        likely, low, high = UNKNOWN_P95
        plan.unknown(
            "requirements.latency_p95_target_s",
            (likely, low, high),
            f"How fast: don't know — a p95 of {likely:g} s assumed (range {low:g}–{high:g} s).",
        )
        plan.set("requirements.latency_target_s", round(likely * P50_FROM_P95, 2))
        plan.set("requirements.ttft_target_s", round(likely * TTFT_FROM_P95, 2))
    must = brief.p95_is_must
    plan.set(
        "requirements.latency_p95_need",
        "must" if must == "yes" else "prefer",
        "Whether the speed is a must: don't know — scored as preferred, not a must."
        if must == dk
        else ("The p95 target is a must: slower setups are excluded." if must == "yes" else ""),
        dont_know=must == dk,
    )
    plan.set("requirements.latency_need", "prefer")
    plan.set("requirements.ttft_need", "prefer")

    # People.
    ops = brief.ml_ops_in_house
    plan.set("people.include", True)
    plan.set(
        "people.ml_ops_in_house",
        ops != "no",
        "No in-house ML operations: self-hosted serving and retraining carry extra running "
        "effort (a hire or a managed-service contract)."
        if ops == "no"
        else (
            "In-house ML operations: don't know — assumed yes; if not, self-hosted setups "
            "need about a quarter of a role more."
            if ops == dk
            else ""
        ),
        dont_know=ops == dk,
    )
    return plan


# --- reading and writing fields by path ---------------------------------------------------


def _container(data: dict[str, Any], index: int, path: str) -> tuple[dict[str, Any], list[str]]:
    """(the dict the path starts in, the path's parts within it)."""
    parts = path.split(".")
    if parts[0] == "project":
        return data, parts[1:]
    scenario = data["scenarios"][index]
    flag = SHARED_SECTIONS.get(parts[0])
    if flag is not None and not scenario.get(flag):
        return data, parts
    return scenario, parts


def _get(data: dict[str, Any], index: int, path: str) -> Any:
    node: Any
    node, parts = _container(data, index, path)
    for part in parts:
        if not isinstance(node, dict) or part not in node:
            raise KeyError(path)
        node = node[part]
    return node


def _set(data: dict[str, Any], index: int, path: str, value: Any) -> None:
    node, parts = _container(data, index, path)
    for part in parts[:-1]:
        node = node[part]
    if parts[-1] not in node:
        raise KeyError(path)
    node[parts[-1]] = value


def _dump(project: Project) -> dict[str, Any]:
    data: dict[str, Any] = project.model_dump(mode="json")
    return data


# --- applying ------------------------------------------------------------------------------


def apply_brief(
    brief: Brief,
    project: Project | None = None,
    *,
    solve_fn: Callable[..., Any] = solve,
) -> BriefResult:
    """Fill one scenario from the brief (a new project, or the project's brief scenario when it
    already has a brief: then fields edited by hand since are left alone)."""
    previous = project.brief if project is not None else None
    if project is None:
        project = Project()
    names = [s.name for s in project.scenarios]
    index = names.index(previous.scenario) if previous and previous.scenario in names else 0
    applied_before: Mapping[str, Any] = previous.applied if previous else {}
    original = _dump(project)  # as the user left it: what hand edits are judged against
    data = _dump(project)

    def hand_edited(path: str) -> bool:
        if path not in applied_before:
            return False
        try:
            return bool(
                plain_value(_get(original, index, path)) != plain_value(applied_before[path])
            )
        except KeyError:
            return True

    plan = _plan(brief)
    left_alone: list[str] = []
    for path, value in plan.values.items():
        if hand_edited(path):
            left_alone.append(path)
            continue
        _set(data, index, path, value)
    try:
        project = Project.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        message = first["msg"]
        raise BriefError(f"the brief gives an input out of range: {where}: {message}") from None

    # The cheapest setup under the musts, per strategy.
    assumptions = [a for a in plan.assumptions if a.path not in left_alone]
    notes: list[str] = []
    scenario = project.scenarios[index]
    try:
        solution = solve_fn(project, scenario, keep=SOLVER_KEEP)
    except (EvaluationError, CatalogError, ValueError) as exc:
        solution = None
        notes.append(f"No setup was searched: {exc}")
    chosen: dict[str, Any] = {}
    if solution is not None:
        for key in SOLVE_ORDER:
            strategy = solution.strategies[key]
            pick = _agreeing(strategy.candidates, chosen, hand_edited)
            if pick is None and chosen and strategy.candidates:
                # The cheapest setups change a field another strategy's choice set (the
                # retrieval RAG and hybrid share, the base model fine-tuning and hybrid share):
                # search again among the setups that keep those choices.
                with contextlib.suppress(EvaluationError, CatalogError, ValueError):
                    again = solve_fn(
                        project, scenario, keep=SOLVER_KEEP, agree_with=chosen, only=(key,)
                    ).strategies[key]
                    strategy = again if again.candidates else strategy
                    pick = _agreeing(strategy.candidates, chosen, hand_edited)
            if pick is None:
                why = "; ".join(strategy.unmet) or (
                    "its cheapest setups need a field edited by hand or a choice another "
                    "strategy made differently"
                    if strategy.candidates
                    else "no setup qualifies"
                )
                notes.append(f"{strategy.name}: setup left as it was — {why}.")
                continue
            for path, value in pick.changes.items():
                chosen[path] = value
            first_path = f"serving.{key}.mode"
            words = pick.trades[0] if pick.trades else "cheapest that meets every must"
            assumptions.append(
                BriefAssumption(
                    path=first_path,
                    text=_short(
                        f"{strategy.name}: {pick.summary} — {words} (the solver's choice, "
                        f"total {project.currency} {pick.tco:,.0f} over the horizon)."
                    ),
                )
            )
        data = _dump(project)
        for path, value in chosen.items():
            _set(data, index, path, value)
        project = Project.model_validate(data)
        plan.values.update(chosen)

    # Every field the brief set before and the user has changed since was left alone.
    for path in applied_before:
        if path not in left_alone and hand_edited(path):
            left_alone.append(path)

    # Record what the brief set (as the file now holds it); keep the old record of fields left
    # alone, so they still count as edited by hand next time.
    final = _dump(project)
    applied: dict[str, Any] = {}
    for path in plan.values:
        if path in left_alone:
            applied[path] = applied_before[path]
        else:
            applied[path] = _get(final, index, path)
    for path, value in applied_before.items():
        applied.setdefault(path, value)
    stored = ProjectBrief(
        answers=brief,
        scenario=project.scenarios[index].name,
        applied=applied,
        assumptions=assumptions,
        notes=[_short(n) for n in notes[:10]],
    )
    project = project.model_copy(update={"brief": stored})
    return BriefResult(
        project=project,
        scenario=project.scenarios[index].name,
        assumptions=assumptions,
        left_alone=left_alone,
        notes=notes,
    )


def _short(text: str, limit: int = 600) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _agreeing(
    candidates: list[Candidate], chosen: Mapping[str, Any], hand_edited: Callable[[str], bool]
) -> Candidate | None:
    """The cheapest candidate that agrees with the choices made for other strategies and
    touches no field edited by hand."""
    for candidate in candidates:
        if any(hand_edited(p) for p in candidate.changes):
            continue
        if agrees(candidate.changes, chosen):
            return candidate
    return None
