"""A client's brief: the dozen plain questions a consultant can answer in a first meeting.

Every question can be answered "don't know" (the value ``"dont_know"``, written out, never
implied by a missing answer): the input it feeds then gets a wide low–high range, so the
uncertainty analysis carries the ignorance, and the project's assumptions say so.  How the
answers fill a scenario is :mod:`engine.brief`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, field_validator

from engine.model.base import Strict

DONT_KNOW = "dont_know"
DontKnow = Literal["dont_know"]
YesNo = Literal["yes", "no", "dont_know"]
ChangeCadence = Literal["daily", "weekly", "monthly", "quarterly", "yearly", "rarely", "dont_know"]
DataRegionAnswer = Literal["anywhere", "EU", "US", "own", "dont_know"]

Volume = Annotated[float, Field(ge=0, le=1e13)]
Count = Annotated[float, Field(ge=0, le=1e10)]
Seconds = Annotated[float, Field(ge=0.01, le=3600)]
Months = Annotated[int, Field(ge=1, le=600)]

# The questions as the client hears them (the wizard and the report use the same words).
QUESTIONS: dict[str, str] = {
    "assistant_does": "What will the assistant do?",
    "queries_per_month_now": "How many questions a month will it answer at launch?",
    "queries_per_month_in_a_year": "And a year later?",
    "documents": "How many documents hold the answers?",
    "documents_change": "How often do those documents change?",
    "must_cite_sources": "Must every answer cite its source?",
    "data_must_stay_in": "Where must the data stay?",
    "p95_latency_s": "How fast must answers be (seconds, for 19 questions in 20)?",
    "p95_is_must": "Is that speed a must (anything slower is unacceptable)?",
    "fixed_style": "Must answers follow a fixed style or format?",
    "labelled_examples": "How many labelled question–answer examples exist (0 if none)?",
    "ml_ops_in_house": "Does the client run ML systems in production in-house?",
    "horizon_months": "Over how many months should costs be compared?",
}

ANSWER_WORDS: dict[str, str] = {
    "dont_know": "don't know",
    "yes": "yes",
    "no": "no",
    "anywhere": "anywhere",
    "EU": "in the EU / EEA",
    "US": "in the United States",
    "own": "on the client's own infrastructure",
    "daily": "daily",
    "weekly": "weekly",
    "monthly": "monthly",
    "quarterly": "quarterly",
    "yearly": "yearly",
    "rarely": "rarely (less than yearly)",
}


def _q(name: str, more: str = "") -> Any:
    text = QUESTIONS[name] + (f" {more}" if more else "") + ' "dont_know" if unknown.'
    return Field(description=text)


class Brief(Strict):
    """The client's answers (every question required: a value, or "dont_know")."""

    title: str = Field(
        default="", max_length=500, description="Project title (empty: from what it does)."
    )
    client: str = Field(default="", max_length=500, description="The client's name.")
    currency: str = Field(
        default="USD", pattern=r"^[A-Z]{3}$", description="ISO 4217 code of the currency."
    )
    usd_exchange_rate: float = Field(
        default=1.0, gt=0, le=1e6, description="Units of the currency per US dollar."
    )
    assistant_does: str = Field(
        min_length=1, max_length=2_000, description=QUESTIONS["assistant_does"]
    )
    queries_per_month_now: Volume | DontKnow = _q("queries_per_month_now")
    queries_per_month_in_a_year: Volume | DontKnow = _q("queries_per_month_in_a_year")
    documents: Count | DontKnow = _q("documents")
    documents_change: ChangeCadence = _q(
        "documents_change", "daily, weekly, monthly, quarterly, yearly or rarely;"
    )
    must_cite_sources: YesNo = _q("must_cite_sources", "yes or no;")
    data_must_stay_in: DataRegionAnswer = _q(
        "data_must_stay_in", "anywhere, EU, US or own (own infrastructure only);"
    )
    p95_latency_s: Seconds | DontKnow = _q("p95_latency_s")
    p95_is_must: YesNo = _q("p95_is_must", "yes or no;")
    fixed_style: YesNo = _q("fixed_style", "yes or no;")
    labelled_examples: Count | DontKnow = _q("labelled_examples")
    ml_ops_in_house: YesNo = _q("ml_ops_in_house", "yes or no;")
    horizon_months: Months | DontKnow = _q("horizon_months")

    @field_validator("assistant_does")
    @classmethod
    def _said_something(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("say in a few words what the assistant will do")
        return value.strip()

    def dont_knows(self) -> list[str]:
        """The questions answered "don't know", in question order."""
        return [name for name in QUESTIONS if getattr(self, name) == DONT_KNOW]


def answer_words(brief: Brief, name: str) -> str:
    """One answer as the report prints it."""
    value = getattr(brief, name)
    if isinstance(value, str):
        return ANSWER_WORDS.get(value, value)
    if name == "p95_latency_s":
        return f"{value:g} s"
    if name == "horizon_months":
        return f"{value} months"
    return f"{value:,.0f}"


class BriefAssumption(Strict):
    """One thing the brief filled in, linked to the field it set (a scenario path such as
    ``workload.queries_per_month``, or ``project.currency`` for the project's own fields)."""

    path: str = Field(max_length=100)
    text: str = Field(max_length=600)
    dont_know: bool = Field(default=False, description='From a "don\'t know" answer.')


class ProjectBrief(Strict):
    """The brief as stored in a project, with what applying it set (to tell hand edits)."""

    answers: Brief
    scenario: str = Field(
        max_length=200, description="The scenario the brief fills (its name when applied)."
    )
    applied: dict[str, Any] = Field(
        default_factory=dict,
        max_length=150,
        description="Each field the brief set (path → the value it set, as the file writes "
        "it). A field whose value now differs was edited by hand and is left alone when the "
        "brief is applied again.",
    )
    assumptions: list[BriefAssumption] = Field(default_factory=list, max_length=60)
    notes: list[Annotated[str, Field(max_length=600)]] = Field(
        default_factory=list,
        max_length=10,
        description="What applying it could not do (e.g. a strategy no setup qualifies for).",
    )

    @field_validator("applied")
    @classmethod
    def _paths(cls, value: dict[str, Any]) -> dict[str, Any]:
        for path, held in value.items():
            if not path or len(path) > 100:
                raise ValueError(f"not a field path: {path[:40]!r}")
            if not _field_value(held):
                raise ValueError(f"{path}: not a value a brief sets")
        return value


def _field_value(value: Any) -> bool:
    """A value one field can hold: a number, a short text, true/false, null, or an estimate."""
    if value is None or isinstance(value, bool | int | float):
        return True
    if isinstance(value, str):
        return len(value) <= 300
    if isinstance(value, dict):
        return set(value) <= {"likely", "low", "high"} and all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in value.values()
        )
    return False
