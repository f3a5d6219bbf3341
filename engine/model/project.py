"""A consultant's engagement: who it is for and its scenarios."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from engine.model.base import Strict
from engine.model.catalog_entries import CatalogOverrides
from engine.model.scenario import Scenario


class Project(Strict):
    title: str = Field(default="Untitled project", min_length=1, max_length=500)
    client: str = Field(default="", max_length=500)
    consultant: str = Field(default="", max_length=500)
    notes: str = Field(default="", max_length=20_000)
    currency: str = Field(
        default="USD",
        pattern=r"^[A-Z]{3}$",
        description="ISO 4217 code of the currency every figure is shown in.",
    )
    usd_exchange_rate: float = Field(
        default=1.0,
        gt=0,
        le=1e6,
        description="Units of the project currency per US dollar. Catalog and API prices are in "
        "USD and are converted with this rate; typed figures are already in the project "
        "currency.",
    )
    quote_date: str = Field(
        default="",
        pattern=r"^(\d{4}-\d{2}-\d{2})?$",
        description="Date of the quote (YYYY-MM-DD): catalog and API prices more than six "
        "months older are flagged 'check before quoting'. Empty = today.",
    )
    distribution: Literal["triangular", "pert"] = Field(
        default="triangular",
        description="How a low/likely/high range is sampled in the uncertainty analysis: "
        "triangular, or PERT (a smoother Beta distribution weighted towards the likely value).",
    )
    scenarios: list[Scenario] = Field(
        default_factory=lambda: [Scenario()], min_length=1, max_length=1_000
    )
    catalog_overrides: CatalogOverrides = Field(default_factory=CatalogOverrides)

    @model_validator(mode="after")
    def _unique_scenario_names(self) -> Project:
        seen: set[str] = set()
        for scenario in self.scenarios:
            if scenario.name in seen:
                raise ValueError(f"two scenarios are both named {scenario.name!r}")
            seen.add(scenario.name)
        return self

    def scenario(self, name: str | None) -> Scenario:
        if name is None:
            return self.scenarios[0]
        for scenario in self.scenarios:
            if scenario.name == name:
                return scenario
        names = ", ".join(repr(s.name) for s in self.scenarios)
        raise KeyError(f"no scenario named {name!r} (this project has {names})")
