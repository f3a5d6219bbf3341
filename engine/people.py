"""People and operations: the effort to build and to run each strategy.

One-time activities are in hours, priced at the engineering rate; ongoing roles are fractions of a
full-time person (FTE), priced at the loaded annual cost of a role.  Every input left empty takes a
default sized by the strategy, how it is served and the compliance items ticked; each default
says where it comes from (most are the authors' planning assumptions, marked as such, to be
replaced by the client's own figures).

    build effort   = Σ activity hours × engineering rate                     (one-time)
    operations     = Σ role FTE × loaded annual cost ÷ 12                    (per month)
"""

from __future__ import annotations

from dataclasses import dataclass

from engine.context import Context, figure, opt, v
from engine.model.results import Figure
from engine.model.scenario import (
    ONE_TIME_ACTIVITIES,
    ONGOING_ROLES,
    Need,
    ServingMode,
)

ASSUMPTION = "assumption (planning rule of thumb; replace with the client's figure)"
SRC_OPS = (
    "Sculley et al. 2015, 'Hidden Technical Debt in Machine Learning Systems' (running ML "
    "costs more than building it); the FTE fraction is an assumption"
)
SRC_EVAL = (
    "NIST AI 600-1 (2024), Generative AI Profile: pre-deployment testing and red-teaming; "
    "the hours are an assumption"
)
SRC_DPIA = "GDPR Art. 35 (data protection impact assessment); the hours are an assumption"

# Running effort added to self-hosted operations when the client has no in-house ML operations
# team: a new hire's or a managed-service contract's share (an assumption, like the others).
NO_ML_OPS_EXTRA_FTE = 0.25

# Items whose review adds security/privacy work (each ticked one adds to the review).
_REVIEW_ITEMS = ("data_residency", "right_to_erasure", "access_control", "regulated_training_data")


@dataclass(frozen=True)
class Default:
    value: float
    source: str
    why: str  # what sized it, in words


def _ticked(ctx: Context) -> list[str]:
    checklist = ctx.scenario.requirements.compliance
    return [
        name
        for name in type(checklist).model_fields
        if getattr(checklist, name) is not Need.not_required
    ]


def default_effort(ctx: Context, strategy: str, field: str) -> Default:
    """The default for one activity or role of one strategy, with its source."""
    s = ctx.scenario
    ticked = _ticked(ctx)
    trains = strategy in ("fine_tuning", "hybrid")
    retrieves = strategy in ("rag", "hybrid")
    self_hosted = s.serving.for_strategy(strategy).mode is ServingMode.self_hosted
    if field == "data_pipeline_hours":
        base = {"fine_tuning": 120.0, "rag": 200.0, "hybrid": 280.0}[strategy]
        why = "training-data pipeline" if not retrieves else "document parsing, chunking, metadata"
        if retrieves and "access_control" in ticked:
            base += 80.0
            why += " + access-control metadata on every chunk"
        return Default(base, ASSUMPTION, why)
    if field == "evaluation_hours":
        base = 120.0 if strategy == "hybrid" else 80.0
        why = "a test set of questions with reference answers"
        if ticked:
            base += 80.0
            why += " + red-teaming (compliance items ticked)"
        return Default(base, SRC_EVAL, why)
    if field == "security_review_hours":
        review = [i for i in _REVIEW_ITEMS if i in ticked]
        base = 40.0 + 60.0 * len(review)
        why = "a baseline review" + (f" + {len(review)} privacy item(s) ticked" if review else "")
        return Default(base, SRC_DPIA, why)
    if field == "integration_hours":
        base = 120.0
        why = "API, single sign-on and logging"
        if retrieves and "cite_sources" in ticked:
            base += 40.0
            why += " + showing citations to users"
        return Default(base, ASSUMPTION, why)
    if field == "operations_fte":
        base = 0.25 if self_hosted else 0.1
        why = "on-call for own GPUs" if self_hosted else "a provider API runs the model"
        if self_hosted and not s.people.ml_ops_in_house:
            base += NO_ML_OPS_EXTRA_FTE
            why += " + no in-house ML operations team (a hire or a managed-service contract)"
        return Default(base, SRC_OPS, why)
    if field == "monitoring_fte":
        hard = any(getattr(s.requirements.compliance, i) is Need.hard for i in ticked)
        base = 0.15 if hard else 0.1
        why = "re-running the evaluation set, reviewing flagged answers" + (
            " (hard compliance items: more review)" if hard else ""
        )
        return Default(base, SRC_OPS, why)
    if field == "curation_fte":
        base = 0.1 if retrieves else 0.05
        why = "keeping the indexed documents right" if retrieves else "curating new examples"
        return Default(base, ASSUMPTION, why)
    if field == "retraining_fte":
        base = {"fine_tuning": 0.1, "rag": 0.0, "hybrid": 0.05}[strategy]
        why = "no model is retrained" if not trains else "preparing and validating retrains"
        if trains and not s.people.ml_ops_in_house:
            base *= 2.0
            why += " (twice the usual: no in-house ML operations team)"
        return Default(base, ASSUMPTION, why)
    raise KeyError(field)


def effort_value(ctx: Context, strategy: str, field: str) -> tuple[float, str]:
    """(hours or FTE, where it came from) for one activity or role."""
    typed = opt(getattr(ctx.scenario.people.for_strategy(strategy), field))
    if typed is not None:
        return typed, "typed"
    default = default_effort(ctx, strategy, field)
    return default.value, f"default ({default.why}): {default.source}"


def _summed_effort(
    ctx: Context, strategy: str, fields: dict[str, str], unit: str
) -> tuple[float, dict[str, tuple[float | str, str]], list[str]]:
    """The total of a strategy's activities or roles (``fields``: field → label), each as a
    formula input in ``unit``, and where each value came from."""
    inputs: dict[str, tuple[float | str, str]] = {}
    total = 0.0
    sources = []
    for field, label in fields.items():
        amount, source = effort_value(ctx, strategy, field)
        total = total + amount
        inputs[label] = (amount, unit)
        sources.append(f"{label}: {source}")
    return total, inputs, sources


def people_figures(ctx: Context, strategy: str) -> tuple[Figure, Figure]:
    """(build effort, one-time money; operations, money per month)."""
    s = ctx.scenario
    money = ctx.money
    if not s.people.include:
        off = "people effort not counted (switched off under People & operations)"
        return (
            figure(f"{strategy}.build_effort", "People: build activities", 0.0, money, off),
            figure(
                f"{strategy}.operations", "People: ongoing operations", 0.0, f"{money}/month", off
            ),
        )
    rate = v(s.workload.engineering_rate_per_hour)
    total_hours, hours_in, sources = _summed_effort(ctx, strategy, ONE_TIME_ACTIVITIES, "h")
    hours_in["rate"] = (rate, f"{money}/h")
    build = figure(
        f"{strategy}.build_effort",
        "People: build activities",
        total_hours * rate,
        money,
        "(pipeline + evaluation + security review + integration hours) × engineering rate",
        hours_in,
        note="" if ctx.sampled else "; ".join(sources),
    )
    annual = v(s.people.loaded_annual_cost)
    total_fte, fte_in, sources = _summed_effort(ctx, strategy, ONGOING_ROLES, "FTE")
    fte_in["loaded annual cost"] = (annual, f"{money}/FTE-year")
    ops = figure(
        f"{strategy}.operations",
        "People: ongoing operations",
        total_fte * annual / 12.0,
        f"{money}/month",
        "(operations + monitoring + curation + retraining FTE) × loaded annual cost ÷ 12",
        fte_in,
        note="" if ctx.sampled else "; ".join(sources),
    )
    return build, ops
