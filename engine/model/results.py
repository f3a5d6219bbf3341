"""What the engine returns. Every number a person sees is a :class:`Figure`: value, unit, the
formula in words and the inputs that produced it ("show your work").

Results are plain frozen dataclasses, not pydantic models: the engine builds them from values it
has already checked (finite numbers, known keys), and an edit builds ~100 of them — pydantic
construction alone would take longer than the 16 ms frame the GUI has to redraw in.  Their JSON
shape is written explicitly by engine.report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True, slots=True, kw_only=True)
class FigureInput:
    name: str
    value: float | str
    unit: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Figure:
    key: str
    label: str
    value: float
    unit: str
    formula: str
    inputs: list[FigureInput] = field(default_factory=list)
    note: str = ""


# Frozen dataclasses set each field through ``object.__setattr__`` in ``__init__``: a Figure
# with six inputs took 10 µs to build, two thirds of it in those calls, and an evaluation builds
# about ninety.  The engine builds its figures with the two functions below instead, which set
# the same slots directly: the objects are the ones ``__init__`` makes, field for field
# (tests/engine/test_result_types.py checks that every field is set).
_new = object.__new__
_INPUT_SLOTS = tuple(getattr(FigureInput, name).__set__ for name in FigureInput.__slots__)
_FIGURE_SLOTS = tuple(getattr(Figure, name).__set__ for name in Figure.__slots__)


def figure_input(name: str, value: float | str, unit: str) -> FigureInput:
    """``FigureInput(name=name, value=value, unit=unit)``, built faster."""
    made = _new(FigureInput)
    set_name, set_value, set_unit = _INPUT_SLOTS
    set_name(made, name)
    set_value(made, value)
    set_unit(made, unit)
    return made


def make_figure(
    key: str,
    label: str,
    value: float,
    unit: str,
    formula: str,
    inputs: list[FigureInput],
    note: str,
) -> Figure:
    """``Figure(key=key, label=label, …)`` with every field given, built faster."""
    made = _new(Figure)
    set_key, set_label, set_value, set_unit, set_formula, set_inputs, set_note = _FIGURE_SLOTS
    set_key(made, key)
    set_label(made, label)
    set_value(made, value)
    set_unit(made, unit)
    set_formula(made, formula)
    set_inputs(made, inputs)
    set_note(made, note)
    return made


@dataclass(frozen=True, slots=True, kw_only=True)
class PriceUsed:
    """A dated catalog or API price a figure rests on."""

    figure: str  # the figure's key
    label: str
    source: str
    as_of: str
    stale: bool  # older than six months at the project's date


@dataclass(frozen=True, slots=True, kw_only=True)
class CostComponent:
    key: str
    kind: Literal["one_time", "monthly", "per_query", "per_retrain"]
    figure: Figure
    overridden: bool = False


Verdict = Literal["meets", "needs_mitigation", "fails"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ComplianceVerdict:
    item: str
    requirement: str
    need: Literal["preferred", "hard"]
    verdict: Verdict
    reason: str
    mitigation: str = ""
    reference: str


@dataclass(frozen=True, slots=True, kw_only=True)
class FitIndicator:
    key: str
    label: str
    score: float
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Score:
    criterion: str
    value: float
    reason: str

    def __post_init__(self) -> None:
        if not 0.0 <= self.value <= 100.0:
            raise ValueError(f"{self.criterion} score {self.value} is outside 0–100")


@dataclass(frozen=True, slots=True, kw_only=True)
class StrategyResult:
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


@dataclass(frozen=True, slots=True, kw_only=True)
class Crossover:
    between: tuple[str, str]
    queries_per_month: float
    cheaper_above: str
    label: str
    in_tie_band: bool = False  # one of the crossings of a :class:`TieBand`


@dataclass(frozen=True, slots=True, kw_only=True)
class TieBand:
    """A volume range over which two (or three) strategies' TCO curves stay within
    ``tolerance`` (a share of the larger TCO) of each other and cross ``crossings`` times: said
    once, as a near-tie, instead of as every crossing.  ``low`` and ``high`` are the first and
    last crossing."""

    between: tuple[str, ...]  # two strategies, or all three when their weaves overlap
    low: float
    high: float
    crossings: int
    cheaper_below: str  # the cheapest of them just below ``low``
    cheaper_above: str  # the cheapest of them just above ``high`` (may be the same one)
    largest_gap: float  # the widest relative difference inside the band, e.g. 0.004
    tolerance: float
    label: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Payback:
    strategy: str
    versus: str
    month: int | None
    label: str


@dataclass(frozen=True, slots=True, kw_only=True)
class FlipPoint:
    parameter: str
    label: str
    current: float
    value: float
    unit: str
    new_winner: str
    description: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Recommendation:
    strategy: str | None
    name: str
    runner_up: str | None
    margin: float
    reasons: list[str]
    rationale: str
    what_would_change: list[str]


@dataclass(frozen=True, slots=True, kw_only=True)
class Evaluation:
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
    weights: dict[str, float] = field(default_factory=dict)  # criterion → weight as entered
    # Near-ties: ranges where two curves weave within a small band (their crossings stay in
    # ``crossovers``, marked ``in_tie_band``).
    tie_bands: list[TieBand] = field(default_factory=list)
    prices_used: list[PriceUsed] = field(default_factory=list)  # each dated price, once
    price_date: str = ""  # the date prices were judged against (ISO)
