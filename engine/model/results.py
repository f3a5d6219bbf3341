"""What the engine returns. Every number a person sees is a :class:`Figure`: value, unit, the
formula in words and the inputs that produced it ("show your work")."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Result(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


class FigureInput(Result):
    name: str
    value: float | str
    unit: str = ""


class Figure(Result):
    key: str
    label: str
    value: float
    unit: str
    formula: str
    inputs: list[FigureInput] = Field(default_factory=list)
    note: str = ""


class CostComponent(Result):
    key: str
    kind: Literal["one_time", "monthly", "per_query", "per_retrain"]
    figure: Figure
    overridden: bool = False


Verdict = Literal["meets", "needs_mitigation", "fails"]


class ComplianceVerdict(Result):
    item: str
    requirement: str
    need: Literal["preferred", "hard"]
    verdict: Verdict
    reason: str
    mitigation: str = ""
    reference: str


class FitIndicator(Result):
    key: str
    label: str
    score: float
    reason: str


class Score(Result):
    criterion: str
    value: float = Field(ge=0, le=100)
    reason: str


class StrategyResult(Result):
    key: Literal["fine_tuning", "rag", "hybrid"]
    name: str
    components: list[CostComponent]
    one_time: float
    monthly_fixed: float
    per_query: float
    retrains: int
    tco: Figure
    latency_ttft: Figure
    latency_total: Figure
    staleness_average: Figure
    staleness_worst: Figure
    compliance: list[ComplianceVerdict]
    fit: list[FitIndicator]
    scores: dict[str, Score]
    total_score: float
    excluded: bool
    exclusion_reasons: list[str]
    figures: dict[str, Figure]
    warnings: list[str]


class Crossover(Result):
    between: tuple[str, str]
    queries_per_month: float
    cheaper_above: str
    label: str


class Payback(Result):
    strategy: str
    versus: str
    month: int | None
    label: str


class FlipPoint(Result):
    parameter: str
    label: str
    current: float
    value: float
    unit: str
    new_winner: str
    description: str


class Recommendation(Result):
    strategy: str | None
    name: str
    runner_up: str | None
    margin: float
    reasons: list[str]
    rationale: str
    what_would_change: list[str]


class Evaluation(Result):
    scenario: str
    currency: str
    horizon_months: int
    queries_per_month: float
    strategies: dict[str, StrategyResult]
    crossovers: list[Crossover]
    paybacks: list[Payback]
    flip_points: list[FlipPoint]
    recommendation: Recommendation
    price_data_version: str
    warnings: list[str]
