"""Pydantic models: the inputs (project, scenario) and the results of an evaluation."""

from engine.model.base import Estimate, Section, Strict, field_meta, quantity
from engine.model.catalog_entries import (
    BaseModelEntry,
    CatalogOverrides,
    EmbeddingModelEntry,
    GpuEntry,
    VectorStoreEntry,
)
from engine.model.project import Project
from engine.model.results import Evaluation, Figure, StrategyResult
from engine.model.scenario import (
    COMPLIANCE_ITEMS,
    COST_COMPONENTS,
    CRITERIA,
    STRATEGIES,
    STRATEGY_NAMES,
    Scenario,
)

__all__ = [
    "COMPLIANCE_ITEMS",
    "COST_COMPONENTS",
    "CRITERIA",
    "STRATEGIES",
    "STRATEGY_NAMES",
    "BaseModelEntry",
    "CatalogOverrides",
    "EmbeddingModelEntry",
    "Estimate",
    "Evaluation",
    "Figure",
    "GpuEntry",
    "Project",
    "Scenario",
    "Section",
    "StrategyResult",
    "Strict",
    "VectorStoreEntry",
    "field_meta",
    "quantity",
]
