"""A consultant's engagement: who it is for and its scenarios."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import (
    Field,
    SerializerFunctionWrapHandler,
    ValidatorFunctionWrapHandler,
    model_serializer,
    model_validator,
)

from engine.model.base import Strict
from engine.model.brief import ProjectBrief
from engine.model.catalog_entries import CatalogOverrides
from engine.model.scenario import Requirements, Scenario, Weights

# Sections held once per project, each with the scenario flag that overrides it.
SHARED_SECTIONS: dict[str, str] = {"requirements": "own_requirements", "weights": "own_weights"}


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
    requirements: Requirements = Field(
        default_factory=Requirements,
        description="Requirements every scenario is judged against, unless a scenario "
        "overrides them (own_requirements).",
    )
    weights: Weights = Field(
        default_factory=Weights,
        description="Criteria weights of every scenario, unless a scenario overrides them "
        "(own_weights).",
    )

    scenarios: list[Scenario] = Field(
        default_factory=lambda: [Scenario()], min_length=1, max_length=1_000
    )
    catalog_overrides: CatalogOverrides = Field(default_factory=CatalogOverrides)
    brief: ProjectBrief | None = Field(
        default=None,
        description="The client's brief the project was started from (File → New from a "
        "Brief…, ftrag new --brief), with what applying it set; none for other projects.",
    )

    @model_validator(mode="wrap")
    @classmethod
    def _shared_sections(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> Project:
        """Requirements and weights live once per project; each scenario carries the project's
        copy unless it overrides them.  A project built without them (older code, tests) takes
        the first scenario's, and other scenarios that differ keep theirs as overrides."""
        lifted = (
            {key for key in SHARED_SECTIONS if key not in data} if isinstance(data, dict) else set()
        )
        project: Project = handler(data)
        shared = {key: getattr(project, key) for key in SHARED_SECTIONS}
        for key in lifted:
            shared[key] = getattr(project.scenarios[0], key)
        scenarios: list[Scenario] = []
        for scenario in project.scenarios:
            update: dict[str, Any] = {}
            for key, flag in SHARED_SECTIONS.items():
                own = getattr(scenario, key)
                if key in lifted and own != shared[key] and not getattr(scenario, flag):
                    update[flag] = True
                elif not getattr(scenario, flag) and own is not shared[key]:
                    # Equal or not, the scenario takes the project's own instance: the next
                    # validation (every edit) then finds it by identity, not field by field.
                    update[key] = shared[key]
            scenarios.append(scenario.model_copy(update=update) if update else scenario)
        changed = any(a is not b for a, b in zip(scenarios, project.scenarios, strict=True))
        if changed or lifted:
            # The instance was created just above and nobody else holds it yet: settle it in
            # place (pydantic keeps the instance built by __init__, so a copy would be lost).
            project.__dict__.update(shared)
            project.__dict__["scenarios"] = scenarios
        return project

    @model_serializer(mode="wrap")
    def _without_inherited(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """A scenario's copy of the project's requirements/weights is not written out."""
        data: dict[str, Any] = handler(self)
        for scenario, out in zip(self.scenarios, data.get("scenarios", []), strict=False):
            for key, flag in SHARED_SECTIONS.items():
                if not getattr(scenario, flag) and isinstance(out, dict):
                    out.pop(key, None)
        return data

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
